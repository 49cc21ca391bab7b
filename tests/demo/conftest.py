"""A fresh cookie jar per test against the shared demo shop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.demo.shop_client import ShopClient
from tests.utils.demo_server import DemoServer


@pytest.fixture
async def client(demo_shop: DemoServer) -> AsyncIterator[ShopClient]:
    async with ShopClient(demo_shop.url) as shop_client:
        yield shop_client
