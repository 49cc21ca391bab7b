"""A journey derived by discovery (real Chromium) from a catalogue it has never seen, then
replayed: the server's own URL log shows the load spread over the items and searches finding
results, with no rule written by hand."""

from __future__ import annotations

import pytest

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.load.replay import replay_flow
from loadscout.load.runner import run_load
from tests.load.catalogue_app import running_catalogue
from tests.load.flows import plan

pytestmark = pytest.mark.browser


async def test_discovery_derives_a_journey_that_spreads_over_the_data() -> None:
    async with running_catalogue() as cat:
        options = DiscoveryConfig(
            start_url=cat.url + "/", max_pages=25, max_time_s=40, explore_clicks=False
        )
        flowset = await discover(options, replayer=replay_flow)
        (journey,) = flowset.journeys
        states = {s.pattern: s for s in journey.states}
        assert {"/", "/items", "/items/{num}", "/search"} <= set(states)
        home = states["/"]
        search = next(t for t in home.transitions if t.to == "/search")
        assert search.form == [("q", "${pool.search_terms}")]
        assert {"Amber", "Lamp"} & set(flowset.pools["search_terms"])
        assert any(t.to == "/items/{num}" for t in states["/search"].transitions)
        assert journey.weight > sum(f.weight for f in flowset.flows)  # most iterations
        report = flowset.discovery
        assert report is not None
        assert all(v.passed for v in report.verification if "journey" in v.flow)

        cat.served.clear()
        cat.search_hits.clear()
        outcome = await run_load(flowset, plan(users=10, duration_s=3.0), seed=11)
    assert outcome.totals.requests == sum(cat.served.values())
    details = cat.paths("/items/")
    assert len(details) >= 60, f"{len(details)} distinct items"
    assert max(details.values()) / sum(details.values()) < 0.08
    hits = cat.search_hits
    assert hits and sum(h > 0 for h in hits) / len(hits) >= 0.9
    assert "/logout" not in cat.served
