"""Frozen snapshots of account rows: users, teams, members, tokens, audit events."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from loadscout.principals import Role


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UserRecord(_Record):
    id: int
    email: str
    is_admin: bool
    disabled: bool
    created_at: AwareDatetime
    has_password: bool


class Quotas(_Record):
    """A team's limits; None leaves the server's own limit in force."""

    max_concurrent_runs: int | None = None
    max_users_per_run: int | None = None
    max_duration_s: float | None = None
    max_runs_per_day: int | None = None


class TeamRecord(_Record):
    id: int
    name: str
    created_at: AwareDatetime
    quotas: Quotas


class MemberRecord(_Record):
    team_id: int
    user_id: int
    email: str
    role: Role


class TeamRole(_Record):
    """One of a user's teams and the role held there."""

    team_id: int
    name: str
    role: Role


class TokenRecord(_Record):
    id: int
    team_id: int
    name: str
    prefix: str
    role: Role
    created_by: str
    created_at: AwareDatetime
    expires_at: AwareDatetime | None
    last_used_at: AwareDatetime | None
    revoked_at: AwareDatetime | None


class AuditRecord(_Record):
    id: int
    at: AwareDatetime
    team_id: int | None
    actor: str
    action: str
    run_id: int | None
    host: str
    details: dict[str, Any]
    ip: str
