"""FastAPI dependencies: routes reach RunControl and the repositories only through these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar, cast

from fastapi import Depends, HTTPException, Path, Request, status

from loadscout.api.auth import Viewer
from loadscout.orchestrator.control import RunControl
from loadscout.store.accounts import AccountRepository
from loadscout.store.audit import AuditLog
from loadscout.store.records import RunRecord
from loadscout.store.runs import RunRepository
from loadscout.store.series import SeriesRepository
from loadscout.store.targets import TargetRepository
from loadscout.store.teams import TeamRepository
from loadscout.store.tokens import TokenRepository

# Run ids are 32-bit integers in the database; bounding them keeps odd ids a clean 404/422.
RunId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The run's id", examples=[42])]


T = TypeVar("T")


def from_state(name: str, kind: type[T]) -> Callable[[Request], T]:
    """A dependency handing out what the app's lifespan put in ``app.state.<name>``."""

    def get(request: Request) -> T:
        return cast(T, getattr(request.app.state, name))

    get.__name__ = f"get_{name}"
    return get


ControlDep = Annotated[RunControl, Depends(from_state("control", RunControl))]
AccountsDep = Annotated[AccountRepository, Depends(from_state("accounts", AccountRepository))]
TeamsDep = Annotated[TeamRepository, Depends(from_state("teams", TeamRepository))]
TokensDep = Annotated[TokenRepository, Depends(from_state("tokens", TokenRepository))]
TargetsDep = Annotated[TargetRepository, Depends(from_state("targets", TargetRepository))]
AuditDep = Annotated[AuditLog, Depends(from_state("audit", AuditLog))]
RepoDep = Annotated[RunRepository, Depends(from_state("repo", RunRepository))]
SeriesDep = Annotated[SeriesRepository, Depends(from_state("series", SeriesRepository))]


def missing(run_id: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"run {run_id} does not exist")


async def get_run_record(run_id: RunId, repo: RepoDep, principal: Viewer) -> RunRecord:
    """The run, when it is the caller's team's; otherwise the same 404 as a missing run."""
    record = await repo.get(run_id)
    if record is None or record.team_id != principal.team_id:
        raise missing(run_id)
    return record


RunDep = Annotated[RunRecord, Depends(get_run_record)]
