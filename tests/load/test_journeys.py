"""Journeys replayed against a real catalogue server that logs every URL it serves."""

from __future__ import annotations

from collections import Counter

from loadscout.flows.model import FlowSet
from loadscout.load.runner import run_load
from tests.load.catalogue_app import WORDS, running_catalogue
from tests.load.flows import plan

JOURNEY = {
    "name": "browse",
    "entry": "home",
    "max_pages": 12,
    "states": [
        {
            "name": "home",
            "pattern": "/",
            "url": "/",
            "exit": 0.05,
            "transitions": [
                {"to": "list", "probability": 0.6},
                {"to": "search", "probability": 0.35, "form": [["q", "${pool.terms}"]]},
            ],
        },
        {
            "name": "list",
            "pattern": "/items",
            "exit": 0.1,
            "transitions": [
                {"to": "detail", "probability": 0.6},
                {"to": "list", "probability": 0.3},
            ],
        },
        {
            "name": "detail",
            "pattern": "/items/{id}",
            "exit": 0.2,
            "back": 0.2,
            "transitions": [
                {"to": "detail", "probability": 0.3},
                {"to": "list", "probability": 0.3},
            ],
        },
        {
            "name": "search",
            "pattern": "/search",
            "url": "/search",
            "exit": 0.2,
            "transitions": [{"to": "detail", "probability": 0.8}],
        },
    ],
}


def catalogue_journeys(url: str, **changes: object) -> FlowSet:
    return FlowSet.model_validate(
        {
            "version": 2,
            "target_url": url,
            "journeys": [{**JOURNEY, **changes}],
            "pools": {"terms": [w.title() for w in WORDS]},
        }
    )


async def test_users_spread_over_the_items_and_every_request_is_counted() -> None:
    async with running_catalogue() as cat:
        outcome = await run_load(catalogue_journeys(cat.url), plan(users=8, duration_s=2.0), seed=7)
        served = sum(cat.served.values())
    assert outcome.totals.errors == 0
    assert outcome.totals.requests == served  # the server's own count
    by_state = {s.name: s.requests for s in outcome.steps}
    details = cat.paths("/items/")
    assert by_state["detail"] == sum(details.values())
    assert len(details) >= 100, f"only {len(details)} distinct items requested"
    assert max(details.values()) / sum(details.values()) < 0.05
    lists = cat.paths("/items?page=")
    assert len(lists) >= 10  # pagination links were followed, not one recorded URL
    assert "/logout" not in cat.served  # only links matching the next state's pattern


CHECKOUT = {
    "name": "checkout",
    "weight": 0,  # only as the journey's transaction
    "steps": [
        {
            "name": "start",
            "url": "/checkout",
            "extract": [{"name": "token", "source": "regex", "expression": 'value="(\\w+)"'}],
        },
        {"name": "confirm", "method": "POST", "url": "/checkout", "form": [["token", "${token}"]]},
    ],
}


async def test_a_state_runs_a_recorded_flow_in_order_then_enters_its_target() -> None:
    home, *others = JOURNEY["states"]
    buying = {
        **home,
        "transitions": [
            {"to": "list", "probability": 0.5},
            {"to": "home", "probability": 0.4, "flow": "checkout"},
        ],
    }
    async with running_catalogue() as cat:
        flowset = FlowSet.model_validate(
            {
                "version": 2,
                "target_url": cat.url,
                "flows": [CHECKOUT],
                "journeys": [{**JOURNEY, "states": [buying, *others]}],
                "pools": {"terms": [w.title() for w in WORDS]},
            }
        )
        outcome = await run_load(flowset, plan(users=4, duration_s=1.0), seed=2)
        served, orders = Counter(cat.served), cat.orders
    assert outcome.totals.errors == 0  # each confirmation carried its own cart's token
    steps = {(s.flow, s.name): s.requests for s in outcome.steps}
    assert orders >= 5 and steps["checkout", "confirm"] == orders
    # started and confirmed alike (the run's end may cut the last few after their start)
    assert orders <= steps["checkout", "start"] <= orders + 4
    assert outcome.totals.requests == sum(served.values())
    # each transaction is followed by the home page (its target, entered by its url): home is
    # the entry of every session and the end of every checkout
    assert steps["browse", "home"] >= orders + 1


async def test_searches_draw_terms_from_the_pool_and_find_results() -> None:
    async with running_catalogue() as cat:
        await run_load(catalogue_journeys(cat.url), plan(users=4, duration_s=1.0), seed=3)
        hits = cat.search_hits
    assert len(hits) >= 5
    assert sum(1 for h in hits if h > 0) / len(hits) >= 0.9
    terms = Counter(u for u in cat.served if u.startswith("/search?q="))
    assert len(terms) >= 3


async def test_sessions_end_by_exit_or_cap() -> None:
    async with running_catalogue() as cat:
        capped = catalogue_journeys(cat.url, max_pages=2)
        outcome = await run_load(capped, plan(users=2, duration_s=0.6), seed=1)
    pages = {s.name: s.requests for s in outcome.steps}
    # every session starts at home and makes at most one more request
    assert pages["home"] >= sum(n for name, n in pages.items() if name != "home")


async def test_the_realism_report_agrees_with_the_server_and_the_model() -> None:
    async with running_catalogue() as cat:
        outcome = await run_load(catalogue_journeys(cat.url), plan(users=8, duration_s=2.5), seed=5)
        served, hits = Counter(cat.served), list(cat.search_hits)
    report = outcome.realism
    assert report is not None
    rows = {p.name: p for p in report.patterns}
    details = Counter({u: n for u, n in served.items() if u.startswith("/items/")})
    detail = rows["detail"]
    assert detail.requests == sum(details.values())
    assert detail.distinct_urls == len(details)
    assert detail.top_url_share == round(max(details.values()) / detail.requests, 4)
    assert rows["search"].requests == sum(n for u, n in served.items() if u.startswith("/search"))
    for row in report.patterns:
        if row.model_share >= 0.05:  # the bar: within 20% of the model's share
            assert abs(row.share - row.model_share) / row.model_share <= 0.2, row
        assert not row.off_model
    (journey,) = report.journeys
    assert journey.sessions == journey.funnel[0].sessions  # every session starts at home
    assert journey.median_pages >= 3
    assert sum(n for _, n in journey.lengths) == journey.sessions
    # the server also counts results pages users went back to: submissions are fewer
    assert 0 < journey.searches <= len(hits) == rows["search"].requests
    assert journey.search_hit_rate is not None and journey.search_hit_rate >= 0.9
    assert sum(1 for h in hits if h > 0) / len(hits) >= 0.9


async def test_a_session_pausing_past_the_run_end_requests_nothing_after_it() -> None:
    """A think time the run's end cuts short ends the session: its next page is not sent."""
    home, *others = JOURNEY["states"]
    dwelling = {**home, "think": {"distribution": "uniform", "mean_s": 5, "max_s": 10}}
    async with running_catalogue() as cat:
        journeys = catalogue_journeys(cat.url, states=[dwelling, *others])
        outcome = await run_load(journeys, plan(duration_s=0.3), seed=1)  # a pause of 1.6 s
        served = Counter(cat.served)
    assert served == {"/": 1}
    assert outcome.totals.requests == 1
    assert outcome.realism is not None
    (journey,) = outcome.realism.journeys
    assert (journey.sessions, journey.lengths) == (1, [(1, 1)])
