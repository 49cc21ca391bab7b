"""``loadscout report RUN_ID``: a stored run's result as JSON, CSV, HTML or JUnit XML, from
the database."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from loadscout.cli.errors import user_errors
from loadscout.errors import BadInput
from loadscout.metrics.summary import RunSummary
from loadscout.reports.formats import REPORTS, ReportFormat
from loadscout.settings import Settings
from loadscout.store.database import open_database
from loadscout.store.runs import RunRepository


async def stored_result(database_url: str, run_id: int) -> RunSummary:
    """The run's result; BadInput naming the problem for an unknown or unfinished run."""
    async with open_database(database_url) as sessions:
        repo = RunRepository(sessions)
        record = await repo.get(run_id)
        if record is None:
            raise BadInput(f"run {run_id} does not exist in {database_url}")
        summary = await repo.get_result(run_id)
    if summary is None:
        raise BadInput(f"run {run_id} is {record.status}; its report exists once it finishes")
    return summary


@user_errors
def report(
    run_id: Annotated[
        int, typer.Argument(help="The run's id (shown by run and the dashboard).", min=1)
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="json, csv, html or junit.")
    ] = "json",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write a finished run's result as JSON, CSV (per step, then thresholds), one HTML file or
    JUnit XML (for CI)."""
    summary = asyncio.run(stored_result(Settings().database_url, run_id))
    text = REPORTS[fmt].render(summary)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        raise BadInput(f"--out {out}: {err.strerror or err}") from None
    typer.echo(f"wrote {out}", err=True)
