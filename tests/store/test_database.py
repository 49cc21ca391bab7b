"""Schema creation through Alembic, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from loadscout.store.database import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from loadscout.store.tables import TABLE_NAMES, Base

EXPECTED_TABLES = {
    "test_runs",
    "run_events",
    "flows",
    "steps",
    "metrics_summary",
    "metric_series",
    "teams",
    "users",
    "memberships",
    "auth_sessions",
    "api_tokens",
    "targets",
    "audit_events",
}


def _schema(connection: Connection) -> dict[str, Any]:
    """Tables, their columns and indexes: enough to tell whether an upgrade changed anything."""
    insp = inspect(connection)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
            sorted((ix["name"] or "", tuple(ix["column_names"])) for ix in insp.get_indexes(table)),
        )
        for table in sorted(insp.get_table_names())
    }


async def test_upgrade_creates_exactly_the_expected_tables(
    database_url: str, engine: AsyncEngine
) -> None:
    assert TABLE_NAMES == EXPECTED_TABLES
    async with engine.connect() as conn:
        assert await conn.run_sync(lambda c: inspect(c).get_table_names()) == []
    assert await current_revision(engine) is None

    await upgrade(database_url)

    async with engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    assert tables == EXPECTED_TABLES | {"alembic_version"}
    assert await current_revision(engine) == head_revision() == "0004"


async def test_upgrade_twice_is_a_no_op(database_url: str, engine: AsyncEngine) -> None:
    await upgrade(database_url)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO test_runs (target_url, status, users, duration_s, options, "
                "created_at, reason) VALUES ('http://x/', 'queued', 1, 1.0, '{}', "
                "CURRENT_TIMESTAMP, '')"
            )
        )
        before = await conn.run_sync(_schema)

    await upgrade(database_url)

    async with engine.connect() as conn:
        assert await conn.run_sync(_schema) == before
        assert (await conn.execute(text("SELECT count(*) FROM test_runs"))).scalar_one() == 1


async def test_concurrent_upgrades_in_one_process(database_url: str, engine: AsyncEngine) -> None:
    await asyncio.gather(*(upgrade(database_url) for _ in range(3)))
    assert await current_revision(engine) == "0004"


async def test_migrations_match_the_models(database_url: str, engine: AsyncEngine) -> None:
    """The hand-written migration and tables.py describe the same schema (no autogenerate diff)."""
    await upgrade(database_url)

    def diff(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        found: list[Any] = compare_metadata(context, Base.metadata)
        return found

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_alembic_commands_work_without_an_ini_file(
    database_url: str, engine: AsyncEngine
) -> None:
    """The path a developer takes to check or write revisions: env.py builds its own engine.

    Alembic's commands are synchronous and env.py starts its own event loop, hence the thread.
    """
    await upgrade(database_url)
    config = alembic_config(database_url)
    await asyncio.to_thread(command.check, config)  # raises if models and migrations differ

    await asyncio.to_thread(command.downgrade, config, "base")

    async with engine.connect() as conn:
        assert await conn.run_sync(lambda c: inspect(c).get_table_names()) == ["alembic_version"]
    assert await current_revision(engine) is None


async def test_listing_indexes_exist(database_url: str, engine: AsyncEngine) -> None:
    await upgrade(database_url)
    async with engine.connect() as conn:
        indexes = await conn.run_sync(lambda c: inspect(c).get_indexes("test_runs"))
    columns = {ix["name"]: ix["column_names"] for ix in indexes}
    assert columns["ix_test_runs_created_at"] == ["created_at"]
    assert columns["ix_test_runs_status_created_at"] == ["status", "created_at"]


async def test_sqlite_engine_makes_its_folder_and_enforces_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "loadscout.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
        assert path.exists()
    finally:
        await engine.dispose()


def test_migrations_ship_inside_the_package() -> None:
    """The wheel must carry env.py, the template and every revision (package-data globs)."""
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert (MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()
    assert not list(MIGRATIONS_DIR.glob("*.ini"))


async def test_upgrade_works_on_an_in_memory_url() -> None:
    await upgrade("sqlite+aiosqlite:///:memory:")  # a throwaway database; it must not crash
