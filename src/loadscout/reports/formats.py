"""The downloadable report formats, in one table the API and the CLI share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from loadscout.metrics.summary import RunSummary
from loadscout.reports.csv_report import csv_text
from loadscout.reports.html_report import html_text
from loadscout.reports.json_report import json_text

ReportFormat = Literal["json", "csv", "html"]


@dataclass(frozen=True, kw_only=True)
class ReportKind:
    media_type: str
    render: Callable[[RunSummary], str]


REPORTS: dict[str, ReportKind] = {
    "json": ReportKind(media_type="application/json", render=json_text),
    "csv": ReportKind(media_type="text/csv; charset=utf-8", render=csv_text),
    "html": ReportKind(media_type="text/html; charset=utf-8", render=html_text),
}


def report_filename(run_id: int | str, fmt: str) -> str:
    return f"loadscout-run-{run_id}.{fmt}"
