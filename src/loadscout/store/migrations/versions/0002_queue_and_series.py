"""The run queue (claim, lease, cancel request), per-second metric series and list indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("test_runs") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(128), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(
            sa.Column("cancel_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("submitted", sa.JSON(), nullable=True))
    op.create_index("ix_test_runs_target_url_created_at", "test_runs", ["target_url", "created_at"])
    op.create_index("ix_test_runs_claimed_by", "test_runs", ["claimed_by"])

    op.create_table(
        "metric_series",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey(
                "test_runs.id", ondelete="CASCADE", name="fk_metric_series_run_id_test_runs"
            ),
            nullable=False,
        ),
        sa.Column("t", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("rps", sa.Float(), nullable=False),
        sa.Column("active_users", sa.Integer(), nullable=False),
        sa.Column("p50_ms", sa.Float(), nullable=False),
        sa.Column("p95_ms", sa.Float(), nullable=False),
        sa.Column("p99_ms", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_metric_series"),
        sa.UniqueConstraint("run_id", "t", name="uq_metric_series_run_id"),
    )
    op.create_index("ix_metric_series_run_id", "metric_series", ["run_id"])


def downgrade() -> None:
    op.drop_table("metric_series")
    op.drop_index("ix_test_runs_claimed_by", "test_runs")
    op.drop_index("ix_test_runs_target_url_created_at", "test_runs")
    with op.batch_alter_table("test_runs") as batch:
        for column in (
            "submitted",
            "cancel_requested",
            "attempts",
            "lease_expires_at",
            "claimed_by",
        ):
            batch.drop_column(column)
