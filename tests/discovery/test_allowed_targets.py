"""A server's allow-list holds in discovery too: the probe, the browser (its redirects and
sub-resources included, which Playwright's route handler never sees) and verification."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import pytest
from aiohttp import web

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.probe import probe_target
from loadscout.errors import TargetError
from loadscout.load.replay import replay_flow
from loadscout.plan.allowed import url_allowed

ELSEWHERE = "127.0.0.2"  # loopback, but another host: the allow-list names 127.0.0.1 only


@asynccontextmanager
async def _serving(app: web.Application, host: str) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def _target_and_elsewhere() -> AsyncIterator[tuple[str, Counter[str]]]:
    hits: Counter[str] = Counter()

    async def counted(request: web.Request) -> web.Response:
        hits[request.path] += 1
        return web.Response(text="<p>secret</p>", content_type="text/html")

    other = web.Application()
    other.router.add_get("/{tail:.*}", counted)
    async with _serving(other, ELSEWHERE) as away:
        home = """<!doctype html><html><body><a href="/page">page</a>
        <a href="/away">away</a><img src="/pixel"><a href="/hop">hop</a>
        <script>fetch('/api/away').catch(() => {});</script></body></html>"""

        async def page(request: web.Request) -> web.Response:
            return web.Response(text=home, content_type="text/html")

        async def away_redirect(request: web.Request) -> web.Response:
            raise web.HTTPFound(f"{away}/secret{request.path}")

        async def hop(request: web.Request) -> web.Response:  # allowed first, then away
            raise web.HTTPFound("/away")

        app = web.Application()
        app.router.add_get("/", page)
        app.router.add_get("/page", page)
        app.router.add_get("/hop", hop)
        for path in ("/away", "/pixel", "/api/away"):
            app.router.add_get(path, away_redirect)
        async with _serving(app, "127.0.0.1") as target:
            yield target, hits


def test_url_allowed() -> None:
    allowed = frozenset({"127.0.0.1:8000", "shop.local"})
    assert url_allowed(allowed, "http://127.0.0.1:8000/x")
    assert url_allowed(allowed, "https://SHOP.local/")
    assert not url_allowed(allowed, "http://127.0.0.1:8001/")
    assert not url_allowed(allowed, "http://10.0.0.1/")
    assert url_allowed(frozenset({"a.test:80"}), "http://a.test/")
    assert url_allowed(frozenset(), "http://anything/")


async def test_the_probe_follows_no_redirect_off_the_allow_list() -> None:
    async with _target_and_elsewhere() as (target, hits):
        allowed = frozenset({target.split("//")[1]})
        await probe_target(target, allowed_hosts=allowed)
        with pytest.raises(TargetError, match="not an allowed target"):
            await probe_target(f"{target}/hop", allowed_hosts=allowed)
    assert not hits


async def test_discovery_sends_nothing_off_the_allow_list() -> None:
    async with _target_and_elsewhere() as (target, hits):
        options = DiscoveryConfig(
            start_url=target + "/",
            max_pages=6,
            max_time_s=30,
            scope=".*",  # a scope wide enough to take in the other host: the allow-list holds
            allowed_hosts=frozenset({target.split("//")[1]}),
            journeys=False,
            force=True,  # keep the flows whose redirect verification refused, to look at them
        )
        flowset = await discover(options, replayer=replay_flow)
    assert not hits, hits  # neither the browser nor verification reached the other host
    assert flowset.discovery is not None
    refused = {v.flow: v.detail for v in flowset.discovery.verification if not v.passed}
    assert all("not an allowed target" in d for d in refused.values()), refused
    # Each flow holding a request that redirects away is refused by verification. Whether the
    # page's own fetch of /api/away is recorded at all is a race in the browser (its redirect
    # is blocked before or after the 302 is reported), so a run may hold no such flow.
    away = {"/away", "/api/away", "/pixel", "/hop"}
    leaving = {f.name for f in flowset.flows if any(_path(s.url) in away for s in f.steps)}
    assert leaving <= set(refused), (leaving, refused)


def _path(url: str) -> str:
    return urlsplit(url).path
