"""People and tokens of a test server, each with its own HTTP client: a browser-like session
(cookie jar, CSRF header on writes) or a bearer token."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from tests.api.serve import Served
from tests.utils.accounts import ADMIN_EMAIL, ADMIN_PASSWORD

PASSWORD = "a long enough password"


@dataclass
class Caller:
    """Speaks to one server as one principal; ``anonymous`` when neither is set."""

    served: Served
    token: str | None = None
    cookie: str | None = None  # "name=value" of the session cookie
    csrf: str | None = None
    label: str = "anonymous"
    set_cookies: list[str] = field(default_factory=list)  # the last answer's Set-Cookie

    # Not urllib's cookie jar: it keeps Secure cookies for https only, where browsers also
    # count loopback over http as secure. Not the test-wide opener: it signs with a token.
    opener = urllib.request.build_opener()

    def __call__(
        self, method: str, path: str, body: Any = None, *, csrf: bool = True
    ) -> tuple[int, Any]:
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        if self.cookie:
            headers["cookie"] = self.cookie
        if self.csrf and csrf and method not in ("GET", "HEAD"):
            headers["x-csrf-token"] = self.csrf
        data = None if body is None else json.dumps(body).encode()
        url = path if path.startswith("http") else f"{self.served.api}{path}"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=30) as resp:
                raw = resp.read()
                self.set_cookies = resp.headers.get_all("set-cookie") or []
                return resp.status, _decoded(raw, resp.headers.get("content-type", ""))
        except urllib.error.HTTPError as err:
            raw = err.read()
            self.set_cookies = err.headers.get_all("set-cookie") or []
            return err.code, _decoded(raw, err.headers.get("content-type", ""))


def _decoded(raw: bytes, ctype: str) -> Any:
    if raw and "json" in ctype:
        return json.loads(raw)
    return raw.decode(errors="replace")


def sign_in(served: Served, email: str, password: str = PASSWORD) -> Caller:
    caller = Caller(served, label=email)
    status, me = caller("POST", "/auth/login", {"email": email, "password": password})
    assert status == 200, me
    caller.cookie = caller.set_cookies[0].split(";")[0]
    caller.csrf = me["csrf_token"]
    return caller


def instance_admin(served: Served) -> Caller:
    """The server's first admin (tests/utils/accounts.py), signed in: tokens belong to a
    team, so instance-wide changes go through a session."""
    return sign_in(served, ADMIN_EMAIL, ADMIN_PASSWORD)


def add_person(root: Caller, email: str, *, team_id: int, role: str) -> Caller:
    """A new account put in ``team_id`` with ``role`` by the instance admin, signed in."""
    status, user = root("POST", "/users", {"email": email, "password": PASSWORD})
    assert status == 201, user
    status, member = root("PUT", f"/teams/{team_id}/members", {"email": email, "role": role})
    assert status == 200, member
    return sign_in(root.served, email)


def new_team(root: Caller, name: str, **quotas: Any) -> int:
    status, team = root("POST", "/teams", {"name": name, "quotas": quotas})
    assert status == 201, team
    team_id: int = team["id"]
    return team_id


def token_of(caller: Caller, role: str, name: str = "ci") -> tuple[str, int]:
    status, made = caller("POST", "/tokens", {"name": name, "role": role})
    assert status == 201, made
    return made["token"], made["record"]["id"]
