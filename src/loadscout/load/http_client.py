"""The aiohttp session (the reference client; ``curl_client`` is the fast default).

Each virtual user owns one :class:`HttpClient`: its own cookie jar and its own connection
pool, so users never share sessions the way real browsers don't.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from loadscout import __version__

USER_AGENT = f"loadscout/{__version__}"


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A fully read response; ``url`` and ``status`` are those after following redirects."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes
    charset: str | None
    ttfb_ns: int = 0  # request written -> first response byte (0: not measured)
    connect_ns: int = 0  # opening the connection, TLS included (0: a kept-alive one)

    def text(self) -> str:
        return self.body.decode(self.charset or "utf-8", errors="replace")


class HttpClient:
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

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        want_headers: bool = True,
    ) -> HttpResponse:
        """Send one request, follow redirects and read the whole body.

        Raises the library's own exceptions; ``loadscout.load.errors.classify`` names them.
        """
        data: Any = form if form is not None else body
        async with self._session.request(
            method, url, headers=headers, data=data, json=json_body, allow_redirects=True
        ) as resp:
            payload = await resp.read()
            return HttpResponse(
                status=resp.status,
                url=str(resp.url),
                headers=resp.headers,
                body=payload,
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

    async def close(self) -> None:
        await self._session.close()
