"""Journeys in the callback lane (``load.lane``), over a real catalogue server on 127.0.0.1:
the lane sends a session's pages itself and hands its pauses and transactions to the user's
coroutine, and what the run reports and tallies is what the server saw, page for page.

A user's first session opens its connection, so the coroutine carries it out whole; the lane
begins every later one. The server logs each visitor's requests in order (a cookie tells them
apart), so the tests know which pages the lane answered."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from loadscout.flows.model import FlowSet
from loadscout.load import local, runner
from loadscout.load.errors import TIMEOUT
from loadscout.load.journey import Pause, Transaction
from loadscout.load.runner import run_load
from loadscout.load.vuser import VirtualUser
from loadscout.metrics.journey_tally import JourneyTally
from loadscout.metrics.realism_report import realism_report
from loadscout.metrics.summary import LoadOutcome
from tests.load.catalogue_app import WORDS, Catalogue, running_catalogue
from tests.load.lanes import LaneSpy, assert_nothing_left_dangling, lane_plan
from tests.load.outcomes import assert_consistent, errors_by_kind
from tests.load.test_journeys import CHECKOUT, JOURNEY, catalogue_journeys
from tests.utils.waiting import eventually

TERMS = [w.title() for w in WORDS]
STARS = ["1", "2", "3", "4", "5"]
REVIEW = "detail → reviewed (form)"  # the report's name for the review form's request
# a journey's requests as the server logs them: (what, the report's name, the state entered)
REQUESTS = [
    (re.compile(r"GET /$"), "home", "home"),
    (re.compile(r"GET /items(\?page=\d+)?$"), "list", "list"),
    (re.compile(r"GET /items/\d+$"), "detail", "detail"),
    (re.compile(r"GET /search\?q=\w+$"), "search", "search"),
    (re.compile(r"POST /reviews$"), REVIEW, "reviewed"),
]


def request_of(logged: str) -> tuple[str, str] | None:
    """The report's name of a logged request and the state it enters; None: not a page of
    the journey (a transaction's)."""
    return next(((name, state) for rx, name, state in REQUESTS if rx.match(logged)), None)


def sessions(visits: list[str]) -> list[list[str]]:
    """A visitor's requests cut into its sessions: each begins at the home page (the entry)
    unless a checkout just led there."""
    cut: list[list[str]] = []
    for i, logged in enumerate(visits):
        if logged == "GET /" and (i == 0 or visits[i - 1] != "POST /checkout"):
            cut.append([])
        cut[-1].append(logged)
    return cut


def answered_in_lanes(cat: Catalogue, taken_over: Callable[[list[str]], int | None]) -> int:
    """Requests of the sessions the lanes began (every visitor's but its first) before the
    coroutine took the session over at ``taken_over``'s index (None: it never did)."""
    answered = 0
    for visits in cat.visits.values():
        for session in sessions(visits)[1:]:
            at = taken_over(session)
            answered += len(session) if at is None else at
    return answered


@pytest.fixture
def tallies(monkeypatch: pytest.MonkeyPatch) -> list[JourneyTally]:
    """The journey tallies runs merged from their users (what the realism report is made of)."""
    got: list[JourneyTally] = []

    def kept(flowset: FlowSet, tally: JourneyTally, *rest: Any) -> Any:
        got.append(tally)
        return realism_report(flowset, tally, *rest)

    monkeypatch.setattr(runner, "realism_report", kept)
    return got


def assert_counted_as_served(outcome: LoadOutcome, cat: Catalogue, journey: str) -> None:
    """Every request of the run is one the server served, under the journey's right name."""
    served = Counter(logged for visits in cat.visits.values() for logged in visits)
    assert outcome.totals.requests == served.total() == cat.served.total()
    named: Counter[str] = Counter()
    for logged, n in served.items():
        request = request_of(logged)
        if request is not None:
            named[request[0]] += n
    steps = {s.name: s.requests for s in outcome.steps if s.flow == journey and s.requests}
    assert steps == named
    assert_consistent(outcome)


def assert_tallied_as_served(
    tally: JourneyTally, cat: Catalogue, journey: str, *, cut_short: bool = False
) -> None:
    """The journey's tally is the server's log: its pages (URLs), and each session's length,
    the states it reached and where it ended. ``cut_short``: the run ended with each
    visitor's last request unanswered; that session is no session, its pages before it are
    still pages."""
    served: Counter[str] = Counter()
    cut: list[list[str]] = []
    for visits in cat.visits.values():
        answered = visits[:-1] if cut_short else visits
        served.update(logged.split(" ", 1)[1] for logged in answered if request_of(logged))
        whole = sessions(visits)
        cut += whole[:-1] if cut_short else whole
    pages: Counter[str] = Counter()
    for urls in tally.urls.values():
        pages.update({url.removeprefix(cat.url): n for url, n in urls.items()})
    assert pages == served
    walked = [[r for logged in s if (r := request_of(logged))] for s in cut]
    assert tally.sessions == {journey: len(walked)}
    assert tally.lengths == Counter((journey, len(s)) for s in walked)
    reached = Counter((journey, state) for s in walked for state in {state for _, state in s})
    assert tally.reached == reached
    assert tally.exits == Counter((journey, s[-1][1]) for s in walked)


def catalogue(url: str, journey: dict[str, Any], **more: Any) -> FlowSet:
    """A flowset of ``journey`` over the catalogue at ``url`` (``more``: flows, pools)."""
    document = {"version": 2, "target_url": url, "journeys": [journey], "pools": {"terms": TERMS}}
    return FlowSet.model_validate({**document, **more})


async def test_a_journey_runs_in_the_lane_as_the_server_saw_it(
    lane: LaneSpy, tallies: list[JourneyTally]
) -> None:
    """Links followed, a search from the pool, Back: pause-free, so only each user's first
    session (on a new connection) is the coroutine's."""
    async with running_catalogue() as cat:
        outcome = await run_load(catalogue_journeys(cat.url), lane_plan(users=3), seed=11)

    assert outcome.totals.errors == 0, outcome.errors
    assert_counted_as_served(outcome, cat, "browse")
    (tally,) = tallies
    assert_tallied_as_served(tally, cat, "browse")
    assert len(cat.visits) == lane.lanes == 3
    assert [type(todo) for todo in lane.journeys] == [tuple] * 3  # each first page
    assert lane.answered == answered_in_lanes(cat, lambda session: None)
    assert lane.answered >= outcome.totals.requests - 3 * 12 > 300  # first sessions: 12 pages
    assert lane.escalated == []


async def test_the_lane_visits_the_pages_the_coroutine_would(
    lane: LaneSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same seed, same pages: each user's first 60 requests are the same on either path."""
    pages = 60
    walked: list[list[tuple[str, ...]]] = []
    for lanes in (False, True):
        with monkeypatch.context() as patch:
            if not lanes:
                patch.setattr(VirtualUser, "_lane", lambda self: None)
            async with running_catalogue() as cat:
                await run_load(catalogue_journeys(cat.url), lane_plan(users=3), seed=5)
        assert all(len(visits) > pages for visits in cat.visits.values())
        walked.append(sorted(tuple(visits[:pages]) for visits in cat.visits.values()))
        assert lane.lanes == (3 if lanes else 0)

    on_the_coroutine, in_the_lane = walked
    assert in_the_lane == on_the_coroutine
    assert len(set(in_the_lane)) == 3  # each user its own walk
    assert lane.answered > 3 * pages


def with_states(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The catalogue journey's states, some changed."""
    states: list[dict[str, Any]] = JOURNEY["states"]  # type: ignore[assignment]
    return [{**s, **changes.get(s["name"], {})} for s in states]


async def test_a_state_think_time_is_paused_by_the_coroutine(
    lane: LaneSpy, tallies: list[JourneyTally]
) -> None:
    """The lane answers a session's pages up to its first item page, then hands its pause
    over: the coroutine pauses and carries the rest of the session out."""
    think = {"think": {"distribution": "uniform", "mean_s": 0.002, "max_s": 0.004}}
    async with running_catalogue() as cat:
        journeys = catalogue_journeys(cat.url, states=with_states(detail=think))
        outcome = await run_load(journeys, lane_plan(users=2), seed=3)

    assert outcome.totals.errors == 0, outcome.errors
    assert_counted_as_served(outcome, cat, "browse")
    assert_tallied_as_served(tallies[0], cat, "browse")

    def after_first_item(session: list[str]) -> int | None:
        items = [i for i, logged in enumerate(session) if logged.startswith("GET /items/")]
        return items[0] + 1 if items else None

    assert lane.answered == answered_in_lanes(cat, after_first_item)
    pauses = [todo for todo in lane.journeys if isinstance(todo, Pause)]
    assert len(pauses) + lane.handed(tuple) == len(lane.journeys)
    assert lane.handed(tuple) == 2  # each first page
    assert len(pauses) > 20 and all(0 < p.seconds <= 0.004 for p in pauses)
    # one per session the lane began that reached an item page before the run ended
    began = [s for visits in cat.visits.values() for s in sessions(visits)[1:]]
    reaching = sum(1 for s in began if after_first_item(s) is not None)
    assert reaching - 2 <= len(pauses) <= reaching


async def test_a_transaction_is_run_by_the_coroutine(
    lane: LaneSpy, tallies: list[JourneyTally]
) -> None:
    """A checkout flow (its cart cookie and token in order) before the home page: the lane
    hands it over, the coroutine runs it and the rest of the session."""
    buy = {"to": "home", "probability": 0.4, "flow": "checkout"}
    states = with_states(home={"transitions": [{"to": "list", "probability": 0.5}, buy]})
    async with running_catalogue() as cat:
        journeys = catalogue(cat.url, {**JOURNEY, "states": states}, flows=[CHECKOUT])
        outcome = await run_load(journeys, lane_plan(users=2), seed=2)

    assert outcome.totals.errors == 0, outcome.errors  # each order with its own cart's token
    assert_counted_as_served(outcome, cat, "browse")
    assert_tallied_as_served(tallies[0], cat, "browse")
    steps = {(s.flow, s.name): s.requests for s in outcome.steps}
    assert steps["checkout", "confirm"] == cat.orders > 20

    def at_checkout(session: list[str]) -> int | None:
        return session.index("GET /checkout") if "GET /checkout" in session else None

    assert lane.answered == answered_in_lanes(cat, at_checkout)
    transactions = lane.handed(Transaction)
    assert transactions + lane.handed(tuple) == len(lane.journeys)
    assert lane.handed(tuple) == 2
    # one per session the lane began that checked out (the run's end may stop the last ones
    # before their first request)
    began = [s for visits in cat.visits.values() for s in sessions(visits)[1:]]
    checking_out = sum(1 for s in began if at_checkout(s) is not None)
    assert checking_out <= transactions <= checking_out + 2 and transactions > 10


REVIEWS = {
    "name": "review",
    "entry": "home",
    "max_pages": 10,
    "states": [
        {
            "name": "home",
            "pattern": "/",
            "url": "/",
            "exit": 0.05,
            "transitions": [
                {"to": "search", "probability": 0.95, "form": [["q", "${pool.terms}"]]}
            ],
        },
        {
            "name": "search",
            "pattern": "/search",
            "url": "/search",
            "exit": 0.1,
            "transitions": [{"to": "detail", "probability": 0.9}],
        },
        {
            "name": "detail",
            "pattern": "/items/{id}",
            "exit": 0.2,
            "transitions": [
                {
                    "to": "reviewed",
                    "probability": 0.5,
                    "method": "POST",
                    "url": "/reviews",
                    "form": [["stars", "${pool.stars}"], ["word", "${pool.terms}"]],
                },
                {"to": "detail", "probability": 0.3},
            ],
        },
        {
            "name": "reviewed",
            "pattern": "/reviews",
            "exit": 0.2,
            "transitions": [{"to": "detail", "probability": 0.8}],
        },
    ],
}


async def test_forms_in_the_lane_are_filled_from_the_pools(
    lane: LaneSpy, tallies: list[JourneyTally]
) -> None:
    """A search (a GET form) and a review (a POST form, whose page the walk goes on from)."""
    async with running_catalogue() as cat:
        journeys = catalogue(cat.url, REVIEWS, pools={"terms": TERMS, "stars": STARS})
        outcome = await run_load(journeys, lane_plan(users=2), seed=4)

    assert outcome.totals.errors == 0, outcome.errors
    assert_counted_as_served(outcome, cat, "review")
    assert_tallied_as_served(tallies[0], cat, "review")
    searched = Counter(u.removeprefix("/search?q=") for u in cat.paths("/search?q="))
    assert set(searched) <= set(TERMS) and len(searched) >= 5
    reviews = cat.reviews
    assert len(reviews) == cat.served["/reviews"] > 50
    assert {r["stars"] for r in reviews} == set(STARS)
    assert {r["word"] for r in reviews} <= set(TERMS) and len({r["word"] for r in reviews}) >= 5
    assert [type(todo) for todo in lane.journeys] == [tuple] * 2  # each first page
    assert lane.answered == answered_in_lanes(cat, lambda session: None)


@pytest.mark.parametrize("lanes", [True, False], ids=["lane", "coroutine"])
async def test_the_run_ends_with_a_page_in_flight(
    lanes: bool,
    lane: LaneSpy,
    tallies: list[JourneyTally],
    monkeypatch: pytest.MonkeyPatch,
    recwarn: pytest.WarningsRecorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The 31st request hangs past the run's end and its grace. It is reported once, as
    aborted; the session is cut short, and its pages answered before are tallied (the page
    in flight is a request, not a page: no answer came), on either path."""
    monkeypatch.setattr(local, "STOP_GRACE_S", 0.2)
    if not lanes:
        monkeypatch.setattr(VirtualUser, "_lane", lambda self: None)
    async with running_catalogue() as cat:
        cat.hang_after = 30
        began = time.monotonic()
        outcome = await run_load(
            catalogue_journeys(cat.url), lane_plan(duration_s=0.5, timeout_s=10), seed=9
        )
        elapsed = time.monotonic() - began

        async def hung_up() -> bool:  # its connection dropped, not left open
            return cat.hung_up == 1

        await eventually(hung_up, what="the server to see the connection close", timeout_s=2)

    assert elapsed < 1.5
    assert errors_by_kind(outcome) == {TIMEOUT: 1}
    assert "aborted when the run stopped" in outcome.errors[0].example
    assert_counted_as_served(outcome, cat, "browse")
    assert outcome.totals.requests == 31
    (visits,) = cat.visits.values()
    assert len(sessions(visits)[-1]) > 1  # the session cut short had pages answered before
    assert_tallied_as_served(tallies[0], cat, "browse", cut_short=True)
    assert (lane.lanes, lane.abandoned) == ((1, 1) if lanes else (0, 0))
    assert_nothing_left_dangling(recwarn, caplog)
