"""The test helper and serve_demo() start real, independent shops and stop them cleanly."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.utils.demo_server import running_demo


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
    return body.decode()


def test_shops_are_independent_and_stop_cleanly() -> None:
    with running_demo() as one, running_demo() as two:
        assert one.url != two.url
        assert one.url.startswith("http://127.0.0.1:")
        assert one.url.endswith("/")
        fetch(one.url_for("/products/1"))
        assert one.hits == {"GET /products/{id}": 1}
        assert not two.hits
        port = one.port
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", port), timeout=1),
    ):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(url: str, deadline: float) -> None:
    while True:
        try:
            fetch(url)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_serve_demo_in_a_subprocess_reports_hits_over_http() -> None:
    port = _free_port()
    code = f"from loadscout.demo.server import serve_demo; serve_demo(port={port})"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "robots.txt", time.monotonic() + 15)
        fetch(base + "calendar?month=2030-01")
        assert json.loads(fetch(base + "__stats")) == {"GET /robots.txt": 1, "GET /calendar": 1}
        request = urllib.request.Request(base + "__stats/reset", method="POST")
        urllib.request.urlopen(request, timeout=5).close()
        assert json.loads(fetch(base + "__stats")) == {}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
