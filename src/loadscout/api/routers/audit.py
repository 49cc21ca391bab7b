"""/api/v1/audit: the append-only log, the team's for its admins, all of it for instance
admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from loadscout.api.account_schemas import AuditPublic
from loadscout.api.auth import TeamAdmin
from loadscout.api.deps import AuditDep

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditPublic)
async def list_audit(
    principal: TeamAdmin,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    instance: Annotated[bool, Query(description="The whole instance's (instance admins)")] = False,
) -> AuditPublic:
    """Newest first: who started, cancelled and deleted which runs against which host, sign-ins,
    tokens and membership changes."""
    if instance and not principal.is_instance_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only an instance admin may read it all")
    events, count = await audit.list(
        team_id=None if instance else principal.team_id, limit=limit, offset=offset
    )
    return AuditPublic(data=events, count=count)
