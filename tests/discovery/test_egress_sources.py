"""The probe and the robots.txt/sitemap fetches under the egress policy: every hop checked,
names connected at their checked address, IP literals checked before aiohttp dials them.

Every connection aiohttp opens is checked to go to 127.0.0.1 (``dials``): a refused case
fails the test instead of connecting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from loadscout.discovery.probe import probe_target
from loadscout.discovery.sources import seed_urls
from loadscout.plan.egress import EgressPolicy, EgressRefused
from loadscout.plan.scope import Scope
from tests.utils.loopback import record_dials

TEAM = EgressPolicy.team(allow="127.0.0.1/32")


@pytest.fixture(autouse=True)
def dials(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_dials(monkeypatch)


async def _dns(host: str, port: int) -> list[str]:
    return {
        "shop.test": ["127.0.0.1"],
        "far.test": ["127.0.0.2"],
        "meta.test": ["169.254.169.254"],
    }[host]


@asynccontextmanager
async def _target() -> AsyncIterator[int]:
    """127.0.0.1: ``/go?to=URL`` redirects, ``/robots.txt`` names sitemaps, ``/`` is a page."""

    async def handle(request: web.Request) -> web.Response:
        if "to" in request.query:
            raise web.HTTPFound(request.query["to"])
        if request.path == "/robots.txt":  # two sitemaps at refused addresses, one allowed
            far = f"http://far.test:{request.url.port}/map.xml"
            return web.Response(
                text=f"Sitemap: http://10.0.0.1/map.xml\nSitemap: {far}\n"
                "Sitemap: /go?to=http://169.254.169.254/map.xml\n"
                "Sitemap: /map.xml\n"
            )
        if request.path == "/map.xml":
            loc = f"http://{request.host}/a"
            return web.Response(text=f"<urlset><url><loc>{loc}</loc></url></urlset>")
        return web.Response(text="<p>hi</p>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def test_the_probe_connects_a_name_at_its_checked_address(dials: list[str]) -> None:
    async with _target() as port:
        await probe_target(f"http://shop.test:{port}/", egress=TEAM, resolver=_dns)
    assert dials == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("hop", "why"),
    [
        ("http://far.test:{port}/", "far.test resolves to 127.0.0.2"),
        ("http://169.254.169.254/latest/", "cloud metadata"),
        ("http://0x7f.2:{port}/", "127.0.0.2 is a loopback"),
    ],
)
async def test_a_probe_redirect_to_a_refused_address_is_refused(
    hop: str, why: str, dials: list[str]
) -> None:
    async with _target() as port:
        start = f"http://127.0.0.1:{port}/go?to={hop.format(port=port)}"
        with pytest.raises(EgressRefused, match="redirects to") as refused:
            await probe_target(start, egress=TEAM, resolver=_dns)
    assert why in str(refused.value)
    assert dials == ["127.0.0.1"]  # the first hop only


async def test_robots_and_sitemaps_on_a_refused_host_are_not_fetched(dials: list[str]) -> None:
    sources = await seed_urls(
        "http://meta.test/", Scope("http://meta.test/"), egress=TEAM, resolver=_dns
    )
    assert sources.urls == () and dials == []


async def test_sitemaps_at_refused_addresses_are_not_fetched(dials: list[str]) -> None:
    """A literal, a name and a redirect to the metadata address: each refused, the one
    allowed sitemap read."""
    async with _target() as port:
        base = f"http://shop.test:{port}"
        scope = Scope(f"{base}/", ".*")
        sources = await seed_urls(f"{base}/", scope, egress=TEAM, resolver=_dns)
    assert sources.urls == (f"{base}/a",)
    assert set(dials) == {"127.0.0.1"}
