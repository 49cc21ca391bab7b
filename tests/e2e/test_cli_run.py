"""``loadscout run`` end to end: real Chromium discovers the demo shop, real load, real SQLite."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from tests.utils.contract import RESULT_KEYS
from tests.utils.demo_server import DemoServer
from tests.utils.processes import loadscout

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cli_run(
    demo_shop_session: DemoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    demo_shop_session.reset_hits()
    out = tmp_path_factory.mktemp("run")
    proc = loadscout(
        "run",
        demo_shop_session.url,
        "--users",
        "20",
        "--duration",
        "8s",
        "--ramp-up",
        "2s",
        "--think-time",
        "0.1s-0.3s",
        "--max-pages",
        "30",
        "--json-out",
        str(out / "result.json"),
        db=out / "loadscout.db",
    )
    return {"proc": proc, "out": out, "hits": dict(demo_shop_session.hits)}


def test_run_exits_zero_and_prints_summary(cli_run: dict[str, Any]) -> None:
    proc = cli_run["proc"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert "Per step" in proc.stdout
    assert "req/s" in proc.stdout  # the live progress line and the totals


def test_result_json_has_the_contract_shape(cli_run: dict[str, Any]) -> None:
    result = json.loads((cli_run["out"] / "result.json").read_text())
    assert set(result) >= RESULT_KEYS
    assert result["status"] == "completed"
    assert result["users"] == 20
    totals = result["totals"]
    assert totals["requests"] > 0
    assert totals["error_rate"] < 0.01, result["errors"]
    assert (
        0
        < totals["latency_ms"]["p50"]
        <= totals["latency_ms"]["p99"]
        <= totals["latency_ms"]["max"]
    )
    journeys = {p["journey"] for p in (result["realism"] or {}).get("patterns", [])}
    flows = {s["flow"] for s in result["steps"]} - journeys
    assert result["discovery"]["flows"] == len(flows)
    assert len(result["timeseries"]) >= 6


def test_every_discovered_flow_received_load(cli_run: dict[str, Any]) -> None:
    result = json.loads((cli_run["out"] / "result.json").read_text())
    per_flow: dict[str, int] = {}
    for step in result["steps"]:
        per_flow[step["flow"]] = per_flow.get(step["flow"], 0) + step["requests"]
    assert per_flow, "no flows were replayed"
    assert all(n > 0 for n in per_flow.values()), per_flow


def test_safety_and_trap_guards_held(cli_run: dict[str, Any]) -> None:
    hits = cli_run["hits"]
    assert hits.get("GET /logout", 0) == 0
    assert hits.get("POST /account/delete", 0) == 0
    assert hits.get("POST /cart/add", 0) == 0  # a write: not without --allow-writes
    calendar = sum(n for key, n in hits.items() if key.startswith("GET /calendar"))
    result = json.loads((cli_run["out"] / "result.json").read_text())
    calendar_load = sum(s["requests"] for s in result["steps"] if "/calendar" in s["url"])
    assert calendar - calendar_load <= 10  # what discovery itself spent on the endless calendar


def test_csrf_protected_login_replays(cli_run: dict[str, Any]) -> None:
    result = json.loads((cli_run["out"] / "result.json").read_text())
    login_posts = [s for s in result["steps"] if s["method"] == "POST" and "/login" in s["url"]]
    assert login_posts, "the login form (a read) should be one of the flows"
    assert all(s["requests"] > 0 and s["errors"] == 0 for s in login_posts)
    assert cli_run["hits"].get("POST /login", 0) >= sum(s["requests"] for s in login_posts)


def test_run_is_stored(cli_run: dict[str, Any]) -> None:
    result = json.loads((cli_run["out"] / "result.json").read_text())
    with sqlite3.connect(cli_run["out"] / "loadscout.db") as db:
        status, requests = db.execute(
            "SELECT status, requests FROM test_runs WHERE id = ?", (int(result["run_id"]),)
        ).fetchone()
        steps = db.execute("SELECT COUNT(*) FROM metrics_summary").fetchone()[0]
        events = [r[0] for r in db.execute("SELECT status FROM run_events ORDER BY id")]
    assert (status, requests) == ("completed", result["totals"]["requests"])
    assert steps == len(result["steps"])
    assert events == ["queued", "discovering", "loading", "completed"]
