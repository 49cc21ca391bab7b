"""/api/v1/runs/{id}/...: what a run produced: flows, events, the metric series, the result."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, status

from loadscout.api.auth import Runner
from loadscout.api.deps import ControlDep, RepoDep, RunDep, SeriesDep, missing
from loadscout.api.live import live_public
from loadscout.api.routers.runs import NOT_FOUND
from loadscout.api.schemas import EventPublic, EventsPublic, Message, MetricPoint, MetricsPublic
from loadscout.flows.model import FlowSet
from loadscout.metrics.summary import RunSummary
from loadscout.status import RunStatus

router = APIRouter(prefix="/runs", tags=["runs"])

_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": Message, "description": "Not available in the run's current status"}
}


@router.get("/{run_id}/result", response_model=RunSummary, responses={**NOT_FOUND, **_CONFLICT})
async def get_result(record: RunDep, repo: RepoDep) -> RunSummary:
    """The result JSON (DESIGN.md) once the run has finished."""
    summary = await repo.get_result(record.id)
    if summary is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"run {record.id} is {record.status}; its result exists once it finishes",
        )
    return summary


@router.get("/{run_id}/flows", response_model=FlowSet, responses={**NOT_FOUND, **_CONFLICT})
async def get_flows(record: RunDep, repo: RepoDep) -> FlowSet:
    """The run's FlowSet: given at creation, edited, or found by discovery."""
    flowset = await repo.get_flows(record.id)
    if flowset is None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"run {record.id} has no flows yet")
    return flowset


@router.put("/{run_id}/flows", response_model=FlowSet, responses={**NOT_FOUND, **_CONFLICT})
async def put_flows(
    found: RunDep,
    _: Runner,
    flowset: Annotated[FlowSet, Body(description="The flows to replay instead of discovering")],
    control: ControlDep,
) -> FlowSet:
    """Replace a queued run's flows before it starts; the run then skips discovery."""
    run_id = found.id
    outcome = await control.edit_flows(run_id, flowset)
    if outcome is None:
        raise missing(run_id)
    if outcome is not RunStatus.QUEUED:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"run {run_id} is {outcome}; flows can be edited only while it is queued",
        )
    return flowset


@router.get("/{run_id}/events", response_model=EventsPublic, responses=NOT_FOUND)
async def get_events(record: RunDep, repo: RepoDep) -> EventsPublic:
    """Every status change (and retry, claim, edit) of the run, oldest first, with reasons."""
    events = await repo.events(record.id)
    data = [EventPublic(at=e.at, status=e.status, reason=e.reason) for e in events]
    return EventsPublic(data=data, count=len(data))


@router.get("/{run_id}/metrics", response_model=MetricsPublic, responses=NOT_FOUND)
async def get_metrics(
    record: RunDep,
    series: SeriesDep,
    control: ControlDep,
    since: Annotated[
        int, Query(ge=-1, le=10**7, description="Only seconds after this t; -1 for all")
    ] = -1,
) -> MetricsPublic:
    """The per-second series: written every few seconds while the run loads, exact at the end.

    Poll with ``since`` set to the last ``t`` you have to get only new seconds.
    """
    points = await series.since(record.id, since)
    live = control.live(record.id)
    return MetricsPublic(
        data=[MetricPoint(**p.model_dump()) for p in points],
        count=len(points),
        status=record.status,
        live=None if live is None else live_public(live.stats),
    )
