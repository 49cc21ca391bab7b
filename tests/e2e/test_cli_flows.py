"""``discover --out`` then ``run --flows``: the flows file hands off between the two halves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loadscout.flows.io import load_flowset
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
    # every request the engine counted reached the shop (plus the start-page probe and redirects)
    assert sum(demo_shop.hits.values()) > result["totals"]["requests"]
