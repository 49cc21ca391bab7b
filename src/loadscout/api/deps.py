"""FastAPI dependencies: routes reach RunControl and the repositories only through these."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status

from loadscout.orchestrator.control import RunControl
from loadscout.store.records import RunRecord
from loadscout.store.runs import RunRepository
from loadscout.store.series import SeriesRepository

# Run ids are 32-bit integers in the database; bounding them keeps odd ids a clean 404/422.
RunId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The run's id", examples=[42])]


def get_control(request: Request) -> RunControl:
    control: RunControl = request.app.state.control
    return control


def get_repo(request: Request) -> RunRepository:
    repo: RunRepository = request.app.state.repo
    return repo


def get_series(request: Request) -> SeriesRepository:
    series: SeriesRepository = request.app.state.series
    return series


ControlDep = Annotated[RunControl, Depends(get_control)]
RepoDep = Annotated[RunRepository, Depends(get_repo)]
SeriesDep = Annotated[SeriesRepository, Depends(get_series)]


def missing(run_id: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"run {run_id} does not exist")


async def get_run_record(run_id: RunId, repo: RepoDep) -> RunRecord:
    record = await repo.get(run_id)
    if record is None:
        raise missing(run_id)
    return record


RunDep = Annotated[RunRecord, Depends(get_run_record)]
