"""A misbehaving HTTP/1.1 server on loopback that counts every request it receives.

Raw sockets, so it can do what a framework would not: reset, stall, send garbage, half a body,
broken chunks. The count is taken when a request's head has arrived, before any answer: the
server's own truth of what was sent to it.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import struct
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

_PIECE = b"y" * 65536
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok"
LAST = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
EVERY = 3  # /tired and /flaky misbehave on every 3rd request of a connection


@dataclass
class FaultServer:
    url: str = ""
    received: Counter[str] = field(default_factory=Counter)  # path -> requests received
    connections: int = 0  # connections accepted

    @property
    def total(self) -> int:
        return sum(self.received.values())


async def _answer(path: str, writer: asyncio.StreamWriter) -> bool:
    """Misbehave as ``path`` says; False when the connection is done for."""
    if path == "/ok":
        writer.write(OK)
    elif path == "/reset":  # RST, no answer
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return False
    elif path == "/close":  # a clean close, no answer
        writer.close()
        return False
    elif path == "/stall":
        await asyncio.sleep(5)
        return False
    elif path == "/slow":
        await asyncio.sleep(0.2)
        writer.write(OK)
    elif path == "/garbage":
        writer.write(b"this is not HTTP at all\r\n\r\n")
        writer.close()
        return False
    elif path == "/half":
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 50)
        writer.close()
        return False
    elif path == "/chunks":
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken\r\n")
        writer.close()
        return False
    elif path == "/loop":
        writer.write(b"HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n")
    elif path in ("/huge", "/huge50"):
        size = (6 if path == "/huge" else 50) * 1024 * 1024
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
        for _ in range(size // len(_PIECE)):
            writer.write(_PIECE)
            await writer.drain()
    else:
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()
    return True


async def _wear_out(path: str, writer: asyncio.StreamWriter, nth: int) -> bool:
    """``/tired`` and ``/flaky`` answer as ``/ok`` but for every EVERY-th request of a
    connection (``nth``), after which the connection closes: ``/tired``'s answer says
    ``Connection: close``, ``/flaky``'s never comes (a kept-alive connection dropped)."""
    if nth % EVERY:
        writer.write(OK)
    elif path == "/tired":
        writer.write(LAST)
    await writer.drain()
    return nth % EVERY != 0


@asynccontextmanager
async def running_fault_server() -> AsyncIterator[FaultServer]:
    state = FaultServer()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        try:
            for nth in itertools.count(1):
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1").split("?")[0]
                state.received[path] += 1
                worn = path in ("/tired", "/flaky")
                if not await (_wear_out(path, writer, nth) if worn else _answer(path, writer)):
                    return
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            return
        finally:
            if not writer.is_closing():
                writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    state.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield state
    finally:
        server.close()
        await server.wait_closed()
