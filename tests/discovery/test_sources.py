"""robots.txt and sitemap.xml as sources of URLs."""

from __future__ import annotations

from aiohttp import web

from loadscout.discovery.sources import robots_urls, seed_urls, sitemap_locs
from loadscout.plan.scope import Scope
from tests.utils.demo_server import DemoServer

BASE = "http://127.0.0.1:8000/"


def test_robots_gives_sitemaps_and_plain_allow_paths() -> None:
    text = "User-agent: *\nAllow: /\nAllow: /help # docs\nAllow: /x*\nDisallow: /admin\n"
    text += "Sitemap: /maps/site.xml\n"
    assert robots_urls(text, BASE) == ([BASE + "maps/site.xml"], [BASE + "help"])


def test_sitemap_locs() -> None:
    xml = "<urlset><url><loc> http://a/1 </loc></url><url><loc>http://a/2</loc></url></urlset>"
    assert sitemap_locs(xml) == ["http://a/1", "http://a/2"]


async def test_the_demo_sitemap_lists_the_unlinked_about_page(demo_shop: DemoServer) -> None:
    urls = (await seed_urls(demo_shop.url, Scope(demo_shop.url))).urls
    assert demo_shop.url_for("/about") in urls
    assert demo_shop.url not in urls  # the start page is not a seed
    assert demo_shop.hits["GET /sitemap.xml"] == 1


async def test_sitemap_urls_robots_disallows_are_reported_not_seeded() -> None:
    async def robots(_: web.Request) -> web.Response:
        return web.Response(text="User-agent: *\nDisallow: /private\nSitemap: /map.xml\n")

    async def sitemap(request: web.Request) -> web.Response:
        base = f"http://{request.host}"
        locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in ("/open", "/private/1"))
        return web.Response(text=f"<urlset>{locs}</urlset>")

    app = web.Application()
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/map.xml", sitemap)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        base = f"http://127.0.0.1:{runner.addresses[0][1]}"
        sources = await seed_urls(base + "/", Scope(base + "/"))
        ignored = await seed_urls(base + "/", Scope(base + "/"), ignore_robots=True)
    finally:
        await runner.cleanup()
    assert (sources.urls, sources.disallowed) == ((base + "/open",), (base + "/private/1",))
    assert not sources.robots.allows(base + "/private/2")
    assert ignored.urls == (base + "/open", base + "/private/1") and not ignored.disallowed
