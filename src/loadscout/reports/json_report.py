"""The result JSON of DESIGN.md, from a RunSummary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from loadscout.metrics.summary import RunSummary


def result_dict(summary: RunSummary) -> dict[str, Any]:
    return summary.model_dump(mode="json")


def json_text(summary: RunSummary) -> str:
    return json.dumps(result_dict(summary), indent=2) + "\n"


def write_json(summary: RunSummary, path: Path) -> None:
    path.write_text(json_text(summary), encoding="utf-8")
