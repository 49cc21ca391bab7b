"""Engine and session factories, and schema upgrades through Alembic (the only way tables are made).

SQLite is the embedded default; any ``postgresql+asyncpg://`` or ``postgresql+psycopg://`` URL
selects PostgreSQL. No alembic.ini is needed at run time: the Alembic config is built here.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from loadscout.errors import BadInput

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30.0
# Any constant works; it only has to be the same for every loadscout process sharing a database.
_PG_UPGRADE_LOCK_KEY = 0x10AD5C0
_WRITE_OPTION = "loadscout_write"
_upgrade_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def make_engine(database_url: str) -> AsyncEngine:
    """An async engine; for SQLite it creates the file's folder and turns foreign keys on."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
    event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Hand transaction control to SQLAlchemy (see _sqlite_on_begin) so DDL is transactional too,
    # turn on the foreign keys that ON DELETE CASCADE needs, and let readers run beside a writer.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    # A deferred BEGIN that later writes fails at once with "database is locked" when another
    # connection wrote meanwhile (the busy timeout does not apply); writers take the lock upfront.
    writes = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (the repository returns snapshots)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def write_session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session in a transaction meant to write, committed on success, rolled back on error.

    On SQLite it takes the database's write lock when it begins (waiting up to the busy timeout),
    so concurrent writers queue instead of failing; elsewhere it is a plain transaction.
    """
    async with session_factory() as session:
        await session.connection(execution_options={_WRITE_OPTION: True})
        yield session
        await session.commit()


def alembic_config(database_url: str | None = None) -> Config:
    """The Alembic config, pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if database_url is not None:
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def upgrade(database_url: str) -> None:
    """Migrate the database to the newest revision; a no-op when it is already there.

    Safe to call on every start: calls in one process run one at a time, and on PostgreSQL an
    advisory lock also serialises concurrent processes.
    """
    async with _upgrade_lock():
        engine = make_engine(database_url)
        try:
            async with engine.connect() as connection:
                await connection.execution_options(**{_WRITE_OPTION: True})
                async with connection.begin():
                    await connection.run_sync(_upgrade_on, alembic_config())
        except (OSError, DBAPIError) as err:  # refused, unknown host, bad password, no database
            reason = " ".join(str(getattr(err, "orig", None) or err).split())[:300]
            raise BadInput(
                f"cannot use the database {masked_url(database_url)}: {reason}"
            ) from None
        finally:
            await engine.dispose()


def masked_url(database_url: str) -> str:
    """The URL fit to print: its password replaced by ``***``."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(an unreadable database URL)"


def _upgrade_on(connection: Connection, config: Config) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_UPGRADE_LOCK_KEY})")
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _upgrade_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _upgrade_locks.get(loop)
    if lock is None:
        lock = _upgrade_locks[loop] = asyncio.Lock()
    return lock


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None before the first upgrade."""
    async with engine.connect() as connection:
        return await connection.run_sync(_current_revision)


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this loadscout."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


__all__: list[str] = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "head_revision",
    "make_engine",
    "make_session_factory",
    "upgrade",
    "write_session",
]


@asynccontextmanager
async def open_database(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Migrate to head, then hand out sessions until the block ends and the engine is closed."""
    await upgrade(database_url)
    engine = make_engine(database_url)
    try:
        yield make_session_factory(engine)
    finally:
        await engine.dispose()
