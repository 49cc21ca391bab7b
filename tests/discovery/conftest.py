"""Fixtures for discovery tests: one headless Chromium per session, and the trap site."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright

from loadscout.settings import default_chromium
from tests.discovery.site import Site, running_site


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


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with running_site() as running:
        yield running
