"""robots.txt and sitemap.xml as sources of URLs."""

from __future__ import annotations

from loadscout.discovery.scope import Scope
from loadscout.discovery.sources import robots_urls, seed_urls, sitemap_locs
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
    urls = await seed_urls(demo_shop.url, Scope(demo_shop.url))
    assert demo_shop.url_for("/about") in urls
    assert demo_shop.url not in urls  # the start page is not a seed
    assert demo_shop.hits["GET /sitemap.xml"] == 1
