"""The downloadable report formats, in one table the API and the CLI share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from loadscout.metrics.summary import RunSummary
from loadscout.reports.csv_report import csv_text
from loadscout.reports.html_report import html_text
from loadscout.reports.json_report import json_text
from loadscout.reports.junit import junit_text

ReportFormat = Literal["json", "csv", "html", "junit"]
ReportExtension = Literal["json", "csv", "html", "xml"]  # of the file (the API's URL)


@dataclass(frozen=True, kw_only=True)
class ReportKind:
    media_type: str
    render: Callable[[RunSummary], str]
    extension: str = ""  # the file name's, when not the format's name (junit -> .xml)


REPORTS: dict[str, ReportKind] = {
    "json": ReportKind(media_type="application/json", render=json_text),
    "csv": ReportKind(media_type="text/csv; charset=utf-8", render=csv_text),
    "html": ReportKind(media_type="text/html; charset=utf-8", render=html_text),
    "junit": ReportKind(media_type="application/xml", render=junit_text, extension="xml"),
}


def format_of(extension: str) -> str:
    """The format a file extension stands for (``xml`` -> ``junit``)."""
    return next(f for f, kind in REPORTS.items() if (kind.extension or f) == extension)


def report_filename(run_id: int | str, fmt: str) -> str:
    return f"loadscout-run-{run_id}.{REPORTS[fmt].extension or fmt}"
