"""In real Chromium the deals page fills its list from /api/deals (what discovery must observe)."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright

from loadscout.settings import default_chromium
from tests.utils.demo_server import DemoServer

pytestmark = pytest.mark.browser


async def test_deals_are_rendered_by_fetch(demo_shop: DemoServer) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=default_chromium(),
            args=["--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        try:
            page = await browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            await page.goto(demo_shop.url_for("/deals"))
            await page.wait_for_selector("#deals li.deal", timeout=10_000)
            hrefs = await page.eval_on_selector_all("#deals a", "as => as.map(a => a.href)")
            status = await page.text_content("#deals-status")
        finally:
            await browser.close()
    assert errors == []
    assert len(hrefs) == 10
    assert all(h.startswith(demo_shop.url_for("/products/")) for h in hrefs)
    assert status == "10 deals today."
    assert demo_shop.hits["GET /deals"] == 1
    assert demo_shop.hits["GET /api/deals"] == 1
