"""The service keeps every run: kill -9 recovery, and two servers sharing one PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import BACKENDS
from tests.api.serve import Served, call, fresh_database, serving, start_serve
from tests.orchestrator.tiny_target import TinyTarget

FINAL = ("completed", "failed", "cancelled")


def _series(served: Served, run_id: int) -> list[dict[str, Any]]:
    status, metrics = call("GET", f"{served.api}/runs/{run_id}/metrics")
    assert status == 200
    return list(metrics["data"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_mid_load_then_restart_marks_the_run_interrupted_keeping_metrics(
    backend: str, tiny: TinyTarget, tmp_path: Path
) -> None:
    with fresh_database(backend, tmp_path) as url:
        # A long lease: the restarted server must see that the holder's process is gone,
        # not wait for its lease to run out.
        first = start_serve(url, tmp_path, LOADSCOUT_LEASE_S="60")
        try:
            status, run = call("POST", f"{first.api}/runs", tiny.run_body(duration_s=120))
            assert status == 201
            first.wait_for(run["id"], ("loading",))
            written: list[dict[str, Any]] = []
            for _ in range(100):  # up to 10 s, until two batches of seconds are stored
                written = _series(first, run["id"])
                if len(written) >= 2:
                    break
                time.sleep(0.1)
            assert len(written) >= 2
        finally:
            first.kill9()

        with serving(url, tmp_path, LOADSCOUT_LEASE_S="60") as second:
            _, done = call("GET", f"{second.api}/runs/{run['id']}")  # failed before it was ready
            assert (done["status"], done["reason"]) == ("failed", "interrupted")
            assert done["finished_at"] is not None
            kept = _series(second, run["id"])
            assert kept[: len(written)] == written
            _, events = call("GET", f"{second.api}/runs/{run['id']}/events")
            assert events["data"][-1]["reason"] == "interrupted"
            for stuck in ("discovering", "loading"):
                assert call("GET", f"{second.api}/runs?status={stuck}")[1]["count"] == 0


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_share_the_queue_and_never_run_a_run_twice(
    tiny: TinyTarget, tmp_path: Path
) -> None:
    with (
        fresh_database("postgres", tmp_path) as url,
        serving(url, tmp_path, LOADSCOUT_MAX_CONCURRENT_RUNS="2") as a,
        serving(url, tmp_path, LOADSCOUT_MAX_CONCURRENT_RUNS="2") as b,
    ):
        ids = []
        for i in range(12):
            server = (a, b)[i % 2]
            status, run = call("POST", f"{server.api}/runs", tiny.run_body(duration_s=0.3))
            assert status == 201
            ids.append(run["id"])
        workers = []
        for run_id in ids:
            done = a.wait_for(run_id, FINAL, timeout_s=90)
            assert done["status"] == "completed", done["reason"]
            _, events = call("GET", f"{b.api}/runs/{run_id}/events")
            claims = [e["reason"] for e in events["data"] if e["reason"].startswith("claimed")]
            loads = [e for e in events["data"] if e["status"] == "loading"]
            assert len(claims) == 1 and len(loads) == 1, events
            workers.append(claims[0].split()[2])
        assert len(set(workers)) == 2, workers  # both servers took work

        # A cancel sent to the other server reaches the run through the database.
        status, run = call("POST", f"{a.api}/runs", tiny.run_body(duration_s=60))
        a.wait_for(run["id"], ("loading",))
        _, events = call("GET", f"{a.api}/runs/{run['id']}/events")
        owner_pid = int(
            next(e for e in events["data"] if e["reason"].startswith("claimed"))["reason"].split(
                ":"
            )[1]
        )
        owner, other = (a, b) if owner_pid == a.proc.pid else (b, a)
        for _ in range(100):  # until the load has sent something (up to 10 s)
            live = call("GET", f"{owner.api}/runs/{run['id']}")[1]["live"]
            if live and live["requests"] > 0:
                break
            time.sleep(0.1)
        asked = time.monotonic()
        assert call("POST", f"{other.api}/runs/{run['id']}/cancel")[0] == 200
        done = other.wait_for(run["id"], FINAL, timeout_s=10)
        assert done["status"] == "cancelled" and done["requests"] > 0
        assert time.monotonic() - asked < 3.5  # a heartbeat (1 s) + the 2 s cancel bound
