"""``loadscout run --help`` shows the load defaults the API and the dashboard form use."""

from __future__ import annotations

from typer.testing import CliRunner

from loadscout.cli.commands import app
from loadscout.plan.options import LoadOptions


def test_help_shows_the_load_options_defaults() -> None:
    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    defaults = LoadOptions()
    assert f"linearly over this time (default: {defaults.ramp_up_s:g}s)" in result.output
    think = f"{defaults.think_time_min_s:g}s-{defaults.think_time_max_s:g}s"
    assert f"(default: recorded, else {think})" in result.output
    assert f"Concurrent virtual users (default: {defaults.users})" in result.output
