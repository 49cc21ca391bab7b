"""The run repository: everything the orchestrator and the API store about a load test.

Each method is one short transaction. Reads return frozen records (never live ORM objects), so
callers cannot trigger lazy loads or hold sessions open.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from loadscout.flows.model import FlowSet
from loadscout.flows.secrets import redact_secrets
from loadscout.metrics.summary import RunSummary
from loadscout.status import FINAL_STATUSES, RunStatus
from loadscout.store import audit
from loadscout.store.account_records import Quotas
from loadscout.store.database import write_session
from loadscout.store.quotas import reserve
from loadscout.store.records import RunEvent, RunNotFound, RunRecord
from loadscout.store.repository import Repository
from loadscout.store.tables import (
    AuditRow,
    FlowRow,
    MetricsSummaryRow,
    RunEventRow,
    StepRow,
    TestRun,
)

SORTABLE = frozenset(
    {"created_at", "started_at", "finished_at", "status", "target_url", "users", "requests"}
    | {"error_rate", "rps", "p95_ms", "id"}
)


log = logging.getLogger(__name__)


class RunRepository(Repository):
    """Runs, their status history, flows and results."""

    async def create(
        self,
        *,
        target_url: str,
        users: int,
        duration_s: float,
        options: dict[str, Any],
        flowset: FlowSet | None = None,
        submitted: dict[str, Any] | None = None,
        owner: RunOwner | None = None,
    ) -> RunRecord:
        """A new run, queued, with its first event (and its flows, when given: in
        the same transaction, so no server can claim the run before its flows are there).

        With an ``owner`` the run is its team's: the team's count quotas are checked and the
        audit event written in the same transaction (QuotaExceeded when over)."""
        now = self._clock()
        async with write_session(self._sessions) as session:
            if owner is not None:
                await reserve(session, owner.team_id, owner.quotas, now)
            run = TestRun(
                target_url=target_url,
                status=RunStatus.QUEUED,
                users=users,
                duration_s=duration_s,
                options=options,
                created_at=now,
                reason="",
                submitted=submitted,
            )
            if owner is not None:
                run.team_id, run.created_by = owner.team_id, owner.label
            session.add(run)
            await session.flush()
            session.add(RunEventRow(run_id=run.id, at=now, status=RunStatus.QUEUED, reason=""))
            if owner is not None:
                session.add(owner.audit_row(run, now))
            if flowset is not None:
                await write_flows(session, run, flowset)
            return to_record(run)

    async def set_status(self, run_id: int, status: RunStatus, *, reason: str = "") -> bool:
        """Record a status change the pipeline has already checked with ``transition()``;
        False (and nothing written) when the stored run is already final: the queue may have
        ended it (an expired lease) while this server still ran it, and a final status never
        changes again.

        The first move out of the queue stamps ``started_at``; a final status stamps
        ``finished_at``. A non-empty ``reason`` also becomes the run's current reason.
        """
        now = self._clock()
        async with write_session(self._sessions) as session:
            run = await _locked_run(session, run_id)
            if RunStatus(run.status).is_final:
                log.warning("run %s is already %s: not moving it to %s", run_id, run.status, status)
                return False
            run.status = status
            if status != RunStatus.QUEUED and run.started_at is None:
                run.started_at = now
            if status in FINAL_STATUSES:
                run.finished_at = now
                run.submitted = None
            if reason:
                run.reason = reason
            session.add(RunEventRow(run_id=run_id, at=now, status=status, reason=reason))
        return True

    async def hold(self, run_id: int, worker: str, *, lease_s: float) -> None:
        """Take or renew the lease of one unfinished run executed outside a server (by
        ``loadscout run``), so a server can tell when that process died (store/queue.py)."""
        now = self._clock()
        async with write_session(self._sessions) as session:
            await session.execute(
                update(TestRun)
                .where(TestRun.id == run_id, TestRun.status.not_in(FINAL_STATUSES))
                .values(claimed_by=worker, lease_expires_at=now + timedelta(seconds=lease_s))
                .execution_options(synchronize_session=False)
            )

    async def save_flows(self, run_id: int, flowset: FlowSet) -> None:
        """Store the run's FlowSet, replacing any saved before (discovery may run again)."""
        async with write_session(self._sessions) as session:
            await write_flows(session, await _locked_run(session, run_id), flowset)

    async def get_flows(self, run_id: int) -> FlowSet | None:
        async with self._sessions() as session:
            document = await session.scalar(select(TestRun.flowset).where(TestRun.id == run_id))
        return None if document is None else FlowSet.model_validate(document)

    async def save_result(self, run_id: int, summary: RunSummary) -> None:
        """Store the final result: the full dump, the list-view numbers and per-step rows."""
        async with write_session(self._sessions) as session:
            run = await _locked_run(session, run_id)
            totals = summary.totals
            run.result = summary.model_dump(mode="json")
            run.requests = totals.requests
            run.errors = totals.errors
            run.error_rate = totals.error_rate
            run.rps = totals.rps
            run.p95_ms = totals.latency_ms.p95
            run.verdict = None if summary.verdict is None else str(summary.verdict)
            await session.execute(
                delete(MetricsSummaryRow).where(MetricsSummaryRow.run_id == run_id)
            )
            session.add_all(_metric_rows(run_id, summary))

    async def get(self, run_id: int) -> RunRecord | None:
        async with self._sessions() as session:
            run = await session.get(TestRun, run_id)
            return None if run is None else to_record(run)

    async def list(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        status: RunStatus | None = None,
        target: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        sort: str = "created_at",
        descending: bool = True,
        team_id: int | None = None,
    ) -> tuple[builtins.list[RunRecord], int]:
        """One page of runs (newest first by default) and how many runs match in all.

        ``target`` matches any part of the target URL; the date range is on ``created_at``,
        ``created_after`` inclusive and ``created_before`` exclusive.
        """
        if limit < 0 or offset < 0:
            raise ValueError(f"limit and offset must be >= 0, got limit={limit} offset={offset}")
        if sort not in SORTABLE:
            raise ValueError(f"cannot sort runs by {sort!r}; choose one of {sorted(SORTABLE)}")
        conditions: builtins.list[ColumnElement[bool]] = []
        if team_id is not None:
            conditions.append(TestRun.team_id == team_id)
        if status is not None:
            conditions.append(TestRun.status == status)
        if target:
            conditions.append(TestRun.target_url.contains(target, autoescape=True))
        if created_after is not None:
            conditions.append(TestRun.created_at >= created_after)
        if created_before is not None:
            conditions.append(TestRun.created_at < created_before)
        column = TestRun.__table__.c[sort]
        direction = column.desc() if descending else column.asc()
        if column.nullable:  # NULLS LAST on a NOT NULL column would keep SQLite off its index
            direction = direction.nulls_last()
        order = [direction, TestRun.id.desc() if descending else TestRun.id]
        # The big JSON documents (result, flowset) are not part of a list row: never load them.
        page = (
            select(TestRun)
            .options(defer(TestRun.result), defer(TestRun.flowset))
            .where(*conditions)
            .order_by(*order)
        )
        count = select(func.count()).select_from(TestRun).where(*conditions)
        async with self._sessions() as session:
            total = await session.scalar(count) or 0
            runs = (await session.scalars(page.limit(limit).offset(offset))).all()
            return [to_record(run) for run in runs], total

    async def ping(self) -> None:
        """Raise unless the database answers (readiness checks)."""
        async with self._sessions() as session:
            await session.execute(select(1))

    async def count_by_status(self, team_id: int | None = None) -> dict[RunStatus, int]:
        query = select(TestRun.status, func.count()).group_by(TestRun.status)
        if team_id is not None:
            query = query.where(TestRun.team_id == team_id)
        async with self._sessions() as session:
            return {RunStatus(status): n for status, n in (await session.execute(query)).all()}

    async def add_event(self, run_id: int, status: RunStatus, reason: str) -> None:
        """A note in the run's history that is not a status change (a retry, a claim)."""
        async with write_session(self._sessions) as session:
            await _locked_run(session, run_id)
            session.add(RunEventRow(run_id=run_id, at=self._clock(), status=status, reason=reason))

    async def purge_finished_before(self, cutoff: datetime) -> int:
        """Delete finished runs (and all their data) that ended before ``cutoff``: retention."""
        async with write_session(self._sessions) as session:
            result = await session.execute(
                delete(TestRun)
                .where(TestRun.status.in_(FINAL_STATUSES), TestRun.finished_at < cutoff)
                .returning(TestRun.id)
            )
            return len(result.all())

    async def get_submitted(self, run_id: int) -> dict[str, Any] | None:
        """The options as submitted, secrets included; None once the run has ended."""
        async with self._sessions() as session:
            document = await session.scalar(select(TestRun.submitted).where(TestRun.id == run_id))
        return None if document is None else dict(document)

    async def get_result(self, run_id: int) -> RunSummary | None:
        async with self._sessions() as session:
            document = await session.scalar(select(TestRun.result).where(TestRun.id == run_id))
        return None if document is None else RunSummary.model_validate(document)

    async def events(self, run_id: int) -> builtins.list[RunEvent]:
        """The run's status changes, oldest first (empty for an unknown run)."""
        query = (
            select(RunEventRow)
            .where(RunEventRow.run_id == run_id)
            .order_by(RunEventRow.at, RunEventRow.id)
        )
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
            return [
                RunEvent(run_id=row.run_id, at=row.at, status=row.status, reason=row.reason)
                for row in rows
            ]

    async def delete(self, run_id: int) -> bool:
        """Delete the run and, through ON DELETE CASCADE, everything stored about it."""
        async with write_session(self._sessions) as session:
            result = await session.execute(
                delete(TestRun).where(TestRun.id == run_id).returning(TestRun.id)
            )
            return result.first() is not None


async def _locked_run(session: AsyncSession, run_id: int) -> TestRun:
    run = await session.get(TestRun, run_id, with_for_update=True)
    if run is None:
        raise RunNotFound(run_id)
    return run


async def write_flows(session: AsyncSession, run: TestRun, flowset: FlowSet) -> None:
    """Store ``flowset`` as the run's flows, replacing any saved before; passwords are
    never stored (secret cells become ``${secret.*}`` references, flows/secrets.py)."""
    flowset = redact_secrets(flowset)
    run.flowset = flowset.model_dump(mode="json")
    await session.execute(delete(FlowRow).where(FlowRow.run_id == run.id))
    for position, flow in enumerate(flowset.flows):
        steps = [
            StepRow(
                position=i,
                name=step.name,
                method=step.method,
                url=step.url,
                definition=step.model_dump(mode="json"),
            )
            for i, step in enumerate(flow.steps)
        ]
        session.add(
            FlowRow(
                run_id=run.id,
                name=flow.name,
                weight=flow.weight,
                position=position,
                definition=flow.model_dump(mode="json"),
                steps=steps,
            )
        )


@dataclass(frozen=True, kw_only=True)
class RunOwner:
    """The team a new run belongs to, who starts it, and the team's quotas."""

    team_id: int
    label: str
    quotas: Quotas = field(default_factory=Quotas)
    ip: str = ""

    def audit_row(self, run: TestRun, now: datetime) -> AuditRow:
        host = urlsplit(run.target_url).netloc
        details = {"users": run.users, "duration_s": run.duration_s}
        return audit.row(
            "run.create",
            actor=self.label,
            at=now,
            team_id=self.team_id,
            run_id=run.id,
            host=host,
            ip=self.ip,
            details=details,
        )


def to_record(run: TestRun) -> RunRecord:
    return RunRecord(
        id=run.id,
        target_url=run.target_url,
        status=run.status,
        users=run.users,
        duration_s=run.duration_s,
        options=run.options,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        reason=run.reason,
        requests=run.requests,
        errors=run.errors,
        error_rate=run.error_rate,
        rps=run.rps,
        p95_ms=run.p95_ms,
        verdict=run.verdict,
        team_id=run.team_id,
        created_by=run.created_by,
    )


def _metric_rows(run_id: int, summary: RunSummary) -> Sequence[MetricsSummaryRow]:
    return [
        MetricsSummaryRow(
            run_id=run_id,
            flow=step.flow,
            step=step.name,
            method=step.method,
            url=step.url,
            requests=step.requests,
            errors=step.errors,
            p50_ms=step.latency_ms.p50,
            p90_ms=step.latency_ms.p90,
            p95_ms=step.latency_ms.p95,
            p99_ms=step.latency_ms.p99,
            max_ms=step.latency_ms.max,
            mean_ms=step.latency_ms.mean,
        )
        for step in summary.steps
    ]
