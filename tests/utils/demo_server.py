"""Run the demo shop on 127.0.0.1 in a background thread, for tests that need a real target."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from loadscout.demo.app import create_demo_app


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoServer:
    """A running shop: ``url`` is the base URL (trailing slash), ``hits`` its request counter."""

    url: str
    app: FastAPI

    @property
    def hits(self) -> Counter[str]:
        hits: Counter[str] = self.app.state.hits
        return hits

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].rstrip("/"))

    def url_for(self, path: str) -> str:
        """Absolute URL of ``path`` (``"/products/1"`` or ``"products/1"``)."""
        return self.url + path.lstrip("/")

    def reset_hits(self) -> None:
        self.hits.clear()


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def running_demo(app: FastAPI | None = None, *, timeout_s: float = 10.0) -> Iterator[DemoServer]:
    """Start ``app`` (default: a fresh shop), yield once it accepts connections, stop on exit."""
    app = app if app is not None else create_demo_app()
    sock = _listening_socket()
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, ws="websockets-sansio", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout_s
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the demo shop did not start; see the log above")
            time.sleep(0.005)
        host, port = sock.getsockname()[:2]
        yield DemoServer(url=f"http://{host}:{port}/", app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=timeout_s)
        sock.close()
