"""HTTP/1.1 for virtual users: asyncio protocols with the httptools parser (llhttp, Node's).

Why not a client library: every Python client measured spends 5-10x more CPU per request
than the protocol and parser themselves (research/perf-anchors.md), and a load generator's
per-core throughput is exactly that cost. Parsing (chunked, keep-alive, framing) is
httptools'; decompression is zlib's and brotli's; TLS is the standard ssl module's. What is
left here is the browser's share: per-user keep-alive connections (at most 6 per host),
cookies (``cookies.py``), redirects, and one retry of an idempotent request whose reused
connection turned out to be closed.
"""

from __future__ import annotations

import asyncio
import collections
import re
import ssl
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, Protocol, cast
from urllib.parse import quote, urljoin, urlsplit

import httptools

from loadscout.load.client import (
    USER_AGENT,
    FormData,
    HttpResponse,
    TransportError,
    encode_request,
    never_sent,
)
from loadscout.load.cookies import CookieJar
from loadscout.load.deadlines import Deadlines, deadlines_for
from loadscout.load.decoding import decode_body
from loadscout.plan.allowed import host_allowed
from loadscout.plan.egress import EgressPolicy, EgressRefused, Resolver, resolve_checked

MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_Key = tuple[str, str, int]  # scheme, host, port


class RawHeaders(Mapping[str, str]):
    """Response headers as received, read from the response's head only when looked up."""

    __slots__ = ("_d", "_end", "_head")

    def __init__(self, head: bytes, end: int) -> None:
        self._head, self._end = head, end  # the status line and header lines: head[:end]
        self._d: dict[str, str] | None = None

    def _dict(self) -> dict[str, str]:
        if self._d is None:
            lines = header_lines(self._head, self._end)
            self._d = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in lines}
        return self._d

    def __getitem__(self, key: str) -> str:
        if self._d is None:  # one header looked up (a page's Content-Type): its line alone
            found = _one_header(self._head, self._end, key.lower())
            if found is not None:
                return found
        return self._dict()[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


def header_lines(head: bytes, end: int) -> Iterator[tuple[bytes, bytes]]:
    """(name, value) of each header line of ``head[:end]`` (after the status line), with
    folded continuation lines joined to the header they continue."""
    lines = head[:end].split(b"\r\n")
    pending: tuple[bytes, bytes] | None = None
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t") and pending is not None:  # obs-fold (RFC 9112 §5.2)
            pending = (pending[0], pending[1] + b" " + line.strip())
            continue
        if pending is not None:
            yield pending
        name, colon, value = line.partition(b":")
        pending = (name.strip(), value.strip()) if colon else None
    if pending is not None:
        yield pending


_ONE_HEADER: dict[str, re.Pattern[bytes]] = {}


def _one_header(head: bytes, end: int, name: str) -> str | None:
    """The value of header ``name`` (its last line), found without reading the others; None:
    absent, or folded over lines (the full reading decides)."""
    pattern = _ONE_HEADER.get(name)
    if pattern is None:
        if len(_ONE_HEADER) > 100:
            _ONE_HEADER.clear()
        line = rb"\r\n" + re.escape(name.encode("latin-1")) + rb"[ \t]*:([^\r\n]*)"
        pattern = _ONE_HEADER[name] = re.compile(line, re.IGNORECASE)
    found = None
    for match in pattern.finditer(head, 0, end):
        found = match  # the last line wins, as in the full reading
    if found is None or head[found.end() + 2 : found.end() + 3] in (b" ", b"\t"):
        return None
    return found.group(1).strip().decode("latin-1")


# The headers the client itself acts on besides the framing: a response without any of them
# (most) is never read line by line. One search of the head instead of a callback per header.
_ACTED_ON = re.compile(rb"\n(?:set-cookie|location|content-encoding)[ \t]*:", re.IGNORECASE)
_FRAMING = frozenset({b"content-length", b"transfer-encoding"})
# A response body is kept up to this size (by default) for checks and extractors: a virtual
# user reading a 50 MB download must not hold 50 MB (the rest is still read, timed, dropped)
MAX_BODY_KEPT = 1024 * 1024


class Connection(asyncio.Protocol):
    """One keep-alive connection; one request at a time."""

    def __init__(self, owner: H1Client | None = None, keep_max: int = MAX_BODY_KEPT) -> None:
        self.owner = owner
        self.transport: asyncio.Transport | None = None
        self.keep_max = keep_max
        self.parser = httptools.HttpResponseParser(self)
        self.fut: asyncio.Future[None] | None = None
        self.head = b""  # the bytes received up to the end of the response's head
        self.head_end = -1  # where the head's lines end in ``head``
        self.body: list[bytes] = []
        self.kept = 0  # body bytes received (only the first keep_max are kept)
        self.retried = 0  # attempts of its last request lost on another connection first
        self.status = 0
        self.head_only = False
        self.keep = False
        self.closed = False
        self.got_data = False
        self.loop = asyncio.get_running_loop()
        self.sent_ns = 0
        self.first_ns = 0
        self.connect_ns = 0  # set once, for the first response on this connection: TCP
        self.tls_ns = 0  # and the TLS handshake after it (https only)
        # the headers the client itself acts on, read from the head when it holds any
        self.cookies: list[bytes] = []
        self.location: bytes | None = None
        self.encoding: bytes | None = None
        # a request of the callback lane (``H1Client.start``): who takes its answer, and what
        # its coroutine needs if the lane cannot
        self.lane: Receiver | None = None
        self.target: _Target | None = None
        self.data = b""
        self.deadline = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        if not self.got_data:
            self.got_data = True
            self.first_ns = time.perf_counter_ns()
            self.head = data
        elif not self.status:  # a head split over several reads
            self.head += data
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as err:
            self._fail(TransportError("protocol", f"bad HTTP response: {err}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        """A clean close ends a body that has no length or chunking (RFC 9112 §6.3: HTTP/1.0
        style); any other close before the response is complete is a reset."""
        self.closed = True
        if exc is None and self.status and not self.head_only and not self._framed():
            self.keep = False
            if self.lane is not None:
                self._to_lane(None)
                return
            fut, self.fut = self.fut, None
            if fut is not None and not fut.done():
                fut.set_result(None)
            return
        self._fail(exc or ConnectionResetError("the server closed the connection"))

    def _framed(self) -> bool:
        """Whether a length or chunked encoding says where the body ends."""
        lines = header_lines(self.head, self.head_end)
        return any(name.lower() in _FRAMING for name, _ in lines)

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        head = self.head
        end = head.find(b"\r\n\r\n")
        if _ACTED_ON.search(head, 0, end) is not None:  # one search: three times the find's
            for name, value in header_lines(head, end):
                lower = name.lower()
                if lower == b"set-cookie":
                    self.cookies.append(value)
                elif lower == b"location":
                    self.location = value
                elif lower == b"content-encoding":
                    self.encoding = value
        self.head_end = end
        if self.head_only:
            self._done()

    def on_body(self, body: bytes) -> None:
        room = self.keep_max - self.kept
        if room > 0:  # past the limit the bytes are read (and timed) but not kept
            self.body.append(body if len(body) <= room else body[:room])
        self.kept += len(body)

    def on_message_complete(self) -> None:
        if not self.head_only:  # _done(), inlined: once per response
            self.keep = self.parser.should_keep_alive()
            if self.lane is not None:
                self._to_lane(None)
                return
            fut, self.fut = self.fut, None
            if fut is not None and not fut.done():
                fut.set_result(None)

    def send(self, data: bytes, head_only: bool) -> asyncio.Future[None]:
        fut: asyncio.Future[None] = self.loop.create_future()
        self.fut = fut
        self.put(data, head_only)
        return fut

    def put(self, data: bytes, head_only: bool = False) -> None:
        """The request on the wire; its answer goes to ``fut`` or ``lane``."""
        assert self.transport is not None
        self.body = []
        self.kept = 0
        self.got_data = False
        if self.cookies:
            self.cookies = []
        self.location = self.encoding = None
        self.status = 0
        if head_only or self.head_only:  # a HEAD leaves the parser expecting a body: renew
            self.parser = httptools.HttpResponseParser(self)
        self.head_only = head_only
        self.sent_ns = time.perf_counter_ns()
        self.transport.write(data)

    def _done(self) -> None:
        self.keep = self.parser.should_keep_alive()
        fut, self.fut = self.fut, None
        if fut is not None and not fut.done():
            fut.set_result(None)

    def _to_lane(self, exc: BaseException | None) -> None:
        lane, self.lane = self.lane, None
        assert lane is not None and self.owner is not None
        try:
            self.owner._lane_done(self, lane, exc)
        except Exception as bug:  # the user's task fails with it rather than wait forever
            lane.broken(bug)

    def expire(self) -> None:
        """The lane's request timed out (``Deadlines``)."""
        if self.lane is not None:
            self._fail(TimeoutError("no response within the request timeout"))

    def _fail(self, exc: BaseException) -> None:
        if self.lane is not None:
            self._to_lane(exc)
            return
        fut, self.fut = self.fut, None
        if fut is not None and not fut.done():
            fut.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


class Receiver(Protocol):
    """Who a request of the callback lane answers (``load.lane.CallbackLane``)."""

    def answered(self, response: HttpResponse) -> None:
        """Its final response, from the connection's callbacks."""
        ...

    def escalated(self, pending: Pending) -> None:
        """Not a response the lane takes (a redirect, a failure, a timeout): the coroutine
        path finishes it (``H1Client.resume``)."""
        ...

    def broken(self, bug: Exception) -> None:
        """Taking the answer raised: the user's coroutine raises it."""
        ...


class Pending(NamedTuple):
    """A request the lane sent, handed to the coroutine path: ``fut`` holds its outcome."""

    conn: Connection
    fut: asyncio.Future[None]
    target: _Target
    data: bytes
    deadline: float


class H1Client:
    """A virtual user's browser-like session (a ``client.Client``): its own cookie jar and
    connections."""

    def __init__(
        self,
        *,
        timeout_s: float,
        limit_per_host: int = 6,
        verify_tls: bool = True,
        allowed_hosts: frozenset[str] = frozenset(),
        body_kept_bytes: int = MAX_BODY_KEPT,
        resend_dropped: bool = True,
        egress: EgressPolicy | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        """``allowed_hosts`` (host or host:port; empty: any) holds every request to the
        server's allow-list: redirects and URLs filled at replay cannot leave it.
        ``egress`` (default: local, anything) is checked when a host is first connected to:
        its name is looked up once (``resolver``), every answer checked, and connections go to
        those addresses for the client's life (DNS rebinding cannot move them).
        ``body_kept_bytes`` of each response are kept for checks and extractors.
        ``resend_dropped``: an idempotent request whose kept-alive connection dropped before
        any answer is sent once more, as browsers do (each attempt is reported)."""
        self._allowed = allowed_hosts
        self._egress = egress or EgressPolicy.local()
        self._resolver = resolver
        self._pinned: dict[_Key, list[str] | TransportError] = {}  # checked addresses per key
        self._lookups: dict[_Key, asyncio.Future[list[str] | TransportError]] = {}
        self._resend = resend_dropped
        self._body_kept = body_kept_bytes
        self._timeout_s = timeout_s
        self._limit = limit_per_host
        self._verify = verify_tls
        self._idle: dict[_Key, list[Connection]] = {}
        self._busy: dict[_Key, int] = {}
        self._waiters: dict[_Key, collections.deque[asyncio.Future[None]]] = {}
        self._deadlines: Deadlines | None = None  # this loop's; looked up on first use
        self.jar = CookieJar()
        # a GET's bytes with the jar's cookies, by target, while the jar holds the same ones
        self._built: dict[_Target, tuple[int, bytes]] = {}

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
    ) -> Coroutine[Any, Any, HttpResponse]:
        """``Client.send``; the response headers are parsed only when read, so
        ``want_headers`` changes nothing here. A plain function returning the coroutine that
        does the work: one coroutine less per request."""
        if form is not None or json_body is not None:
            try:
                headers, body = encode_request(headers, form, json_body, body)
            except Exception as exc:
                never_sent(exc)
                raise
        return self._send(method, url, headers, body, on_wire)

    async def _send(
        self,
        method: str,
        url: str,
        extra: Mapping[str, str] | None,
        payload: bytes | None,
        on_wire: Callable[[], None] | None,
        sent: Pending | None = None,
    ) -> HttpResponse:
        deadlines = self._deadlines or self._own_deadlines()
        deadline = deadlines.clock() + self._timeout_s if sent is None else sent.deadline
        hops: list[int] = []
        for _ in range(MAX_REDIRECTS + 1):
            # ``sent``: its first request is on the wire already
            target = sent.target if sent is not None else None
            if target is None and not self._allowed:
                target = _TARGETS.get((method, url))
            if target is None:
                target = self._sendable(method, url, hops)
            conn = await self._exchange(
                target, method, extra, payload, deadline, on_wire, hops, sent
            )
            sent = None
            status = conn.status
            if status not in _REDIRECTS or conn.location is None:
                response = _response(conn, url)
                if hops or conn.retried:
                    response.hops, response.retried = tuple(hops), conn.retried
                return response
            hops.append(time.perf_counter_ns())
            url = urljoin(url, conn.location.decode("latin-1"))
            if status in (301, 302, 303) and method != "HEAD":
                method, payload = "GET", None
                if extra:
                    extra = {k: v for k, v in extra.items() if k.lower() != "content-type"}
        raise TransportError(
            "too_many_redirects", f"more than {MAX_REDIRECTS} redirects", tuple(hops[:-1])
        )

    async def _exchange(
        self,
        target: _Target,
        method: str,
        extra: Mapping[str, str] | None,
        payload: bytes | None,
        deadline: float,
        on_wire: Callable[[], None] | None,
        hops: list[int],
        sent: Pending | None = None,
    ) -> Connection:
        """One request and its response on one of this user's connections to the host.

        The hot path of the load engine, kept to one coroutine: the request's bytes are
        built once while nothing they hold changes; a slot is taken without waiting unless
        all of the host's connections are busy; an idempotent request whose kept-alive
        connection turns out closed is sent once more on a new one. ``sent``: the request
        went out already (``start``), on a slot of its own; its outcome is what is awaited.
        """
        key = target.key
        data = (
            sent.data if sent is not None else self._request_bytes(target, method, extra, payload)
        )
        if sent is None:
            busy = self._busy.get(key, 0)
            if busy >= self._limit:
                await self._await_slot(key, deadline)
                busy = self._busy.get(key, 0)
            self._busy[key] = busy + 1
        deadlines = self._deadlines or self._own_deadlines()
        failed = 0  # attempts lost with a dropped kept-alive connection, then sent again
        try:
            idle = self._idle.get(key)
            while True:
                fut = None
                if sent is not None:
                    conn, fut, reused, sent = sent.conn, sent.fut, True, None
                else:
                    while idle and idle[-1].closed:  # the server closed it while it sat idle
                        idle.pop()
                    reused = bool(idle)
                    conn = idle.pop() if idle else await self._connect(key, deadline, failed, hops)
                try:
                    if fut is None:
                        if on_wire is not None:
                            on_wire()
                        fut = conn.send(data, method == "HEAD")
                        deadlines.add(fut, deadline)
                    try:
                        await fut
                    finally:
                        deadlines.discard(fut)
                    break
                except (ConnectionError, OSError) as err:
                    conn.close()
                    if not self._sent_again(err, conn, reused, failed, method):
                        raise
                    failed += 1
                except BaseException:
                    conn.close()
                    raise
        finally:
            self._free(key)
        conn.retried = failed
        self._keep(conn, key, target)
        return conn

    def _free(self, key: _Key) -> None:
        self._busy[key] -= 1
        if self._waiters:
            self._wake(key)

    # the callback lane (``load.lane``): a request sent, and its final response taken, from
    # callbacks; anything else is finished by the coroutine path (``resume``)

    def start(
        self,
        method: str,
        url: str,
        extra: Mapping[str, str] | None,
        payload: bytes | None,
        on_wire: Callable[[], None] | None,
        receiver: Receiver,
    ) -> Connection | None:
        """Sends the request at once on an idle kept-alive connection, its final response to
        go to ``receiver`` from the connection's callbacks. None (nothing sent) when it needs
        the coroutine path: no idle connection, every slot busy, a HEAD, a URL unreadable
        or not allowed, a header the request cannot carry. A URL not seen before is sent
        (a journey's pages mostly are: links followed, forms filled)."""
        if method == "HEAD":
            return None
        target = _TARGETS.get((method, url))
        if target is None:
            try:
                target = _target(method, url)
            except ValueError:  # the coroutine path reports why it cannot be sent
                return None
        if self._allowed and not host_allowed(self._allowed, target.host, target.key[2]):
            return None
        key = target.key
        idle = self._idle.get(key)
        while idle and idle[-1].closed:
            idle.pop()
        busy = self._busy.get(key, 0)
        if not idle or busy >= self._limit:
            return None
        if extra or payload is not None or self.jar.version or method in _WITH_BODY:
            try:
                data = self._request_bytes(target, method, extra, payload)
            except TransportError:
                return None
        else:
            data = target.bare  # nothing added: _request_bytes's common case, without a call
        conn = idle.pop()
        self._busy[key] = busy + 1
        deadlines = self._deadlines or self._own_deadlines()
        conn.deadline = deadline = deadlines.clock() + self._timeout_s
        conn.lane, conn.target, conn.data = receiver, target, data
        try:
            conn.put(data)
        except Exception:  # its transport closed under it (uvloop raises): not sent
            conn.lane = None
            conn.close()
            self._free(key)
            return None
        if on_wire is not None:
            on_wire()
        deadlines.add(conn, deadline)
        return conn

    def _lane_done(self, conn: Connection, lane: Receiver, exc: BaseException | None) -> None:
        """A lane's request answered or failed: a final response goes to the lane, with the
        connection back in the pool; anything else to the coroutine path."""
        target = conn.target
        assert target is not None
        (self._deadlines or self._own_deadlines()).discard(conn)
        if exc is None and (conn.status not in _REDIRECTS or conn.location is None):
            key = target.key
            self._free(key)
            conn.retried = 0
            self._keep(conn, key, target)
            lane.answered(_response(conn, target.url))
            return
        fut: asyncio.Future[None] = conn.loop.create_future()
        if exc is None:
            fut.set_result(None)
        else:
            fut.set_exception(exc)
            # marked retrieved: if the run stops before the coroutine awaits it, the lane
            # reports the request as aborted, and asyncio must not log it as lost
            fut.exception()
        lane.escalated(Pending(conn, fut, target, conn.data, conn.deadline))

    def resume(
        self,
        pending: Pending,
        method: str,
        url: str,
        extra: Mapping[str, str] | None,
        payload: bytes | None,
        on_wire: Callable[[], None] | None,
    ) -> Coroutine[Any, Any, HttpResponse]:
        """The rest of a request the lane sent but could not finish (a redirect to follow, a
        kept-alive connection that dropped, a failure to raise), as ``send`` would."""
        return self._send(method, url, extra, payload, on_wire, pending)

    def abandon(self, conn: Connection) -> None:
        """The run stopped with a lane's request in flight: its connection is dropped."""
        conn.lane = None
        (self._deadlines or self._own_deadlines()).discard(conn)
        conn.close()
        if conn.target is not None:
            self._free(conn.target.key)

    def _sent_again(
        self, err: OSError, conn: Connection, reused: bool, failed: int, method: str
    ) -> bool:
        """Whether a request lost with its connection goes out once more: only when a
        kept-alive connection turned out closed before any answer. A timeout is no closed
        connection (that request may be being served), so it is never sent twice."""
        stale = reused and not conn.got_data and not isinstance(err, TimeoutError)
        err.retried = failed  # type: ignore[attr-defined]  # earlier attempts
        return stale and self._resend and method in _IDEMPOTENT

    def _request_bytes(
        self, target: _Target, method: str, extra: Mapping[str, str] | None, payload: bytes | None
    ) -> bytes:
        if extra or payload is not None or method in _WITH_BODY:
            cookie = self.jar.header(target.host, target.path, target.https)
            return _encode(target.start, cookie, extra, method, payload)
        if self.jar.version:  # the jar has held cookies
            return self._with_cookies(target)
        return target.bare

    def _with_cookies(self, target: _Target) -> bytes:
        """The request's bytes with the jar's ``Cookie`` header, built again only when the
        jar changed or one of its cookies may have expired since."""
        jar = self.jar
        built = self._built.get(target)
        if built is not None and built[0] == jar.version and jar.valid_now():
            return built[1]
        cookie = jar.header(target.host, target.path, target.https)  # may drop expired ones
        data = _encode(target.start, cookie, None, target.method, None) if cookie else target.bare
        if len(self._built) > 256:  # unique URLs: keep it bounded
            self._built.clear()
        self._built[target] = (jar.version, data)
        return data

    def _keep(self, conn: Connection, key: _Key, target: _Target) -> None:
        """Back to the pool if the server keeps it open; its cookies into the jar."""
        if conn.keep and not conn.closed:
            idle = self._idle.get(key)
            if idle is None:
                idle = self._idle[key] = []
            idle.append(conn)
        else:
            conn.close()
        if conn.cookies:
            for cookie_line in conn.cookies:
                self.jar.store(cookie_line.decode("latin-1"), target.host, target.path)

    def _sendable(self, method: str, url: str, hops: list[int]) -> _Target:
        """The URL's target when it may be sent. A refused or unreadable URL is never sent;
        when a redirect led to it, that redirect stands as the failed request."""
        try:
            target = _target(method, url)
        except ValueError as exc:
            if not hops:
                never_sent(exc)
            raise
        _, host, port = target.key
        if not self._allowed or host_allowed(self._allowed, host, port):
            return target
        message = f"{urlsplit(url).netloc} is not an allowed target on this server"
        refused = TransportError("forbidden_target", message, tuple(hops[:-1]))
        if not hops:
            never_sent(refused)
        raise refused

    def _own_deadlines(self) -> Deadlines:
        self._deadlines = deadlines_for()
        return self._deadlines

    async def _connect(
        self, key: _Key, deadline: float, sent_before: int = 0, hops: Sequence[int] = ()
    ) -> Connection:
        """TCP first, then TLS on top (``start_tls``), so each gets its own time. A failure
        is marked never sent, and carries the ``sent_before`` attempts (``retried``) that
        were lost on dropped kept-alive connections first; an address refused after
        redirects (``hops``) makes the last redirect the failure."""
        try:
            return await self._open(key, deadline)
        except TransportError as exc:
            if hops and exc.kind == "forbidden_address":
                raise TransportError(exc.kind, str(exc), tuple(hops[:-1])) from None
            never_sent(exc)
            exc.retried = sent_before  # type: ignore[attr-defined]
            raise
        except BaseException as exc:
            never_sent(exc)
            exc.retried = sent_before  # type: ignore[attr-defined]
            raise

    async def _open(self, key: _Key, deadline: float) -> Connection:
        scheme, host, port = key
        loop = asyncio.get_running_loop()
        began = time.perf_counter_ns()
        addresses = self._pinned.get(key) or await self._lookup(key, deadline)
        if isinstance(addresses, TransportError):
            raise TransportError(addresses.kind, str(addresses))  # a fresh one per request
        conn = await self._dial(addresses, port, deadline)
        tcp_done = time.perf_counter_ns()
        conn.connect_ns = tcp_done - began
        if scheme == "https":
            assert conn.transport is not None
            try:
                upgrading = loop.start_tls(
                    conn.transport, conn, _tls_context(self._verify), server_hostname=host
                )
                tls = await asyncio.wait_for(upgrading, max(0.001, deadline - loop.time()))
            except BaseException:
                conn.close()
                raise
            assert tls is not None
            conn.transport = tls
            conn.tls_ns = time.perf_counter_ns() - tcp_done
        return conn

    async def _lookup(self, key: _Key, deadline: float) -> list[str] | TransportError:
        """One lookup per host however many connections open to it at once; a failed one
        (no answer) is not kept, the next connection looks again."""
        lookup = self._lookups.get(key)
        if lookup is None:
            lookup = self._lookups[key] = asyncio.ensure_future(self._checked(key))
            lookup.add_done_callback(self._looked_up)
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(asyncio.shield(lookup), max(0.001, deadline - loop.time()))

    def _looked_up(self, lookup: asyncio.Future[list[str] | TransportError]) -> None:
        for key, running in list(self._lookups.items()):
            if running is lookup:
                del self._lookups[key]
        if not lookup.cancelled():
            lookup.exception()  # retrieved: whoever waited may have timed out

    async def _checked(self, key: _Key) -> list[str] | TransportError:
        """The key's addresses, looked up and checked once (a refusal is kept too: no lookup
        per request to a refused host)."""
        _, host, port = key
        try:
            found: list[str] | TransportError = await resolve_checked(
                self._egress, host, port, self._resolver
            )
        except EgressRefused as refused:
            found = TransportError("forbidden_address", refused.reason)
        self._pinned[key] = found
        return found

    async def _dial(self, addresses: list[str], port: int, deadline: float) -> Connection:
        """TCP to the first checked address that answers, as ``create_connection`` tries a
        name's addresses in turn."""
        loop = asyncio.get_running_loop()
        keep_max = self._body_kept
        failure: OSError | None = None
        for address in addresses:
            connecting = loop.create_connection(lambda: Connection(self, keep_max), address, port)
            try:
                _, conn = await asyncio.wait_for(connecting, max(0.001, deadline - loop.time()))
            except OSError as err:
                if isinstance(err, TimeoutError):
                    raise
                failure = failure or err
                continue
            return conn
        assert failure is not None
        raise failure

    async def _await_slot(self, key: _Key, deadline: float) -> None:
        """Wait until one of the host's connections is free (at most ``limit_per_host``)."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(key, collections.deque()).append(fut)
        deadlines = self._deadlines or self._own_deadlines()
        deadlines.add(fut, deadline)
        try:
            await fut
        except BaseException as exc:
            never_sent(exc)
            raise
        finally:
            deadlines.discard(fut)

    def _wake(self, key: _Key) -> None:
        """Hand a freed slot to the first request still waiting for one."""
        waiters = self._waiters.get(key)
        while waiters:
            fut = waiters.popleft()
            if not fut.done():
                fut.set_result(None)
                break

    def cookie(self, name: str, url: str | None = None) -> str | None:
        return self.jar.get(name, urlsplit(url).hostname if url else None)

    def cookie_header(self, url: str) -> str | None:
        return jar_header(self.jar, url)

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None:
        """Put a cookie in this user's jar as if ``url``'s host had set it."""
        self.jar.store(f"{name}={value}; Path={path}", urlsplit(url).hostname or "", path)

    async def close(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()


def jar_header(jar: CookieJar, url: str) -> str | None:
    """The ``Cookie`` header ``jar`` gives ``url``; ``ws://`` counts as ``http://``, ``wss://``
    as ``https://`` (a socket's handshake carries the page's cookies)."""
    parts = urlsplit(url)
    return jar.header(parts.hostname or "", parts.path or "/", parts.scheme in ("https", "wss"))


class _Target:
    """What a URL means to the client, worked out once per (method, URL)."""

    __slots__ = ("bare", "host", "https", "key", "method", "path", "start", "url")

    def __init__(self, method: str, url: str) -> None:
        self.method, self.url = method, url
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.key: _Key = (parts.scheme, self.host, parts.port or (443 if self.https else 80))
        self.path = parts.path or "/"
        # as a browser sends it: spaces, quotes, <, > and non-ASCII percent-encoded; what is
        # already encoded (%xx) and the URL's own delimiters left alone
        path = quote(self.path, safe=_PATH_SAFE)
        target = f"{path}?{quote(parts.query, safe=_QUERY_SAFE)}" if parts.query else path
        self.start = (
            f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"User-Agent: {USER_AGENT}\r\nAccept: */*\r\n"
            "Accept-Encoding: gzip, deflate, br\r\n"
        )
        self.bare = (self.start + "\r\n").encode()  # the request when nothing is added


_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_TARGETS: dict[tuple[str, str], _Target] = {}
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def _target(method: str, url: str) -> _Target:
    """Cached: a load test sends the same few URLs millions of times."""
    found = _TARGETS.get((method, url))
    if found is None:
        if len(_TARGETS) > 10_000:  # unique URLs (ids in paths): keep the cache bounded
            _TARGETS.clear()
        found = _TARGETS[(method, url)] = _Target(method, url)
    return found


def _encode(
    start: str,
    cookie: str | None,
    extra: Mapping[str, str] | None,
    method: str,
    payload: bytes | None,
) -> bytes:
    """A request with a cookie, headers or a body added to its fixed first lines."""
    head = [start]
    if cookie:
        head.append(f"Cookie: {cookie}\r\n")
    if extra:
        for name, value in extra.items():
            if "\r" in value or "\n" in value or "\r" in name or "\n" in name or ":" in name:
                # a line break would end this header and start another, chosen by whoever
                # controls the value (an extracted one, say)
                raise TransportError("bad_header", f"header {name!r} holds a line break")
            head.append(f"{name}: {value}\r\n")
    if payload is not None or method in _WITH_BODY:
        head.append(f"Content-Length: {len(payload or b'')}\r\n")
    head.append("\r\n")
    data = "".join(head).encode()
    return data + payload if payload else data


def _response(conn: Connection, url: str) -> HttpResponse:
    chunks = conn.body
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if conn.encoding is not None and body and conn.kept <= conn.keep_max:
        body = decode_body(conn.encoding.decode("latin-1").strip().lower(), body, conn.keep_max)
    connect_ns, conn.connect_ns = conn.connect_ns, 0
    tls_ns, conn.tls_ns = conn.tls_ns, 0
    ttfb_ns = conn.first_ns - conn.sent_ns
    # positional: keywords cost a measurable share here, once per response; the charset is
    # read from the headers when the body is first read as text
    return HttpResponse(
        conn.status,
        url,
        RawHeaders(conn.head, conn.head_end),
        body,
        None,
        ttfb_ns if ttfb_ns > 0 else 0,
        connect_ns,
        tls_ns,
    )


_TLS: dict[bool, ssl.SSLContext] = {}


def _tls_context(verify: bool) -> ssl.SSLContext:
    context = _TLS.get(verify)
    if context is None:
        context = ssl.create_default_context()
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        _TLS[verify] = context
    return context
