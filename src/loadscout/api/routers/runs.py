"""/api/v1/runs: start, list, read, cancel and delete load-test runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status

from loadscout.api.deps import ControlDep, RepoDep, RunDep, RunId, missing
from loadscout.api.live import live_public
from loadscout.api.schemas import (
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
from loadscout.status import RunStatus
from loadscout.store.queue import CancelOutcome

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
    },
)
async def create_run(body: RunCreate, control: ControlDep) -> RunPublic:
    """Queue a run: discovery (unless ``flowset`` is given), then load. Runs beyond the
    server's concurrency limit wait in the queue, oldest first. Poll the run to follow it."""
    try:
        record = await control.submit(body.to_options())
    except OptionRejected:
        raise
    except BadInput as err:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(err)) from None
    return RunPublic.from_record(record)


def _aware(value: datetime | None) -> datetime | None:
    """Query dates without a zone are taken as UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@router.get("", response_model=RunsPublic, responses={422: NOT_FOUND[422]})
async def list_runs(
    repo: RepoDep,
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
    )
    return RunsPublic(data=[RunPublic.from_record(r) for r in records], count=count)


@router.get("/{run_id}", response_model=RunDetail, responses=NOT_FOUND)
async def get_run(record: RunDep, repo: RepoDep, control: ControlDep) -> RunDetail:
    """The run, its live numbers while it loads on this server, and its summary once done."""
    detail = RunDetail.model_validate(RunPublic.from_record(record).model_dump())
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
async def cancel_run(run_id: RunId, repo: RepoDep, control: ControlDep) -> RunPublic:
    """Stop a run: a queued one at once, a running one within 2 s, keeping partial results."""
    outcome = await control.cancel(run_id)
    record = await repo.get(run_id)
    if outcome is CancelOutcome.MISSING or record is None:
        raise missing(run_id)
    if outcome is CancelOutcome.FINISHED:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"run {run_id} is {record.status} and cannot be cancelled"
        )
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
async def rerun(run_id: RunId, control: ControlDep) -> RunPublic:
    """Queue a new run with this finished run's settings and the same flows it replayed (no
    new discovery), so the two compare like for like."""
    try:
        record = await control.rerun(run_id)
    except OptionRejected:
        raise
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
async def delete_run(record: RunDep, repo: RepoDep, control: ControlDep) -> Response:
    """Delete a finished or queued run with everything stored about it."""
    running = record.status in (RunStatus.DISCOVERING, RunStatus.LOADING)
    if running or control.is_active(record.id):
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"run {record.id} is still running; cancel it first"
        )
    if not await repo.delete(record.id):
        raise missing(record.id)
    await control.remove_artifacts(record.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
