"""Fixtures: a tiny target, and a RunControl over a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest

from loadscout.orchestrator.control import RunControl
from loadscout.orchestrator.control_config import ControlConfig
from loadscout.store.database import make_engine, make_session_factory, upgrade
from loadscout.store.queue import RunQueue
from loadscout.store.runs import RunRepository
from loadscout.store.series import SeriesRepository
from tests.orchestrator.tiny_target import TinyTarget, tiny_target
from tests.store.conftest import database_url, pg_database

__all__ = ["database_url", "pg_database"]

MakeControl = Callable[..., Awaitable[RunControl]]


@pytest.fixture(scope="session")
def tiny_session() -> Iterator[TinyTarget]:
    with tiny_target() as target:
        yield target


@pytest.fixture
def tiny(tiny_session: TinyTarget) -> TinyTarget:
    tiny_session.hits.clear()
    return tiny_session


@pytest.fixture
async def make_control(database_url: str) -> AsyncIterator[MakeControl]:
    """Builds started RunControls on the test's database; all are shut down at the end."""
    await upgrade(database_url)
    engine = make_engine(database_url)
    made: list[RunControl] = []

    async def make(**config: object) -> RunControl:
        sessions = make_session_factory(engine)
        defaults: dict[str, object] = {
            "lease_s": 3.0,
            "poll_s": 0.05,
            "series_flush_s": 0.3,
            "load_workers": 0,  # users in this process: no process start per run
        }
        control = RunControl(
            repo=RunRepository(sessions),
            queue=RunQueue(sessions),
            series=SeriesRepository(sessions),
            config=ControlConfig(**{**defaults, **config}),  # type: ignore[arg-type]
        )
        await control.start()
        made.append(control)
        return control

    try:
        yield make
    finally:
        for control in made:
            await control.shutdown()
        await engine.dispose()
