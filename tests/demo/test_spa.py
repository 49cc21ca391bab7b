"""The client-rendered /app section, its JSON API and the sitemap-only /about page."""

from __future__ import annotations

from tests.demo.shop_client import ShopClient


def _cookie(client: ShopClient, name: str) -> str:
    return next(c.value for c in client.http.cookie_jar if c.key == name)


async def test_every_app_route_serves_the_shell_and_sets_the_double_submit_cookie(
    client: ShopClient,
) -> None:
    for path in ("/app", "/app/items/3", "/app/wishlist"):
        page = await client.get(path)
        assert page.status == 200
        assert 'id="view"' in page.text and "history.pushState" in page.text
    assert len(_cookie(client, "app_csrf")) >= 20


async def test_wishlist_needs_the_cookie_echoed_in_a_header(client: ShopClient) -> None:
    await client.get("/app")
    url = client.base_url + "api/app/wishlist"
    async with client.http.post(url, json={"product_id": 3}) as response:
        assert response.status == 403
    headers = {"X-CSRF-Token": _cookie(client, "app_csrf")}
    async with client.http.post(url, json={"product_id": 3}, headers=headers) as response:
        assert response.status == 200
        assert (await response.json())["count"] == 1
    assert await client.json("/api/app/wishlist") == {"items": ["Pocket Cookbook"]}


async def test_rating_needs_the_meta_tag_token(client: ShopClient) -> None:
    shell = await client.get("/app/items/2")
    node = shell.html.css_first('meta[name="page-token"]')
    assert node is not None
    token = node.attributes["content"] or ""
    url = client.base_url + "api/app/ratings"
    body = {"product_id": 2, "stars": 5}
    async with client.http.post(url, json=body, headers={"X-Page-Token": "nope"}) as response:
        assert response.status == 403
    async with client.http.post(url, json=body, headers={"X-Page-Token": token}) as response:
        assert response.status == 200


async def test_item_api_and_sitemap(client: ShopClient) -> None:
    items = await client.json("/api/app/items")
    assert isinstance(items, dict) and items["count"] == 12
    assert await client.json("/api/app/items/3") == await client.json("/api/products/3")
    async with client.http.get(client.base_url + "api/app/items/13") as response:
        assert response.status == 404
    sitemap = await client.get("/sitemap.xml")
    assert "/about</loc>" in sitemap.text
    assert (await client.get("/about")).status == 200
    assert "Sitemap: " in (await client.get("/robots.txt")).text
