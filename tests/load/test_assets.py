"""Page assets from other origins: fetched only when the run's scope admits them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.runner import run_load
from loadscout.metrics.summary import LoadOutcome
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime

USERS = 2


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def counting_app(hits: Counter[str], page: str = "") -> web.Application:
    async def handle(request: web.Request) -> web.Response:
        hits[request.path] += 1
        if request.path == "/page":
            return web.Response(text=page, content_type="text/html")
        return web.Response(text="asset")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    return app


@asynccontextmanager
async def two_origins() -> AsyncIterator[tuple[str, str, Counter[str], Counter[str]]]:
    """The target links one asset of its own and one on a second origin (another port)."""
    own: Counter[str] = Counter()
    other: Counter[str] = Counter()
    async with serving(counting_app(other)) as other_url:
        page = (
            f'<html><head><link rel="stylesheet" href="/own.css"></head><body>'
            f'<img src="{other_url}/cdn.png"></body></html>'
        )
        async with serving(counting_app(own, page)) as target_url:
            yield target_url, other_url, own, other


async def load(target_url: str, scope: str | None) -> LoadOutcome:
    flowset = FlowSet(
        target_url=target_url, flows=[Flow(name="p", steps=[Step(name="page", url="/page")])]
    )
    plan = LoadPlan(
        profile=ConstantUsers(users=USERS, duration_s=0.5),
        think_time=ThinkTime(min_s=0.05, max_s=0.05, recorded=False),
        fetch_assets=True,
        scope=scope,
    )
    return await run_load(flowset, plan)


async def test_off_scope_assets_are_skipped_and_counted() -> None:
    async with two_origins() as (target_url, _, own, other):
        outcome = await load(target_url, scope=None)
    assert own["/page"] > USERS and own["/own.css"] == USERS  # once per user (its cache)
    assert sum(other.values()) == 0
    assert outcome.totals.assets_skipped == USERS  # one off-scope URL, counted once per user
    assert outcome.totals.requests == sum(own.values())


async def test_assets_admitted_by_the_scope_are_fetched() -> None:
    async with two_origins() as (target_url, other_url, own, other):
        outcome = await load(target_url, scope=re.escape(other_url) + "/")
    assert other == {"/cdn.png": USERS} and own["/own.css"] == USERS
    assert outcome.totals.assets_skipped == 0
    assert outcome.totals.requests == sum(own.values()) + sum(other.values())


async def test_a_page_admitted_by_the_scope_brings_its_own_origin_s_assets() -> None:
    own: Counter[str] = Counter()
    other: Counter[str] = Counter()
    page = '<html><body><img src="/b.png"></body></html>'
    async with serving(counting_app(own)) as target_url, serving(counting_app(other, page)) as b:
        flowset = FlowSet(
            target_url=target_url, flows=[Flow(name="p", steps=[Step(name="b", url=f"{b}/page")])]
        )
        plan = LoadPlan(
            profile=ConstantUsers(users=USERS, duration_s=0.5),
            think_time=ThinkTime(min_s=0.05, max_s=0.05, recorded=False),
            fetch_assets=True,
            scope=re.escape(f"{b}/page") + "$",  # names the page only, not /b.png
        )
        outcome = await run_load(flowset, plan)
    assert other["/page"] > USERS and other["/b.png"] == USERS
    assert outcome.totals.assets_skipped == 0 and sum(own.values()) == 0


async def test_an_asset_s_redirect_is_a_request_of_its_own() -> None:
    hits: Counter[str] = Counter()

    async def handle(request: web.Request) -> web.StreamResponse:
        hits[request.path] += 1
        if request.path == "/page":
            body = '<html><head><script src="/old.js"></script></head></html>'
            return web.Response(text=body, content_type="text/html")
        if request.path == "/old.js":
            raise web.HTTPFound("/new.js")
        return web.Response(text="asset")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    async with serving(app) as target_url:
        outcome = await load(target_url, scope=None)
    assert hits["/old.js"] == hits["/new.js"] == USERS  # once per user, as a browser's cache
    (assets,) = [s for s in outcome.steps if s.name == "page assets"]
    assert assets.requests == 2 * USERS and assets.redirects == USERS
    assert outcome.totals.requests == sum(hits.values())


def test_a_malformed_scope_is_rejected_with_the_option_named() -> None:
    with pytest.raises(ValueError, match=r"invalid --scope regex '\('"):
        LoadPlan(profile=ConstantUsers(users=1, duration_s=1), scope="(")
