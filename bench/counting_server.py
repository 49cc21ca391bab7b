"""A tiny keep-alive HTTP/1.1 server on 127.0.0.1 that counts every request head it receives:
the target's own truth for "total requests = what the server saw". Runs its own event loop in a
thread, so it keeps answering whatever the caller's loop is doing."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

_OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok"


class _Counter(asyncio.Protocol):
    def __init__(self, server: CountingServer) -> None:
        self._server = server
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        heads = self._buffer.count(b"\r\n\r\n")
        if heads:
            self._buffer = self._buffer[self._buffer.rfind(b"\r\n\r\n") + 4 :]
            self._server.requests += heads
            assert self._transport is not None
            self._transport.write(_OK * heads)


class CountingServer:
    """``with CountingServer() as s: ... s.url ... s.requests``."""

    def __init__(self) -> None:
        self.requests = 0
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    def __enter__(self) -> CountingServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        self._server = future.result(10)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def _open(self) -> asyncio.Server:
        return await self._loop.create_server(lambda: _Counter(self), "127.0.0.1", 0)

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()
