"""Run ``loadscout serve`` in a subprocess on 127.0.0.1 and talk to it over real HTTP."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from tests.utils.accounts import ANONYMOUS, admin_for, sign_requests_to
from tests.utils.processes import free_port

PG_ADMIN = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
# What every test server gets: a short lease (fast recovery), quick polling, small limits.
TEST_ENV = {
    "LOADSCOUT_LEASE_S": "2",
    "LOADSCOUT_QUEUE_POLL_S": "0.1",
    "LOADSCOUT_SERIES_FLUSH_S": "0.5",
    "LOADSCOUT_MAX_USERS_PER_RUN": "50",
    "LOADSCOUT_ALLOWED_TARGETS": "127.0.0.1",
    "LOADSCOUT_LOAD_WORKERS": "0",  # users inside the server: no process start per run
}


def call(
    method: str,
    url: str,
    body: Any = None,
    timeout_s: float = 30,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """A JSON request as the server's admin (its token), or as ``token`` ("" for nobody)."""
    data = json.dumps(body).encode() if body is not None else None
    sent = {"content-type": "application/json", **(headers or {})}
    if token == "":
        sent[ANONYMOUS] = "1"
    elif token is not None:
        sent["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            raw = resp.read()
            ctype = resp.headers.get("content-type", "")
            return resp.status, json.loads(raw) if raw and "json" in ctype else raw.decode()
    except urllib.error.HTTPError as err:
        raw = err.read()
        return err.code, json.loads(raw) if raw else None


@dataclass
class Served:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path
    token: str = ""  # an instance admin's API token (``Authorization: Bearer``)

    @property
    def api(self) -> str:
        return f"{self.base}/api/v1"

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def wait_for(self, run_id: int, statuses: tuple[str, ...], timeout_s: float = 60) -> Any:
        deadline = time.monotonic() + timeout_s
        run: Any = None
        while time.monotonic() < deadline:
            _, run = call("GET", f"{self.api}/runs/{run_id}")
            if run["status"] in statuses:
                return run
            time.sleep(0.05)
        raise AssertionError(f"run {run_id} is {run and run['status']}, not in {statuses}")


def start_serve(
    database_url: str, folder: Path, *, bootstrap_admin: bool = True, **env: str
) -> Served:
    """Start a server and wait until it is ready (so orphans are already recovered); with
    ``bootstrap_admin``, after making its database's test admin and token."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    token = admin_for(database_url).token if bootstrap_admin else ""
    full_env = {
        **os.environ,
        **TEST_ENV,
        "LOADSCOUT_DATABASE_URL": database_url,
        "LOADSCOUT_ARTIFACTS_DIR": str(folder / "artifacts"),
        **env,
    }
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "loadscout", "serve", "--port", str(port)],
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(base=f"http://127.0.0.1:{port}", proc=proc, log=log, token=token)
    if token:
        sign_requests_to(served.base, token)
    deadline = time.monotonic() + 60
    while True:
        try:
            if call("GET", f"{served.base}/readyz", timeout_s=5)[0] == 200:
                return served
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            served.stop()
            raise RuntimeError(f"serve did not start: {log.read_text()}")
        time.sleep(0.1)


@contextmanager
def serving(database_url: str, folder: Path, **env: str) -> Iterator[Served]:
    served = start_serve(database_url, folder, **env)
    try:
        yield served
    finally:
        served.stop()


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file, or a PostgreSQL database of our own."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / f'l-{secrets.token_hex(3)}.db'}"
        return
    name = f"loadscout_api_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield f"postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
