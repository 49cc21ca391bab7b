"""discover() on the demo's third-party-shaped sections (routes/cases.py): the tracker whose
search and login forms share one action, 300 admin-like records, the button-only explorers."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from loadscout.demo.routes.cases import OPERATIONS, OPERATIONS_PATH
from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.load.replay import replay_flow
from tests.utils.demo_server import DemoServer
from tests.utils.shop_truth import case_page_routes, route_regex

pytestmark = pytest.mark.browser


async def test_login_on_a_page_whose_search_form_shares_the_login_action(
    demo_shop: DemoServer,
) -> None:
    """The login set-up re-reads the token from the POST form, not the GET search form that
    comes first with the same ``action``; every flow then verifies."""
    options = DiscoveryConfig(
        start_url=demo_shop.url_for("/tracker"),
        login_url=demo_shop.url_for("/tracker"),
        username="user7",
        password="password7",
        max_pages=6,
        max_time_s=30,
        explore_clicks=False,
    )
    flowset = await discover(options, replayer=replay_flow)
    page, post = flowset.setup
    token = next(e for e in page.extract if e.attribute == "csrf_token")
    assert (token.method, token.fields) == ("POST", ["csrf_token", "username", "password"])
    assert (post.method, post.url) == ("POST", "/tracker")
    report = flowset.discovery
    assert report is not None and report.verification
    assert all(v.passed for v in report.verification), report.verification
    assert demo_shop.hits["POST /tracker"] >= 3  # discovery's login, then one per verifying user


async def test_records_list_detail_and_change_pages_are_all_visited(
    demo_shop: DemoServer,
) -> None:
    options = DiscoveryConfig(
        start_url=demo_shop.url_for("/records"),
        max_pages=12,
        max_time_s=40,
        explore_clicks=False,
        verify=False,
    )
    flowset = await discover(options)
    report = flowset.discovery
    assert report is not None
    found = [p.split("?")[0] for p in report.patterns]
    truth = case_page_routes("/records")
    missed = [p for p in truth if not any(route_regex(p).match(f) for f in found)]
    assert missed == [], report.patterns
    assert report.pages <= 12


async def test_button_only_explorer_yields_its_api_calls(demo_shop: DemoServer) -> None:
    options = DiscoveryConfig(
        start_url=demo_shop.url_for("/explorer"), max_pages=2, max_time_s=30, max_depth=0
    )
    flowset = await discover(options, replayer=replay_flow)
    called = {urlsplit(s.url).path for f in flowset.flows for s in f.steps if s.kind == "fetch"}
    assert {"/api/explorer/status", "/api/explorer/records/7"} <= called, called
    # the search form its script sends (no page requested) is filled, sent, and recorded
    assert "/api/explorer/search" in called


async def test_operations_that_run_after_several_clicks_are_all_called(
    demo_shop: DemoServer,
) -> None:
    """An explorer rendered in the browser: each operation opens, shows "Try it out", then
    "Execute" once its required id is typed; all controls share their classes. Every read is
    called and recorded; no write (POST, PUT, DELETE) reaches the server."""
    demo_shop.reset_hits()
    options = DiscoveryConfig(
        start_url=demo_shop.url_for(OPERATIONS_PATH), max_pages=2, max_time_s=60, max_depth=0
    )
    flowset = await discover(options, replayer=replay_flow)
    called = {urlsplit(s.url).path for f in flowset.flows for s in f.steps if s.kind == "fetch"}
    reads = [path for method, path, _ in OPERATIONS if method == "GET"]
    missed = [p for p in reads if not any(route_regex(p).match(c) for c in called)]
    assert missed == [], called
    writes = {hit for hit in demo_shop.hits if not hit.startswith(("GET ", "HEAD "))}
    assert writes == set()
