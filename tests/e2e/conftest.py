"""A fresh browser context (own cookies) per dashboard test, from the suite's one Chromium
(tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        await context.close()
