"""The relational schema, as typed SQLAlchemy 2 declarative models.

Alembic migrations (``store/migrations``) are the only way these tables are created; the models
describe the same schema for queries, and a test checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the backend.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so the value is stored as naive
    UTC text (which also keeps its lexical order chronological) and tagged UTC again on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store only timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TestRun(Base):
    """One load test: the request that created it, its lifecycle and its headline numbers."""

    __tablename__ = "test_runs"
    __test__ = False  # not a pytest test class, despite the name
    __table_args__ = (
        Index("ix_test_runs_created_at", "created_at"),
        Index("ix_test_runs_status_created_at", "status", "created_at"),
        Index("ix_test_runs_target_url_created_at", "target_url", "created_at"),
        Index("ix_test_runs_claimed_by", "claimed_by"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target_url: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    users: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[float] = mapped_column(Float)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    flowset: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    requests: Mapped[int | None] = mapped_column(Integer)
    errors: Mapped[int | None] = mapped_column(Integer)
    error_rate: Mapped[float | None] = mapped_column(Float)
    rps: Mapped[float | None] = mapped_column(Float)
    p95_ms: Mapped[float | None] = mapped_column(Float)
    # passed / thresholds_failed / errors / aborted (metrics/verdict.py; migration 0003);
    # null until the run has a result
    verdict: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # The work queue (migration 0002): who runs it, until when, and whether to stop it.
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # The options exactly as submitted (only the fields the user set, secrets included) for the
    # server that executes the run; cleared when the run ends, so secrets do not outlive it.
    submitted: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class RunEventRow(Base):
    """An append-only log of status changes, so a run's history survives its current status."""

    __tablename__ = "run_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("test_runs.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")


class FlowRow(Base):
    """One flow of a run's FlowSet, queryable by name; ``definition`` is the full Flow dump."""

    __tablename__ = "flows"
    __table_args__ = (UniqueConstraint("run_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("test_runs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    steps: Mapped[list[StepRow]] = relationship(
        order_by="StepRow.position", passive_deletes=True, lazy="raise"
    )


class StepRow(Base):
    """One step of a flow; ``definition`` is the full Step dump."""

    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("flows.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)


class MetricsSummaryRow(Base):
    """Final per-step numbers of a run, one row per (flow, step), for SQL-side comparisons."""

    __tablename__ = "metrics_summary"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("test_runs.id", ondelete="CASCADE"), index=True)
    flow: Mapped[str] = mapped_column(Text)
    step: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    requests: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    # null when the step had no response at all (migration 0003): missing is not 0 ms
    p50_ms: Mapped[float | None] = mapped_column(Float)
    p90_ms: Mapped[float | None] = mapped_column(Float)
    p95_ms: Mapped[float | None] = mapped_column(Float)
    p99_ms: Mapped[float | None] = mapped_column(Float)
    max_ms: Mapped[float | None] = mapped_column(Float)
    mean_ms: Mapped[float | None] = mapped_column(Float)


class MetricSeriesRow(Base):
    """One second of a run's load: written live every few seconds, replaced by the exact series
    when the run ends, so a crash keeps what was measured so far."""

    __tablename__ = "metric_series"
    __table_args__ = (UniqueConstraint("run_id", "t"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("test_runs.id", ondelete="CASCADE"), index=True)
    t: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    rps: Mapped[float] = mapped_column(Float)
    active_users: Mapped[int] = mapped_column(Integer)
    p50_ms: Mapped[float | None] = mapped_column(Float)  # null: no response that second
    p95_ms: Mapped[float | None] = mapped_column(Float)
    p99_ms: Mapped[float | None] = mapped_column(Float)


TABLE_NAMES = frozenset(Base.metadata.tables)
