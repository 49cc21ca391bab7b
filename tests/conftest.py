"""Shared fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, async_playwright

from loadscout.settings import default_chromium
from tests.utils.demo_server import DemoServer, running_demo


@pytest.fixture(scope="session")
def demo_shop_session() -> Iterator[DemoServer]:
    """One demo shop for the whole test session (started on first use)."""
    with running_demo() as shop:
        yield shop


@pytest.fixture
def demo_shop(demo_shop_session: DemoServer) -> DemoServer:
    """The session's demo shop with its request counter reset for this test.

    Shop state (sessions, orders, deleted accounts) persists across tests: use a fresh cookie jar,
    and a ``userN`` account of your own if you log in or delete.
    """
    demo_shop_session.reset_hits()
    return demo_shop_session


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, launched once (pytest-playwright's fixtures need a download)."""
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(
            executable_path=default_chromium(), headless=True, args=["--disable-gpu"]
        )
        try:
            yield chromium
        finally:
            await chromium.close()
