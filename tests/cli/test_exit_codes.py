"""The run command's exit code follows the stored result: partial results are their own code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from loadscout.cli import commands
from loadscout.cli.errors import EXIT_OK, EXIT_PARTIAL, EXIT_RUN_FAILED, EXIT_THRESHOLDS
from loadscout.metrics.summary import RunSummary
from loadscout.metrics.verdict import Verdict


@pytest.mark.parametrize(
    ("result", "code"),
    [
        ({"status": "completed", "verdict": "passed"}, EXIT_OK),
        ({"status": "completed", "verdict": "thresholds_failed"}, EXIT_THRESHOLDS),
        ({"status": "completed", "verdict": "aborted", "partial": True}, EXIT_PARTIAL),
        ({"status": "failed"}, EXIT_RUN_FAILED),
    ],
)
def test_exit_code(
    result: dict[str, Any], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = RunSummary(run_id="1", target_url="http://127.0.0.1:9/", **result)
    assert result.get("verdict") is None or isinstance(summary.verdict, Verdict)

    async def finished(*_: Any, **__: Any) -> RunSummary:
        return summary

    monkeypatch.setattr(commands, "run_once", finished)
    flows = tmp_path / "flows.yaml"
    steps = [{"name": "home", "url": "/"}]
    document = {"target_url": "http://127.0.0.1:9/", "flows": [{"name": "f", "steps": steps}]}
    flows.write_text(yaml.safe_dump(document))
    env = {"LOADSCOUT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"}
    outcome = CliRunner().invoke(
        commands.app, ["run", "--flows", str(flows), "--users", "1"], env=env
    )
    assert outcome.exit_code == code, outcome.output
