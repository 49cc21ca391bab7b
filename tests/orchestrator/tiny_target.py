"""A tiny HTML target on 127.0.0.1 in a thread: fast pages to load, a slow one to hang on.

A thread (not the test's event loop) serves it, so it answers servers in subprocesses and the
orchestrator in the test's own loop alike.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from loadscout.flows.model import Flow, FlowSet, Step

HOME = b"""<!doctype html><html><head><title>tiny</title></head><body>
<a href="/slow">slow</a> <a href="/item">item</a></body></html>"""


@dataclass
class TinyTarget:
    url: str
    hits: Counter[str] = field(default_factory=Counter)

    def flowset(self) -> FlowSet:
        """Two fast GET steps: enough for a real load phase."""
        steps = [Step(name="GET /", url="/"), Step(name="GET /item", url="/item")]
        return FlowSet(target_url=self.url, flows=[Flow(name="browse", steps=steps)])

    def run_body(self, **overrides: Any) -> dict[str, Any]:
        """A POST /api/v1/runs body replaying ``flowset()``: no browser, short, light."""
        body: dict[str, Any] = {
            "target_url": self.url,
            "users": 1,
            "duration_s": 0.3,
            "think_time_min_s": 0.01,
            "think_time_max_s": 0.02,
            "flowset": self.flowset().model_dump(mode="json"),
        }
        return {**body, **overrides}


@contextmanager
def tiny_target(slow_s: float = 3.0) -> Iterator[TinyTarget]:
    target = TinyTarget(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            target.hits[path] += 1
            if path == "/slow":
                time.sleep(slow_s)
            body = HOME if path in ("/", "/slow") else b"<html><body>item</body></html>"
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            """A client that hangs up mid-response (a cancelled run) is expected, not news."""

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    target.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield target
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
