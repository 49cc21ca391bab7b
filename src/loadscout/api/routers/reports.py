"""/api/v1/runs/{id}/report.{json|csv|html|xml}: the result as a file to download (xml is
JUnit, for CI)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, status
from fastapi import Path as PathParam
from fastapi.responses import Response

from loadscout.api.deps import AuditDep, RepoDep, RunDep
from loadscout.api.routers.runs import NOT_FOUND
from loadscout.api.schemas import Message
from loadscout.reports.formats import REPORTS, ReportExtension, format_of, report_filename
from loadscout.reports.html_report import TrailEntry, html_text

router = APIRouter(prefix="/runs", tags=["runs"])

_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/xml": {"schema": {"type": "string"}},
        },
        "description": "The report as a file (Content-Disposition: attachment)",
    },
    409: {"model": Message, "description": "The run has no result yet"},
}


@router.get(
    "/{run_id}/report.{fmt}",
    response_class=Response,
    responses={**NOT_FOUND, **_FILES},
)
async def get_report(
    record: RunDep,
    repo: RepoDep,
    audit: AuditDep,
    fmt: Annotated[ReportExtension, PathParam(description="json, csv, html or xml (JUnit)")],
) -> Response:
    """The finished run's result as JSON, CSV (steps, then thresholds), one HTML file or
    JUnit XML (a test case per threshold and per flow, for CI)."""
    summary = await repo.get_result(record.id)
    if summary is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"run {record.id} is {record.status}; its report exists once it finishes",
        )
    name = format_of(fmt)
    kind = REPORTS[name]
    disposition = f'attachment; filename="{report_filename(record.id, name)}"'
    headers = {"content-disposition": disposition}
    if name == "html":  # who started and stopped it, from the audit log
        trail = [TrailEntry(e.at, e.actor, e.action) for e in await audit.for_run(record.id)]
        text = html_text(summary, trail)
    else:
        text = kind.render(summary)
    return Response(text, media_type=kind.media_type, headers=headers)
