"""discover() end to end against the demo shop (tests/utils/demo_server.py)."""

from __future__ import annotations

import socket
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.errors import RunFailed, TargetError
from loadscout.files.flows_file import load_flowset, save_flowset
from loadscout.flows.model import DiscoveryReport, FlowSet
from loadscout.load.replay import replay_flow
from tests.discovery.coverage import submitted, walked
from tests.utils.demo_server import DemoServer

pytestmark = pytest.mark.browser


@dataclass(frozen=True, slots=True)
class Discovered:
    flowset: FlowSet
    hits: Counter[str]
    seconds: float
    progress: list[str]
    crawl_hits: Counter[str]  # requests before verification started


@pytest.fixture(scope="module")
async def discovered(
    demo_shop_session: DemoServer, tmp_path_factory: pytest.TempPathFactory
) -> Discovered:
    demo_shop_session.reset_hits()
    lines: list[str] = []
    crawl_hits: Counter[str] = Counter()

    def progress(line: str) -> None:
        if line.startswith("verifying") and not crawl_hits:  # the crawl is over: count it
            crawl_hits.update(demo_shop_session.hits)
        lines.append(line)

    started = time.monotonic()
    shots = tmp_path_factory.mktemp("shots")
    data = tmp_path_factory.mktemp("data") / "data.yaml"
    data.write_text("q: [garden, kite]\n")
    options = DiscoveryConfig(
        start_url=demo_shop_session.url,
        max_pages=30,
        max_time_s=30,
        screenshots_dir=str(shots),
        data_file=str(data),
    )
    flowset = await discover(options, on_progress=progress, replayer=replay_flow)
    seconds = time.monotonic() - started
    return Discovered(flowset, Counter(demo_shop_session.hits), seconds, lines, crawl_hits)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _flow_names(d: Discovered) -> set[str]:
    return {f.name for f in d.flowset.flows}


def _report(d: Discovered) -> DiscoveryReport:
    assert d.flowset.discovery is not None
    return d.flowset.discovery


def test_finds_products_categories_search_deals_sitemap_and_the_app(discovered: Discovered) -> None:
    covered = walked(discovered.flowset)
    assert "/products/{num}" in covered
    assert any(p.startswith("/categories/") for p in covered)
    assert {"/deals", "/about", "/app"} <= covered
    assert "/search" in submitted(discovered.flowset)
    deals = next(f for f in discovered.flowset.flows if f.name == "browse /deals")
    assert ("GET", "/api/deals", "fetch") in [(s.method, s.url, s.kind) for s in deals.steps]
    report = _report(discovered)
    assert report.flows == len(discovered.flowset.flows)
    assert {"/products/{num}", "/about", "/app"} <= set(report.patterns)
    assert "/app/items/{num}" in report.routes  # reached only by clicking (pushState)
    assert report.api_calls >= 3  # /api/deals, /api/app/items, /api/app/items/{num}
    assert any(line.startswith("visited /products/") for line in discovered.progress)


def test_clicks_on_listener_elements_become_flows_with_correlated_ids(
    discovered: Discovered,
) -> None:
    clicks = [f for f in discovered.flowset.flows if f.name.startswith("click ")]
    item = next(f for f in clicks if any(s.name == "GET /api/app/items/{num}" for s in f.steps))
    listing = next(s for s in item.steps if s.url == "/api/app/items")
    detail = next(s for s in item.steps if s.name == "GET /api/app/items/{num}")
    extractor = next(e for e in listing.extract if e.source == "json")
    assert extractor.expression.startswith("items.") and extractor.expression.endswith(".id")
    assert detail.url == "/api/app/items/${" + extractor.name + "}"


def test_every_flow_is_verified_in_two_fresh_sessions(discovered: Discovered) -> None:
    results = {v.flow: v for v in _report(discovered).verification}
    kept = _flow_names(discovered)
    assert kept <= set(results)
    assert all(results[name].passed and results[name].fidelity == 1.0 for name in kept)
    journeys = [v for name, v in results.items() if name.startswith("journey ")]
    assert journeys and all(v.passed for v in journeys)
    # the made-up account is refused, as when it was recorded: a faithful failed-login flow
    login = next(f for f in discovered.flowset.flows if f.name == "submit form /login")
    post = login.steps[1]
    assert post.form is not None and dict(post.form)["csrf_token"].startswith("${")
    assert discovered.hits["POST /login"] >= 1 + 2


def test_screenshots_one_png_per_pattern(discovered: Discovered) -> None:
    shots = _report(discovered).screenshots
    assert len(shots) >= 5
    assert len(shots) == len(set(shots))
    for path in shots:
        data = Path(path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) < 60_000
        with Image.open(path) as image:
            assert image.width <= 320


def test_safety_and_budgets_on_the_shop(discovered: Discovered) -> None:
    hits = discovered.hits
    assert hits["GET /logout"] == 0
    assert hits["POST /account/delete"] == 0
    assert hits["POST /cart/add"] == 0
    assert hits["POST /api/app/wishlist"] == 0  # the click was made, the write blocked
    # the trap costs its budget (and one plain-HTTP read judging its first page)
    assert 1 <= discovered.crawl_hits["GET /calendar"] <= 6
    assert discovered.crawl_hits["GET /products/{id}"] <= 4
    skipped = _report(discovered).skipped
    assert any(s.url.endswith("/cart/add") and s.method == "POST" for s in skipped)
    assert any(s.url.endswith("/api/app/wishlist") and "network layer" in s.reason for s in skipped)


def test_flowset_round_trips_and_runs_fast(discovered: Discovered, tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    save_flowset(discovered.flowset, path)
    assert load_flowset(path) == discovered.flowset
    assert discovered.seconds < 45


async def test_unreachable_target_fails_before_launching_a_browser() -> None:
    started = time.monotonic()
    with pytest.raises(TargetError, match="cannot reach"):
        await discover(
            DiscoveryConfig(start_url=f"http://127.0.0.1:{_free_port()}/"), replayer=replay_flow
        )
    assert time.monotonic() - started < 5


async def test_missing_chromium_is_one_clear_error(demo_shop: DemoServer, tmp_path: Path) -> None:
    options = DiscoveryConfig(start_url=demo_shop.url, chromium_path=str(tmp_path / "nope"))
    with pytest.raises(RunFailed, match="cannot start Chromium"):
        await discover(options, replayer=replay_flow)


def test_data_file_values_become_each_users_own_search_terms(discovered: Discovered) -> None:
    search = next(f for f in discovered.flowset.flows if f.name == "submit form /search")
    assert search.steps[1].url == "/search?q=${user.data_q}"
    assert discovered.flowset.user_data == [{"data_q": "garden"}, {"data_q": "kite"}]
