"""WebSocket and EventSource connections become replayable steps of the page that opened them."""

from __future__ import annotations

import pytest

from loadscout.discovery.capture import http_url
from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.load.replay import replay_flow
from tests.utils.demo_server import DemoServer

pytestmark = pytest.mark.browser


def test_socket_urls_are_scoped_like_http() -> None:
    assert http_url("ws://127.0.0.1:8001/app/ws") == "http://127.0.0.1:8001/app/ws"
    assert http_url("wss://shop.example/ws") == "https://shop.example/ws"
    assert http_url("http://shop.example/") == "http://shop.example/"


async def test_the_app_flow_replays_its_socket_and_feed(demo_shop: DemoServer) -> None:
    options = DiscoveryConfig(
        start_url=demo_shop.url_for("/app"), max_pages=1, max_time_s=20, explore_clicks=False
    )
    flowset = await discover(options, replayer=replay_flow)

    app = next(f for f in flowset.flows if f.name == "browse /app")
    by_kind = {s.kind: s for s in app.steps}
    ticker, feed = by_kind["websocket"], by_kind["eventsource"]
    assert (ticker.name, ticker.url, ticker.expect_status) == (
        "WS /app/ws/ticker",
        "/app/ws/ticker",
        101,
    )
    assert ticker.messages == ['{"subscribe":"prices"}'] and ticker.expect_messages == 2
    assert (feed.name, feed.url, feed.expect_status) == ("SSE /app/events", "/app/events", 200)
    assert flowset.discovery is not None
    assert [v.passed for v in flowset.discovery.verification] == [True]
    assert demo_shop.hits["WS /app/ws/ticker"] >= 3  # the crawl, then two verification replays
