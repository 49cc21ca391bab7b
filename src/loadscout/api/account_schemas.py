"""Request and response bodies for accounts: sign-in, teams, members, tokens, audit."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from loadscout.principals import Role
from loadscout.store.account_records import AuditRecord, MemberRecord, Quotas, TokenRecord

Email = Field(min_length=3, max_length=320, examples=["ada@example.com"])


class _In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SignIn(_In):
    email: str = Email
    password: SecretStr = Field(max_length=1024)


class SetUp(_In):
    """The first admin's account, with the one-time token of the set-up link."""

    token: SecretStr = Field(max_length=200)
    email: str = Email
    password: SecretStr = Field(max_length=1024)


class SetUpState(BaseModel):
    needed: bool


class TeamChoice(_In):
    team_id: int = Field(ge=1, le=2**31 - 1)


class TeamRolePublic(BaseModel):
    team_id: int
    name: str
    role: Role


class Me(BaseModel):
    """The caller: who, in which team with which role, and (for a session) the CSRF token
    that cookie-authenticated writes must send in ``X-CSRF-Token``."""

    via: str
    label: str
    user_id: int | None
    email: str | None
    is_instance_admin: bool
    team_id: int | None
    team_name: str | None
    role: Role | None
    teams: list[TeamRolePublic]
    csrf_token: str | None = None


class TeamCreate(_In):
    name: str = Field(min_length=1, max_length=100)
    quotas: Quotas = Quotas()


class TeamPublic(BaseModel):
    id: int
    name: str
    quotas: Quotas


class TeamsPublic(BaseModel):
    data: list[TeamPublic]
    count: int


class QuotasIn(_In):
    """None lifts a quota (the server's own limit still applies)."""

    max_concurrent_runs: int | None = Field(default=None, ge=1, le=10_000)
    max_users_per_run: int | None = Field(default=None, ge=1, le=10_000_000)
    max_duration_s: float | None = Field(default=None, gt=0, le=30 * 86_400)
    max_runs_per_day: int | None = Field(default=None, ge=1, le=1_000_000)


class MemberSet(_In):
    """Add an existing user to the current team, or change their role there."""

    email: str = Email
    role: Role


class MembersPublic(BaseModel):
    data: list[MemberRecord]
    count: int


class UserCreate(_In):
    email: str = Email
    password: SecretStr = Field(max_length=1024)
    is_admin: bool = False


class UserPublic(BaseModel):
    id: int
    email: str
    is_admin: bool
    disabled: bool


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


class TokenCreate(_In):
    name: str = Field(min_length=1, max_length=100, examples=["github-actions"])
    role: Role = Role.RUNNER
    expires_in_days: float | None = Field(
        default=90, gt=0, le=3650, description="Days until it stops working; null: never"
    )


class TokenCreated(BaseModel):
    """The token itself appears here once; it cannot be shown again."""

    token: str
    record: TokenRecord


class TokensPublic(BaseModel):
    data: list[TokenRecord]
    count: int


class AuditPublic(BaseModel):
    data: list[AuditRecord]
    count: int
