"""discover() end to end against the demo shop (tests/utils/demo_server.py)."""

from __future__ import annotations

import socket
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from loadscout.discovery import DiscoveryOptions, discover
from loadscout.errors import RunFailed, TargetError
from loadscout.flows.io import load_flowset, save_flowset
from loadscout.flows.model import FlowSet
from tests.utils.demo_server import DemoServer

pytestmark = pytest.mark.browser


@dataclass(frozen=True, slots=True)
class Discovered:
    flowset: FlowSet
    hits: Counter[str]
    seconds: float
    progress: list[str]


@pytest.fixture(scope="module")
async def discovered(demo_shop_session: DemoServer) -> Discovered:
    demo_shop_session.reset_hits()
    lines: list[str] = []
    started = time.monotonic()
    options = DiscoveryOptions(start_url=demo_shop_session.url, max_pages=20, max_time_s=30)
    flowset = await discover(options, on_progress=lines.append)
    seconds = time.monotonic() - started
    return Discovered(flowset, Counter(demo_shop_session.hits), seconds, lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _flow_names(d: Discovered) -> set[str]:
    return {f.name for f in d.flowset.flows}


def test_finds_products_categories_search_deals_and_login(discovered: Discovered) -> None:
    names = _flow_names(discovered)
    assert "browse /products/{num}" in names
    assert any(n.startswith("browse /categories/") for n in names)
    assert {"browse /deals", "submit form /search", "submit form /login"} <= names
    deals = next(f for f in discovered.flowset.flows if f.name == "browse /deals")
    assert ("GET", "/api/deals", "fetch") in [(s.method, s.url, s.kind) for s in deals.steps]
    report = discovered.flowset.discovery
    assert report is not None
    assert report.api_calls >= 1
    assert report.flows == len(discovered.flowset.flows)
    assert "/products/{num}" in report.patterns
    assert any(line.startswith("visited /products/") for line in discovered.progress)


def test_login_flow_extracts_csrf_and_posts_the_variable(discovered: Discovered) -> None:
    login = next(f for f in discovered.flowset.flows if f.name == "submit form /login")
    page, submit = login.steps[0], login.steps[1]
    extractor = next(e for e in page.extract if "csrf" in e.name)
    assert extractor.source == "css"
    assert 'input[name="csrf_token"]' in extractor.expression
    assert submit.method == "POST"
    assert submit.form is not None
    assert submit.form["csrf_token"] == "${" + extractor.name + "}"


def test_safety_and_budgets_on_the_shop(discovered: Discovered) -> None:
    hits = discovered.hits
    assert hits["GET /logout"] == 0
    assert hits["POST /account/delete"] == 0
    assert hits["POST /cart/add"] == 0
    assert hits["GET /calendar"] <= 5
    assert hits["GET /products/{id}"] <= 3
    report = discovered.flowset.discovery
    assert report is not None
    assert any(s.url.endswith("/cart/add") and s.method == "POST" for s in report.skipped)


def test_flowset_round_trips_and_runs_fast(discovered: Discovered, tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    save_flowset(discovered.flowset, path)
    assert load_flowset(path) == discovered.flowset
    assert discovered.seconds < 30


async def test_unreachable_target_fails_before_launching_a_browser() -> None:
    started = time.monotonic()
    with pytest.raises(TargetError, match="cannot reach"):
        await discover(DiscoveryOptions(start_url=f"http://127.0.0.1:{_free_port()}/"))
    assert time.monotonic() - started < 5


async def test_missing_chromium_is_one_clear_error(demo_shop: DemoServer, tmp_path: Path) -> None:
    options = DiscoveryOptions(start_url=demo_shop.url, chromium_path=str(tmp_path / "nope"))
    with pytest.raises(RunFailed, match="cannot start Chromium"):
        await discover(options)
