"""RunRepository on SQLite and PostgreSQL: lifecycle, paging, flows and results, deletion."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from loadscout.metrics.summary import StepSummary
from loadscout.status import RunStatus
from loadscout.store.records import RunNotFound
from loadscout.store.runs import RunRepository
from loadscout.store.tables import Base, FlowRow, MetricsSummaryRow, RunEventRow, StepRow, TestRun
from tests.store.conftest import StepClock
from tests.utils.factories import make_flowset, make_run_summary

OPTIONS = {"profile": {"kind": "constant", "users": 5}, "think_time": [0.5, 1.5], "workers": None}


async def _create(repo: RunRepository, url: str = "http://127.0.0.1:8001/") -> int:
    run = await repo.create(target_url=url, users=5, duration_s=30.0, options=OPTIONS)
    return run.id


async def _count(engine: AsyncEngine, table: type[Base], run_id: int | None = None) -> int:
    query = select(func.count()).select_from(table)
    if run_id is not None:
        query = query.where(table.__table__.c.run_id == run_id)
    async with engine.connect() as conn:
        return (await conn.execute(query)).scalar_one()


async def test_create_queues_a_run_and_logs_an_event(repo: RunRepository) -> None:
    run = await repo.create(
        target_url="http://127.0.0.1:8001/", users=5, duration_s=30.0, options=OPTIONS
    )

    assert run.status == "queued"
    assert (run.users, run.duration_s, run.options) == (5, 30.0, OPTIONS)
    assert run.started_at is None
    assert run.finished_at is None
    assert run.requests is None
    assert await repo.get(run.id) == run
    events = await repo.events(run.id)
    assert [(e.run_id, e.status, e.at) for e in events] == [(run.id, "queued", run.created_at)]


async def test_unknown_run_reads_none_and_writes_raise(repo: RunRepository) -> None:
    assert await repo.get(404) is None
    assert await repo.get_flows(404) is None
    assert await repo.get_result(404) is None
    assert await repo.events(404) == []
    assert await repo.delete(404) is False
    with pytest.raises(RunNotFound, match="run 404 does not exist"):
        await repo.set_status(404, "loading")
    with pytest.raises(RunNotFound):
        await repo.save_flows(404, make_flowset())
    with pytest.raises(RunNotFound):
        await repo.save_result(404, make_run_summary())


async def test_status_changes_stamp_start_finish_and_log_events(
    repo: RunRepository, clock: StepClock
) -> None:
    run_id = await _create(repo)
    await repo.set_status(run_id, "discovering")
    started = clock.now
    await repo.set_status(run_id, "loading")
    await repo.set_status(run_id, "failed", reason="target returned 503 for every request")
    finished = clock.now

    run = await repo.get(run_id)
    assert run is not None
    assert run.status == "failed"
    assert run.started_at == started
    assert run.finished_at == finished
    assert run.reason == "target returned 503 for every request"
    events = await repo.events(run_id)
    assert [e.status for e in events] == ["queued", "discovering", "loading", "failed"]
    assert [e.reason for e in events][-1] == "target returned 503 for every request"
    assert [e.at for e in events] == sorted(e.at for e in events)


async def test_a_final_status_never_changes_again(repo: RunRepository) -> None:
    """The queue may end a run (lease expired) while its server still runs it: the server's
    later "completed" must not flip the stored "failed"."""
    run_id = await _create(repo)
    assert await repo.set_status(run_id, RunStatus.LOADING)
    assert await repo.set_status(run_id, RunStatus.FAILED, reason="interrupted")
    assert not await repo.set_status(run_id, RunStatus.COMPLETED)
    run = await repo.get(run_id)
    assert run is not None and (run.status, run.reason) == ("failed", "interrupted")
    assert [e.status for e in await repo.events(run_id)][-1] == "failed"


async def test_timestamps_come_back_timezone_aware_utc(
    repo: RunRepository, clock: StepClock
) -> None:
    run_id = await _create(repo)
    created = clock.now  # the clock reads UTC+02:00
    await repo.set_status(run_id, "cancelled")

    run = await repo.get(run_id)
    assert run is not None
    for stamp in (
        run.created_at,
        run.started_at,
        run.finished_at,
        *[e.at for e in await repo.events(run_id)],
    ):
        assert stamp is not None
        assert stamp.utcoffset() == timedelta(0)
        assert stamp.tzinfo == UTC
    assert run.created_at == created
    assert run.created_at.hour == created.hour - 2


async def test_list_pages_newest_first_with_total_and_status_filter(
    repo: RunRepository,
) -> None:
    ids = [await _create(repo, f"http://127.0.0.1:8001/{i}") for i in range(7)]
    for run_id in ids[::2]:
        await repo.set_status(run_id, "loading")

    first, total = await repo.list(limit=3)
    second, _ = await repo.list(limit=3, offset=3)
    last, _ = await repo.list(limit=3, offset=6)
    assert total == 7
    assert [r.id for r in first + second + last] == ids[::-1]
    assert await repo.list(limit=3, offset=7) == ([], 7)

    loading, loading_total = await repo.list(status="loading", limit=2)
    assert loading_total == 4
    assert [r.id for r in loading] == [ids[6], ids[4]]
    assert all(r.status == "loading" for r in loading)
    assert await repo.list(status="completed") == ([], 0)
    with pytest.raises(ValueError, match="limit and offset"):
        await repo.list(limit=-1)


async def test_flows_round_trip_and_replace(repo: RunRepository, engine: AsyncEngine) -> None:
    run_id = await _create(repo)
    flowset = make_flowset()
    await repo.save_flows(run_id, flowset)

    assert await repo.get_flows(run_id) == flowset
    async with engine.connect() as conn:
        flows = (
            await conn.execute(
                select(FlowRow.id, FlowRow.name, FlowRow.weight, FlowRow.position)
                .where(FlowRow.run_id == run_id)
                .order_by(FlowRow.position)
            )
        ).all()
        steps = (
            await conn.execute(
                select(StepRow.method, StepRow.url, StepRow.definition)
                .where(StepRow.flow_id == flows[1].id)
                .order_by(StepRow.position)
            )
        ).all()
    assert [(f.name, f.weight, f.position) for f in flows] == [("browse", 3.0, 0), ("buy", 1.0, 1)]
    assert [(s.method, s.url) for s in steps] == [
        ("GET", "/product/3"),
        ("POST", "/cart"),
        ("POST", "/api/cart/items"),
    ]
    assert steps[2].definition["json_body"] == {"product": 3, "qty": [1, 2], "note": None}

    smaller = make_flowset(flows=flowset.flows[:1], discovery=None)
    await repo.save_flows(run_id, smaller)
    assert await repo.get_flows(run_id) == smaller
    assert await _count(engine, FlowRow, run_id) == 1
    assert await _count(engine, StepRow) == 2


async def test_result_round_trip_fills_summary_columns_and_step_rows(
    repo: RunRepository, engine: AsyncEngine
) -> None:
    run_id = await _create(repo)
    summary = make_run_summary(run_id=str(run_id))
    await repo.save_result(run_id, summary)

    stored = await repo.get_result(run_id)
    assert stored == summary
    assert stored is not None
    assert stored.started_at is not None
    assert stored.started_at.tzinfo is not None
    run = await repo.get(run_id)
    assert run is not None
    assert (run.requests, run.errors, run.error_rate, run.rps, run.p95_ms) == (
        1000,
        12,
        0.012,
        16.5,
        9.0,
    )
    assert run.verdict == "thresholds_failed"  # stored with the run, for the list's badge
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(MetricsSummaryRow)
                .where(MetricsSummaryRow.run_id == run_id)
                .order_by(MetricsSummaryRow.id)
            )
        ).all()
    assert [(r.flow, r.step, r.method, r.requests, r.errors) for r in rows] == [
        ("browse", "GET /", "GET", 600, 0),
        ("buy", "POST /cart", "POST", 400, 12),
    ]
    assert [(r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms, r.mean_ms) for r in rows][1] == (
        3.0,
        12.0,
        24.25,
        80.0,
        5.0,
    )

    await repo.save_result(run_id, make_run_summary(steps=[]))
    assert await _count(engine, MetricsSummaryRow, run_id) == 0


async def test_a_step_without_responses_stores_null_latency(
    repo: RunRepository, engine: AsyncEngine
) -> None:
    run_id = await _create(repo)
    never = StepSummary(flow="f", name="s", method="GET", url="/", requests=3, errors=3)
    await repo.save_result(run_id, make_run_summary(steps=[never]))
    async with engine.connect() as conn:
        row = (
            await conn.execute(select(MetricsSummaryRow).where(MetricsSummaryRow.run_id == run_id))
        ).one()
    assert (row.p50_ms, row.p95_ms, row.max_ms, row.mean_ms) == (None, None, None, None)
    stored = await repo.get_result(run_id)
    assert stored is not None and stored.steps[0].latency_ms.p95 is None


async def test_delete_removes_the_run_and_everything_about_it(
    repo: RunRepository, engine: AsyncEngine
) -> None:
    keep, doomed = await _create(repo), await _create(repo)
    for run_id in (keep, doomed):
        await repo.set_status(run_id, "loading")
        await repo.save_flows(run_id, make_flowset())
        await repo.save_result(run_id, make_run_summary())
    assert await _count(engine, StepRow) == 10

    assert await repo.delete(doomed) is True

    assert await repo.get(doomed) is None
    assert await repo.delete(doomed) is False
    for table in (RunEventRow, FlowRow, MetricsSummaryRow):
        assert await _count(engine, table, doomed) == 0
        assert await _count(engine, table, keep) > 0
    assert await _count(engine, StepRow) == 5
    assert await _count(engine, TestRun) == 1
    assert await repo.get_flows(keep) == make_flowset()


async def test_foreign_keys_are_enforced(repo: RunRepository, engine: AsyncEngine) -> None:
    """Cascades depend on the database enforcing foreign keys (SQLite needs a PRAGMA for it)."""
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO run_events (run_id, at, status, reason) VALUES (:r, :at, 'x', '')"
                ),
                {"r": 12345, "at": datetime(2026, 1, 1, tzinfo=UTC)},
            )


async def test_concurrent_writers_queue_instead_of_failing(repo: RunRepository) -> None:
    """The server writes from many tasks at once; on SQLite a deferred BEGIN would fail here."""
    ids = [await _create(repo) for _ in range(8)]

    async def lifecycle(run_id: int) -> None:
        await repo.set_status(run_id, "discovering")
        await repo.save_flows(run_id, make_flowset())
        await repo.set_status(run_id, "loading")
        await repo.save_result(run_id, make_run_summary(run_id=str(run_id)))
        await repo.set_status(run_id, "completed")

    await asyncio.gather(*(lifecycle(run_id) for run_id in ids))

    runs, total = await repo.list(status="completed")
    assert total == 8
    assert all(r.requests == 1000 for r in runs)
    for run_id in ids:
        statuses = [e.status for e in await repo.events(run_id)]
        assert statuses == ["queued", "discovering", "loading", "completed"]
