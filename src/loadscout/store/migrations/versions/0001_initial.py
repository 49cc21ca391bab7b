"""Initial schema: runs, their status events, flows and steps, and per-step metrics.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.Column[object]:
    """A NOT NULL cascading foreign key, named as ``tables.NAMING_CONVENTION`` would name it."""
    name = f"fk_{table}_{column}_{target.split('.')[0]}"
    return sa.Column(
        column, sa.Integer(), sa.ForeignKey(target, ondelete="CASCADE", name=name), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "test_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("target_url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("flowset", sa.JSON(), nullable=True),
        _ts("created_at", nullable=False),
        _ts("started_at", nullable=True),
        _ts("finished_at", nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=True),
        sa.Column("errors", sa.Integer(), nullable=True),
        sa.Column("error_rate", sa.Float(), nullable=True),
        sa.Column("rps", sa.Float(), nullable=True),
        sa.Column("p95_ms", sa.Float(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_test_runs"),
    )
    op.create_index("ix_test_runs_created_at", "test_runs", ["created_at"])
    op.create_index("ix_test_runs_status_created_at", "test_runs", ["status", "created_at"])

    op.create_table(
        "run_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _fk("run_events", "run_id", "test_runs.id"),
        _ts("at", nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_run_events"),
    )
    op.create_index("ix_run_events_run_id", "run_events", ["run_id"])

    op.create_table(
        "flows",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _fk("flows", "run_id", "test_runs.id"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_flows"),
        sa.UniqueConstraint("run_id", "name", name="uq_flows_run_id"),
    )
    op.create_index("ix_flows_run_id", "flows", ["run_id"])

    op.create_table(
        "steps",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _fk("steps", "flow_id", "flows.id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_steps"),
    )
    op.create_index("ix_steps_flow_id", "steps", ["flow_id"])

    op.create_table(
        "metrics_summary",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _fk("metrics_summary", "run_id", "test_runs.id"),
        sa.Column("flow", sa.Text(), nullable=False),
        sa.Column("step", sa.Text(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        *(
            sa.Column(f"{stat}_ms", sa.Float(), nullable=False)
            for stat in ("p50", "p90", "p95", "p99", "max", "mean")
        ),
        sa.PrimaryKeyConstraint("id", name="pk_metrics_summary"),
    )
    op.create_index("ix_metrics_summary_run_id", "metrics_summary", ["run_id"])


def downgrade() -> None:
    for table in ("metrics_summary", "steps", "flows", "run_events", "test_runs"):
        op.drop_table(table)
