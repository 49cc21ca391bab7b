"""StoreObserver outside a server (``loadscout run``) holds its run's lease, so a server can
tell when that process died; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from loadscout.orchestrator.recording import StoreObserver
from loadscout.status import RunStatus
from loadscout.store.database import make_engine, make_session_factory, upgrade
from loadscout.store.queue import INTERRUPTED, RunQueue
from loadscout.store.runs import RunRepository


async def test_a_run_whose_process_died_is_interrupted_and_a_live_one_is_not(
    database_url: str,
) -> None:
    await upgrade(database_url)
    engine = make_engine(database_url)
    try:
        sessions = make_session_factory(engine)
        repo, queue = RunRepository(sessions), RunQueue(sessions)
        ids = [
            (
                await repo.create(
                    target_url="http://127.0.0.1:1/", users=1, duration_s=1, options={}
                )
            ).id
            for _ in range(3)
        ]
        alive, dying, done = (StoreObserver(repo, i, own_lease_s=0.6) for i in ids)
        for observer in (alive, dying, done):
            await observer.on_status(RunStatus.LOADING, "")
        await done.on_status(RunStatus.COMPLETED, "")

        await asyncio.sleep(1.0)  # longer than the lease: only renewals keep runs alive
        assert await queue.recover_orphans() == []

        await dying._release()  # what kill -9 does to the renewals
        await asyncio.sleep(1.0)
        assert await queue.recover_orphans() == [ids[1]]
        lost = await repo.get(ids[1])
        assert lost is not None and (lost.status, lost.reason) == ("failed", INTERRUPTED)
        for run_id, status in ((ids[0], "loading"), (ids[2], "completed")):
            record = await repo.get(run_id)
            assert record is not None and record.status == status
        await alive.on_status(RunStatus.CANCELLED, "")
    finally:
        await engine.dispose()
