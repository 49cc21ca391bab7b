"""Accounts in the dashboard end to end: the first set-up from the printed link, signing in and
out, a viewer's limits, and API tokens, against ``loadscout serve`` in headless Chromium."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.e2e.signin import account_menu, csrf_headers, sign_in
from tests.utils.accounts import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.utils.processes import serving

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
VIEWER_EMAIL = "viewer@example.test"
VIEWER_PASSWORD = "viewer password 123"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dist() -> Path:
    if not (DIST / "index.html").exists():
        pytest.fail(f"{DIST / 'index.html'} is missing: run `bash scripts/build-web.sh` first")
    return DIST


@pytest.fixture(scope="module")
def server(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose test admin exists (urllib requests to it are signed as that admin)."""
    with serving(tmp_path_factory.mktemp("accounts"), LOADSCOUT_DASHBOARD_DIR=str(dist)) as base:
        yield base


def _api(method: str, url: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    """A urllib call; without ``token`` it is signed as the test admin."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


async def test_first_set_up_from_the_printed_link(
    dist: Path, context: BrowserContext, tmp_path: Path
) -> None:
    """No account yet: the server prints a one-time link; it sets the admin's password and
    signs them in; the token leaves the address bar and works only once."""
    with serving(tmp_path, bootstrap_admin=False, LOADSCOUT_DASHBOARD_DIR=str(dist)) as base:
        # printed while starting up, before /healthz answered
        found = re.search(r"http://\S+/setup#token=\S+", (tmp_path / "serve.log").read_text())
        assert found, "no set-up link in the log"
        link = found.group(0)
        assert link.startswith(base + "/setup#token="), link
        page = await context.new_page()
        await page.goto(base + "/")  # nobody is signed in: the sign-in page says what to do
        await expect(page).to_have_url(base + "/signin")
        await expect(page.get_by_text("No account exists yet")).to_be_visible()

        await page.goto(link)
        await expect(page.get_by_label("Password again")).to_be_visible()
        assert "token" not in page.url  # wiped from the address bar and history
        await page.get_by_label("Email").fill("first@example.test")
        await page.get_by_label("Password", exact=True).fill("too short")
        await page.get_by_label("Password again").fill("too short")
        await page.get_by_role("button", name="Create admin and sign in").click()
        await expect(page.get_by_text("Use at least 10 characters")).to_be_visible()
        await page.get_by_label("Password", exact=True).fill("a long enough password")
        await page.get_by_label("Password again").fill("a long enough password")
        await page.get_by_role("button", name="Create admin and sign in").click()

        await expect(page).to_have_url(base + "/")
        await expect(page.get_by_text("No runs yet")).to_be_visible()
        await expect(account_menu(page)).to_have_attribute(
            "aria-label", "Account: first@example.test"
        )
        me = await (await page.request.get(base + "/api/v1/auth/me")).json()
        assert (me["email"], me["is_instance_admin"], me["role"]) == (
            "first@example.test",
            True,
            "admin",
        )
        # The link was for one use.
        token = link.split("#token=", 1)[1]
        status, _ = _api(
            "POST",
            base + "/api/v1/auth/setup",
            {"token": token, "email": "second@example.test", "password": "another password"},
        )
        assert status == 409


async def test_sign_in_then_out(server: str, context: BrowserContext) -> None:
    page = await context.new_page()
    await page.goto(server + "/runs/new")  # a deep link while signed out
    await expect(page).to_have_url(server + "/signin?next=%2Fruns%2Fnew")

    await page.get_by_label("Email").fill(ADMIN_EMAIL)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Wrong email or password")

    await page.get_by_label("Password").fill(ADMIN_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(server + "/runs/new")  # back where they were going
    await page.get_by_role("link", name="Runs", exact=True).click()
    await expect(page.get_by_role("heading", name="Runs", exact=True, level=1)).to_be_visible()
    await expect(page.get_by_text("No runs yet")).to_be_visible()

    await account_menu(page).click()
    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(server + "/signin")
    await page.goto(server + "/settings/members")
    await expect(page).to_have_url(server + "/signin?next=%2Fsettings%2Fmembers")
    assert (await page.request.get(server + "/api/v1/auth/me")).status == 401


async def test_a_viewer_sees_no_new_run_and_the_api_refuses_them(
    server: str, context: BrowserContext
) -> None:
    """An instance admin makes the account (Users) and adds it as a viewer (Members)."""
    page = await context.new_page()
    await sign_in(page, server)
    await page.goto(server + "/settings/users")
    await page.get_by_label("Email").fill(VIEWER_EMAIL)
    await page.get_by_label("Password").fill(VIEWER_PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("region", name="Users")).to_contain_text(VIEWER_EMAIL)
    await (
        page.get_by_role("navigation", name="Settings").get_by_role("link", name="Members").click()
    )
    await page.get_by_label("Email").fill(VIEWER_EMAIL)
    await page.get_by_label("Role", exact=True).select_option("viewer")
    await page.get_by_role("button", name="Add member").click()
    await expect(page.get_by_label(f"Role of {VIEWER_EMAIL}")).to_have_value("viewer")
    await account_menu(page).click()
    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(server + "/signin")

    await sign_in(page, server, VIEWER_EMAIL, VIEWER_PASSWORD)
    await expect(page.get_by_role("heading", name="Runs", exact=True, level=1)).to_be_visible()
    await expect(page.get_by_role("link", name="New test")).to_have_count(0)
    await expect(page.get_by_role("link", name="Start your first test")).to_have_count(0)
    await page.goto(server + "/runs/new")
    await expect(page.get_by_text("You cannot open this page")).to_be_visible()
    await expect(page.get_by_text("Your role in default is viewer")).to_be_visible()
    await page.goto(server + "/settings")
    settings = page.get_by_role("navigation", name="Settings")
    await expect(settings.get_by_role("link")).to_have_text(["Members", "Targets", "Quotas"])
    await expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)

    # The server is the authority: the same session, with a valid CSRF token, is refused.
    headers = await csrf_headers(page, server)
    run = {"target_url": "http://127.0.0.1:9/", "users": 1, "duration_s": 1}
    refused = await page.request.post(server + "/api/v1/runs", headers=headers, data=run)
    assert refused.status == 403, await refused.text()
    assert "viewer" in (await refused.json())["detail"]
    assert (await page.request.get(server + "/api/v1/tokens")).status == 403
    assert (await page.request.get(server + "/api/v1/runs")).status == 200


async def _revoke(page: Page, name: str) -> None:
    await page.get_by_role("button", name=f"Revoke {name}").click()
    dialog = page.get_by_role("alertdialog", name=f"Revoke “{name}”?")
    await dialog.get_by_role("button", name="Revoke token").click()
    await expect(dialog).to_have_count(0)


async def test_a_token_is_shown_once_works_and_stops_when_revoked(
    server: str, context: BrowserContext
) -> None:
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = await context.new_page()
    await sign_in(page, server)
    await page.goto(server + "/settings/tokens")
    await page.get_by_label("Name").fill("ci-pipeline")
    await page.get_by_role("button", name="Create token").click()
    shown = page.get_by_test_id("new-token")
    await expect(shown).to_have_text(re.compile(r"^lsk_"))
    token = (await shown.inner_text()).strip()
    await expect(page.get_by_text("you won't see it again")).to_be_visible()
    await page.get_by_role("button", name="Copy token").click()
    await expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == token

    status, me = _api("GET", server + "/api/v1/auth/me", token=token)
    assert status == 200, me
    assert (me["via"], me["role"], me["team_name"]) == ("token", "runner", "default")

    await page.get_by_role("button", name="Done").click()
    await expect(page.get_by_text(token)).to_have_count(0)
    await page.reload()  # nowhere to read it again: the list shows its prefix only
    row = page.get_by_role("row", name=re.compile("ci-pipeline"))
    await expect(row).to_contain_text("active")
    await expect(row).to_contain_text(ADMIN_EMAIL)
    assert token not in await page.content()

    await _revoke(page, "ci-pipeline")
    await expect(row).to_contain_text("revoked")
    await expect(row.get_by_role("button", name=re.compile("^Revoke"))).to_have_count(0)
    status, _ = _api("GET", server + "/api/v1/auth/me", token=token)
    assert status == 401

    await page.goto(server + "/settings/audit")
    log = page.get_by_role("region", name="Audit log")
    await expect(log).to_contain_text("token.revoke")


async def test_targets_page_shows_the_token_and_where_to_publish_it(
    server: str, context: BrowserContext
) -> None:
    page = await context.new_page()
    await sign_in(page, server)
    await page.goto(server + "/settings/targets")
    await page.get_by_label("Start page URL").fill(server + "/")
    await page.get_by_role("button", name="Add target").click()
    host = "127.0.0.1"  # a target is its host name, without the port
    card = page.locator("section", has=page.get_by_role("heading", name=host))
    await expect(card.get_by_test_id("target-status")).to_have_text("Not verified yet")
    target = (await (await page.request.get(server + "/api/v1/targets")).json())["data"][0]
    await expect(card).to_contain_text(target["token"])
    await expect(card).to_contain_text(target["file_url"])
    await expect(card).to_contain_text(target["meta_tag"])
    await expect(card).to_contain_text("_loadscout.127.0.0.1")
    await card.get_by_role("button", name=f"Check {host} now").click()
    await expect(card.get_by_test_id("target-status")).to_contain_text(
        "last checked", timeout=60_000
    )
