"""Every kind of page renders over real HTTP and links where a crawler expects."""

from __future__ import annotations

import re

from tests.demo.shop_client import ShopClient
from tests.utils.demo_server import DemoServer


async def test_home_links_to_every_area(client: ShopClient) -> None:
    page = await client.get("/")
    assert page.status == 200
    links = set(page.links())
    for path in ("/search", "/login", "/account", "/cart", "/calendar", "/deals"):
        assert path in links
    assert sum(link.startswith("/categories/") for link in links) >= 4
    assert "/__stats" not in page.text


async def test_first_visit_sets_an_http_only_session_cookie(demo_shop: DemoServer) -> None:
    async with ShopClient(demo_shop.url) as fresh:
        async with fresh.http.get(demo_shop.url) as response:
            header = response.headers["Set-Cookie"]
        assert re.match(r"shop_session=[\w-]{20,};", header)
        assert "HttpOnly" in header
        first = fresh.session_cookie()
        async with fresh.http.get(demo_shop.url) as response:
            assert "Set-Cookie" not in response.headers  # the session is kept, not renewed
        assert fresh.session_cookie() == first


async def test_pagination_walks_every_category_to_50_distinct_products(client: ShopClient) -> None:
    home = await client.get("/")
    categories = sorted({link for link in home.links() if link.startswith("/categories/")})
    products: set[str] = set()
    pages_seen = 0
    for start in categories:
        path: str | None = start
        while path is not None:
            page = await client.get(path)
            assert page.status == 200
            pages_seen += 1
            found = [link for link in page.links() if re.fullmatch(r"/products/\d+", link)]
            assert 1 <= len(set(found)) <= 10
            products.update(found)
            nxt = page.html.css_first('a[rel="next"]')
            path = nxt.attributes.get("href") if nxt is not None else None
    assert len(products) >= 50
    assert pages_seen > len(categories)
    second = await client.get(f"{categories[0]}?page=2")
    assert second.html.css_first('a[rel="prev"]').attributes["href"] == f"{categories[0]}?page=1"  # type: ignore[union-attr]
    assert (await client.get(f"{categories[0]}?page=99")).status == 404
    assert (await client.get(f"{categories[0]}?page=abc")).status == 400


async def test_product_page_has_the_add_to_cart_form(client: ShopClient) -> None:
    page = await client.get("/products/17")
    assert page.status == 200
    form = page.html.css_first('form[action="/cart/add"]')
    assert form is not None
    assert form.attributes["method"] == "post"
    fields = {node.attributes.get("name"): node.attributes for node in form.css("input")}
    assert fields["csrf_token"]["type"] == "hidden"
    assert fields["product_id"] == {"type": "hidden", "name": "product_id", "value": "17"}
    assert (fields["quantity"]["type"], fields["quantity"]["min"], fields["quantity"]["max"]) == (
        "number",
        "1",
        "10",
    )
    assert (await client.get("/products/999")).status == 404


async def test_search_form_is_get_and_finds_products(client: ShopClient) -> None:
    empty = await client.get("/search")
    form = empty.html.css_first("form[role=search]")
    assert form is not None
    assert form.attributes["method"] == "get"
    page = await client.get("/search?q=teapot")
    results = [a.text() for a in page.html.css(".grid a")]
    assert results
    assert all("Teapot" in name for name in results)
    none = await client.get("/search?q=zzzz")
    assert "0 results" in none.text
    assert not none.html.css(".grid a")


async def test_deals_page_loads_its_list_from_the_json_api(client: ShopClient) -> None:
    page = await client.get("/deals")
    assert 'fetch("/api/deals"' in page.text
    assert page.html.css("#deals li") == []  # filled in by the script, not the server
    deals = await client.json("/api/deals")
    assert isinstance(deals, list)
    assert len(deals) >= 5
    first = deals[0]
    assert set(first) >= {"id", "name", "price", "deal_price", "url"}
    assert first["deal_price"] < first["price"]
    product = await client.json(f"/api/products/{first['id']}")
    assert isinstance(product, dict)
    assert product["name"] == first["name"]
    async with client.http.get(client.base_url + "api/products/999") as response:
        assert response.status == 404
        assert await response.json() == {"detail": "There is no product 999."}


async def test_calendar_always_links_to_the_next_month(client: ShopClient) -> None:
    path = "/calendar?month=2025-11"
    for expected in ("2025-12", "2026-01", "2026-02"):
        page = await client.get(path)
        assert page.status == 200
        nxt = page.html.css_first('a[rel="next"]')
        assert nxt is not None
        path = nxt.attributes["href"] or ""
        assert path == f"/calendar?month={expected}"
    far = await client.get("/calendar?month=3025-06")
    assert "July 3025" not in far.text
    assert 'href="/calendar?month=3025-07"' in far.text
    assert (await client.get("/calendar")).status == 200
    assert (await client.get("/calendar?month=2025-13")).status == 404


async def test_robots_and_not_found(client: ShopClient) -> None:
    robots = await client.get("/robots.txt")
    assert robots.status == 200
    assert "Allow: /" in robots.text
    assert "Disallow: /\n" not in robots.text  # one page is disallowed, not the whole shop
    assert "Disallow: /categories/music\n" in robots.text
    missing = await client.get("/no/such/page")
    assert missing.status == 404
    assert "Page not found" in missing.text
