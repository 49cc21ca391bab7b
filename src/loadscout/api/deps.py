"""FastAPI dependencies: routes reach RunControl and the repository only through these."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from loadscout.orchestrator.control import RunControl
from loadscout.store.runs import RunRepository


def get_control(request: Request) -> RunControl:
    control: RunControl = request.app.state.control
    return control


def get_repo(request: Request) -> RunRepository:
    repo: RunRepository = request.app.state.repo
    return repo


ControlDep = Annotated[RunControl, Depends(get_control)]
RepoDep = Annotated[RunRepository, Depends(get_repo)]
