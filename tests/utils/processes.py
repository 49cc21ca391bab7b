"""Run loadscout's own command line in a subprocess, as a user would."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.utils.accounts import admin_for, sign_requests_to


def loadscout(*args: str, db: Path, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOADSCOUT_DATABASE_URL": f"sqlite+aiosqlite:///{db}", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "loadscout", *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=env,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(
    folder: Path, *, timeout_s: float = 30, bootstrap_admin: bool = True, **env: str
) -> Iterator[str]:
    """``loadscout serve`` on a free port with a fresh SQLite database in ``folder``.

    With ``bootstrap_admin`` (the default) the test admin exists before it starts and urllib
    requests to it are signed with the admin's token; without, no account exists and the
    server prints its one-time set-up link to the log.

    Yields the base URL once /healthz answers. The server's output goes to
    ``folder/serve.log`` (a pipe nobody reads would fill up and stall the server); it is
    printed at the end so pytest shows it when a test failed.
    """
    port = free_port()
    database_url = f"sqlite+aiosqlite:///{folder / 'loadscout.db'}"
    full_env = {**os.environ, "LOADSCOUT_DATABASE_URL": database_url, **env}
    admin = admin_for(full_env["LOADSCOUT_DATABASE_URL"]) if bootstrap_admin else None
    log = folder / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "loadscout", "serve", "--port", str(port)],
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    if admin is not None:
        sign_requests_to(base, admin.token)
    try:
        _wait_healthy(base, proc, log, timeout_s)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        print(log.read_text())


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"loadscout serve did not start:\n{log.read_text()}")
        time.sleep(0.1)
