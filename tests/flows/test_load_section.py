"""A flows file's ``load:`` section is typed: a misspelt option is an error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from loadscout.cli.commands import app
from loadscout.flows.model import FlowSet
from loadscout.plan.options import LoadOptions

DOCUMENT = {
    "version": 1,
    "target_url": "http://127.0.0.1:9/",
    "flows": [{"name": "home", "steps": [{"name": "GET /", "url": "/"}]}],
}


def test_a_misspelt_load_option_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError) as err:
        FlowSet.model_validate({**DOCUMENT, "load": {"duraton_s": 5}})
    assert [e["loc"] for e in err.value.errors()] == [("load", "duraton_s")]


def test_the_run_command_refuses_the_misspelt_key_before_any_load(tmp_path: Path) -> None:
    flows = tmp_path / "flows.yaml"
    flows.write_text(yaml.safe_dump({**DOCUMENT, "load": {"duraton_s": 5}}))
    result = CliRunner().invoke(app, ["run", "--flows", str(flows)])
    assert result.exit_code == 2, result.output
    assert "duraton_s" in result.output
    assert "Extra inputs are not permitted" in result.output


def test_the_load_section_is_typed_and_keeps_what_was_given() -> None:
    flowset = FlowSet.model_validate({**DOCUMENT, "load": {"users": 3, "duration_s": "5"}})
    assert flowset.load == LoadOptions(users=3, duration_s=5.0)
    assert flowset.load is not None and flowset.load.model_fields_set == {"users", "duration_s"}
