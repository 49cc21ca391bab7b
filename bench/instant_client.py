"""A client that answers at once from pages held in memory, for counting the engine's own
instructions per request (``callgrind_cost.py --instant``): no socket, no parser, yet one
await of a future completed by a loop callback per request, as a real exchange has."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from loadscout.load.client import FormData, HttpResponse
from loadscout.load.cookies import CookieJar
from loadscout.load.h1_client import jar_header

_HEADERS = {"content-type": "text/html; charset=utf-8"}


class InstantClient:
    """``Client``'s shape; ``pages`` maps a URL's path to its body (others: a 404)."""

    def __init__(self, pages: Mapping[str, bytes]) -> None:
        self._pages = pages
        self.jar = CookieJar()

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
        on_wire: Callable[[], None] | None = None,
    ) -> Any:
        return self._send(url, on_wire)

    async def _send(self, url: str, on_wire: Callable[[], None] | None) -> HttpResponse:
        if on_wire is not None:
            on_wire()
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        loop.call_soon(fut.set_result, None)
        await fut
        page = self._pages.get(urlsplit(url).path)
        if page is None:
            return HttpResponse(404, url, _HEADERS, b"", "utf-8")
        return HttpResponse(200, url, _HEADERS, page, "utf-8")

    def cookie(self, name: str, url: str | None = None) -> str | None:
        return self.jar.get(name, urlsplit(url).hostname if url else None)

    def cookie_header(self, url: str) -> str | None:
        return jar_header(self.jar, url)

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None:
        self.jar.store(f"{name}={value}; Path={path}", urlsplit(url).hostname or "", path)

    async def close(self) -> None:
        pass


def pages_of(www: Path) -> dict[str, bytes]:
    """Every file under ``www`` by its URL path (``index.html`` also as its folder)."""
    pages = {}
    for path in www.rglob("*"):
        if path.is_file():
            url = "/" + path.relative_to(www).as_posix()
            pages[url] = path.read_bytes()
            if path.name == "index.html":
                pages[url[: -len("index.html")]] = pages[url]
    return pages
