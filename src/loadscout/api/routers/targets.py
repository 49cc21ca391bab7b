"""/api/v1/targets: the hosts a team proves it owns, so it may load them past the free
allowance (team mode; see docs/targets.md)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Path, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from loadscout.api.auth import TeamAdmin, Viewer, client_ip
from loadscout.api.deps import AuditDep, ControlDep, TargetsDep
from loadscout.api.schemas import Message
from loadscout.errors import BadInput
from loadscout.orchestrator.ownership import (
    DNS_LABEL,
    META_NAME,
    WELL_KNOWN_PATH,
    new_verification_token,
    verify_target,
)
from loadscout.orchestrator.target_gate import target_host
from loadscout.store.targets import TargetRecord

router = APIRouter(prefix="/targets", tags=["targets"])
TargetId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_MISSING: dict[int | str, dict[str, Any]] = {404: {"model": Message}}


class TargetCreate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=2000,
        examples=["https://shop.example.com/"],
        description="The start page runs will use; its host is what gets verified",
    )


class TargetPublic(TargetRecord):
    """A target, and the three places its token may be published."""

    file_url: str
    meta_tag: str
    dns_name: str


class TargetsPublic(BaseModel):
    data: list[TargetPublic]
    count: int


def _public(t: TargetRecord) -> TargetPublic:
    parts = urlsplit(t.url)  # the file is looked for on the URL's own port
    return TargetPublic(
        **t.model_dump(),
        file_url=f"{parts.scheme}://{parts.netloc}{WELL_KNOWN_PATH}",
        meta_tag=f'<meta name="{META_NAME}" content="{t.token}">',
        dns_name=f"{DNS_LABEL}.{t.host}",
    )


@router.get("", response_model=TargetsPublic)
async def list_targets(principal: Viewer, targets: TargetsDep) -> TargetsPublic:
    found = await targets.list(principal.team_id)
    return TargetsPublic(data=[_public(t) for t in found], count=len(found))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TargetPublic)
async def add_target(
    body: TargetCreate,
    principal: TeamAdmin,
    request: Request,
    targets: TargetsDep,
    audit: AuditDep,
) -> TargetPublic:
    """Add a host with a new token; publish the token, then check it."""
    try:
        host = target_host(body.url)
        if not body.url.lower().startswith(("http://", "https://")):
            raise BadInput(f"{body.url!r} must start with http:// or https://")
        target = await targets.create(
            team_id=principal.team_id, host=host, url=body.url, token=new_verification_token()
        )
    except BadInput as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from None
    await audit.add(
        "target.create",
        actor=principal.label,
        team_id=principal.team_id,
        host=host,
        ip=client_ip(request),
    )
    return _public(target)


@router.post("/{target_id}/check", response_model=TargetPublic, responses=_MISSING)
async def check_target(
    target_id: TargetId,
    principal: TeamAdmin,
    request: Request,
    targets: TargetsDep,
    control: ControlDep,
    audit: AuditDep,
) -> TargetPublic:
    """Look for the token now (file, meta tag, DNS TXT) and keep the outcome."""
    target = await targets.get(principal.team_id, target_id)
    if target is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"target {target_id} does not exist")
    found = await verify_target(target.url, target.token, policy=control.config.egress)
    checked = await targets.record_check(
        target.id, verified=found.verified, method=found.method, detail=found.detail
    )
    await audit.add(
        "target.check",
        actor=principal.label,
        team_id=principal.team_id,
        host=target.host,
        ip=client_ip(request),
        verified=found.verified,
        method=found.method,
    )
    assert checked is not None
    return _public(checked)


@router.delete("/{target_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_MISSING)
async def delete_target(
    target_id: TargetId,
    principal: TeamAdmin,
    request: Request,
    targets: TargetsDep,
    audit: AuditDep,
) -> Response:
    target = await targets.get(principal.team_id, target_id)
    if target is None or not await targets.delete(principal.team_id, target_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"target {target_id} does not exist")
    await audit.add(
        "target.delete",
        actor=principal.label,
        team_id=principal.team_id,
        host=target.host,
        ip=client_ip(request),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
