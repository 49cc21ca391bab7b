"""robots.txt Disallow honoured by discovery (the demo shop disallows /categories/music)."""

from __future__ import annotations

import pytest

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.sources import DISALLOWED, Robots
from loadscout.errors import TargetError
from loadscout.flows.model import FlowSet
from tests.utils.demo_server import DemoServer

MUSIC = "/categories/music"


def test_disallow_for_everyone_and_for_us_but_not_for_others() -> None:
    text = "User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /private\n"
    robots = Robots(text)
    assert robots.allows("http://a/") and robots.allows("http://a/public")
    assert not robots.allows("http://a/private/1")
    ours = Robots("User-agent: loadscout\nDisallow: /x\n\nUser-agent: *\nDisallow: /\n")
    assert ours.allows("http://a/y") and not ours.allows("http://a/x")
    assert Robots("User-agent: *\nDisallow: /\n", ignore=True).allows("http://a/x")


async def _discover(shop: DemoServer, *, start: str = "/", ignore: bool = False) -> FlowSet:
    options = DiscoveryConfig(
        start_url=shop.url_for(start),
        max_depth=1,
        max_time_s=20,
        explore_clicks=False,
        verify=False,
        ignore_robots=ignore,
    )
    return await discover(options)


def _visited(flowset: FlowSet) -> set[str]:
    assert flowset.discovery is not None
    return set(flowset.discovery.patterns)


@pytest.mark.browser
async def test_disallowed_page_is_reported_not_visited(demo_shop: DemoServer) -> None:
    flowset = await _discover(demo_shop)
    assert flowset.discovery is not None
    skipped = {(s.url, s.reason) for s in flowset.discovery.skipped}
    assert (demo_shop.url_for(MUSIC), DISALLOWED) in skipped
    assert MUSIC not in _visited(flowset)
    assert "/categories/books" in _visited(flowset)  # its allowed siblings are explored


@pytest.mark.browser
async def test_ignore_robots_visits_it(demo_shop: DemoServer) -> None:
    flowset = await _discover(demo_shop, ignore=True)
    assert flowset.discovery is not None
    assert MUSIC in _visited(flowset)
    assert all(s.reason != DISALLOWED for s in flowset.discovery.skipped)


@pytest.mark.browser
async def test_a_disallowed_start_page_is_a_clear_error(demo_shop: DemoServer) -> None:
    message = r"robots\.txt disallows the start page .*--ignore-robots"
    with pytest.raises(TargetError, match=message):
        await _discover(demo_shop, start=MUSIC)
