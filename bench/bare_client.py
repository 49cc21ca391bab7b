"""The Python ceiling for the benchmark: an asyncio protocol on uvloop that sends a fixed GET
on each of N kept-alive connections and parses the response with httptools, doing nothing
else (no cookies, checks, extraction, latency records). loadscout's req/CPU-s is judged
against it in the same run (issue 16: at least half of it)."""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import time
from typing import cast
from urllib.parse import urlsplit

import httptools
import uvloop


class _Bare(asyncio.Protocol):
    """One connection: request, whole response, request again, until the deadline."""

    def __init__(self, request: bytes, deadline: float, done: asyncio.Future[None]) -> None:
        self.request = request
        self.deadline = deadline
        self.done = done
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.responses = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        transport = self.transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_message_complete(self) -> None:
        self.responses += 1
        assert self.transport is not None
        if time.monotonic() < self.deadline:
            self.transport.write(self.request)
        else:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(None)


async def main(url: str, connections: int, duration: float) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    request = (
        f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "User-Agent: bare\r\nAccept: */*\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    deadline = time.monotonic() + duration
    finished = []
    conns = []
    for _ in range(connections):
        done: asyncio.Future[None] = loop.create_future()
        made = functools.partial(_Bare, request, deadline, done)
        _, conn = await loop.create_connection(made, host, port)
        conns.append(conn)
        finished.append(done)
    await asyncio.gather(*finished)
    print(json.dumps({"requests": sum(c.responses for c in conns)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, required=True)
    args = parser.parse_args()
    uvloop.run(main(args.url, args.connections, args.duration))
