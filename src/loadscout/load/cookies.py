"""A virtual user's cookie jar: what a browser keeps from ``Set-Cookie`` and sends back.

RFC 6265's storage model, minus what a load test never meets (public-suffix checks,
third-party blocking): host-only and domain cookies, path matching, ``Secure``,
``Max-Age``/``Expires``. One jar per user, so users never share sessions.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime


@dataclass(slots=True)
class _Cookie:
    name: str
    value: str
    domain: str
    host_only: bool
    path: str
    secure: bool
    expires: float | None  # epoch seconds; None lasts the session


class CookieJar:
    """``version`` counts changes (0: never held a cookie) and ``soonest`` is when the first
    cookie expires, so a client may reuse a ``Cookie`` header built while both hold."""

    __slots__ = ("_cookies", "soonest", "version")

    def __init__(self) -> None:
        self._cookies: dict[tuple[str, str, str], _Cookie] = {}
        self.version = 0
        self.soonest = math.inf

    def valid_now(self) -> bool:
        """No cookie of the jar has expired since ``version`` last changed."""
        return self.soonest == math.inf or time.time() < self.soonest

    def store(self, header: str, host: str, request_path: str) -> None:
        """Keep (or delete, when already expired) the cookie one ``Set-Cookie`` sets."""
        first, *attrs = header.split(";")
        name, sep, value = first.partition("=")
        name = name.strip()
        if not sep or not name:
            return
        domain, host_only = host, True
        path = _default_path(request_path)
        secure = False
        expires: float | None = None
        for attr in attrs:
            key, _, val = attr.strip().partition("=")
            key = key.lower()
            val = val.strip()
            if key == "domain" and val:
                val = val.lstrip(".").lower()
                if host != val and not host.endswith("." + val):
                    return  # a cookie for a domain this host may not set
                domain, host_only = val, False
            elif key == "path" and val.startswith("/"):
                path = val
            elif key == "secure":
                secure = True
            elif key == "max-age":
                with contextlib.suppress(ValueError):
                    expires = time.time() + int(val)
            elif key == "expires" and expires is None:
                with contextlib.suppress(TypeError, ValueError):
                    expires = parsedate_to_datetime(val).timestamp()
        key3 = (domain, path, name)
        self.version += 1
        if expires is not None and expires <= time.time():
            self._cookies.pop(key3, None)
            return
        cookie = _Cookie(name, value.strip(), domain, host_only, path, secure, expires)
        self._cookies[key3] = cookie
        if expires is not None and expires < self.soonest:
            self.soonest = expires

    def header(self, host: str, path: str, https: bool) -> str | None:
        """The ``Cookie`` header value for a request, or None when nothing matches."""
        if not self._cookies:
            return None
        matches = self._matching(host, path, https)
        if not matches:
            return None
        matches.sort(key=lambda c: -len(c.path))
        return "; ".join(f"{c.name}={c.value}" for c in matches)

    def get(self, name: str, host: str | None = None) -> str | None:
        """The value of cookie ``name`` (preferring one that ``host`` would receive)."""
        found = None
        for c in self._cookies.values():
            if c.name != name:
                continue
            if host is None or _domain_match(c, host):
                return c.value
            found = found or c.value
        return found

    def _matching(self, host: str, path: str, https: bool) -> list[_Cookie]:
        now = 0.0
        out = []
        expired = []
        for key, c in self._cookies.items():
            if not _domain_match(c, host) or not _path_match(c.path, path):
                continue
            if c.secure and not https:
                continue
            if c.expires is not None:
                now = now or time.time()
                if c.expires <= now:
                    expired.append(key)
                    continue
            out.append(c)
        if expired:
            for key in expired:
                del self._cookies[key]
            self.version += 1
            ends = [c.expires for c in self._cookies.values() if c.expires is not None]
            self.soonest = min(ends, default=math.inf)
        return out

    def __len__(self) -> int:
        return len(self._cookies)


def _domain_match(c: _Cookie, host: str) -> bool:
    return host == c.domain or (not c.host_only and host.endswith("." + c.domain))


def _path_match(cookie_path: str, path: str) -> bool:
    if path == cookie_path:
        return True
    if path.startswith(cookie_path):
        return cookie_path.endswith("/") or path[len(cookie_path)] == "/"
    return False


def _default_path(request_path: str) -> str:
    if not request_path.startswith("/") or request_path.count("/") == 1:
        return "/"
    return request_path[: request_path.rindex("/")]
