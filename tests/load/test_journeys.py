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
