"""A run's verdict, and null latency where nothing was measured (missing is not 0 ms).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SUMMARY_MS = ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms")
_SERIES_MS = ("p50_ms", "p95_ms")


def upgrade() -> None:
    with op.batch_alter_table("test_runs") as batch:
        batch.add_column(sa.Column("verdict", sa.String(32), nullable=True))
    _nullable(True)


def downgrade() -> None:
    for table, columns in (("metrics_summary", _SUMMARY_MS), ("metric_series", _SERIES_MS)):
        op.execute(
            sa.text(f"UPDATE {table} SET " + ", ".join(f"{c} = COALESCE({c}, 0)" for c in columns))
        )
    _nullable(False)
    with op.batch_alter_table("test_runs") as batch:
        batch.drop_column("verdict")


def _nullable(nullable: bool) -> None:
    for table, columns in (("metrics_summary", _SUMMARY_MS), ("metric_series", _SERIES_MS)):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=sa.Float(), nullable=nullable)
