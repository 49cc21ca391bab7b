"""Signing a Playwright browser in to a test server, as a person would: through /signin."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.utils.accounts import ADMIN_EMAIL, ADMIN_PASSWORD


async def sign_in(
    page: Page, base: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD
) -> None:
    """Fill in the sign-in page and wait for the signed-in dashboard."""
    await page.goto(base + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(account_menu(page)).to_be_visible()


def account_menu(page: Page) -> Any:
    return page.locator("summary[aria-label^='Account:']")


async def signed_in_state(
    browser: Browser, base: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD
) -> Any:
    """A session opened through the sign-in page, for ``new_context(storage_state=...)``."""
    context = await browser.new_context()
    try:
        await sign_in(await context.new_page(), base, email, password)
        return await context.storage_state()
    finally:
        await context.close()


async def csrf_headers(page: Page, base: str) -> dict[str, str]:
    """Headers a cookie-signed write from ``page.request`` needs (the dashboard adds its own)."""
    me = await (await page.request.get(f"{base}/api/v1/auth/me")).json()
    return {"X-CSRF-Token": me["csrf_token"]}
