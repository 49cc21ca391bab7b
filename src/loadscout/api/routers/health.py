"""Liveness, readiness and Prometheus metrics, outside /api/v1 where operators expect them."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from loadscout import __version__
from loadscout.api import prometheus
from loadscout.api.auth import Viewer
from loadscout.api.deps import ControlDep, RepoDep
from loadscout.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up and serving HTTP."""
    return Health(status="ok", version=__version__)


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(repo: RepoDep, control: ControlDep, response: Response) -> Health:
    """Ready to take runs: the database answers and this server is claiming from the queue."""
    checks = {"database": "ok", "queue": "ok" if control.running else "stopped"}
    try:
        await repo.ping()
    except Exception as err:
        checks["database"] = f"unreachable: {type(err).__name__}"
    ready = all(v == "ok" for v in checks.values())
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if ready else "unavailable", version=__version__, checks=checks)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {prometheus.CONTENT_TYPE: {}}, "description": "Prometheus text"}},
)
async def metrics(principal: Viewer, repo: RepoDep, control: ControlDep) -> Response:
    """Your team's runs by status, and requests, errors and latency of its runs loading on
    this server (scrape it with a viewer token: ``Authorization: Bearer lsk_…``)."""
    active = {}
    for run_id, live in control.active_runs().items():
        record = await repo.get(run_id)
        if record is not None and record.team_id == principal.team_id:
            active[run_id] = live.stats
    body = prometheus.render(await repo.count_by_status(team_id=principal.team_id), active)
    return Response(body, media_type=prometheus.CONTENT_TYPE)
