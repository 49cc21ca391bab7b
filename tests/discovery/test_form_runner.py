"""A recorded form replays as submitted: every value of a repeated field, in order, and its
date relative to the day of replay (discovery, then the load engine's replay, on real sockets)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.flows.io import dumps_flowset, loads_flowset
from loadscout.load.client import USER_AGENT
from loadscout.load.replay import replay_flow

pytestmark = pytest.mark.browser
LEAD_DAYS = 3


@dataclass
class FilterSite:
    url: str = ""
    tokens: set[str] = field(default_factory=set)
    received: list[tuple[str, str]] = field(default_factory=list)  # (user agent, body)

    def replayed(self) -> list[str]:
        return [body for agent, body in self.received if agent == USER_AGENT]


def _form_page(site: FilterSite) -> web.Response:
    token = secrets.token_hex(16)
    site.tokens.add(token)
    earliest = (dt.date.today() + dt.timedelta(days=LEAD_DAYS)).isoformat()
    return web.Response(
        content_type="text/html",
        text=f"""<!doctype html><html><body><form action="/filter" method="post">
<input type="hidden" name="csrf_token" value="{token}">
<input type="hidden" name="ids" value="7"><input type="hidden" name="ids" value="9">
<input type="search" name="q">
<label><input type="checkbox" name="tags" value="sale" checked> Sale</label>
<label><input type="checkbox" name="tags" value="eco"> Eco</label>
<label><input type="checkbox" name="tags" value="new" checked> New</label>
<select name="size" multiple><option value="s" selected>S</option><option value="m">M</option>
<option value="l" selected>L</option></select>
<input type="date" name="from" min="{earliest}" required>
<button type="submit">Filter</button></form></body></html>""",
    )


def _app(site: FilterSite) -> web.Application:
    async def page(_: web.Request) -> web.Response:
        return _form_page(site)

    async def submit(request: web.Request) -> web.Response:
        body = await request.text()
        site.received.append((request.headers.get("User-Agent", ""), body))
        form = await request.post()
        if form.get("csrf_token") not in site.tokens:
            return web.Response(status=403, text="bad token")
        return web.Response(content_type="text/html", text="<p>filtered</p>")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_post("/filter", submit)
    return app


@pytest.fixture
async def filter_site() -> AsyncIterator[FilterSite]:
    site = FilterSite()
    runner = web.AppRunner(_app(site), access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    site.url = f"http://127.0.0.1:{runner.addresses[0][1]}/"
    try:
        yield site
    finally:
        await runner.cleanup()


async def test_repeated_fields_and_dates_replay_as_recorded(filter_site: FilterSite) -> None:
    options = DiscoveryConfig(start_url=filter_site.url, max_pages=3, max_time_s=30)
    flowset = await discover(options, replayer=replay_flow)
    loaded = loads_flowset(dumps_flowset(flowset))  # through the flows file
    flow = next(f for f in loaded.flows if f.name == "submit form /filter")
    post = flow.steps[-1]
    assert post.form is not None
    sent = [(k, v) for k, v in post.form if k != "csrf_token"]
    assert sent == [
        ("ids", "${ids_filter}"),
        ("ids", "${ids_filter_2}"),
        ("q", "shoes"),
        ("tags", "sale"),
        ("tags", "new"),
        ("size", "s"),
        ("size", "l"),
        ("from", f"${{date:+{LEAD_DAYS}d}}"),
    ]
    assert flowset.discovery is not None
    assert all(v.passed for v in flowset.discovery.verification), flowset.discovery.verification

    filter_site.received.clear()
    outcome = await replay_flow(loaded, flow, vu=1, timeout_s=5)
    assert outcome.ok, outcome.reason
    earliest = (dt.date.today() + dt.timedelta(days=LEAD_DAYS)).isoformat()
    body = filter_site.replayed()[-1]
    expected = f"ids=7&ids=9&q=shoes&tags=sale&tags=new&size=s&size=l&from={earliest}"
    token, rest = body.split("&", 1)
    assert rest == expected
    assert token.removeprefix("csrf_token=") in filter_site.tokens  # re-read from the live page
