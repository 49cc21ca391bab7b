"""/api/v1/tokens: the current team's API tokens for CI (team admins)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status

from loadscout.api.account_schemas import TokenCreate, TokenCreated, TokensPublic
from loadscout.api.auth import TeamAdmin, client_ip
from loadscout.api.deps import AuditDep, TokensDep
from loadscout.api.schemas import Message
from loadscout.errors import BadInput
from loadscout.store.account_records import TokenRecord
from loadscout.store.time import utc_now

router = APIRouter(prefix="/tokens", tags=["tokens"])
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", response_model=TokensPublic)
async def list_tokens(principal: TeamAdmin, tokens: TokensDep) -> TokensPublic:
    """The team's tokens, revoked ones included, with when each was last used (never the
    token itself: only its first characters)."""
    found = await tokens.list(principal.team_id)
    return TokensPublic(data=found, count=len(found))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TokenCreated)
async def create_token(
    body: TokenCreate, principal: TeamAdmin, request: Request, tokens: TokensDep, audit: AuditDep
) -> TokenCreated:
    """A new token for the team, shown in this answer only: store it in your CI's secrets.
    Its role cannot exceed yours."""
    if not principal.role.allows(body.role):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"you cannot grant {body.role}")
    expires = None
    if body.expires_in_days is not None:
        expires = utc_now() + timedelta(days=body.expires_in_days)
    try:
        token, record = await tokens.create(
            team_id=principal.team_id,
            name=body.name,
            role=body.role,
            created_by=principal.label,
            expires_at=expires,
        )
    except BadInput as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from None
    await audit.add(
        "token.create",
        actor=principal.label,
        team_id=principal.team_id,
        ip=client_ip(request),
        token=record.prefix,
        name=record.name,
        role=str(record.role),
    )
    return TokenCreated(token=token, record=record)


@router.delete("/{token_id}", response_model=TokenRecord, responses={404: {"model": Message}})
async def revoke_token(
    token_id: TokenId, principal: TeamAdmin, request: Request, tokens: TokensDep, audit: AuditDep
) -> TokenRecord:
    """Revoke a token: it stops working with the next request."""
    record = await tokens.revoke(principal.team_id, token_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"token {token_id} does not exist")
    await audit.add(
        "token.revoke",
        actor=principal.label,
        team_id=principal.team_id,
        ip=client_ip(request),
        token=record.prefix,
        name=record.name,
    )
    return record
