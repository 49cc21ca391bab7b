"""A real OpenID provider for the SSO tests (panva's oidc-provider under Node, see
provider.mjs), and a small browser that signs in through its plain-HTML login and consent
forms. Everything stays on 127.0.0.1."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx2
import pytest

HERE = Path(__file__).parent
CLIENT_ID = "loadscout-tests"
CLIENT_SECRET = "not-a-secret-outside-these-tests"
_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.I)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', re.I)


def install() -> None:
    """``npm ci`` into tests/oidc/node_modules when it is missing or older than the lock."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("Node and npm are needed for the OpenID provider of the SSO tests")
    modules = HERE / "node_modules" / ".package-lock.json"
    lock = HERE / "package-lock.json"
    if not modules.exists() or lock.stat().st_mtime > modules.stat().st_mtime:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True
        )


@dataclass
class Provider:
    issuer: str
    proc: subprocess.Popen[bytes]
    log: Path

    def change(self, account: str, **claims: object) -> None:
        """Change an account's claims at the provider (groups, email_verified...)."""
        req = urllib.request.Request(
            f"{self.issuer}/test/accounts/{account}",
            data=json.dumps(claims).encode(),
            method="PUT",
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 204


@contextmanager
def running_provider(port: int, redirect_uri: str, folder: Path) -> Iterator[Provider]:
    """The provider on 127.0.0.1:``port`` for one client redirecting to ``redirect_uri``."""
    install()
    log = folder / f"oidc-provider-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["node", str(HERE / "provider.mjs"), str(port), CLIENT_ID, CLIENT_SECRET, redirect_uri],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    provider = Provider(issuer=f"http://127.0.0.1:{port}", proc=proc, log=log)
    try:
        deadline = time.monotonic() + 30
        while "ready " not in log.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the OpenID provider did not start: {log.read_text()}")
            time.sleep(0.05)
        yield provider
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Browser:
    """Follows redirects one at a time and keeps cookies; like a browser, it treats loopback
    as a secure origin, so ``Secure`` and ``__Host-`` cookies come back over plain HTTP."""

    def __init__(self) -> None:
        jar = CookieJar(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
        self.http = httpx2.Client(cookies=jar, follow_redirects=False, timeout=15)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, url: str) -> httpx2.Response:
        return self.http.get(url)

    def start(self, base: str, next_: str | None = None) -> httpx2.Response:
        params = {} if next_ is None else {"next": next_}
        return self.http.get(f"{base}/api/v1/auth/oidc/login", params=params)

    def sign_in_at_provider(self, first: httpx2.Response, account: str) -> str:
        """From the redirect to the provider, log in as ``account`` and consent; the URL
        the provider sends the browser back to (the callback, not yet visited)."""
        response = first
        for _ in range(20):
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if "/api/v1/auth/oidc/callback" in urlsplit(target).path:
                    return target
                response = self.http.get(target)
            elif response.status_code == 200 and (form := _FORM.search(response.text)):
                fields = dict(_HIDDEN.findall(response.text))
                if fields.get("prompt") == "login":
                    fields |= {"login": account, "password": "any"}
                action = urljoin(str(response.url), html.unescape(form.group(1)))
                response = self.http.post(action, data=fields)
            else:
                raise AssertionError(f"unexpected page {response.status_code}: {response.text}")
        raise AssertionError("the provider kept redirecting")

    def cancel_at_provider(self, first: httpx2.Response) -> str:
        """From the redirect to the provider, cancel at its login page; the callback URL."""
        response = self.http.get(first.headers["location"])
        while response.is_redirect:
            response = self.http.get(urljoin(str(response.url), response.headers["location"]))
        abort = re.search(r'href="([^"]*/abort)"', response.text)
        assert abort, response.text
        response = self.http.get(urljoin(str(response.url), html.unescape(abort.group(1))))
        while "/api/v1/auth/oidc/callback" not in response.headers.get("location", ""):
            assert response.is_redirect, response.text
            response = self.http.get(urljoin(str(response.url), response.headers["location"]))
        return urljoin(str(response.url), response.headers["location"])
