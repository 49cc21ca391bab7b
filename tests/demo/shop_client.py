"""A thin aiohttp client for the demo shop tests: a cookie jar per client, page helpers."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType

import aiohttp
from selectolax.lexbor import LexborHTMLParser


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    status: int
    text: str
    location: str | None

    @property
    def html(self) -> LexborHTMLParser:
        return LexborHTMLParser(self.text)

    def csrf_token(self) -> str:
        node = self.html.css_first('input[name="csrf_token"]')
        assert node is not None, "page has no csrf_token field"
        value = node.attributes.get("value")
        assert value
        return value

    def links(self) -> list[str]:
        return [href for a in self.html.css("a[href]") if (href := a.attributes.get("href"))]


class ShopClient:
    """A fresh session each; ``unsafe=True`` or aiohttp drops cookies set by IP hosts."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=5),
        )

    async def __aenter__(self) -> ShopClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.http.close()

    def _url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    async def get(self, path: str, *, follow: bool = False) -> Page:
        async with self.http.get(self._url(path), allow_redirects=follow) as response:
            return Page(
                status=response.status,
                text=await response.text(),
                location=response.headers.get("Location"),
            )

    async def post(self, path: str, data: dict[str, str], *, follow: bool = False) -> Page:
        async with self.http.post(self._url(path), data=data, allow_redirects=follow) as response:
            return Page(
                status=response.status,
                text=await response.text(),
                location=response.headers.get("Location"),
            )

    async def json(self, path: str) -> object:
        async with self.http.get(self._url(path)) as response:
            assert response.status == 200, response.status
            return await response.json()

    def session_cookie(self) -> str | None:
        for cookie in self.http.cookie_jar:
            if cookie.key == "shop_session":
                return cookie.value
        return None

    async def login(self, username: str, password: str) -> Page:
        token = (await self.get("/login")).csrf_token()
        form = {"csrf_token": token, "username": username, "password": password, "next": "/account"}
        return await self.post("/login", form)
