"""Every POST needs the current CSRF token of its own session; GET never does."""

from __future__ import annotations

import pytest

from tests.demo.shop_client import ShopClient
from tests.utils.demo_server import DemoServer

POSTS = {
    "/login": {"username": "alice", "password": "wonderland"},
    "/cart/add": {"product_id": "3", "quantity": "1"},
    "/checkout": {"email": "a@b.cd"},
    "/account/delete": {},
}


@pytest.mark.parametrize("path", sorted(POSTS))
async def test_missing_token_is_forbidden(client: ShopClient, path: str) -> None:
    await client.get("/")
    assert (await client.post(path, POSTS[path])).status == 403


@pytest.mark.parametrize("path", sorted(POSTS))
async def test_wrong_token_is_forbidden(client: ShopClient, path: str) -> None:
    await client.get("/")
    assert (await client.post(path, POSTS[path] | {"csrf_token": "forged"})).status == 403


@pytest.mark.parametrize("path", sorted(POSTS))
async def test_token_of_another_session_is_forbidden(
    demo_shop: DemoServer, client: ShopClient, path: str
) -> None:
    async with ShopClient(demo_shop.url) as other:
        foreign = (await other.get("/login")).csrf_token()
    await client.get("/")
    assert (await client.post(path, POSTS[path] | {"csrf_token": foreign})).status == 403


async def test_token_without_any_session_is_forbidden(demo_shop: DemoServer) -> None:
    async with ShopClient(demo_shop.url) as visitor:
        token = (await visitor.get("/login")).csrf_token()
        visitor.http.cookie_jar.clear()
        assert (
            await visitor.post("/cart/add", POSTS["/cart/add"] | {"csrf_token": token})
        ).status == 403


async def test_token_from_before_login_is_stale(client: ShopClient) -> None:
    stale = (await client.get("/products/3")).csrf_token()
    await client.login("user44", "password44")
    form = POSTS["/cart/add"] | {"csrf_token": stale}
    assert (await client.post("/cart/add", form)).status == 403
    fresh = (await client.get("/products/3")).csrf_token()
    assert (await client.post("/cart/add", form | {"csrf_token": fresh})).status == 303


async def test_forbidden_post_changes_nothing(demo_shop: DemoServer, client: ShopClient) -> None:
    await client.post("/cart/add", POSTS["/cart/add"] | {"csrf_token": "forged"})
    assert "Your cart is empty" in (await client.get("/cart")).text
    assert demo_shop.hits["POST /cart/add"] == 1
