"""Requests are counted per route template, in process and over /__stats."""

from __future__ import annotations

from tests.demo.shop_client import ShopClient
from tests.utils.demo_server import DemoServer


async def test_hits_are_keyed_by_method_and_route_template(
    demo_shop: DemoServer, client: ShopClient
) -> None:
    for path in ("/", "/products/1", "/products/2", "/products/999", "/nope", "/logout"):
        await client.get(path)
    await client.post("/login", {"username": "x"})
    assert dict(demo_shop.hits) == {
        "GET /": 1,  # the logout redirect to / was not followed
        "GET /products/{id}": 3,
        "GET (unmatched)": 1,
        "GET /logout": 1,
        "POST /login": 1,
    }


async def test_stats_over_http_are_not_counted_and_can_be_reset(
    demo_shop: DemoServer, client: ShopClient
) -> None:
    await client.get("/search?q=kite")
    assert await client.json("/__stats") == {"GET /search": 1}
    assert await client.json("/__stats") == {"GET /search": 1}
    async with client.http.post(client.base_url + "__stats/reset") as response:
        assert response.status == 200
    assert await client.json("/__stats") == {}
    assert not demo_shop.hits
