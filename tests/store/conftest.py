"""Every store test runs twice: on a SQLite file and on a fresh PostgreSQL database.

PostgreSQL is expected on 127.0.0.1:5432 (user postgres, trust or password "postgres"). When it
is unreachable the postgres tests fail; set LOADSCOUT_SKIP_POSTGRES=1 to skip them instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.ext.asyncio import AsyncEngine

from loadscout.store.database import make_engine, make_session_factory, upgrade
from loadscout.store.runs import RunRepository

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_AUTH = "postgres:postgres"


def _pg_dsn(database: str) -> str:
    return f"postgresql://{PG_AUTH}@{PG_HOST}:{PG_PORT}/{database}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of our own for this test session, dropped at the end."""
    if os.environ.get("LOADSCOUT_SKIP_POSTGRES") == "1":
        pytest.skip("LOADSCOUT_SKIP_POSTGRES=1")
    try:
        admin = psycopg.connect(_pg_dsn("postgres"), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL on {PG_HOST}:{PG_PORT} is not reachable ({exc}). Start it, or set "
            "LOADSCOUT_SKIP_POSTGRES=1 to skip the postgres tests.",
            pytrace=False,
        )
    name = f"loadscout_test_{secrets.token_hex(4)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield name
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _empty_pg(database: str) -> None:
    with psycopg.connect(_pg_dsn(database), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database (no tables at all), on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'loadscout.db'}"
    database: str = request.getfixturevalue("pg_database")
    _empty_pg(database)
    return f"postgresql+asyncpg://{PG_AUTH}@{PG_HOST}:{PG_PORT}/{database}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


class StepClock:
    """A clock that moves one second per reading, in a non-UTC zone to prove conversion."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 10, 0, tzinfo=timezone(timedelta(hours=2)))

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
async def repo(
    database_url: str, engine: AsyncEngine, clock: Callable[[], datetime]
) -> RunRepository:
    await upgrade(database_url)
    return RunRepository(make_session_factory(engine), clock=clock)
