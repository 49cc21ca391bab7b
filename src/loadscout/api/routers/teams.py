"""/api/v1/teams (instance admins: every team, quotas) and /api/v1/team (the caller's team
and its members)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response, status

from loadscout.api.account_schemas import (
    MemberSet,
    MembersPublic,
    QuotasIn,
    TeamCreate,
    TeamPublic,
    TeamsPublic,
)
from loadscout.api.auth import InstanceAdmin, PrincipalDep, TeamAdmin, Viewer, client_ip
from loadscout.api.deps import AccountsDep, AuditDep, TeamsDep
from loadscout.api.schemas import Message
from loadscout.errors import BadInput
from loadscout.store.account_records import MemberRecord, Quotas, TeamRecord

router = APIRouter(tags=["teams"])

TeamId = Annotated[int, Path(ge=1, le=2**31 - 1)]
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_MISSING: dict[int | str, dict[str, Any]] = {404: {"model": Message}}


def _public(team: TeamRecord) -> TeamPublic:
    return TeamPublic(id=team.id, name=team.name, quotas=team.quotas)


@router.get("/teams", response_model=TeamsPublic)
async def list_teams(
    principal: PrincipalDep, teams: TeamsDep, accounts: AccountsDep
) -> TeamsPublic:
    """Your teams; an instance admin sees every team."""
    every = await teams.list()
    if not principal.is_instance_admin:
        mine = {t.team_id for t in await accounts.teams_of(principal.user_id or 0)}
        if principal.via == "token":
            mine = {principal.team_id}
        every = [t for t in every if t.id in mine]
    return TeamsPublic(data=[_public(t) for t in every], count=len(every))


@router.post("/teams", status_code=status.HTTP_201_CREATED, response_model=TeamPublic)
async def create_team(
    body: TeamCreate, principal: InstanceAdmin, request: Request, teams: TeamsDep, audit: AuditDep
) -> TeamPublic:
    """A new, empty team (instance admins); add members to it next."""
    try:
        team = await teams.create(body.name, body.quotas)
    except BadInput as err:
        raise HTTPException(status.HTTP_409_CONFLICT, str(err)) from None
    await audit.add("team.create", actor=principal.label, team_id=team.id, ip=client_ip(request))
    return _public(team)


@router.put("/teams/{team_id}/quotas", response_model=TeamPublic, responses=_MISSING)
async def set_quotas(
    team_id: TeamId,
    body: QuotasIn,
    principal: InstanceAdmin,
    request: Request,
    teams: TeamsDep,
    audit: AuditDep,
) -> TeamPublic:
    """Set a team's quotas (instance admins); null lifts one."""
    team = await teams.set_quotas(team_id, Quotas(**body.model_dump()))
    if team is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"team {team_id} does not exist")
    await audit.add(
        "team.quotas",
        actor=principal.label,
        team_id=team_id,
        ip=client_ip(request),
        **body.model_dump(),
    )
    return _public(team)


@router.put("/teams/{team_id}/members", response_model=MemberRecord, responses=_MISSING)
async def add_to_team(
    team_id: TeamId,
    body: MemberSet,
    principal: InstanceAdmin,
    request: Request,
    teams: TeamsDep,
    accounts: AccountsDep,
    audit: AuditDep,
) -> MemberRecord:
    """Put a user in any team with a role (instance admins)."""
    if await teams.get(team_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"team {team_id} does not exist")
    return await _set_member(team_id, body, principal.label, request, accounts, teams, audit)


@router.get("/team", response_model=TeamPublic)
async def current_team(principal: Viewer, teams: TeamsDep) -> TeamPublic:
    """The team you act in, with its quotas."""
    team = await teams.get(principal.team_id)
    assert team is not None  # a principal's team exists (memberships cascade)
    return _public(team)


@router.get("/team/members", response_model=MembersPublic)
async def list_members(principal: Viewer, teams: TeamsDep) -> MembersPublic:
    members = await teams.members(principal.team_id)
    return MembersPublic(data=members, count=len(members))


@router.put("/team/members", response_model=MemberRecord, responses=_MISSING)
async def set_member(
    body: MemberSet,
    principal: TeamAdmin,
    request: Request,
    teams: TeamsDep,
    accounts: AccountsDep,
    audit: AuditDep,
) -> MemberRecord:
    """Add an existing user to your team, or change their role (team admins)."""
    return await _set_member(
        principal.team_id, body, principal.label, request, accounts, teams, audit
    )


@router.delete(
    "/team/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_MISSING
)
async def remove_member(
    user_id: UserId, principal: TeamAdmin, request: Request, teams: TeamsDep, audit: AuditDep
) -> Response:
    """Take a user out of your team (team admins); the last admin cannot leave."""
    if await teams.admins_left(principal.team_id, without=user_id) == 0:
        raise HTTPException(status.HTTP_409_CONFLICT, "a team keeps at least one admin")
    if not await teams.remove_member(principal.team_id, user_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"user {user_id} is not in your team")
    await audit.add(
        "member.remove",
        actor=principal.label,
        team_id=principal.team_id,
        ip=client_ip(request),
        user_id=user_id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _set_member(
    team_id: int,
    body: MemberSet,
    actor: str,
    request: Request,
    accounts: AccountsDep,
    teams: TeamsDep,
    audit: AuditDep,
) -> MemberRecord:
    try:
        user = await accounts.user_by_email(body.email)
    except BadInput as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from None
    if user is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"no account for {body.email}: an instance admin creates accounts first",
        )
    current = {m.user_id: m.role for m in await teams.members(team_id)}
    demoting = current.get(user.id) == "admin" and body.role != "admin"
    if demoting and await teams.admins_left(team_id, without=user.id) == 0:
        raise HTTPException(status.HTTP_409_CONFLICT, "a team keeps at least one admin")
    member = await teams.set_member(team_id, user.id, body.role)
    await audit.add(
        "member.set",
        actor=actor,
        team_id=team_id,
        ip=client_ip(request),
        user=user.email,
        role=str(body.role),
    )
    return member
