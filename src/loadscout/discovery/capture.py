"""Network exchanges a page makes, and the "page is quiet" wait built on the same events.

Documents and fetch/XHR calls in scope become flow steps; static assets are ignored. A redirect
chain is folded into one exchange: the request the page made, with the chain's final status,
because the load engine follows redirects like a browser.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from playwright.async_api import Page, Request, Response

from loadscout.discovery.scope import Scope

ExchangeKind = Literal["document", "fetch"]
_STATIC_EXT = (
    ".css",
    ".js",
    ".mjs",
    ".map",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".webp",
    ".ico",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".mp4",
    ".webm",
    ".mp3",
)


@dataclass(kw_only=True, slots=True)
class Exchange:
    kind: ExchangeKind
    method: str
    url: str
    post_data: str | None = None
    request_type: str = ""  # the request's content-type (form, JSON…)
    status: int | None = None
    content_type: str = ""
    seq: int = 0

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type


def exchange_kind(resource_type: str, url: str) -> ExchangeKind | None:
    """Which requests become steps: documents and fetch/XHR, never static assets."""
    if urlsplit(url).path.lower().endswith(_STATIC_EXT):
        return None
    if resource_type == "document":
        return "document"
    if resource_type in ("fetch", "xhr"):
        return "fetch"
    return None


class Capture:
    """Records one page's in-scope exchanges and tracks its in-flight in-scope requests."""

    def __init__(self, page: Page, scope: Scope) -> None:
        self._page = page
        self._scope = scope
        self._by_root: dict[Request, Exchange] = {}
        self.exchanges: list[Exchange] = []
        self._inflight: set[Request] = set()
        self._last_activity = time.monotonic()
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_done)

    def _on_request(self, request: Request) -> None:
        if not self._scope.contains(request.url):
            return
        self._inflight.add(request)
        self._last_activity = time.monotonic()
        root = request
        while root.redirected_from is not None:
            root = root.redirected_from
        if root is not request or root in self._by_root:
            return
        kind = exchange_kind(request.resource_type, request.url)
        if kind == "document" and request.frame != self._page.main_frame:
            kind = None
        if kind is None:
            return
        exchange = Exchange(
            kind=kind,
            method=request.method,
            url=request.url,
            post_data=request.post_data,
            seq=len(self.exchanges),
            request_type=request.headers.get("content-type", "").lower(),
        )
        self._by_root[root] = exchange
        self.exchanges.append(exchange)

    def _on_response(self, response: Response) -> None:
        root = response.request
        while root.redirected_from is not None:
            root = root.redirected_from
        exchange = self._by_root.get(root)
        if exchange is not None:
            exchange.status = response.status
            exchange.content_type = response.headers.get("content-type", "").lower()

    def _on_done(self, request: Request) -> None:
        if request in self._inflight:
            self._inflight.discard(request)
            self._last_activity = time.monotonic()

    def mark(self) -> int:
        return len(self.exchanges)

    def since(self, mark: int) -> list[Exchange]:
        return self.exchanges[mark:]

    async def wait_quiet(self, *, quiet_s: float = 0.3, cap_s: float = 5.0) -> bool:
        """Wait until no in-scope request was in flight for ``quiet_s``; False if capped."""
        deadline = time.monotonic() + cap_s
        while time.monotonic() < deadline:
            idle = time.monotonic() - self._last_activity
            if not self._inflight and idle >= quiet_s:
                return True
            await asyncio.sleep(0.05)
        return False
