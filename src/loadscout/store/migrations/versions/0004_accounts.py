"""Accounts, teams, sessions, API tokens, targets and the audit log; runs belong to a team.

Runs made before this revision go to the team created here, ``default``, which the first
admin joins.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def _id(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _fk(table: str, column: str, target: str, ondelete: str | None = "CASCADE") -> sa.Column[int]:
    name = f"fk_{table}_{column}_{target}"
    nullable = ondelete == "SET NULL"
    key = sa.ForeignKey(f"{target}.id", ondelete=ondelete, name=name)
    return sa.Column(column, sa.Integer(), key, nullable=nullable)


def upgrade() -> None:
    teams = op.create_table(
        "teams",
        *_id("teams"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("max_concurrent_runs", sa.Integer(), nullable=True),
        sa.Column("max_users_per_run", sa.Integer(), nullable=True),
        sa.Column("max_duration_s", sa.Float(), nullable=True),
        sa.Column("max_runs_per_day", sa.Integer(), nullable=True),
        sa.UniqueConstraint("name", name="uq_teams_name"),
    )
    op.create_table(
        "users",
        *_id("users"),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "memberships",
        *_id("memberships"),
        _fk("memberships", "team_id", "teams"),
        _fk("memberships", "user_id", "users"),
        sa.Column("role", sa.String(16), nullable=False),
        sa.UniqueConstraint("team_id", "user_id", name="uq_memberships_team_id"),
    )
    op.create_index("ix_memberships_team_id", "memberships", ["team_id"])
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.create_table(
        "auth_sessions",
        *_id("auth_sessions"),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        _fk("auth_sessions", "user_id", "users"),
        _fk("auth_sessions", "team_id", "teams", "SET NULL"),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.UniqueConstraint("secret_hash", name="uq_auth_sessions_secret_hash"),
    )
    op.create_index("ix_auth_sessions_user_id", "auth_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        *_id("api_tokens"),
        _fk("api_tokens", "team_id", "teams"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=True),
        sa.Column("last_used_at", _TS, nullable=True),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.UniqueConstraint("secret_hash", name="uq_api_tokens_secret_hash"),
    )
    op.create_index("ix_api_tokens_team_id", "api_tokens", ["team_id"])
    op.create_table(
        "targets",
        *_id("targets"),
        _fk("targets", "team_id", "teams"),
        sa.Column("host", sa.String(300), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("token", sa.String(100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("verified_at", _TS, nullable=True),
        sa.Column("method", sa.String(16), nullable=True),
        sa.Column("checked_at", _TS, nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.UniqueConstraint("team_id", "host", name="uq_targets_team_id"),
    )
    op.create_index("ix_targets_team_id", "targets", ["team_id"])
    op.create_table(
        "audit_events",
        *_id("audit_events"),
        sa.Column("at", _TS, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_events_team_id_at", "audit_events", ["team_id", "at"])
    op.create_index("ix_audit_events_run_id", "audit_events", ["run_id"])

    now = datetime.now(UTC)
    stamp = now.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else now
    op.bulk_insert(teams, [{"id": 1, "name": "default", "created_at": stamp}])
    if op.get_bind().dialect.name == "postgresql":  # the explicit id 1 left the sequence at 1
        op.execute(sa.text("SELECT setval(pg_get_serial_sequence('teams', 'id'), 1)"))
    with op.batch_alter_table("test_runs") as batch:
        batch.add_column(
            sa.Column("team_id", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch.add_column(
            sa.Column("created_by", sa.Text(), nullable=False, server_default=sa.text("''"))
        )
    with op.batch_alter_table("test_runs") as batch:
        batch.create_foreign_key("fk_test_runs_team_id_teams", "teams", ["team_id"], ["id"])
    op.create_index("ix_test_runs_team_id", "test_runs", ["team_id"])


def downgrade() -> None:
    op.drop_index("ix_test_runs_team_id", "test_runs")
    with op.batch_alter_table("test_runs") as batch:
        batch.drop_constraint("fk_test_runs_team_id_teams", type_="foreignkey")
        batch.drop_column("created_by")
        batch.drop_column("team_id")
    for table in ("audit_events", "targets", "api_tokens", "auth_sessions", "memberships"):
        op.drop_table(table)
    op.drop_table("users")
    op.drop_table("teams")
