"""``discover --out`` then ``run --flows``: the flows file hands off between the two halves."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from loadscout.files.flows_file import load_flowset, save_flowset
from tests.utils.demo_server import DemoServer
from tests.utils.processes import loadscout

pytestmark = pytest.mark.browser


def test_discover_then_replay_the_file(demo_shop: DemoServer, tmp_path: Path) -> None:
    flows = tmp_path / "flows.yaml"
    proc = loadscout(
        "discover",
        demo_shop.url,
        "--out",
        str(flows),
        "--max-pages",
        "12",
        db=tmp_path / "db.sqlite",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    flowset = load_flowset(flows)
    assert flowset.flows and flowset.target_url == demo_shop.url
    assert flowset.discovery is not None and flowset.discovery.skipped
    skipped = [
        line.strip() for line in proc.stdout.splitlines() if line.strip().startswith("skipped ")
    ]
    report = flowset.discovery.skipped[:20]
    assert skipped == [f"skipped {a.method} {a.url}: {a.reason}" for a in report]

    demo_shop.reset_hits()
    proc = loadscout(
        "run",
        "--flows",
        str(flows),
        "--users",
        "3",
        "--duration",
        "3s",
        "--think-time",
        "0",
        "--json-out",
        str(tmp_path / "r.json"),
        db=tmp_path / "db.sqlite",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["totals"]["requests"] > 0
    assert "discovering" not in proc.stdout  # discovery was skipped
    assert "Discovery:" not in proc.stdout  # so no discovery line: the file's is old news
    # every request the engine counted reached the shop (plus the start-page probe and redirects)
    assert sum(demo_shop.hits.values()) > result["totals"]["requests"]


def _replay(flows: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return loadscout(
        "run",
        "--flows",
        str(flows),
        "--users",
        "2",
        "--duration",
        "2s",
        "--think-time",
        "0",
        "--json-out",
        str(tmp_path / "r.json"),
        *extra,
        db=tmp_path / "db.sqlite",
    )


def test_flows_files_never_hold_a_password(
    demo_shop: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOADSCOUT_PASSWORD", raising=False)
    users = tmp_path / "users.csv"
    users.write_text("username,password\nuser31,password31\nuser32,password32\n")
    flows = tmp_path / "flows.yaml"
    proc = loadscout(
        "discover",
        demo_shop.url,
        "--login-url",
        demo_shop.url_for("/login"),
        "--credentials",
        str(users),
        "--out",
        str(flows),
        "--max-pages",
        "4",
        db=tmp_path / "db.sqlite",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = flows.read_text()
    assert "password31" not in text and "password32" not in text
    assert "${secret.password}" in text and str(users.resolve()) in text

    moved = tmp_path / "elsewhere.csv"
    users.rename(moved)
    proc = _replay(flows, tmp_path)
    assert proc.returncode == 2 and "--credentials" in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr

    demo_shop.reset_hits()
    proc = _replay(flows, tmp_path, "--credentials", str(moved))
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["totals"]["requests"] > 0 and result["totals"]["errors"] == 0
    assert demo_shop.hits["POST /login"] >= 2  # each virtual user logged in as its own account

    one_user = load_flowset(flows).model_copy(
        update={
            "user_data": [{"username": "user33", "password": "${secret.password}"}],
            "user_data_file": None,
        }
    )
    save_flowset(one_user, flows)
    proc = _replay(flows, tmp_path)
    assert proc.returncode == 2 and "LOADSCOUT_PASSWORD" in proc.stderr, proc.stderr[-2000:]
    monkeypatch.setenv("LOADSCOUT_PASSWORD", "password33")
    proc = _replay(flows, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads((tmp_path / "r.json").read_text())["totals"]["errors"] == 0
