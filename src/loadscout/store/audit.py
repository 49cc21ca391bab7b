"""The append-only audit log: this module inserts and reads, and never updates or deletes."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from loadscout.store.account_records import AuditRecord
from loadscout.store.database import write_session
from loadscout.store.repository import Repository
from loadscout.store.tables import AuditRow


class AuditLog(Repository):
    async def add(
        self,
        action: str,
        *,
        actor: str,
        team_id: int | None = None,
        run_id: int | None = None,
        host: str = "",
        ip: str = "",
        **details: Any,
    ) -> None:
        async with write_session(self._sessions) as session:
            session.add(
                row(
                    action,
                    actor=actor,
                    team_id=team_id,
                    run_id=run_id,
                    host=host,
                    ip=ip,
                    at=self._clock(),
                    details=details,
                )
            )

    async def list(
        self, *, team_id: int | None, limit: int = 100, offset: int = 0
    ) -> tuple[builtins.list[AuditRecord], int]:
        """Newest first; ``team_id`` None lists the whole instance's."""
        where = [] if team_id is None else [AuditRow.team_id == team_id]
        query = select(AuditRow).where(*where).order_by(AuditRow.id.desc())
        count = select(func.count()).select_from(AuditRow).where(*where)
        async with self._sessions() as session:
            total = await session.scalar(count) or 0
            rows = await session.scalars(query.limit(limit).offset(offset))
            return [_record(r) for r in rows], total

    async def for_run(self, run_id: int) -> builtins.list[AuditRecord]:
        query = select(AuditRow).where(AuditRow.run_id == run_id).order_by(AuditRow.id)
        async with self._sessions() as session:
            return [_record(r) for r in await session.scalars(query)]


def row(
    action: str,
    *,
    actor: str,
    at: datetime,
    team_id: int | None = None,
    run_id: int | None = None,
    host: str = "",
    ip: str = "",
    details: dict[str, Any] | None = None,
) -> AuditRow:
    """An audit row to add inside another transaction (a run and its "started" event)."""
    return AuditRow(
        at=at,
        team_id=team_id,
        actor=actor,
        action=action,
        run_id=run_id,
        host=host,
        ip=ip[:64],
        details=details or {},
    )


def _record(r: AuditRow) -> AuditRecord:
    return AuditRecord(
        id=r.id,
        at=r.at,
        team_id=r.team_id,
        actor=r.actor,
        action=r.action,
        run_id=r.run_id,
        host=r.host,
        details=r.details,
        ip=r.ip,
    )
