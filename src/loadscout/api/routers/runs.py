"""/api/v1/runs: start, list, read, cancel and delete load-test runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status

from loadscout.api.deps import ControlDep, RepoDep
from loadscout.api.schemas import LivePublic, Message, RunCreate, RunDetail, RunPublic, RunsPublic
from loadscout.errors import BadInput
from loadscout.orchestrator.status import RunStatus
from loadscout.reports.json_report import result_dict

router = APIRouter(prefix="/runs", tags=["runs"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Message, "description": "No such run"}
}


def _missing(run_id: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"run {run_id} does not exist")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RunPublic,
    responses={400: {"model": Message, "description": "Target unreachable or not HTML"}},
)
async def create_run(body: RunCreate, control: ControlDep) -> RunPublic:
    """Queue a run: discovery (unless flows are given), then load. Poll the run to follow it."""
    try:
        record = await control.submit(body)
    except BadInput as err:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(err)) from None
    return RunPublic.from_record(record)


@router.get("", response_model=RunsPublic)
async def list_runs(
    repo: RepoDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    run_status: Annotated[RunStatus | None, Query(alias="status")] = None,
) -> RunsPublic:
    records, count = await repo.list(
        limit=limit, offset=offset, status=str(run_status) if run_status else None
    )
    return RunsPublic(data=[RunPublic.from_record(r) for r in records], count=count)


@router.get("/{run_id}", response_model=RunDetail, responses=_NOT_FOUND)
async def get_run(run_id: int, repo: RepoDep, control: ControlDep) -> RunDetail:
    record = await repo.get(run_id)
    if record is None:
        raise _missing(run_id)
    detail = RunDetail.model_validate(RunPublic.from_record(record).model_dump())
    live = control.live(run_id)
    if live is not None and live.stats is not None:
        s = live.stats
        detail.live = LivePublic(
            elapsed_s=s.elapsed_s,
            active_users=s.active_users,
            requests=s.requests,
            errors=s.errors,
            rps=s.rps,
            p50_ms=s.p50_ms,
            p95_ms=s.p95_ms,
        )
    if live is not None:
        detail.discovery_message = live.message
    if RunStatus(record.status).is_final:
        detail.summary = await repo.get_result(run_id)
    return detail


@router.get("/{run_id}/result", responses=_NOT_FOUND)
async def get_result(run_id: int, repo: RepoDep) -> dict[str, Any]:
    """The result JSON (DESIGN.md) once the run has finished."""
    record = await repo.get(run_id)
    if record is None:
        raise _missing(run_id)
    summary = await repo.get_result(run_id)
    if summary is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"run {run_id} is {record.status}; its result exists once it finishes",
        )
    return result_dict(summary)


@router.get("/{run_id}/flows", responses=_NOT_FOUND)
async def get_flows(run_id: int, repo: RepoDep) -> dict[str, Any]:
    record = await repo.get(run_id)
    if record is None:
        raise _missing(run_id)
    flowset = await repo.get_flows(run_id)
    if flowset is None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"run {run_id} has no flows yet")
    return flowset.model_dump(mode="json")


@router.post("/{run_id}/cancel", response_model=RunPublic, responses=_NOT_FOUND)
async def cancel_run(run_id: int, repo: RepoDep, control: ControlDep) -> RunPublic:
    record = await repo.get(run_id)
    if record is None:
        raise _missing(run_id)
    if RunStatus(record.status).is_final or not await control.cancel(run_id):
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"run {run_id} is {record.status} and cannot be cancelled"
        )
    return RunPublic.from_record(record)


@router.delete("/{run_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_NOT_FOUND)
async def delete_run(run_id: int, repo: RepoDep, control: ControlDep) -> Response:
    if control.is_active(run_id):
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"run {run_id} is still running; cancel it first"
        )
    if not await repo.delete(run_id):
        raise _missing(run_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
