"""The run queue in the database: servers claim queued runs under a lease and keep it alive.

A claim is one transaction. On PostgreSQL it selects with ``FOR UPDATE SKIP LOCKED``, so two
servers polling at once never take the same run; on SQLite the write transaction begins with
``BEGIN IMMEDIATE`` (see ``database.write_session``), which serialises claims outright.
A server renews the lease of its runs with a heartbeat; a run whose lease ran out while it was
discovering or loading lost its server (a crash, ``kill -9``) and is failed as ``interrupted``.
Lease times use the servers' clocks, so servers sharing a database must keep their clocks in sync.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loadscout.flows.model import FlowSet
from loadscout.status import FINAL_STATUSES, RUNNING_STATUSES, RunStatus, transition
from loadscout.store.database import write_session
from loadscout.store.records import RunRecord
from loadscout.store.repository import Repository
from loadscout.store.runs import to_record, write_flows
from loadscout.store.tables import RunEventRow, TestRun

INTERRUPTED = "interrupted"
# A queued run a server has claimed but not yet moved: too late to edit its flows.
STARTING: Literal["starting"] = "starting"


class CancelOutcome(StrEnum):
    MISSING = "missing"
    FINISHED = "finished"  # already final: nothing to cancel
    CANCELLED = RunStatus.CANCELLED.value  # was waiting in the queue: cancelled on the spot
    REQUESTED = "requested"  # a server runs it: it stops at its next heartbeat


class RunQueue(Repository):
    """Claim, heartbeat, cancel requests and orphan recovery over the ``test_runs`` table."""

    async def claim(self, worker: str, *, lease_s: float) -> RunRecord | None:
        """Take the oldest queued run nobody holds (or whose holder's lease ran out)."""
        now = self._clock()
        claimable = and_(
            TestRun.status == RunStatus.QUEUED,
            TestRun.cancel_requested.is_(False),
            or_(TestRun.claimed_by.is_(None), TestRun.lease_expires_at < now),
        )
        query = (
            select(TestRun)
            .where(claimable)
            .order_by(TestRun.created_at, TestRun.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        async with write_session(self._sessions) as session:
            run = await session.scalar(query)
            if run is None:
                return None
            run.claimed_by = worker
            run.lease_expires_at = now + timedelta(seconds=lease_s)
            run.attempts += 1
            # read the clock again: the run may have been created after ``now`` was taken
            # (while this claim waited), or by a server whose clock is ahead; its history
            # must not show the claim before the creation
            claimed_at = max(self._clock(), run.created_at)
            session.add(
                RunEventRow(
                    run_id=run.id,
                    at=claimed_at,
                    status=RunStatus.QUEUED,
                    reason=f"claimed by {worker} (claim {run.attempts})",
                )
            )
            return to_record(run)

    async def heartbeat(self, worker: str, *, lease_s: float) -> set[int]:
        """Renew the leases of the worker's unfinished runs; return those asked to cancel."""
        now = self._clock()
        mine = and_(TestRun.claimed_by == worker, TestRun.status.not_in(FINAL_STATUSES))
        async with write_session(self._sessions) as session:
            await session.execute(
                update(TestRun)
                .where(mine)
                .values(lease_expires_at=now + timedelta(seconds=lease_s))
                .execution_options(synchronize_session=False)
            )
            wanted = await session.scalars(
                select(TestRun.id).where(mine, TestRun.cancel_requested.is_(True))
            )
            return set(wanted.all())

    async def request_cancel(self, run_id: int) -> CancelOutcome:
        """Cancel a waiting run at once, or flag a running one for its server to stop."""
        now = self._clock()
        async with write_session(self._sessions) as session:
            run = await session.get(TestRun, run_id, with_for_update=True)
            if run is None:
                return CancelOutcome.MISSING
            if RunStatus(run.status).is_final:
                return CancelOutcome.FINISHED
            run.cancel_requested = True
            held = run.claimed_by is not None and (
                run.lease_expires_at is None or run.lease_expires_at >= now
            )
            if run.status == RunStatus.QUEUED and not held:
                finish(session, run, now, RunStatus.CANCELLED, "cancelled before it started")
                return CancelOutcome.CANCELLED
            return CancelOutcome.REQUESTED

    async def edit_flows(
        self, run_id: int, flowset: FlowSet
    ) -> RunStatus | Literal["starting"] | None:
        """Replace the flows of a run that has not started; returns the run's status (the edit
        happened only if it is still queued), ``STARTING`` if a server has just claimed it, or
        None for an unknown run."""
        now = self._clock()
        async with write_session(self._sessions) as session:
            run = await session.get(TestRun, run_id, with_for_update=True)
            if run is None:
                return None
            held = run.claimed_by is not None and (
                run.lease_expires_at is not None and run.lease_expires_at >= now
            )
            if run.status != RunStatus.QUEUED or held:
                return RunStatus(run.status) if run.status != RunStatus.QUEUED else STARTING
            await write_flows(session, run, flowset)
            session.add(
                RunEventRow(run_id=run_id, at=now, status=RunStatus.QUEUED, reason="flows edited")
            )
            return RunStatus.QUEUED

    async def recover_orphans(self) -> list[int]:
        """Fail runs whose server vanished mid-run (lease expired) as ``interrupted``."""
        now = self._clock()
        expired = and_(TestRun.claimed_by.is_not(None), TestRun.lease_expires_at < now)
        return await self._interrupt(expired, now)

    async def holders(self) -> dict[int, str]:
        """Runs in progress (discovering or loading) and who holds each."""
        query = select(TestRun.id, TestRun.claimed_by).where(
            TestRun.status.in_(RUNNING_STATUSES), TestRun.claimed_by.is_not(None)
        )
        async with self._sessions() as session:
            return {run_id: str(holder) for run_id, holder in (await session.execute(query))}

    async def interrupt(self, run_id: int, holder: str) -> bool:
        """Fail a run in progress as ``interrupted`` if ``holder`` still holds it (its process is
        known to be dead: no need to wait for the lease to run out)."""
        held = and_(TestRun.id == run_id, TestRun.claimed_by == holder)
        return bool(await self._interrupt(held, self._clock()))

    async def _interrupt(self, condition: ColumnElement[bool], now: datetime) -> list[int]:
        lost = (
            select(TestRun)
            .where(TestRun.status.in_(RUNNING_STATUSES), condition)
            .with_for_update(skip_locked=True)
        )
        async with write_session(self._sessions) as session:
            runs = (await session.scalars(lost)).all()
            for run in runs:
                finish(session, run, now, RunStatus.FAILED, INTERRUPTED)
            return [run.id for run in runs]


def finish(
    session: AsyncSession, run: TestRun, now: datetime, status: RunStatus, reason: str
) -> None:
    """End a run the queue owns (cancelled while waiting, or lost with its server), through the
    transition table like every other status change."""
    run.status = transition(RunStatus(run.status), status)
    run.reason = reason
    run.finished_at = now
    run.submitted = None
    session.add(RunEventRow(run_id=run.id, at=now, status=status, reason=reason))
