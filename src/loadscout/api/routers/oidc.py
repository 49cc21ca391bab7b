"""/api/v1/auth/oidc: single sign-on through an OpenID Connect provider.

``/login`` and ``/callback`` are browser navigations, not API calls: they answer redirects, and
every failure goes back to the dashboard's ``/signin?error=…`` with one short sentence.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from loadscout.api.auth import client_ip, set_session_cookie
from loadscout.api.deps import AccountsDep, AuditDep, TeamsDep
from loadscout.api.oidc import OidcClient, SignInRefused
from loadscout.api.oidc_config import safe_next
from loadscout.api.oidc_signin import apply_sign_in

router = APIRouter(prefix="/auth/oidc", tags=["auth"])
_NEXT = "next"


class SsoState(BaseModel):
    enabled: bool
    name: str  # the provider's name, for the "Sign in with …" button


@router.get("", response_model=SsoState)
async def sso_state(request: Request) -> SsoState:
    """Whether this server offers single sign-on, and through whom."""
    client: OidcClient | None = request.app.state.oidc
    if client is None:
        return SsoState(enabled=False, name="")
    return SsoState(enabled=True, name=client.config.display_name)


@router.get("/login", include_in_schema=False)
async def sso_login(request: Request, next_: Annotated[str, Query(alias="next")] = "/") -> Response:
    """Off to the provider; back at ``next`` (a path on this server) once signed in."""
    client = _client(request)
    request.session[_NEXT] = safe_next(next_)
    try:
        return await client.redirect(request)
    except SignInRefused as err:
        return _to_signin(str(err))


@router.get("/callback", include_in_schema=False)
async def sso_callback(
    request: Request, accounts: AccountsDep, audit: AuditDep, teams: TeamsDep
) -> Response:
    """The provider's answer: check it, bring the account up to date, open a session."""
    client = _client(request)
    target = safe_next(request.session.pop(_NEXT, "/"))
    ip = client_ip(request)
    try:
        identity = await client.identity(request)
        user = await apply_sign_in(
            identity, client.config, accounts=accounts, teams=teams, audit=audit, ip=ip
        )
    except SignInRefused as err:
        await audit.add("auth.signin_sso_failed", actor="", ip=ip, reason=str(err))
        return _to_signin(str(err))
    await audit.add("auth.signin_sso", actor=user.email, ip=ip, subject=identity.subject)
    secret = await accounts.open_session(user.id)
    response = RedirectResponse(target, status.HTTP_303_SEE_OTHER)
    set_session_cookie(request, response, secret)
    return response


def _client(request: Request) -> OidcClient:
    client: OidcClient | None = request.app.state.oidc
    if client is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            "single sign-on is not configured on this server (LOADSCOUT_OIDC_ISSUER)",
        )
    return client


def _to_signin(message: str) -> RedirectResponse:
    return RedirectResponse(f"/signin?error={quote(message)}", status.HTTP_303_SEE_OTHER)
