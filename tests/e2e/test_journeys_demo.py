"""The journeys bar on the demo shop's catalogue (320 items: list, categories, items, search):
discovered in real Chromium with default options, replayed by 20 users, checked against the
shop's own URL log."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from loadscout.demo.catalogue import search
from loadscout.demo.state import ShopState
from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.load.replay import replay_flow
from loadscout.load.runner import run_load
from tests.load.flows import plan
from tests.utils.demo_server import DemoServer

pytestmark = pytest.mark.browser


async def test_journeys_spread_over_the_catalogue_like_users(demo_shop: DemoServer) -> None:
    options = DiscoveryConfig(start_url=demo_shop.url_for("/catalogue"), max_time_s=40)
    flowset = await discover(options, replayer=replay_flow)
    assert flowset.journeys, "discovery derived no journey"
    shop: ShopState = demo_shop.app.state.shop
    shop.catalogue_urls.clear()
    # one worker process: the load does not share the shop's interpreter (more samples)
    load = plan(users=20, duration_s=20.0).model_copy(update={"workers": 1})
    outcome = await run_load(flowset, load, seed=2)
    served = Counter(shop.catalogue_urls)

    details = Counter({u: n for u, n in served.items() if u.startswith("/catalogue/items/")})
    assert len(details) >= 100, f"{len(details)} distinct items"
    top = max(details.values()) / sum(details.values())
    assert top <= 0.05
    searches = {u: n for u, n in served.items() if u.startswith("/catalogue/search")}
    found = sum(n for u, n in searches.items() if search(parse_qs(urlsplit(u).query)["q"][0]))
    assert searches and found / sum(searches.values()) >= 0.9

    report = outcome.realism
    assert report is not None
    (journey,) = report.journeys
    assert journey.median_pages >= 3
    rows = {p.pattern: p for p in report.patterns}
    assert rows["/catalogue/items/{num}"].requests == sum(details.values())
    assert rows["/catalogue/items/{num}"].distinct_urls == len(details)
    for row in report.patterns:
        if row.model_share > 0.05:
            assert abs(row.share - row.model_share) / row.model_share <= 0.2, row
