"""WebSocket and EventSource steps, replayed through aiohttp (no hand-written protocol).

A stream step connects, sends its recorded frames (WebSocket), waits for ``expect_messages``
server messages, then closes. Its latency runs from the connect to the last expected message.
A virtual user opens its :class:`StreamClient` (one aiohttp session) only when it first meets
a stream step, so runs without streams never pay for it; the user's cookies go along in the
``Cookie`` header its HTTP client gives the URL (``Client.cookie_header``), whichever client.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import aiohttp

from loadscout.files.egress_net import guarded_connector, literal_guard
from loadscout.flows.model import Extractor, Step
from loadscout.load.client import USER_AGENT, HttpResponse, TransportError
from loadscout.load.extract import extract
from loadscout.load.template import Template
from loadscout.plan.egress import EgressPolicy, EgressRefused, Resolver

StreamKind = Literal["websocket", "eventsource"]
DEFAULT_WAIT_S = 30.0  # how long a stream step waits without ``hold_s`` (the request timeout)
_CLOSED = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """What a stream step does once connected (``CompiledStep.stream``)."""

    kind: StreamKind
    messages: tuple[Template, ...]
    expect_messages: int
    hold_s: float | None

    @classmethod
    def of(cls, step: Step) -> StreamSpec | None:
        """The spec of a ``websocket``/``eventsource`` step; None for a plain request."""
        if step.kind != "websocket" and step.kind != "eventsource":
            return None
        messages = tuple(Template(m) for m in step.messages or ())
        expect = 1 if step.expect_messages is None else step.expect_messages
        return cls(kind=step.kind, messages=messages, expect_messages=expect, hold_s=step.hold_s)

    @property
    def names(self) -> frozenset[str]:
        return frozenset().union(*(m.names for m in self.messages))


@dataclass(frozen=True, slots=True)
class StreamResult:
    """``status``: 101 for an opened socket, the response's for an EventSource; ``done_ns``
    (perf counter) when the last expected message arrived; ``ttfb_ns`` connect → handshake."""

    status: int
    received: int
    done_ns: int
    ttfb_ns: int


def jar_values(
    extractors: Sequence[Extractor], url: str, cookie: Callable[[str, str], str | None]
) -> dict[str, str]:
    """A stream step's extractors (``cookie`` only: a stream has no body to read) run after it,
    on the user's jar (``cookie(name, url)``); raises ``ExtractionFailed`` like any step's."""
    empty = HttpResponse(status=0, url=url, headers={}, body=b"", charset=None)
    return extract(extractors, empty, lambda name: cookie(name, url))


class StreamClient:
    """One virtual user's stream connections: an aiohttp session without its own cookies.

    ``egress`` holds them to the egress policy as the user's HTTP client is: a host is looked
    up once for the client's life (``resolver``), every answer checked, and sockets go to the
    checked addresses; IP literals and redirect hops are checked before they are dialled. A
    refusal fails the step as ``forbidden_address``."""

    def __init__(
        self,
        *,
        timeout_s: float = DEFAULT_WAIT_S,
        egress: EgressPolicy | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._timeout_s = timeout_s
        policy = egress or EgressPolicy.local()
        fenced = not policy.permits_all or resolver is not None  # local: aiohttp's own lookup
        self._session = aiohttp.ClientSession(
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={"User-Agent": USER_AGENT},
            connector=guarded_connector(policy, resolver, cache_s=None) if fenced else None,
            middlewares=(literal_guard(policy),) if fenced else (),
        )

    async def open(
        self,
        spec: StreamSpec,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        messages: list[str],
        cookie: str | None,
    ) -> StreamResult:
        """Connect, send ``messages``, wait for the expected ones; raises on failure
        (``TimeoutError`` once ``hold_s`` or the default wait is over)."""
        sent = {**(headers or {}), **({"Cookie": cookie} if cookie else {})}
        try:
            async with asyncio.timeout(spec.hold_s or self._timeout_s):
                if spec.kind == "websocket":
                    return await self._websocket(url, sent, messages, spec.expect_messages)
                return await self._eventsource(url, sent, spec.expect_messages)
        except EgressRefused as refused:
            raise TransportError("forbidden_address", refused.reason) from None

    async def _websocket(
        self, url: str, headers: dict[str, str], messages: list[str], expect: int
    ) -> StreamResult:
        start = time.perf_counter_ns()
        async with self._session.ws_connect(url, headers=headers) as ws:
            ttfb = time.perf_counter_ns() - start
            for message in messages:
                await ws.send_str(message)
            received = 0
            while received < expect:
                msg = await ws.receive()
                if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                    received += 1
                elif msg.type is aiohttp.WSMsgType.ERROR:
                    raise msg.data
                elif msg.type in _CLOSED:
                    raise _closed(ws.close_code, received, expect)
            return StreamResult(101, received, time.perf_counter_ns(), ttfb)

    async def _eventsource(self, url: str, headers: dict[str, str], expect: int) -> StreamResult:
        start = time.perf_counter_ns()
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache", **headers}
        async with self._session.get(url, headers=headers) as resp:
            ttfb = time.perf_counter_ns() - start
            received = 0
            pending = False  # a ``data:`` line seen; the blank line after it dispatches
            while resp.status < 300 and received < expect:
                line = await resp.content.readline()
                if not line:
                    raise TransportError(
                        "stream_ended", f"the stream ended after {received} of {expect} events"
                    )
                line = line.rstrip(b"\r\n")
                if line.startswith(b"data"):
                    pending = True
                elif not line and pending:
                    received, pending = received + 1, False
            done = time.perf_counter_ns()
            resp.close()  # never read the rest of a stream that may not end
            return StreamResult(resp.status, received, done, ttfb)

    async def close(self) -> None:
        await self._session.close()


def _closed(code: int | None, received: int, expect: int) -> Exception:
    if code is None:
        return ConnectionResetError(f"the socket dropped after {received} of {expect} messages")
    return TransportError(
        f"ws_close_{code}", f"the server closed ({code}) after {received} of {expect} messages"
    )
