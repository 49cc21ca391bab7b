"""How fast the run list answers: ``GET /api/v1/runs?limit=50`` over 10,000 stored runs.

Seeds a fresh database (SQLite by default, or ``--database-url postgresql+asyncpg://...``) with
finished runs, starts ``loadscout serve`` on 127.0.0.1, then times sequential requests over one
keep-alive connection and prints p50/p95/p99 per query. The bar (issue 5): p95 < 50 ms.

    .venv/bin/python -m bench.api_list_runs [--runs 10000] [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from loadscout.store.database import make_engine, upgrade
from loadscout.store.tables import TestRun

STATUSES = ["completed"] * 8 + ["failed", "cancelled"]
QUERIES = [
    "/api/v1/runs?limit=50",
    "/api/v1/runs?limit=50&offset=5000",
    "/api/v1/runs?limit=50&status=failed",
    "/api/v1/runs?limit=50&target=shop-7",
    "/api/v1/runs?limit=50&sort=-p95_ms",
]


def _row(i: int, start: datetime, rng: random.Random) -> dict[str, object]:
    created = start + timedelta(seconds=37 * i)
    users = rng.choice([5, 10, 50, 200])
    return {
        "target_url": f"http://shop-{i % 20}.test/",
        "status": rng.choice(STATUSES),
        "users": users,
        "duration_s": 60.0,
        "options": {"target_url": f"http://shop-{i % 20}.test/", "users": users, "duration_s": 60},
        "created_at": created,
        "started_at": created + timedelta(seconds=1),
        "finished_at": created + timedelta(seconds=75),
        "reason": "",
        "requests": rng.randint(1_000, 90_000),
        "errors": rng.randint(0, 50),
        "error_rate": rng.random() / 100,
        "rps": rng.uniform(50, 1500),
        "p95_ms": rng.uniform(5, 400),
    }


async def seed(database_url: str, runs: int) -> None:
    await upgrade(database_url)
    engine = make_engine(database_url)
    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        async with engine.begin() as conn:
            for chunk in range(0, runs, 1000):
                rows = [_row(i, start, rng) for i in range(chunk, min(runs, chunk + 1000))]
                await conn.execute(insert(TestRun), rows)
    finally:
        await engine.dispose()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def measure(port: int, path: str, requests: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    for i in range(requests + 10):
        began = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}: {body[:200]!r}")
        if i >= 10:  # the first few warm caches and the connection
            timings.append((time.perf_counter() - began) * 1000)
    conn.close()
    return timings


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        began = time.perf_counter()
        asyncio.run(seed(url, args.runs))
        print(
            f"seeded {args.runs} runs in {time.perf_counter() - began:.1f} s ({url.split(':')[0]})"
        )
        port = _free_port()
        env = {**os.environ, "LOADSCOUT_DATABASE_URL": url}
        server = subprocess.Popen(
            [sys.executable, "-m", "loadscout", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_ready(port)
            print(f"{'query':45} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for path in QUERIES:
                t = measure(port, path, args.requests)
                print(f"{path:45} {pct(t, 50):8.2f} {pct(t, 95):8.2f} {pct(t, 99):8.2f}")
        finally:
            server.terminate()
            server.wait(timeout=20)


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("loadscout serve did not become ready")


if __name__ == "__main__":
    main()
