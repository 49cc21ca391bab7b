"""Per-second metric series of a run: appended live during the load, replaced at the end.

Live points come from the load engine's once-a-second progress, so a crash keeps every second
written so far; the final, exact series from the run's outcome then replaces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Executable, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from loadscout.store.database import write_session
from loadscout.store.tables import MetricSeriesRow


class SeriesPoint(BaseModel):
    """One second of load: ``t`` counts seconds from the start of the load phase; latency is
    None for a second with no response."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    t: int
    errors: int
    rps: float
    active_users: int
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None


_FIELDS = tuple(SeriesPoint.model_fields)


class SeriesRepository:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def append(self, run_id: int, points: Sequence[SeriesPoint]) -> None:
        """Add points; a second already stored is overwritten (writes may be retried)."""
        if not points:
            return
        rows = [{"run_id": run_id, **p.model_dump()} for p in points]
        async with write_session(self._sessions) as session:
            dialect = (await session.connection()).dialect.name
            await session.execute(_upsert(dialect, rows))

    async def replace(self, run_id: int, points: Sequence[SeriesPoint]) -> None:
        async with write_session(self._sessions) as session:
            await session.execute(delete(MetricSeriesRow).where(MetricSeriesRow.run_id == run_id))
            session.add_all(MetricSeriesRow(run_id=run_id, **p.model_dump()) for p in points)

    async def since(self, run_id: int, since: int = -1, limit: int = 86_400) -> list[SeriesPoint]:
        """Points with ``t > since``, oldest first."""
        query = (
            select(MetricSeriesRow)
            .where(MetricSeriesRow.run_id == run_id, MetricSeriesRow.t > since)
            .order_by(MetricSeriesRow.t)
            .limit(limit)
        )
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
            return [SeriesPoint.model_validate(row, from_attributes=True) for row in rows]

    async def count(self, run_id: int) -> int:
        query = select(func.count()).where(MetricSeriesRow.run_id == run_id)
        async with self._sessions() as session:
            return await session.scalar(query) or 0


def _upsert(dialect: str, rows: list[dict[str, Any]]) -> Executable:
    if dialect == "postgresql":
        pg = pg_insert(MetricSeriesRow).values(rows)
        changes = {name: pg.excluded[name] for name in _FIELDS if name != "t"}
        return pg.on_conflict_do_update(index_elements=["run_id", "t"], set_=changes)
    lite = sqlite_insert(MetricSeriesRow).values(rows)
    changes = {name: lite.excluded[name] for name in _FIELDS if name != "t"}
    return lite.on_conflict_do_update(index_elements=["run_id", "t"], set_=changes)
