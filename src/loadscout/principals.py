"""Who acts, and with which role in which team.

At the top of the package, outside the layers, like ``status``: the store keeps roles, the API
decides access with them, the orchestrator checks quotas for the acting team, the CLI creates
users. Nothing below the orchestrator knows about users.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    """A member's role in a team; each includes the ones before it."""

    VIEWER = "viewer"  # reads runs, reports, flows
    RUNNER = "runner"  # also starts, re-runs, edits and cancels runs
    ADMIN = "admin"  # also deletes runs, manages members, tokens and targets

    def allows(self, needed: Role) -> bool:
        return _RANK[self] >= _RANK[needed]


_RANK = {Role.VIEWER: 0, Role.RUNNER: 1, Role.ADMIN: 2}


@dataclass(frozen=True, kw_only=True)
class Principal:
    """The caller of one request: a signed-in user (a session) or a team's API token.

    ``team_id`` is the team it acts in: the session's chosen team, or the token's own. It comes
    from the session or token, never from the request.
    """

    via: Literal["session", "token"]
    team_id: int
    role: Role
    label: str  # who, fit for the audit log: an email, or "token lsk_ab12cd34 (name)"
    user_id: int | None = None
    token_id: int | None = None
    session_id: int | None = None
    is_instance_admin: bool = False
    in_team: bool = True  # False: a signed-in user no team has taken in yet

    def can(self, needed: Role) -> bool:
        return self.in_team and self.role.allows(needed)
