"""RunControl over a real database (SQLite and PostgreSQL) and a real local target."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import pytest

from loadscout.orchestrator.control import RunControl, holder_is_dead, submitted_options
from loadscout.orchestrator.limits import Limits, OptionRejected
from loadscout.orchestrator.options import RunOptions
from loadscout.store.series import SeriesRepository
from tests.orchestrator.conftest import MakeControl
from tests.orchestrator.tiny_target import TinyTarget
from tests.utils.waiting import eventually

FINAL = ("completed", "failed", "cancelled")


async def _wait(control: RunControl, run_id: int, statuses: tuple[str, ...], timeout_s: float = 30):
    repo = control._repo
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        record = await repo.get(run_id)
        assert record is not None
        if record.status in statuses:
            return record
        await asyncio.sleep(0.02)
    raise AssertionError(f"run {run_id} still {record.status} after {timeout_s} s")


async def test_twenty_runs_two_at_a_time_complete_in_order_none_twice(
    make_control: MakeControl, tiny: TinyTarget
) -> None:
    control = await make_control(max_concurrent=2)
    body = tiny.run_body(duration_s=0.2)
    records = [await control.submit(RunOptions.from_document(body)) for _ in range(20)]
    ids = [r.id for r in records]

    finals = [await _wait(control, run_id, FINAL, timeout_s=120) for run_id in ids]

    assert [r.status for r in finals] == ["completed"] * 20, [r.reason for r in finals]
    assert all(r.requests and r.requests > 0 for r in finals)
    claims, spans = [], []
    for run_id in ids:
        events = await control._repo.events(run_id)
        claimed = [e for e in events if e.reason.startswith("claimed by")]
        loading = [e for e in events if e.status == "loading"]
        assert len(claimed) == 1 and len(loading) == 1, events
        claims.append((claimed[0].at, run_id))
        spans.append((loading[0].at, events[-1].at))
    assert [run_id for _, run_id in sorted(claims)] == ids
    most = max(sum(1 for s, e in spans if s <= at < e) for at, _ in spans)
    assert most <= 2


async def test_cancel_stops_a_loading_run_within_two_seconds_keeping_results(
    make_control: MakeControl, tiny: TinyTarget, database_url: str
) -> None:
    control = await make_control()
    record = await control.submit(RunOptions.from_document(tiny.run_body(duration_s=60)))
    await _wait(control, record.id, ("loading",))

    async def series_written() -> bool:
        return bool(await control._series.since(record.id))

    await eventually(series_written, what="one second of load in the stored series")

    asked = time.monotonic()
    await control.cancel(record.id)
    final = await _wait(control, record.id, FINAL, timeout_s=10)
    took = time.monotonic() - asked

    assert final.status == "cancelled" and final.reason == "cancelled by user"
    assert took < 2.0
    assert final.requests is not None and final.requests > 0
    summary = await control._repo.get_result(record.id)
    assert summary is not None and summary.timeseries
    assert len(await control._series.since(record.id)) == len(summary.timeseries)


async def test_a_queued_run_is_cancelled_before_it_starts(
    make_control: MakeControl, tiny: TinyTarget
) -> None:
    control = await make_control(max_concurrent=1)
    busy = await control.submit(RunOptions.from_document(tiny.run_body(duration_s=60)))
    waiting = await control.submit(RunOptions.from_document(tiny.run_body()))
    await _wait(control, busy.id, ("loading",))

    await control.cancel(waiting.id)
    record = await control._repo.get(waiting.id)
    assert record is not None and record.status == "cancelled"
    assert record.reason == "cancelled before it started"
    await control.cancel(busy.id)
    await _wait(control, busy.id, FINAL)


async def test_series_is_written_during_the_load(
    make_control: MakeControl, tiny: TinyTarget
) -> None:
    control = await make_control()
    record = await control.submit(RunOptions.from_document(tiny.run_body(duration_s=60)))
    await _wait(control, record.id, ("loading",))
    series: SeriesRepository = control._series
    for _ in range(100):  # up to 10 s
        if live := await series.since(record.id):
            break
        await asyncio.sleep(0.1)
    # the live point is the first complete second of the load clock, with its own numbers
    assert live and live[0].t == 0 and live[0].rps > 0 and live[0].p99_ms is not None
    assert (await control._repo.get(record.id)).status == "loading"  # type: ignore[union-attr]
    await control.cancel(record.id)
    await _wait(control, record.id, FINAL)


@pytest.mark.parametrize(
    ("limits", "body", "field"),
    [
        (Limits(max_users_per_run=5), {"users": 6}, "users"),
        (Limits(max_duration_s=1), {"duration_s": 2}, "duration_s"),
        (Limits(allowed_targets=frozenset({"localhost"})), {}, "target_url"),
        (Limits(), {"data_file": "/etc/passwd"}, "data_file"),
    ],
)
async def test_limits_are_checked_before_queueing(
    make_control: MakeControl,
    tiny: TinyTarget,
    limits: Limits,
    body: dict[str, object],
    field: str,
) -> None:
    control = await make_control(limits=limits)
    with pytest.raises(OptionRejected) as err:
        await control.submit(RunOptions.from_document(tiny.run_body(**body)))
    assert err.value.field == field
    assert (await control._repo.list())[1] == 0


async def test_allowed_targets_cover_absolute_step_urls(tiny: TinyTarget) -> None:
    host = tiny.url.split("/")[2]
    limits = Limits(allowed_targets=Limits.parse_targets(f" {host} , other"))
    options = RunOptions.from_document(tiny.run_body())
    limits.check(options)
    flows = tiny.flowset().model_dump(mode="json")
    flows["flows"][0]["steps"][0]["url"] = "http://10.1.2.3/x"
    with pytest.raises(OptionRejected, match=r"10\.1\.2\.3"):
        limits.check(RunOptions.from_document(tiny.run_body(flowset=flows)))


async def test_secrets_reach_the_executing_server_and_are_dropped_at_the_end(
    make_control: MakeControl, tiny: TinyTarget
) -> None:
    """A password lives in the memory of the server that queued the run, never in the
    database (a cleared column would linger in its journal)."""
    options = RunOptions.from_document(tiny.run_body(username="ann", password="s3cret"))
    submitted = submitted_options(options)
    assert "password" not in submitted
    assert "max_pages" not in submitted  # unset fields stay unset

    control = await make_control()
    record = await control.submit(options)
    assert record.options["password"] == "**********"  # what the API shows
    assert "password" not in (await control._repo.get_submitted(record.id) or {})
    assert control._secrets[record.id] == {"password": "s3cret"}
    await _wait(control, record.id, FINAL)
    assert await control._repo.get_submitted(record.id) is None
    assert record.id not in control._secrets  # dropped with the run


def test_holder_is_dead_only_for_a_vanished_process_on_this_machine() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host = socket.gethostname()
    assert holder_is_dead(f"{host}:{gone.pid}:abc123")
    assert holder_is_dead(f"process:{host}:{gone.pid}")
    assert not holder_is_dead(f"{host}:{os.getpid()}:abc123")
    assert not holder_is_dead(f"another-{host}:{gone.pid}:abc123")
    assert not holder_is_dead("nonsense")
