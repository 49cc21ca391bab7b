"""/api/v1/runs: start, list, read, cancel and delete load-test runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query, Request, Response, status

from loadscout.api.auth import Runner, TeamAdmin, Viewer, client_ip
from loadscout.api.deps import AuditDep, ControlDep, RepoDep, RunDep, TeamsDep, missing
from loadscout.api.live import live_public
from loadscout.api.schemas import (
    AuditEntry,
    Message,
    RunCreate,
    RunDetail,
    RunPublic,
    RunsPublic,
    ValidationFailed,
)
from loadscout.errors import BadInput
from loadscout.orchestrator.control import RerunRefused
from loadscout.orchestrator.limits import OptionRejected
from loadscout.orchestrator.target_gate import TargetNotVerified
from loadscout.principals import Principal
from loadscout.status import RunStatus
from loadscout.store.account_records import AuditRecord
from loadscout.store.queue import CancelOutcome
from loadscout.store.quotas import QuotaExceeded
from loadscout.store.records import RunRecord as RunRecordT
from loadscout.store.runs import RunOwner

router = APIRouter(prefix="/runs", tags=["runs"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Message, "description": "No such run"},
    422: {"model": ValidationFailed, "description": "A field is invalid: its name and why"},
}
RunSort = Literal[
    "created_at",
    "-created_at",
    "started_at",
    "-started_at",
    "finished_at",
    "-finished_at",
    "status",
    "-status",
    "target_url",
    "-target_url",
    "users",
    "-users",
    "requests",
    "-requests",
    "error_rate",
    "-error_rate",
    "rps",
    "-rps",
    "p95_ms",
    "-p95_ms",
    "id",
    "-id",
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RunPublic,
    responses={
        400: {"model": Message, "description": "Target unreachable or not HTML"},
        422: {"model": ValidationFailed, "description": "A field is invalid or over a limit"},
        403: {"model": Message, "description": "Over the free allowance, target not verified"},
        429: {"model": Message, "description": "Over one of the team's quotas"},
    },
)
async def create_run(
    body: RunCreate, principal: Runner, request: Request, control: ControlDep, teams: TeamsDep
) -> RunPublic:
    """Queue a run for your team: discovery (unless ``flowset`` is given), then load. Runs
    beyond the server's concurrency limit wait in the queue, oldest first. Poll the run to
    follow it."""
    owner = await run_owner(principal, request, teams)
    try:
        record = await control.submit(body.to_options(), owner)
    except OptionRejected:
        raise
    except QuotaExceeded as err:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(err)) from None
    except TargetNotVerified as err:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(err)) from None
    except BadInput as err:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(err)) from None
    return RunPublic.from_record(record)


async def run_owner(principal: Principal, request: Request, teams: TeamsDep) -> RunOwner:
    """The caller's team as the owner of a new run, with its quotas."""
    team = await teams.get(principal.team_id)
    assert team is not None  # a principal acts in a team that exists
    return RunOwner(
        team_id=team.id, label=principal.label, quotas=team.quotas, ip=client_ip(request)
    )


def _aware(value: datetime | None) -> datetime | None:
    """Query dates without a zone are taken as UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@router.get("", response_model=RunsPublic, responses={422: NOT_FOUND[422]})
async def list_runs(
    repo: RepoDep,
    principal: Viewer,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    run_status: Annotated[RunStatus | None, Query(alias="status")] = None,
    target: Annotated[
        str | None,
        Query(max_length=2000, pattern=r"^[^\x00]*$", description="Part of the target URL"),
    ] = None,
    created_after: Annotated[
        datetime | None, Query(description="Created at or after (ISO 8601; UTC if no zone)")
    ] = None,
    created_before: Annotated[datetime | None, Query(description="Created before")] = None,
    sort: Annotated[RunSort, Query(description="Sort key; a leading '-' sorts descending")] = (
        "-created_at"
    ),
) -> RunsPublic:
    """One page of runs and how many match; filters combine with AND."""
    records, count = await repo.list(
        limit=limit,
        offset=offset,
        status=run_status,
        target=target,
        created_after=_aware(created_after),
        created_before=_aware(created_before),
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
        team_id=principal.team_id,
    )
    return RunsPublic(data=[RunPublic.from_record(r) for r in records], count=count)


@router.get("/{run_id}", response_model=RunDetail, responses=NOT_FOUND)
async def get_run(record: RunDep, repo: RepoDep, control: ControlDep, audit: AuditDep) -> RunDetail:
    """The run, its live numbers while it loads on this server, its summary once done, and
    its audit trail (who started, cancelled or re-ran it)."""
    detail = RunDetail.model_validate(RunPublic.from_record(record).model_dump())
    detail.audit = [_trail(e) for e in await audit.for_run(record.id)]
    live = control.live(record.id)
    if live is not None:
        detail.live = live_public(live.stats)
        detail.discovery_message = live.message
    if record.status.is_final:
        detail.summary = await repo.get_result(record.id)
    return detail


@router.post(
    "/{run_id}/cancel",
    response_model=RunPublic,
    responses={**NOT_FOUND, 409: {"model": Message, "description": "The run already finished"}},
)
async def cancel_run(
    found: RunDep,
    principal: Runner,
    request: Request,
    repo: RepoDep,
    control: ControlDep,
    audit: AuditDep,
) -> RunPublic:
    """Stop a run: a queued one at once, a running one within 2 s, keeping partial results."""
    run_id = found.id
    outcome = await control.cancel(run_id)
    record = await repo.get(run_id)
    if outcome is CancelOutcome.MISSING or record is None:
        raise missing(run_id)
    if outcome is CancelOutcome.FINISHED:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"run {run_id} is {record.status} and cannot be cancelled"
        )
    await _audit(audit, "run.cancel", principal, request, record)
    return RunPublic.from_record(record)


@router.post(
    "/{run_id}/rerun",
    status_code=status.HTTP_201_CREATED,
    response_model=RunPublic,
    responses={
        **NOT_FOUND,
        409: {"model": Message, "description": "Not finished, or no flows were kept to replay"},
    },
)
async def rerun(
    found: RunDep, principal: Runner, request: Request, control: ControlDep, teams: TeamsDep
) -> RunPublic:
    """Queue a new run with this finished run's settings and the same flows it replayed (no
    new discovery), so the two compare like for like."""
    run_id = found.id
    try:
        record = await control.rerun(run_id, await run_owner(principal, request, teams))
    except OptionRejected:
        raise
    except QuotaExceeded as err:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(err)) from None
    except RerunRefused as err:
        raise HTTPException(status.HTTP_409_CONFLICT, str(err)) from None
    if record is None:
        raise missing(run_id)
    return RunPublic.from_record(record)


@router.delete(
    "/{run_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND, 409: {"model": Message, "description": "The run is still running"}},
)
async def delete_run(
    record: RunDep,
    principal: TeamAdmin,
    request: Request,
    repo: RepoDep,
    control: ControlDep,
    audit: AuditDep,
) -> Response:
    """Delete a finished or queued run with everything stored about it (team admins)."""
    running = record.status in (RunStatus.DISCOVERING, RunStatus.LOADING)
    if running or control.is_active(record.id):
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"run {record.id} is still running; cancel it first"
        )
    if not await repo.delete(record.id):
        raise missing(record.id)
    await control.remove_artifacts(record.id)
    await _audit(audit, "run.delete", principal, request, record)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _audit(
    audit: AuditDep, action: str, principal: Principal, request: Request, record: RunRecordT
) -> None:
    await audit.add(
        action,
        actor=principal.label,
        team_id=principal.team_id,
        run_id=record.id,
        host=urlsplit(record.target_url).netloc,
        ip=client_ip(request),
        users=record.users,
        duration_s=record.duration_s,
    )


def _trail(event: AuditRecord) -> AuditEntry:
    return AuditEntry(at=event.at, actor=event.actor, action=event.action)
