"""SeriesRepository on SQLite and PostgreSQL: live appends, idempotent rewrites, replacement."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from loadscout.store.database import make_session_factory
from loadscout.store.runs import RunRepository
from loadscout.store.series import SeriesPoint, SeriesRepository


def _point(t: int, rps: float = 10.0, p99: float | None = None) -> SeriesPoint:
    return SeriesPoint(t=t, errors=t, rps=rps, active_users=3, p50_ms=1.5, p95_ms=4.0, p99_ms=p99)


async def test_append_since_and_replace(repo: RunRepository, engine: AsyncEngine) -> None:
    series = SeriesRepository(make_session_factory(engine))
    run = await repo.create(target_url="http://127.0.0.1:1/", users=1, duration_s=1, options={})
    other = await repo.create(target_url="http://127.0.0.1:1/", users=1, duration_s=1, options={})

    await series.append(run.id, [_point(0), _point(1)])
    await series.append(run.id, [_point(1, rps=12.0), _point(2)])  # a retried write
    await series.append(other.id, [_point(0)])
    await series.append(run.id, [])

    assert [(p.t, p.rps) for p in await series.since(run.id)] == [(0, 10), (1, 12), (2, 10)]
    assert [p.t for p in await series.since(run.id, 0)] == [1, 2]
    assert await series.since(run.id, 2) == []

    exact = [_point(0, p99=9.0), _point(1, p99=8.0)]
    await series.replace(run.id, exact)
    assert await series.since(run.id) == exact
    assert await series.count(other.id) == 1

    await repo.delete(run.id)
    assert await series.count(run.id) == 0
