"""A team's targets: hosts it loads, each with its verification token and last check."""

from __future__ import annotations

import builtins

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from loadscout.errors import BadInput
from loadscout.store.database import write_session
from loadscout.store.repository import Repository
from loadscout.store.tables import TargetRow


class TargetRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    team_id: int
    host: str
    url: str
    token: str
    created_at: AwareDatetime
    verified_at: AwareDatetime | None
    method: str | None
    checked_at: AwareDatetime | None
    detail: str


class TargetRepository(Repository):
    async def create(self, *, team_id: int, host: str, url: str, token: str) -> TargetRecord:
        try:
            async with write_session(self._sessions) as session:
                row = TargetRow(
                    team_id=team_id,
                    host=host,
                    url=url,
                    token=token,
                    created_at=self._clock(),
                    detail="not checked yet",
                )
                session.add(row)
                await session.flush()
                return _record(row)
        except IntegrityError:
            raise BadInput(f"your team already has the target {host}") from None

    async def list(self, team_id: int) -> builtins.list[TargetRecord]:
        query = select(TargetRow).where(TargetRow.team_id == team_id).order_by(TargetRow.host)
        async with self._sessions() as session:
            return [_record(r) for r in await session.scalars(query)]

    async def get(self, team_id: int, target_id: int) -> TargetRecord | None:
        async with self._sessions() as session:
            row = await session.get(TargetRow, target_id)
            return None if row is None or row.team_id != team_id else _record(row)

    async def by_host(self, team_id: int, host: str) -> TargetRecord | None:
        query = select(TargetRow).where(TargetRow.team_id == team_id, TargetRow.host == host)
        async with self._sessions() as session:
            row = await session.scalar(query)
            return None if row is None else _record(row)

    async def record_check(
        self, target_id: int, *, verified: bool, method: str | None, detail: str
    ) -> TargetRecord | None:
        """Keep the newest check; a failed check clears an earlier verification."""
        now = self._clock()
        async with write_session(self._sessions) as session:
            row = await session.get(TargetRow, target_id)
            if row is None:
                return None
            row.checked_at, row.detail = now, detail[:2000]
            row.verified_at, row.method = (now, method) if verified else (None, None)
            return _record(row)

    async def delete(self, team_id: int, target_id: int) -> bool:
        async with write_session(self._sessions) as session:
            result = await session.execute(
                delete(TargetRow).where(TargetRow.id == target_id, TargetRow.team_id == team_id)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]


def _record(row: TargetRow) -> TargetRecord:
    return TargetRecord(
        id=row.id,
        team_id=row.team_id,
        host=row.host,
        url=row.url,
        token=row.token,
        created_at=row.created_at,
        verified_at=row.verified_at,
        method=row.method,
        checked_at=row.checked_at,
        detail=row.detail,
    )
