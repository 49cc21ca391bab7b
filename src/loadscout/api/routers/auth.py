"""/api/v1/auth: first set-up, sign-in, sign-out, the caller, and switching teams."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, status

from loadscout.api.account_schemas import Me, SetUp, SetUpState, SignIn, TeamChoice, TeamRolePublic
from loadscout.api.auth import (
    PrincipalDep,
    clear_session_cookie,
    client_ip,
    session_cookie,
    set_session_cookie,
)
from loadscout.api.deps import AccountsDep, AuditDep, TeamsDep
from loadscout.api.login_limits import LoginLimits
from loadscout.api.schemas import Message
from loadscout.errors import BadInput
from loadscout.principals import Principal
from loadscout.store.secrets import csrf_for, same

router = APIRouter(prefix="/auth", tags=["auth"])

_REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Wrong email or password"},
    429: {"model": Message, "description": "Too many attempts: wait Retry-After seconds"},
}
WRONG = "wrong email or password"


@router.get("/setup", response_model=SetUpState)
async def setup_state(accounts: AccountsDep) -> SetUpState:
    """Whether this instance still waits for its first admin."""
    return SetUpState(needed=await accounts.count_users() == 0)


@router.post(
    "/setup",
    status_code=status.HTTP_201_CREATED,
    response_model=Me,
    responses={403: {"model": Message}, 409: {"model": Message}},
)
async def set_up(
    body: SetUp,
    request: Request,
    response: Response,
    accounts: AccountsDep,
    audit: AuditDep,
    teams: TeamsDep,
) -> Me:
    """Create the first admin with the one-time token that ``loadscout serve`` printed, and
    sign them in."""
    if await accounts.count_users() > 0:
        raise HTTPException(status.HTTP_409_CONFLICT, "this loadscout is already set up: sign in")
    expected: str | None = request.app.state.setup_secret
    if expected is None or not same(body.token.get_secret_value(), expected):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "the set-up link is wrong or was used: use the newest link the server printed",
        )
    request.app.state.setup_secret = None
    try:
        user = await accounts.create_user(
            body.email, body.password.get_secret_value(), is_admin=True
        )
    except BadInput as err:
        request.app.state.setup_secret = expected
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from None
    await audit.add("instance.setup", actor=user.email, team_id=None, ip=client_ip(request))
    secret = await accounts.open_session(user.id)
    set_session_cookie(request, response, secret)
    return await _me_of(secret, accounts, teams)


@router.post("/login", response_model=Me, responses=_REFUSED)
async def login(
    body: SignIn,
    request: Request,
    response: Response,
    accounts: AccountsDep,
    audit: AuditDep,
    teams: TeamsDep,
) -> Me:
    """Sign in with email and password; the answer sets the session cookie."""
    limits: LoginLimits = request.app.state.login_limits
    ip = client_ip(request)
    wait = limits.wait(ip, body.email)
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"too many sign-in attempts: try again in {wait:.0f} s",
            headers={"Retry-After": f"{wait:.0f}"},
        )
    user = await accounts.authenticate(body.email, body.password.get_secret_value())
    if user is None:
        limits.failed(ip, body.email)
        await audit.add("auth.signin_failed", actor=body.email.strip().lower()[:320], ip=ip)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, WRONG)
    secret = await accounts.open_session(user.id)
    set_session_cookie(request, response, secret)
    me = await _me_of(secret, accounts, teams)
    # under the team the session starts in, so that team's admins see who signs in
    await audit.add("auth.signin", actor=user.email, team_id=me.team_id, ip=ip)
    return me


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    principal: PrincipalDep, request: Request, accounts: AccountsDep, audit: AuditDep
) -> Response:
    """End this session on the server (the cookie stops working at once, everywhere)."""
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    if principal.session_id is not None:
        await accounts.revoke_session(principal.session_id)
        team = principal.team_id if principal.in_team else None
        await audit.add("auth.signout", actor=principal.label, team_id=team, ip=client_ip(request))
    clear_session_cookie(request, response)
    return response


@router.get("/me", response_model=Me)
async def me(
    principal: PrincipalDep, request: Request, accounts: AccountsDep, teams: TeamsDep
) -> Me:
    """Who is signed in, the team they act in, their other teams, and the CSRF token."""
    secret = session_cookie(request) if principal.via == "session" else None
    return await _me(principal, secret, accounts, teams)


@router.post("/team", response_model=Me, responses={404: {"model": Message}})
async def switch_team(
    body: TeamChoice,
    principal: PrincipalDep,
    request: Request,
    accounts: AccountsDep,
    teams: TeamsDep,
) -> Me:
    """Act in another of your teams (sessions only: a token belongs to one team)."""
    ok = (
        principal.session_id is not None
        and principal.user_id is not None
        and await accounts.switch_team(principal.session_id, principal.user_id, body.team_id)
    )
    if not ok:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"you are in no team {body.team_id}")
    return await _me_of(session_cookie(request) or "", accounts, teams)


async def _me_of(secret: str, accounts: AccountsDep, teams: TeamsDep) -> Me:
    principal = await accounts.session_principal(secret)
    assert principal is not None  # just opened or just checked
    return await _me(principal, secret, accounts, teams)


async def _me(
    principal: Principal, secret: str | None, accounts: AccountsDep, teams: TeamsDep
) -> Me:
    mine = await accounts.teams_of(principal.user_id) if principal.user_id is not None else []
    team = await teams.get(principal.team_id) if principal.in_team else None
    return Me(
        via=principal.via,
        label=principal.label,
        user_id=principal.user_id,
        email=principal.label if principal.via == "session" else None,
        is_instance_admin=principal.is_instance_admin,
        team_id=team.id if team else None,
        team_name=team.name if team else None,
        role=principal.role if team else None,
        teams=[TeamRolePublic(team_id=t.team_id, name=t.name, role=t.role) for t in mine],
        csrf_token=csrf_for(secret) if secret else None,
    )
