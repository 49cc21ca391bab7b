"""HTTP for virtual users on libcurl's multi interface (pycurl), driven by the event loop.

Why libcurl: it keeps full browser-like semantics (cookies, redirects, gzip/br, TLS,
keep-alive) in C, so a request costs a few Python calls instead of a stack of coroutines;
measured at several times aiohttp's requests per CPU-second (docs in bench/README.md).

One :class:`CurlEngine` per event loop owns a ``CurlMulti`` and a pool of easy handles that
any user may borrow for one transfer. Each user (:class:`CurlClient`) owns a ``CurlShare``
holding its cookie jar and its connection cache, so users never share cookies or
connections; a user has at most as many connections to a host as transfers in flight (one,
or up to six when fetching page assets).
"""

from __future__ import annotations

import asyncio
import errno
import time
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

import pycurl

from loadscout.load.cookies import CookieJar
from loadscout.load.h1_client import jar_header
from loadscout.load.http_client import USER_AGENT, ClientBase, HttpResponse, Outgoing

_KINDS = {
    pycurl.E_COULDNT_RESOLVE_HOST: "dns",
    pycurl.E_COULDNT_RESOLVE_PROXY: "dns",
    pycurl.E_OPERATION_TIMEDOUT: "timeout",
    pycurl.E_GOT_NOTHING: "connection_reset",
    pycurl.E_SEND_ERROR: "connection_reset",
    pycurl.E_RECV_ERROR: "connection_reset",
    pycurl.E_PARTIAL_FILE: "connection_reset",
    pycurl.E_TOO_MANY_REDIRECTS: "too_many_redirects",
    pycurl.E_BAD_CONTENT_ENCODING: "bad_encoding",
    8: "protocol",  # CURLE_WEIRD_SERVER_REPLY
}
_TLS = frozenset({35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98})
_HEAD = {"HEAD"}


class TransportError(Exception):
    """A request got no response; ``kind`` is the error class reports group by."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _error_kind(code: int, os_errno: int) -> str:
    if code == pycurl.E_COULDNT_CONNECT:
        if os_errno in (errno.ECONNRESET, errno.EPIPE):
            return "connection_reset"
        return "connection_refused" if os_errno in (0, errno.ECONNREFUSED) else "connect_failed"
    if code in _TLS:
        return "tls"
    return _KINDS.get(code, "other")


class CIHeaders(Mapping[str, str]):
    """Response headers, looked up case-insensitively (the last value of a repeated one)."""

    def __init__(self, lines: list[bytes]) -> None:
        self._h: dict[str, str] = {}
        for raw in lines:
            name, sep, value = raw.decode("latin-1").partition(":")
            if sep:
                self._h[name.strip().lower()] = value.strip()

    def __getitem__(self, key: str) -> str:
        return self._h[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._h)

    def __len__(self) -> int:
        return len(self._h)


class Handle:
    """A pooled easy handle and what the engine tracks about it."""

    __slots__ = ("curl", "fut", "plain", "share")

    def __init__(self) -> None:
        self.curl = pycurl.Curl()
        self.fut: asyncio.Future[None] | None = None
        self.plain = False  # options are those of a plain GET
        self.share: pycurl.CurlShare | None = None


class CurlEngine:
    """Drives every transfer of one event loop through one ``CurlMulti``."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop or asyncio.get_running_loop()
        self._multi = pycurl.CurlMulti()
        self._multi.setopt(pycurl.M_SOCKETFUNCTION, self._on_socket)
        self._multi.setopt(pycurl.M_TIMERFUNCTION, self._on_timer)
        self._timer: asyncio.Handle | None = None
        self._fds: dict[int, int] = {}
        self._free: list[Handle] = []
        self._active: dict[pycurl.Curl, Handle] = {}
        self._closed = False

    def handle(self) -> Handle:
        """An easy handle from the pool (or a new one)."""
        return self._free.pop() if self._free else Handle()

    def release(self, h: Handle) -> None:
        h.fut = None
        self._free.append(h)

    def detach(self, share: pycurl.CurlShare) -> None:
        """Unhook pooled handles from a user's share so it can be freed."""
        for h in self._free:
            if h.share is share:
                h.curl.unsetopt(pycurl.SHARE)
                h.share = None
                h.plain = False

    def start(self, h: Handle) -> asyncio.Future[None]:
        fut: asyncio.Future[None] = self._loop.create_future()
        h.fut = fut
        self._active[h.curl] = h
        self._multi.add_handle(h.curl)
        return fut

    def abort(self, h: Handle) -> None:
        """Stop a transfer whose waiter went away (the run is stopping)."""
        if self._active.pop(h.curl, None) is not None:
            self._multi.remove_handle(h.curl)
        h.fut = None
        h.plain = False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
        for fd in list(self._fds):
            self._loop.remove_reader(fd)
            self._loop.remove_writer(fd)
        self._fds.clear()
        self._multi.close()
        for h in self._free:
            h.curl.close()
        self._free.clear()

    def _on_socket(self, what: int, fd: int, multi: object, data: object) -> None:
        loop = self._loop
        old = self._fds.get(fd, 0)
        new = 0 if what == pycurl.POLL_REMOVE else what
        if old & 1 and not new & 1:
            loop.remove_reader(fd)
        elif new & 1 and not old & 1:
            loop.add_reader(fd, self._act, fd, pycurl.CSELECT_IN)
        if old & 2 and not new & 2:
            loop.remove_writer(fd)
        elif new & 2 and not old & 2:
            loop.add_writer(fd, self._act, fd, pycurl.CSELECT_OUT)
        if new:
            self._fds[fd] = new
        else:
            self._fds.pop(fd, None)

    def _on_timer(self, timeout_ms: int) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if timeout_ms == 0:
            self._timer = self._loop.call_soon(self._on_timeout)
        elif timeout_ms > 0:
            self._timer = self._loop.call_later(timeout_ms / 1000.0, self._on_timeout)

    def _on_timeout(self) -> None:
        self._timer = None
        self._act(pycurl.SOCKET_TIMEOUT, 0)

    def _act(self, fd: int, events: int) -> None:
        if self._closed:
            return
        multi = self._multi
        while multi.socket_action(fd, events)[0] == pycurl.E_CALL_MULTI_PERFORM:
            pass
        while True:
            queued, ok, failed = multi.info_read()
            for c in ok:
                self._finish(c, None)
            for c, code, message in failed:
                self._finish(c, TransportError(_error_kind(code, c.getinfo(pycurl.OS_ERRNO)),
                                               f"curl {code}: {message}"))  # fmt: skip
            if not queued:
                break

    def _finish(self, c: pycurl.Curl, error: TransportError | None) -> None:
        self._multi.remove_handle(c)
        h = self._active.pop(c, None)
        fut = None if h is None else h.fut
        if fut is None or fut.done():
            return
        if error is None:
            fut.set_result(None)
        else:
            fut.set_exception(error)


class CurlClient(ClientBase):
    """A virtual user's browser-like session: its own cookie jar and connections."""

    def __init__(self, engine: CurlEngine, *, timeout_s: float, verify_tls: bool = True) -> None:
        self._engine = engine
        self._timeout_ms = max(1, int(timeout_s * 1000))
        self._verify = verify_tls
        self._share = pycurl.CurlShare()
        self._share.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_COOKIE)
        self._share.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_CONNECT)
        self._share.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_DNS)
        self._share.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_SSL_SESSION)

    def _prepare(self, h: Handle, plain: bool) -> None:
        """Options every transfer needs; a handle last used for a plain GET keeps them.

        ``reset`` keeps the share (libcurl documents it), so a handle is re-pointed only when
        it last served another user.
        """
        c = h.curl
        if h.share is not self._share:
            if h.share is not None:
                c.unsetopt(pycurl.SHARE)
            c.setopt(pycurl.SHARE, self._share)
            h.share = self._share
        if h.plain and plain:
            return
        c.reset()
        c.setopt(pycurl.COOKIEFILE, "")  # cookie engine on; the jar lives in the share
        c.setopt(pycurl.FOLLOWLOCATION, 1)
        c.setopt(pycurl.MAXREDIRS, 10)
        c.setopt(pycurl.ACCEPT_ENCODING, "")  # every encoding libcurl decodes (gzip, br, ...)
        c.setopt(pycurl.NOSIGNAL, 1)
        c.setopt(pycurl.TIMEOUT_MS, self._timeout_ms)
        c.setopt(pycurl.USERAGENT, USER_AGENT)
        if not self._verify:
            c.setopt(pycurl.SSL_VERIFYPEER, 0)
            c.setopt(pycurl.SSL_VERIFYHOST, 0)
        h.plain = plain

    async def _send(self, request: Outgoing) -> HttpResponse:
        """Raises :class:`TransportError` when no response arrived."""
        engine = self._engine
        h = engine.handle()
        c = h.curl
        plain = request.method == "GET" and not request.headers and not request.want_headers
        self._prepare(h, plain)
        c.setopt(pycurl.URL, request.url)
        chunks: list[bytes] = []
        c.setopt(pycurl.WRITEFUNCTION, chunks.append)
        head: list[bytes] | None = None
        if not plain:
            head = self._configure(c, request)
        fut = engine.start(h)
        try:
            await fut
        except asyncio.CancelledError:
            engine.abort(h)
            engine.release(h)
            raise
        except TransportError:
            engine.release(h)
            raise
        connect_ns = tls_ns = 0
        if c.getinfo(pycurl.NUM_CONNECTS):  # else a kept-alive connection: nothing to time
            tcp = c.getinfo(pycurl.CONNECT_TIME)
            connect_ns = _ns(tcp)
            tls_ns = _ns(c.getinfo(pycurl.APPCONNECT_TIME) - tcp)  # 0 for plain http
        response = HttpResponse(
            status=c.getinfo(pycurl.RESPONSE_CODE),
            url=c.getinfo(pycurl.EFFECTIVE_URL),
            headers=CIHeaders(head) if head is not None else _NO_HEADERS,
            body=b"".join(chunks),
            charset=_charset(c.getinfo(pycurl.CONTENT_TYPE)),
            ttfb_ns=_ns(c.getinfo(pycurl.STARTTRANSFER_TIME) - c.getinfo(pycurl.PRETRANSFER_TIME)),
            connect_ns=connect_ns,
            tls_ns=tls_ns,
        )  # fmt: skip
        engine.release(h)
        return response

    def _configure(self, c: pycurl.Curl, request: Outgoing) -> list[bytes] | None:
        method, payload = request.method, request.payload
        lines = [f"{k}: {v}" for k, v in (request.headers or {}).items()]
        if lines:
            c.setopt(pycurl.HTTPHEADER, lines)
        if method in _HEAD:
            c.setopt(pycurl.NOBODY, 1)
        elif method == "POST":
            c.setopt(pycurl.POSTFIELDS, payload or b"")
        elif method != "GET":
            c.setopt(pycurl.CUSTOMREQUEST, method)
            if payload is not None:
                c.setopt(pycurl.POSTFIELDS, payload)
        if not request.want_headers:
            return None
        head: list[bytes] = []

        def on_header(line: bytes) -> None:
            if line.startswith(b"HTTP/"):
                head.clear()  # a redirect's headers are not the final response's
            else:
                head.append(line)

        c.setopt(pycurl.HEADERFUNCTION, on_header)
        return head

    def _jar(self) -> CookieJar:
        """A copy of the share's cookies (libcurl lists them as Netscape cookie-file lines),
        matched to a URL by the same :class:`CookieJar` rules as ``H1Client``."""
        h = self._engine.handle()
        try:
            self._prepare(h, plain=False)
            lines: list[str] = h.curl.getinfo(pycurl.INFO_COOKIELIST)
        finally:
            self._engine.release(h)
        jar = CookieJar()
        for line in lines:
            _keep(jar, line.split("\t"))
        return jar

    def cookie(self, name: str, url: str | None = None) -> str | None:
        """The value of cookie ``name`` in this user's jar (preferring ``url``'s host)."""
        return self._jar().get(name, urlsplit(url).hostname if url else None)

    def cookie_header(self, url: str) -> str | None:
        """The ``Cookie`` header for ``url`` (a stream step's, which is not libcurl's transfer)."""
        return jar_header(self._jar(), url)

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None:
        """Put a cookie in this user's jar (the share's) as if ``url``'s host had set it."""
        host = urlsplit(url).hostname or ""
        h = self._engine.handle()
        try:
            self._prepare(h, plain=False)
            h.curl.setopt(pycurl.COOKIELIST, f"{host}\tFALSE\t{path}\tFALSE\t0\t{name}\t{value}")
        finally:
            self._engine.release(h)

    async def close(self) -> None:
        self._engine.detach(self._share)
        self._share.close()


_NO_HEADERS = CIHeaders([])


def _keep(jar: CookieJar, fields: list[str]) -> None:
    """Store one Netscape line (domain, subdomains, path, secure, expires, name, value)."""
    if len(fields) < 7:
        return
    domain = fields[0].removeprefix("#HttpOnly_").lstrip(".")
    attrs = [f"{fields[5]}={fields[6]}", f"Path={fields[2]}"]
    if fields[1] == "TRUE":
        attrs.append(f"Domain={domain}")
    if fields[3] == "TRUE":
        attrs.append("Secure")
    expires = int(fields[4]) if fields[4].isdigit() else 0
    if expires:  # 0: a session cookie
        attrs.append(f"Max-Age={expires - int(time.time())}")
    jar.store("; ".join(attrs), domain, fields[2])


def _ns(seconds: float) -> int:
    return max(0, int(seconds * 1e9))


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip('"') or None
    return None
