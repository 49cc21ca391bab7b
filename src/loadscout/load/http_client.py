"""The aiohttp session (the reference client; ``curl_client`` is the fast default).

Each virtual user owns one :class:`HttpClient`: its own cookie jar and its own connection
pool, so users never share sessions the way real browsers don't.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import aiohttp
from yarl import URL

from loadscout import __version__

USER_AGENT = f"loadscout/{__version__}"
FormData = Mapping[str, str] | Sequence[tuple[str, str]]
"""A form body: ordered pairs (a name repeats for each value it sends) or a mapping."""


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3x, per request
class HttpResponse:
    """A fully read response; ``url`` and ``status`` are those after following redirects.
    Treat it as read-only."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes
    charset: str | None
    ttfb_ns: int = 0  # request written -> first response byte (0: not measured)
    connect_ns: int = 0  # opening the TCP connection (0: a kept-alive one)
    tls_ns: int = 0  # the TLS handshake on a new https connection (0: none)

    def text(self) -> str:
        return self.body.decode(self.charset or "utf-8", errors="replace")


@dataclass(slots=True)  # not frozen, like HttpResponse: built once per request
class Outgoing:
    """A request as a client sends it: body already bytes, headers final."""

    method: str
    url: str
    headers: Mapping[str, str] | None
    payload: bytes | None
    want_headers: bool  # False: the caller reads no response header, so none need keeping


def encode_request(
    headers: Mapping[str, str] | None,
    form: FormData | None,
    json_body: Any,
    body: bytes | None,
) -> tuple[Mapping[str, str] | None, bytes | None]:
    """The headers and body bytes to send: a form is url-encoded (every pair, in order), JSON
    dumped, each with its Content-Type unless the step sets one. Without either, ``headers``
    pass through as is."""
    if form is not None:
        payload, content_type = urlencode(form).encode(), "application/x-www-form-urlencoded"
    elif json_body is not None:
        payload, content_type = json.dumps(json_body).encode(), "application/json"
    else:
        return headers, body
    if headers and any(name.lower() == "content-type" for name in headers):
        return headers, payload
    return {**(headers or {}), "Content-Type": content_type}, payload


class ClientBase(abc.ABC):
    """The ``send`` every HTTP client shares (``vuser.Client``): the body is encoded once,
    here; subclasses move the bytes in :meth:`_send`."""

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        form: FormData | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        want_headers: bool = True,
    ) -> Coroutine[Any, Any, HttpResponse]:
        """Send one request, follow redirects and read (and decode) the whole body.

        ``want_headers=False`` lets a client skip keeping the response headers. A plain
        function returning the client's coroutine: one coroutine less per request.
        """
        if form is not None or json_body is not None:
            headers, body = encode_request(headers, form, json_body, body)
        return self._send(Outgoing(method, url, headers, body, want_headers))

    @abc.abstractmethod
    async def _send(self, request: Outgoing) -> HttpResponse: ...


class HttpClient(ClientBase):
    """A virtual user's browser-like HTTP session (cookies, keep-alive, redirects, gzip)."""

    def __init__(self, *, timeout_s: float, limit_per_host: int = 6) -> None:
        # unsafe=True: without it aiohttp drops cookies set by IP-address hosts like 127.0.0.1.
        self._jar = aiohttp.CookieJar(unsafe=True)
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit_per_host=limit_per_host),
            cookie_jar=self._jar,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
            headers={"User-Agent": USER_AGENT},
            auto_decompress=True,
        )

    async def _send(self, request: Outgoing) -> HttpResponse:
        """Raises the library's own exceptions; ``loadscout.load.errors.classify`` names them."""
        async with self._session.request(
            request.method,
            request.url,
            headers=request.headers,
            data=request.payload,
            allow_redirects=True,
        ) as resp:
            return HttpResponse(
                status=resp.status,
                url=str(resp.url),
                headers=resp.headers,
                body=await resp.read(),
                charset=resp.charset,
            )

    def cookie(self, name: str, url: str | None = None) -> str | None:
        """The value of cookie ``name`` the jar would send to ``url`` (else any with that name)."""
        if url is not None:
            morsel = self._jar.filter_cookies(URL(url)).get(name)
            if morsel is not None:
                return morsel.value
        for cookie in self._jar:
            if cookie.key == name:
                return cookie.value
        return None

    def cookie_header(self, url: str) -> str | None:
        """The ``Cookie`` header the jar gives ``url`` (aiohttp treats ``wss://`` as secure)."""
        cookies = self._jar.filter_cookies(URL(url))
        return "; ".join(f"{name}={m.value}" for name, m in cookies.items()) or None

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None:
        """Put a cookie in this user's jar as if ``url``'s host had set it."""
        cookie: SimpleCookie = SimpleCookie()
        cookie[name] = value
        cookie[name]["path"] = path
        self._jar.update_cookies(cookie, URL(url))

    async def close(self) -> None:
        await self._session.close()
