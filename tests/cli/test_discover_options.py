"""``loadscout discover``'s login, HAR and verification options reach discovery."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from loadscout.cli import commands
from loadscout.cli.commands import app
from loadscout.files.flows_file import load_flowset
from loadscout.orchestrator.options import RunOptions

runner = CliRunner()


def test_discover_needs_a_url_or_a_har() -> None:
    result = runner.invoke(app, ["discover"])
    assert result.exit_code == 2
    assert "--har" in result.output


def test_a_malformed_har_is_a_bad_input(tmp_path: Path) -> None:
    har = tmp_path / "x.har"
    har.write_text("{}")
    result = runner.invoke(app, ["discover", "--har", str(har), "--out", str(tmp_path / "f.yaml")])
    assert result.exit_code == 2
    assert "is not a HAR file" in result.output


def test_har_import_writes_flows_without_a_browser(tmp_path: Path) -> None:
    entry = {
        "request": {"method": "GET", "url": "http://127.0.0.1:9/", "headers": []},
        "response": {"status": 200, "content": {"mimeType": "text/html", "text": "<p>hi</p>"}},
        "_resourceType": "document",
    }
    har = tmp_path / "one.har"
    har.write_text(json.dumps({"log": {"entries": [entry]}}))
    out = tmp_path / "flows.yaml"
    # --force: verification cannot reach port 9, the flows are written anyway
    result = runner.invoke(app, ["discover", "--har", str(har), "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    flowset = load_flowset(out)
    assert flowset.target_url == "http://127.0.0.1:9/"
    assert [s.url for s in flowset.flows[0].steps] == ["/"]
    assert flowset.discovery is not None
    assert not flowset.discovery.verification[0].passed


def test_the_password_is_masked_when_options_are_stored() -> None:
    options = RunOptions.from_document(
        {
            "target_url": "http://h/",
            "users": 1,
            "login_url": "http://h/login",
            "username": "u",
            "password": "s3cret",
        }
    )
    dumped = options.model_dump(mode="json")
    assert "s3cret" not in json.dumps(dumped)
    spec = options.spec("r1", chromium_path=None)
    assert spec.discovery is not None and spec.discovery.password_text == "s3cret"  # in memory only


def test_ignore_robots_reaches_discovery_from_discover_and_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[RunOptions] = []

    async def fake_discover(options: RunOptions, *_: object, **__: object) -> None:
        seen.append(options)

    async def fake_run(options: RunOptions, **_: object) -> SimpleNamespace:
        seen.append(options)
        return SimpleNamespace(status="completed", thresholds=[], verdict=None, partial=False)

    monkeypatch.setattr(commands, "discover_to_file", fake_discover)
    monkeypatch.setattr(commands, "run_once", fake_run)
    url, out = "http://127.0.0.1:9/", str(tmp_path / "f.yaml")
    for args in (["discover", url, "--out", out], ["run", url, "--users", "1"]):
        assert runner.invoke(app, [*args, "--ignore-robots"]).exit_code == 0
        assert runner.invoke(app, args).exit_code == 0
    flags = [o.spec("r", chromium_path=None).discovery for o in seen]
    assert [d.ignore_robots if d else None for d in flags] == [True, False, True, False]
