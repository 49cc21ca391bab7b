"""Network exchanges a page makes, and the "page is quiet" wait built on the same events.

Documents and fetch/XHR calls in scope become flow steps; static assets are ignored. A redirect
chain is folded into one exchange: the request the page made, with the chain's final status,
because the load engine follows redirects like a browser. In-scope WebSocket and EventSource
connections travel with the page's fetches (``Exchange.stream`` says which) but never count as
in flight: they stay open, and the page would never go quiet.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from playwright.async_api import Page, Request, Response, WebSocket

from loadscout.plan.scope import Scope

ExchangeKind = Literal["document", "fetch"]
StreamKind = Literal["websocket", "eventsource"]
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
    headers: dict[str, str] = field(default_factory=dict)  # request headers the page set
    response_body: str | None = None  # JSON fetch responses, for id correlation
    location: str | None = None  # the first redirect's Location, for ids from Location
    stream: StreamKind | None = None  # a WebSocket / EventSource connection (kind "fetch")
    frames_sent: list[str] = field(default_factory=list)  # WebSocket text frames the page sent
    frames_received: int = 0  # WebSocket frames the server sent

    def keep_sent(self, payload: str | bytes) -> None:
        """Keep a frame the page sent, for replay: text ones, the first ``MAX_FRAMES``."""
        if isinstance(payload, str) and len(self.frames_sent) < MAX_FRAMES:
            self.frames_sent.append(payload[:MAX_FRAME_CHARS])

    @property
    def expect_messages(self) -> int | None:
        """Server messages a replay waits for: a WebSocket's replies to what the page sent
        (plus a greeting), never a ticker's endless pushes; None (one) for an EventSource."""
        if self.stream != "websocket":
            return None
        return min(self.frames_received, len(self.frames_sent) + 1)

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type


_STANDARD_HEADERS = {
    "accept",
    "accept-language",
    "accept-encoding",
    "content-type",
    "content-length",
    "user-agent",
    "referer",
    "origin",
    "cookie",
    "host",
    "connection",
    "upgrade-insecure-requests",
    "cache-control",
    "pragma",
}
_STREAMS = ("websocket", "eventsource")
MAX_BODY_CHARS = 200_000
MAX_FRAMES = 20  # WebSocket frames kept per connection
MAX_FRAME_CHARS = 10_000


def custom_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers the page's script chose (X-CSRF-Token, Authorization…), not the browser's own."""
    return {
        k: v
        for k, v in headers.items()
        if k.lower() not in _STANDARD_HEADERS and not k.lower().startswith(("sec-", ":"))
    }


def exchange_kind(resource_type: str, url: str) -> ExchangeKind | None:
    """Which requests become steps: documents and fetch/XHR, never static assets."""
    if urlsplit(url).path.lower().endswith(_STATIC_EXT):
        return None
    if resource_type == "document":
        return "document"
    if resource_type in ("fetch", "xhr"):
        return "fetch"
    return None


def http_url(url: str) -> str:
    """``ws://`` as ``http://`` (``wss://`` as ``https://``), so scope rules apply to sockets."""
    for socket, http in (("ws://", "http://"), ("wss://", "https://")):
        if url.startswith(socket):
            return http + url[len(socket) :]
    return url


class Capture:
    """Records one page's in-scope exchanges and tracks its in-flight in-scope requests."""

    def __init__(self, page: Page, scope: Scope) -> None:
        self._page = page
        self._scope = scope
        self._by_root: dict[Request, Exchange] = {}
        self.exchanges: list[Exchange] = []
        self._inflight: set[Request] = set()
        self._last_activity = time.monotonic()
        self._reads: set[asyncio.Task[None]] = set()
        self.streams: list[str] = []  # WebSocket / EventSource URLs
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_done)
        page.on("websocket", self._on_websocket)

    def _on_websocket(self, ws: WebSocket) -> None:
        self.streams.append(ws.url)
        if not self._scope.contains(http_url(ws.url)):
            return
        exchange = self._add(Exchange(kind="fetch", stream="websocket", method="GET", url=ws.url))
        exchange.status = 101  # the handshake succeeded, or there would be no socket

        def sent(payload: str | bytes) -> None:  # playwright tags handlers: no bound method
            exchange.keep_sent(payload)

        def received(_: str | bytes) -> None:
            exchange.frames_received += 1

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    def _on_stream_request(self, request: Request) -> None:
        """An EventSource becomes a step (its response gives the status); never in flight."""
        self.streams.append(request.url)
        if request.resource_type != "eventsource" or not self._scope.contains(request.url):
            return  # a WebSocket is recorded from its own event
        if request.redirected_from is None and request not in self._by_root:
            exchange = Exchange(kind="fetch", stream="eventsource", method="GET", url=request.url)
            self._by_root[request] = self._add(exchange)

    def _add(self, exchange: Exchange) -> Exchange:
        exchange.seq = len(self.exchanges)
        self.exchanges.append(exchange)
        return exchange

    def _on_request(self, request: Request) -> None:
        if request.resource_type in _STREAMS:
            self._on_stream_request(request)
            return  # long-lived: would never let the page go quiet
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
            headers=custom_headers(request.headers),
        )
        self._by_root[root] = exchange
        self.exchanges.append(exchange)

    def _on_response(self, response: Response) -> None:
        root = response.request
        while root.redirected_from is not None:
            root = root.redirected_from
        exchange = self._by_root.get(root)
        if exchange is None:
            return
        if exchange.location is None:  # the first Location: a redirect's, or a 201's new id
            exchange.location = response.headers.get("location")
        exchange.status = response.status
        exchange.content_type = response.headers.get("content-type", "").lower()
        readable = "json" in exchange.content_type or "html" in exchange.content_type
        if readable and response.status < 300:
            task = asyncio.ensure_future(self._read_body(exchange, response))
            self._reads.add(task)
            task.add_done_callback(self._reads.discard)

    @staticmethod
    async def _read_body(exchange: Exchange, response: Response) -> None:
        try:
            exchange.response_body = (await response.text())[:MAX_BODY_CHARS]
        except Exception:  # the page navigated away and the body is gone: no correlation
            exchange.response_body = None

    def _on_done(self, request: Request) -> None:
        if request in self._inflight:
            self._inflight.discard(request)
            self._last_activity = time.monotonic()

    def touch(self) -> None:
        """Count now as activity: an action just fired whose requests may not be seen yet."""
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
                if self._reads:
                    await asyncio.wait(
                        set(self._reads), timeout=max(0.0, deadline - time.monotonic())
                    )
                return True
            await asyncio.sleep(0.05)
        return False
