"""``loadscout run --flows`` with the load options: a flows file's ``load:`` section, command
line overrides, thresholds judged into the result JSON and the exit code."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from tests.load.target_app import Target
from tests.utils.processes import loadscout


def write_flows(target: Target, path: Path) -> Path:
    document = {
        "version": 1,
        "target_url": f"{target.url}/page",
        "load": {
            "users": 3,
            "duration_s": 1.5,
            "think_time_min_s": 0.05,
            "think_time_max_s": 0.05,
            "workers": 1,
        },
        "flows": [
            {"name": "ok", "steps": [{"name": "a", "url": "/a", "headers": {"X-VU": "${vu}"}}]},
            {"name": "bad", "steps": [{"name": "boom", "url": "/status/503"}]},
        ],
    }
    path.write_text(yaml.safe_dump(document))
    return path


async def test_thresholds_fail_the_run_with_exit_code_1(target: Target, tmp_path: Path) -> None:
    flows = write_flows(target, tmp_path / "flows.yaml")
    out = tmp_path / "result.json"
    proc = await asyncio.to_thread(
        loadscout,
        "run",
        "--flows",
        str(flows),
        "--threshold",
        "error_rate<1%",
        "--threshold",
        "p95[step=a]<5s",
        "--json-out",
        str(out),
        "--users",
        "2",
        "--junit-out",
        str(tmp_path / "junit.xml"),
        db=tmp_path / "db.sqlite",
        timeout_s=120,
    )

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED THRESHOLDS" in proc.stdout  # the verdict badge, before the numbers
    result = json.loads(out.read_text())
    verdicts = {t["expression"]: t["passed"] for t in result["thresholds"]}
    assert verdicts == {"error_rate<1%": False, "p95[step=a]<5s": True}
    assert result["verdict"] == "thresholds_failed"
    error_rate = next(t for t in result["thresholds"] if t["expression"] == "error_rate<1%")
    assert error_rate["unit"] == "%" and error_rate["observed_text"].endswith("%")
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") is not None
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert "error_rate<1%" in failed and "p95[step=a]<5s" not in failed
    assert result["users"] == 2  # the command line wins over the file's 3
    assert {s.vu for s in target.state.seen if s.vu} == {"1", "2"}
    assert result["totals"]["requests"] == target.total - target.count("GET", "/page")


async def test_a_malformed_threshold_is_rejected_before_any_load(
    target: Target, tmp_path: Path
) -> None:
    flows = write_flows(target, tmp_path / "flows.yaml")
    proc = await asyncio.to_thread(
        loadscout,
        "run",
        "--flows",
        str(flows),
        "--threshold",
        "p95<fast",
        db=tmp_path / "db.sqlite",
        timeout_s=60,
    )

    assert proc.returncode == 2
    assert "cannot read threshold 'p95<fast'" in proc.stderr
    assert target.total == 0
