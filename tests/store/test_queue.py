"""RunQueue on SQLite and PostgreSQL: claims, leases, cancel requests, orphan recovery."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from loadscout.errors import IllegalTransition
from loadscout.status import RunStatus
from loadscout.store.database import make_session_factory, write_session
from loadscout.store.queue import INTERRUPTED, STARTING, CancelOutcome, RunQueue, finish
from loadscout.store.runs import RunRepository
from loadscout.store.tables import TestRun
from tests.store.conftest import StepClock
from tests.utils.factories import make_flowset


async def _queue_of(engine: AsyncEngine, clock: StepClock) -> RunQueue:
    return RunQueue(make_session_factory(engine), clock=clock)


async def _create(repo: RunRepository) -> int:
    run = await repo.create(
        target_url="http://127.0.0.1:8001/", users=1, duration_s=1.0, options={}
    )
    return run.id


async def test_claims_go_oldest_first_and_only_once(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    queue = await _queue_of(engine, clock)
    ids = [await _create(repo) for _ in range(3)]

    first = await queue.claim("a", lease_s=60)
    second = await queue.claim("b", lease_s=60)
    third = await queue.claim("a", lease_s=60)

    assert [r.id for r in (first, second, third) if r] == ids
    assert await queue.claim("b", lease_s=60) is None
    reasons = [e.reason for e in await repo.events(ids[1])]
    assert reasons == ["", "claimed by b (claim 1)"]


async def test_concurrent_claims_never_share_a_run(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    ids = [await _create(repo) for _ in range(12)]
    queues = [RunQueue(make_session_factory(engine), clock=clock) for _ in range(4)]

    async def drain(queue: RunQueue, worker: str) -> list[int]:
        got = []
        while (record := await queue.claim(worker, lease_s=60)) is not None:
            got.append(record.id)
        return got

    results = await asyncio.gather(*(drain(q, f"w{i}") for i, q in enumerate(queues)))
    claimed = [run_id for got in results for run_id in got]
    assert sorted(claimed) == ids
    assert len(set(claimed)) == len(claimed)


async def test_expired_lease_of_a_queued_run_lets_another_server_claim_it(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    queue = await _queue_of(engine, clock)
    run_id = await _create(repo)
    assert await queue.claim("a", lease_s=5)
    assert await queue.claim("b", lease_s=5) is None
    clock.now += timedelta(seconds=10)
    again = await queue.claim("b", lease_s=5)
    assert again is not None and again.id == run_id


async def test_heartbeat_keeps_runs_alive_and_orphans_are_interrupted(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    queue = await _queue_of(engine, clock)
    alive, dead = await _create(repo), await _create(repo)
    await queue.claim("alive", lease_s=5)
    await queue.claim("dead", lease_s=5)
    for run_id in (alive, dead):
        await repo.set_status(run_id, "loading")
    clock.now += timedelta(seconds=4)
    await queue.heartbeat("alive", lease_s=30)
    clock.now += timedelta(seconds=4)

    assert await queue.recover_orphans() == [dead]

    lost = await repo.get(dead)
    assert lost is not None and (lost.status, lost.reason) == ("failed", INTERRUPTED)
    assert lost.finished_at is not None
    kept = await repo.get(alive)
    assert kept is not None and kept.status == "loading"
    assert (await repo.events(dead))[-1].reason == INTERRUPTED
    assert await queue.recover_orphans() == []


async def test_cancel_a_waiting_run_at_once_and_flag_a_running_one(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    queue = await _queue_of(engine, clock)
    waiting, running = await _create(repo), await _create(repo)
    claimed = await queue.claim("w", lease_s=60)
    assert claimed is not None and claimed.id == waiting
    await repo.set_status(waiting, "loading")

    assert await queue.request_cancel(running) is CancelOutcome.CANCELLED
    assert await queue.request_cancel(waiting) is CancelOutcome.REQUESTED
    assert await queue.heartbeat("w", lease_s=60) == {waiting}
    assert await queue.heartbeat("other", lease_s=60) == set()
    assert await queue.request_cancel(running) is CancelOutcome.FINISHED
    assert await queue.request_cancel(999) is CancelOutcome.MISSING
    cancelled = await repo.get(running)
    assert cancelled is not None and cancelled.status == "cancelled"
    assert await queue.claim("w", lease_s=60) is None


async def test_flows_can_be_edited_only_while_queued(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    queue = await _queue_of(engine, clock)
    run_id = await _create(repo)
    flows = make_flowset()

    assert await queue.edit_flows(run_id, flows) is RunStatus.QUEUED
    assert await repo.get_flows(run_id) == flows
    await queue.claim("w", lease_s=60)
    assert await queue.edit_flows(run_id, flows) == STARTING
    await repo.set_status(run_id, RunStatus.LOADING)
    assert await queue.edit_flows(run_id, flows) is RunStatus.LOADING
    assert await queue.edit_flows(999, flows) is None


async def test_a_run_can_be_interrupted_by_its_holder_name_before_the_lease_ends(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    queue = await _queue_of(engine, clock)
    run_id, other = await _create(repo), await _create(repo)
    await queue.claim("dead-server", lease_s=600)
    await queue.claim("live-server", lease_s=600)
    for i in (run_id, other):
        await repo.set_status(i, "loading")

    assert await queue.holders() == {run_id: "dead-server", other: "live-server"}
    assert await queue.interrupt(run_id, "someone-else") is False
    assert await queue.interrupt(run_id, "dead-server") is True
    record = await repo.get(run_id)
    assert record is not None and (record.status, record.reason) == ("failed", INTERRUPTED)
    assert await queue.holders() == {other: "live-server"}


async def test_the_queue_ends_runs_through_the_transition_table(
    repo: RunRepository, engine: AsyncEngine, clock: StepClock
) -> None:
    """An ended run cannot be ended again: the move is refused and nothing is written."""
    run_id = await _create(repo)
    await repo.set_status(run_id, RunStatus.LOADING)
    await repo.set_status(run_id, RunStatus.COMPLETED)
    sessions = make_session_factory(engine)

    async def cancel_again() -> None:
        async with write_session(sessions) as session:
            run = await session.get(TestRun, run_id)
            assert run is not None
            finish(session, run, clock(), RunStatus.CANCELLED, "too late")

    with pytest.raises(IllegalTransition, match="from completed to cancelled"):
        await cancel_again()
    record = await repo.get(run_id)
    assert record is not None and record.status is RunStatus.COMPLETED
    assert [e.status for e in await repo.events(run_id)][-1] is RunStatus.COMPLETED


async def test_records_carry_the_status_enum(repo: RunRepository) -> None:
    run_id = await _create(repo)
    record = await repo.get(run_id)
    assert record is not None and record.status is RunStatus.QUEUED
    assert [e.status for e in await repo.events(run_id)] == [RunStatus.QUEUED]
    assert await repo.count_by_status() == {RunStatus.QUEUED: 1}
