"""FastAPI dependencies: routes reach RunControl and the repositories only through these."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status

from loadscout.api.auth import Viewer
from loadscout.orchestrator.control import RunControl
from loadscout.store.accounts import AccountRepository
from loadscout.store.audit import AuditLog
from loadscout.store.records import RunRecord
from loadscout.store.runs import RunRepository
from loadscout.store.series import SeriesRepository
from loadscout.store.teams import TeamRepository
from loadscout.store.tokens import TokenRepository

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


def get_accounts(request: Request) -> AccountRepository:
    accounts: AccountRepository = request.app.state.accounts
    return accounts


def get_teams(request: Request) -> TeamRepository:
    teams: TeamRepository = request.app.state.teams
    return teams


def get_tokens(request: Request) -> TokenRepository:
    tokens: TokenRepository = request.app.state.tokens
    return tokens


def get_audit(request: Request) -> AuditLog:
    audit: AuditLog = request.app.state.audit
    return audit


ControlDep = Annotated[RunControl, Depends(get_control)]
AccountsDep = Annotated[AccountRepository, Depends(get_accounts)]
TeamsDep = Annotated[TeamRepository, Depends(get_teams)]
TokensDep = Annotated[TokenRepository, Depends(get_tokens)]
AuditDep = Annotated[AuditLog, Depends(get_audit)]
RepoDep = Annotated[RunRepository, Depends(get_repo)]
SeriesDep = Annotated[SeriesRepository, Depends(get_series)]


def missing(run_id: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"run {run_id} does not exist")


async def get_run_record(run_id: RunId, repo: RepoDep, principal: Viewer) -> RunRecord:
    """The run, when it is the caller's team's; otherwise the same 404 as a missing run."""
    record = await repo.get(run_id)
    if record is None or record.team_id != principal.team_id:
        raise missing(run_id)
    return record


RunDep = Annotated[RunRecord, Depends(get_run_record)]
