"""The /app section's WebSocket ticker and EventSource feed: session needed, connections counted."""

from __future__ import annotations

import aiohttp

from tests.demo.shop_client import ShopClient
from tests.utils.demo_server import DemoServer


async def test_ticker_greets_answers_each_message_and_is_counted(
    client: ShopClient, demo_shop: DemoServer
) -> None:
    before = demo_shop.hits["WS /app/ws/ticker"]
    await client.get("/app")  # the shop session cookie
    async with client.http.ws_connect(client.base_url + "app/ws/ticker") as ws:
        assert (await ws.receive_json())["tick"] == 0
        await ws.send_str("hello")
        assert await ws.receive_json() == {"tick": 1, "echo": "hello"}
    assert demo_shop.hits["WS /app/ws/ticker"] == before + 1


async def test_ticker_closes_4401_without_a_session(demo_shop: DemoServer) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(demo_shop.url_for("/app/ws/ticker")) as ws,
    ):
        message = await ws.receive()
        assert message.type is aiohttp.WSMsgType.CLOSE
        assert ws.close_code == 4401


async def test_feed_streams_three_events_to_a_session_only(
    client: ShopClient, demo_shop: DemoServer
) -> None:
    url = client.base_url + "app/events"
    async with client.http.get(url) as response:
        assert response.status == 403  # no session cookie yet
    await client.get("/app")
    before = demo_shop.hits["GET /app/events"]
    async with client.http.get(url) as response:
        assert response.status == 200
        assert response.content_type == "text/event-stream"
        text = await response.text()
    assert text.count("data: ") == 3 and '{"news": 3}' in text
    assert demo_shop.hits["GET /app/events"] == before + 1


async def test_the_app_shell_opens_both_streams(client: ShopClient) -> None:
    page = await client.get("/app")
    assert "new WebSocket(" in page.text and 'new EventSource("/app/events")' in page.text
