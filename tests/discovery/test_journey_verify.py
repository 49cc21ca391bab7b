"""Verifying a journey's states: a few sessions browse the pages one after the other (each
logging in once), a failing page is dropped with the moves into it and the pages after it are
still checked, and a link rule that finds no link is dropped. Real HTTP, real replayer."""

from __future__ import annotations

from collections import Counter

from aiohttp import web

from loadscout.discovery.journey_verify import verify_journey
from loadscout.discovery.verify import MAX_PARALLEL_FLOWS
from loadscout.flows.journeys import Journey, JourneyState, Transition
from loadscout.flows.model import FlowSet, Step
from loadscout.load.replay import replay_flow
from tests.discovery.site import HITS, running_site

PAGES = 12
BROKEN = 5  # /p5 answers 500
UNLINKED = 8  # /p8 has no link to /p9


def build_app() -> web.Application:
    app = web.Application()
    served = app[HITS] = Counter()

    async def login(request: web.Request) -> web.Response:
        served["login"] += 1
        resp = web.Response(text="in")
        resp.set_cookie("sid", "s")
        return resp

    async def page(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        served[f"p{n}"] += 1
        if request.cookies.get("sid") != "s":
            return web.Response(status=403, text="log in")
        if n == BROKEN:
            return web.Response(status=500, text="broken")
        link = "" if n == UNLINKED else f'<a href="/p{n + 1}">next</a>'
        return web.Response(text=f"<html><body>{link}</body></html>", content_type="text/html")

    app.router.add_post("/login", login)
    app.router.add_get("/p{n}", page)
    return app


def journey(url: str) -> Journey:
    def state(n: int) -> JourneyState:
        moves = [Transition(to=f"p{n + 1}", probability=0.8)] if n + 1 < PAGES else []
        return JourneyState(name=f"p{n}", pattern=f"/p{n}", url=f"{url}/p{n}", transitions=moves)

    return Journey(name="browse", entry="p0", states=[state(n) for n in range(PAGES)])


async def test_pages_are_checked_in_a_few_sessions_and_a_failure_ends_only_its_page() -> None:
    async with running_site(build_app) as site:
        url, served = site.url.rstrip("/"), site.hits
        browse = journey(url)
        login = [Step(name="login", method="POST", url="/login")]
        flowset = FlowSet(target_url=url, setup=login, journeys=[browse])
        checked, results = await verify_journey(flowset, browse, replay_flow)
    assert checked is not None
    assert [s.name for s in checked.states] == [f"p{n}" for n in range(PAGES) if n != BROKEN]
    failed = [r.flow for r in results if not r.passed]
    assert failed == [f"journey 'browse': p{BROKEN}"]
    moves = {s.name: [t.to for t in s.transitions] for s in checked.states}
    assert moves[f"p{BROKEN - 1}"] == []  # the move into the broken page is gone
    assert moves[f"p{UNLINKED}"] == []  # its page has no link to the next: dropped
    assert moves["p0"] == ["p1"]
    assert all(served[f"p{n}"] == 1 for n in range(PAGES))  # every page once
    # one login per session, and one more for the session that goes on after the failure
    assert served["login"] == MAX_PARALLEL_FLOWS + 1
