"""The aiohttp session loadscout's skeleton used, kept only to compare against ``H1Client``
(``loadscout_gen.py --client aiohttp``); it has the shape of ``loadscout.load.client.Client``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
from yarl import URL

from loadscout.load.client import USER_AGENT, FormData, HttpResponse, encode_request


class AiohttpClient:
    """A virtual user's session on aiohttp: its own cookie jar and connection pool."""

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
        form: FormData | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        want_headers: bool = True,
        on_wire: Callable[[], None] | None = None,
    ) -> HttpResponse:
        if form is not None or json_body is not None:
            headers, body = encode_request(headers, form, json_body, body)
        if on_wire is not None:  # aiohttp does not say when it writes: counted up front
            on_wire()
        async with self._session.request(
            method, url, headers=headers, data=body, allow_redirects=True
        ) as resp:
            return HttpResponse(
                status=resp.status,
                url=str(resp.url),
                headers=resp.headers,
                body=await resp.read(),
                charset=resp.charset,
            )

    def cookie(self, name: str, url: str | None = None) -> str | None:
        if url is not None:
            morsel = self._jar.filter_cookies(URL(url)).get(name)
            if morsel is not None:
                return morsel.value
        for cookie in self._jar:
            if cookie.key == name:
                return cookie.value
        return None

    def cookie_header(self, url: str) -> str | None:
        cookies = self._jar.filter_cookies(URL(url))
        return "; ".join(f"{name}={m.value}" for name, m in cookies.items()) or None

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None:
        cookie: SimpleCookie = SimpleCookie()
        cookie[name] = value
        cookie[name]["path"] = path
        self._jar.update_cookies(cookie, URL(url))

    async def close(self) -> None:
        await self._session.close()
