"""A forwarding proxy on loopback for Chromium in team mode: the egress guard on every
connection the browser opens, pinned to the address it checked.

Chromium (``--proxy-server``, ``--proxy-bypass-list=<-loopback>``) sends plain-HTTP requests in
absolute form (``GET http://host/path``) and opens ``CONNECT host:port`` tunnels for https, ws
and wss. Each time the host is looked up once per proxy (``resolve_checked``: every answer
checked, a refusal kept too) and the connection goes to a checked address, so neither a
redirect, a WebSocket nor a name that answers otherwise a moment later (DNS rebinding) reaches
what the policy refuses. A refusal answers 403 with the guard's reason and opens no socket.
Bodies stream through (h11 frames them); nothing is buffered whole.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from types import TracebackType
from typing import NoReturn
from urllib.parse import urlsplit

import h11

from loadscout.plan.allowed import host_allowed
from loadscout.plan.egress import (
    EgressPolicy,
    EgressRefused,
    Resolver,
    normalise_host,
    parse_ip,
    resolve_checked,
)

OnRefused = Callable[[str, str, str], None]  # (url, method, reason)
Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]

CHUNK = 64 * 1024
# hop-by-hop headers: they describe the connection to the proxy, not the request
_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-connection", b"proxy-authorization", b"te", b"upgrade"}
)


class _Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class EgressProxy:
    """``async with EgressProxy(policy) as proxy``: Chromium's ``--proxy-server`` is
    ``proxy.url``. ``on_refused`` hears every refusal; ``refusals`` keeps them per target.
    ``allowed_hosts``: the server's allow-list (empty: any), held here for redirects too.
    ``only_names``: the host names looked up at all (None: any); others are answered 403
    unreported, as Chromium's own background requests are (IP literals face the policy)."""

    def __init__(
        self,
        policy: EgressPolicy,
        *,
        resolver: Resolver | None = None,
        on_refused: OnRefused | None = None,
        allowed_hosts: frozenset[str] = frozenset(),
        only_names: frozenset[str] | None = None,
        connect_timeout_s: float = 10.0,
    ) -> None:
        self.policy = policy
        self._names = only_names
        self.on_refused = on_refused
        self.refusals: dict[str, str] = {}  # host:port -> why
        self._resolver = resolver
        self._allowed = allowed_hosts
        self._connect_timeout_s = connect_timeout_s
        self._checked: dict[tuple[str, int], list[str] | EgressRefused] = {}
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the proxy first"
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aenter__(self) -> EgressProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await self._serve(reader, writer)
        except (OSError, h11.ProtocolError, TimeoutError):
            pass  # the browser or the target went away: nothing to answer
        finally:
            self._handlers.discard(task)
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One browser connection: requests in turn (keep-alive) until a tunnel or a close."""
        conn = h11.Connection(h11.SERVER)
        while True:
            event = await _next(conn, reader)
            if not isinstance(event, h11.Request):
                return
            if event.method == b"CONNECT":
                await self._tunnel(conn, event, (reader, writer))
                return
            if not await self._forward(conn, event, (reader, writer)):
                return
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return
            conn.start_next_cycle()

    async def _open(self, url: str, method: str, host: str, port: int) -> Streams:
        """A connection to a checked address of ``host`` (raises _Refused); ``url`` names the
        request in reports (``host:port`` for a tunnel)."""
        if self._allowed and not host_allowed(self._allowed, host, port):
            self._refuse(url, method, host, port, "not an allowed target on this server")
        name = normalise_host(host)
        if self._names is not None and parse_ip(name) is None and name not in self._names:
            raise _Refused(403, f"outside the target's scope: {name} is not looked up")
        key = (name, port)
        if key not in self._checked:
            try:
                self._checked[key] = await resolve_checked(self.policy, host, port, self._resolver)
            except EgressRefused as refused:
                self._checked[key] = refused
            except Exception:  # no answer is not kept: the next connection looks again
                raise _Refused(502, f"{host} does not resolve") from None
        found = self._checked[key]
        if isinstance(found, EgressRefused):
            self._refuse(url, method, host, port, found.reason)
        last: OSError | None = None
        for address in found:
            try:
                async with asyncio.timeout(self._connect_timeout_s):
                    return await asyncio.open_connection(address, port, limit=CHUNK)
            except (OSError, TimeoutError) as err:
                last = err if isinstance(err, OSError) else OSError(f"no answer from {address}")
        raise _Refused(502, f"cannot connect to {host}:{port}: {last}")

    def _refuse(self, url: str, method: str, host: str, port: int, reason: str) -> NoReturn:
        why = f"blocked by the egress proxy: {reason}"
        self.refusals[f"{host}:{port}"] = why
        if self.on_refused is not None:
            self.on_refused(url, method, why)
        raise _Refused(403, why)

    async def _tunnel(self, conn: h11.Connection, request: h11.Request, client: Streams) -> None:
        """``CONNECT host:port``: 200 and bytes both ways, or the refusal."""
        while not isinstance(await _next(conn, client[0]), h11.EndOfMessage):
            pass
        authority = request.target.decode("ascii", "replace")
        parts = urlsplit(f"//{authority}")
        try:
            host, port = parts.hostname or "", parts.port or 443
            upstream = await self._open(authority, "CONNECT", host, port)
        except (_Refused, ValueError) as err:
            await _answer(conn, client[1], *_status(err))
            return
        await _send(conn, client[1], h11.Response(status_code=200, headers=[]))
        data, _closed = conn.trailing_data
        if data:
            upstream[1].write(data)
        try:
            await asyncio.gather(_pipe(client[0], upstream[1]), _pipe(upstream[0], client[1]))
        finally:
            upstream[1].close()

    async def _forward(self, conn: h11.Connection, request: h11.Request, client: Streams) -> bool:
        """An absolute-form request, streamed to the target and its answer streamed back;
        False when the browser connection cannot carry another request."""
        url = request.target.decode("ascii", "replace")
        method = request.method.decode("ascii", "replace")
        try:
            parts = urlsplit(url)
            if parts.scheme != "http" or not parts.hostname:
                raise _Refused(400, f"not a proxy request this proxy serves: {method} {url}")
            upstream = await self._open(url, method, parts.hostname, parts.port or 80)
        except (_Refused, ValueError) as err:
            await _answer(conn, client[1], *_status(err))
            return False
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [(k, v) for k, v in request.headers if k.lower() not in _HOP]
        outgoing = h11.Connection(h11.CLIENT)
        sent = h11.Request(
            method=request.method, target=target, headers=[*headers, (b"connection", b"close")]
        )
        try:
            await _send(outgoing, upstream[1], sent)
            body = asyncio.ensure_future(_relay(conn, client[0], outgoing, upstream[1]))
            try:
                await _relay(outgoing, upstream[0], conn, client[1], response=True)
            finally:
                whole = body.done()  # else the answer came before the whole request
                body.cancel()
                await asyncio.gather(body, return_exceptions=True)
        finally:
            upstream[1].close()
        return whole and not body.cancelled() and body.exception() is None


async def _next(conn: h11.Connection, reader: asyncio.StreamReader) -> object:
    """The next h11 event, reading as much as it needs."""
    while True:
        event = conn.next_event()
        if event is not h11.NEED_DATA:
            return event
        conn.receive_data(await reader.read(CHUNK))


async def _send(conn: h11.Connection, writer: asyncio.StreamWriter, event: h11.Event) -> None:
    data = conn.send(event)
    if data:
        writer.write(data)
        await writer.drain()


async def _relay(
    source: h11.Connection,
    reader: asyncio.StreamReader,
    sink: h11.Connection,
    writer: asyncio.StreamWriter,
    *,
    response: bool = False,
) -> None:
    """Events of one message from ``source`` to ``sink`` as they arrive (a response's head
    without hop-by-hop headers), up to its end."""
    while True:
        event = await _next(source, reader)
        if isinstance(event, h11.InformationalResponse | h11.Response) and response:
            headers = [(k, v) for k, v in event.headers if k.lower() not in _HOP]
            kind = type(event)
            event = kind(status_code=event.status_code, headers=headers, reason=event.reason)
        elif isinstance(event, h11.ConnectionClosed):
            raise ConnectionResetError("the connection closed mid-message")
        assert isinstance(event, h11.Event)
        await _send(sink, writer, event)
        if isinstance(event, h11.EndOfMessage):
            return


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Bytes one way until the end, then half-close (the other way may still talk)."""
    with contextlib.suppress(OSError):
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()


def _status(err: Exception) -> tuple[int, str]:
    if isinstance(err, _Refused):
        return err.status, err.reason
    return 400, f"not a target this proxy can read ({err})"


async def _answer(
    conn: h11.Connection, writer: asyncio.StreamWriter, status: int, why: str
) -> None:
    """A short plain-text answer that says why, then the connection closes."""
    body = (why + "\n").encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await _send(conn, writer, h11.Response(status_code=status, headers=headers))
    await _send(conn, writer, h11.Data(data=body))
    await _send(conn, writer, h11.EndOfMessage())


def proxy_for(
    policy: EgressPolicy,
    *,
    start_url: str,
    widened_scope: bool,
    allowed_hosts: frozenset[str] = frozenset(),
    resolver: Resolver | None = None,
) -> contextlib.AbstractAsyncContextManager[EgressProxy | None]:
    """The proxy a discovery's browser needs: none when the policy lets everything through
    (local mode, where nothing changes). With the default scope only the start page's host
    name is looked up, as ``--host-resolver-rules`` does without a proxy."""
    if policy.permits_all:
        return contextlib.nullcontext(None)
    host = normalise_host(urlsplit(start_url).hostname or "")
    names = None if widened_scope else frozenset({host, "localhost"})
    return EgressProxy(policy, resolver=resolver, allowed_hosts=allowed_hosts, only_names=names)
