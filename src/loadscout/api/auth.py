"""Who is calling, and may they: the one place the API authenticates and decides access.

A request carries either ``Authorization: Bearer lsk_…`` (a team's API token) or the
dashboard's session cookie. Cookie-authenticated writes must also send the session's CSRF
token in ``X-CSRF-Token``. Anything outside the caller's team answers 404, like a missing
object, so ids of other teams' runs are not confirmed (see ``deps.get_run_record``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response, status

from loadscout.principals import Principal, Role
from loadscout.store.accounts import SESSION_TTL, AccountRepository
from loadscout.store.secrets import csrf_for, same
from loadscout.store.tokens import TokenRepository

CSRF_HEADER = "x-csrf-token"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def cookie_name(secure: bool) -> str:
    """``__Host-`` binds the cookie to this exact origin; browsers accept that prefix only on
    Secure cookies (loopback counts as secure even over plain HTTP)."""
    return "__Host-loadscout_session" if secure else "loadscout_session"


def session_cookie(request: Request) -> str | None:
    secure: bool = request.app.state.cookie_secure
    return request.cookies.get(cookie_name(secure))


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    secure: bool = request.app.state.cookie_secure
    response.set_cookie(
        cookie_name(secure),
        secret,
        max_age=int(SESSION_TTL.total_seconds()),
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    secure: bool = request.app.state.cookie_secure
    response.delete_cookie(
        cookie_name(secure), path="/", secure=secure, httponly=True, samesite="lax"
    )


def unauthenticated(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def get_principal(request: Request) -> Principal:
    """The caller, or 401. Tokens win over cookies, so a CI script in a browser-like client
    never needs a CSRF token."""
    header = request.headers.get("authorization")
    if header is not None:
        return await _token_principal(request, header)
    secret = session_cookie(request)
    if secret is None:
        raise unauthenticated("sign in first, or send an API token: Authorization: Bearer lsk_…")
    accounts: AccountRepository = request.app.state.accounts
    principal = await accounts.session_principal(secret)
    if principal is None:
        raise unauthenticated("your session has ended (signed out, expired or revoked): sign in")
    if request.method in _WRITES and not same(
        request.headers.get(CSRF_HEADER, ""), csrf_for(secret)
    ):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"missing or wrong CSRF token: send the session's token in {CSRF_HEADER}",
        )
    request.state.principal = principal
    return principal


async def _token_principal(request: Request, header: str) -> Principal:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("the Authorization header must be 'Bearer lsk_…'")
    tokens: TokenRepository = request.app.state.tokens
    principal = await tokens.principal(token.strip())
    if principal is None:
        raise unauthenticated("the API token is unknown, revoked or expired")
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def need(role: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: PrincipalDep) -> Principal:
        if not principal.in_team:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, "you are in no team yet: ask an admin to add you"
            )
        if not principal.can(role):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"your role in this team is {principal.role}; this needs {role} or above",
            )
        return principal

    return check


async def instance_admin(principal: PrincipalDep) -> Principal:
    if not principal.is_instance_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only an instance admin may do this")
    return principal


Viewer = Annotated[Principal, Depends(need(Role.VIEWER))]
Runner = Annotated[Principal, Depends(need(Role.RUNNER))]
TeamAdmin = Annotated[Principal, Depends(need(Role.ADMIN))]
InstanceAdmin = Annotated[Principal, Depends(instance_admin)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""
