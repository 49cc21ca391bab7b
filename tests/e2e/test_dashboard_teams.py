"""Teams in the dashboard end to end: the team switcher, quotas, the audit log and another
team's run opened by its address, against ``loadscout serve`` in headless Chromium."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.signin import account_menu, csrf_headers, sign_in
from tests.utils.accounts import ADMIN_EMAIL
from tests.utils.processes import serving

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
PASSWORD = "a long enough password"
DEFAULT_TEAM_ID = 1

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dist() -> Path:
    if not (DIST / "index.html").exists():
        pytest.fail(f"{DIST / 'index.html'} is missing: run `bash scripts/build-web.sh` first")
    return DIST


@pytest.fixture(scope="module")
def server(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose test admin exists (urllib requests to it are signed with the admin's
    token, which acts in the default team and is no instance admin)."""
    with serving(tmp_path_factory.mktemp("teams"), LOADSCOUT_DASHBOARD_DIR=str(dist)) as base:
        yield base


def _token_api(method: str, url: str, body: Any = None) -> Any:
    """A urllib call signed with the test admin's token (the default team, as admin)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


@pytest.fixture(scope="module")
def default_run(server: str) -> int:
    """A finished run of the default team: one user fetching the server's own /healthz for a
    second (no discovery, so it takes about that long)."""
    flowset = {
        "version": 2,
        "target_url": server + "/",
        "flows": [{"name": "health", "steps": [{"name": "health", "url": "/healthz"}]}],
    }
    run = _token_api(
        "POST",
        server + "/api/v1/runs",
        {
            "target_url": server + "/",
            "flowset": flowset,
            "users": 1,
            "duration_s": 1,
            "think_time_min_s": 0.2,
            "think_time_max_s": 0.3,
        },
    )
    run_id = int(run["id"])
    deadline = time.monotonic() + 60
    while run["status"] not in ("completed", "failed", "cancelled"):
        assert time.monotonic() < deadline, f"run {run_id} did not finish: {run}"
        time.sleep(0.1)
        run = _token_api("GET", f"{server}/api/v1/runs/{run_id}")
    return run_id


async def _call(page: Page, base: str, method: str, path: str, body: Any = None) -> Any:
    """An API call as the person signed in on ``page`` (with their CSRF token)."""
    response = await page.request.fetch(
        base + path, method=method, headers=await csrf_headers(page, base), data=body
    )
    assert response.ok, f"{method} {path}: {response.status} {await response.text()}"
    return None if response.status == 204 else await response.json()


async def _me(page: Page, base: str) -> Any:
    response = await page.request.get(base + "/api/v1/auth/me")
    assert response.status == 200, await response.text()
    return await response.json()


async def _new_account(admin: Page, base: str, email: str, team_id: int, role: str) -> None:
    """An instance admin makes an account and puts it in a team with a role."""
    await _call(admin, base, "POST", "/api/v1/users", {"email": email, "password": PASSWORD})
    await _call(
        admin, base, "PUT", f"/api/v1/teams/{team_id}/members", {"email": email, "role": role}
    )


async def _team(page: Page, base: str, name: str) -> Any:
    teams = (await _call(page, base, "GET", "/api/v1/teams"))["data"]
    return next(t for t in teams if t["name"] == name)


def _switcher(page: Page) -> Any:
    """The account menu's team select (its name also holds the chosen option's text)."""
    return page.get_by_role("combobox", name=re.compile(r"^Team\b"))


def _run_link(page: Page, run_id: int) -> Any:
    return page.locator(f"table a[href='/runs/{run_id}']")


async def _switch_team(page: Page, option: str) -> None:
    await account_menu(page).click()
    await _switcher(page).select_option(label=option)
    # the menu closes and the runs page opens, for the new team
    await expect(_switcher(page)).to_be_hidden()
    await expect(page.get_by_role("heading", name="Runs", exact=True, level=1)).to_be_visible()


async def _create_team_and_join_as_viewer(page: Page, base: str, name: str) -> None:
    """On Settings › Teams: a new team, then the signed-in admin added to it as a viewer."""
    await page.goto(base + "/")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    await page.get_by_role("navigation", name="Settings").get_by_role("link", name="Teams").click()
    await expect(page).to_have_url(base + "/settings/teams")
    await page.get_by_label("Name").fill(name)
    await page.get_by_role("button", name="Create team").click()
    add = page.get_by_role("form", name=f"Add a member to {name}")
    await expect(add).to_be_visible()
    await add.get_by_label("Add by email").fill(ADMIN_EMAIL)
    await add.get_by_label("Role").select_option("viewer")
    await add.get_by_role("button", name="Add or change role").click()
    await expect(add).to_contain_text(f"{ADMIN_EMAIL} is viewer in {name}.")


async def test_switching_team_shows_that_teams_runs_and_role(
    server: str, context: BrowserContext, default_run: int
) -> None:
    page = await context.new_page()
    await sign_in(page, server)
    await expect(_run_link(page, default_run)).to_be_visible()
    await account_menu(page).click()  # one team so far: nothing to switch to
    await expect(page.get_by_test_id("signed-in-as")).to_have_text(ADMIN_EMAIL)
    await expect(_switcher(page)).to_have_count(0)
    await account_menu(page).click()

    await _create_team_and_join_as_viewer(page, server, "ops")
    await page.reload()  # the session's list of teams is read when a page loads
    await account_menu(page).click()
    await expect(_switcher(page).locator("option")).to_have_text(
        ["default (admin)", "ops (viewer)"]
    )
    await account_menu(page).click()

    await _switch_team(page, "ops (viewer)")
    await expect(page.get_by_text("No runs yet")).to_be_visible()
    await expect(_run_link(page, default_run)).to_have_count(0)
    await expect(page.get_by_role("link", name="New test")).to_have_count(0)
    await expect(page.get_by_role("link", name="Start your first test")).to_have_count(0)
    me = await _me(page, server)
    assert (me["team_name"], me["role"]) == ("ops", "viewer"), me
    listing = await _call(page, server, "GET", "/api/v1/runs")
    assert listing["count"] == 0, listing
    await account_menu(page).click()
    await expect(page.get_by_text("viewer in ops · instance admin")).to_be_visible()
    await account_menu(page).click()

    await _switch_team(page, "default (admin)")
    await expect(_run_link(page, default_run)).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main")).to_contain_text("New test")
    me = await _me(page, server)
    assert (me["team_name"], me["role"]) == ("default", "admin"), me


async def test_the_switcher_offers_a_team_you_just_joined_without_a_reload(
    server: str, context: BrowserContext
) -> None:
    page = await context.new_page()
    await sign_in(page, server)
    await _create_team_and_join_as_viewer(page, server, "qa")
    me = await _me(page, server)
    assert "qa" in [t["name"] for t in me["teams"]], me  # the server knows at once
    await account_menu(page).click()
    await expect(_switcher(page).locator("option")).to_contain_text(["qa (viewer)"])


async def test_quotas_are_set_by_an_instance_admin_and_read_only_for_a_team_admin(
    server: str, browser: Browser, context: BrowserContext
) -> None:
    page = await context.new_page()
    await sign_in(page, server)
    lead = "lead@example.test"  # admin of the default team, no instance admin
    await _new_account(page, server, lead, DEFAULT_TEAM_ID, "admin")
    try:
        await page.goto(server + "/settings")
        await (
            page.get_by_role("navigation", name="Settings")
            .get_by_role("link", name="Quotas")
            .click()
        )
        form = page.get_by_role("form", name="Quotas of default")
        await expect(form.get_by_label("Runs at once")).to_have_value("")
        await form.get_by_label("Runs at once").fill("0")
        await form.get_by_role("button", name="Save quotas").click()
        await expect(form).to_contain_text("Enter a whole number above 0")
        assert (await _team(page, server, "default"))["quotas"]["max_concurrent_runs"] is None

        await form.get_by_label("Runs at once").fill("1")
        await form.get_by_role("button", name="Save quotas").click()
        await expect(form.get_by_text("Saved.")).to_be_visible()
        await page.reload()
        await expect(form.get_by_label("Runs at once")).to_have_value("1")
        await expect(form.get_by_label("Users per run")).to_have_value("")
        quotas = (await _team(page, server, "default"))["quotas"]
        assert quotas == {
            "max_concurrent_runs": 1,
            "max_users_per_run": None,
            "max_duration_s": None,
            "max_runs_per_day": None,
        }, quotas

        lead_page = await (await browser.new_context()).new_page()
        try:
            await sign_in(lead_page, server, lead, PASSWORD)
            await lead_page.goto(server + "/settings/quotas")
            await expect(lead_page.get_by_text("Team default · you are admin")).to_be_visible()
            shown = lead_page.get_by_label("Quotas of default")
            await expect(shown).to_be_visible()
            runs_at_once = shown.locator(
                "div", has=lead_page.get_by_text("Runs at once", exact=True)
            )
            await expect(runs_at_once.locator("dd")).to_have_text("1")
            await expect(
                lead_page.get_by_text("Only an instance admin can change them.")
            ).to_be_visible()
            main = lead_page.get_by_role("main")
            await expect(main.get_by_role("button", name="Save quotas")).to_have_count(0)
            await expect(main.get_by_role("textbox")).to_have_count(0)
            settings = lead_page.get_by_role("navigation", name="Settings")
            await expect(settings.get_by_role("link", name="Teams")).to_have_count(0)
            # the server agrees: a team admin cannot change them either
            refused = await lead_page.request.put(
                f"{server}/api/v1/teams/{DEFAULT_TEAM_ID}/quotas",
                headers=await csrf_headers(lead_page, server),
                data={"max_concurrent_runs": 50},
            )
            assert refused.status == 403, await refused.text()
        finally:
            await lead_page.context.close()
    finally:  # other tests start runs in the default team
        await _call(page, server, "PUT", f"/api/v1/teams/{DEFAULT_TEAM_ID}/quotas", {})


async def _audit_rows(page: Page) -> list[list[str]]:
    """The Audit page's rows as [when, who, what, run, details, from]."""
    log = page.get_by_role("region", name="Audit log")
    await expect(log.locator("tbody tr").first).to_be_visible()
    rows: list[list[str]] = await log.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    return rows


async def _create_and_revoke_token(page: Page, base: str, name: str) -> None:
    await page.goto(base + "/settings/tokens")
    await page.get_by_label("Name").fill(name)
    await page.get_by_role("button", name="Create token").click()
    await expect(page.get_by_test_id("new-token")).to_have_text(re.compile(r"^lsk_"))
    await page.get_by_role("button", name="Done").click()
    row = page.get_by_role("row", name=re.compile(name))
    await expect(row).to_contain_text("active")
    await page.get_by_role("button", name=f"Revoke {name}").click()
    dialog = page.get_by_role("alertdialog", name=f"Revoke “{name}”?")
    await dialog.get_by_role("button", name="Revoke token").click()
    await expect(row).to_contain_text("revoked")


async def test_the_audit_log_lists_token_changes_newest_first(
    server: str, context: BrowserContext
) -> None:
    page = await context.new_page()
    await sign_in(page, server)
    await _create_and_revoke_token(page, server, "audit-probe")
    await (
        page.get_by_role("navigation", name="Settings")
        .get_by_role("link", name="Audit log")
        .click()
    )
    rows = await _audit_rows(page)
    mine = [(who, what) for _, who, what, _, details, _ in rows if "name=audit-probe" in details]
    assert mine == [(ADMIN_EMAIL, "token.revoke"), (ADMIN_EMAIL, "token.create")], rows
    # newest first: nothing happened in the team after the revoke
    assert rows[0][1:3] == [ADMIN_EMAIL, "token.revoke"], rows


async def test_the_audit_log_lists_the_admins_sign_in(server: str, context: BrowserContext) -> None:
    page = await context.new_page()
    await sign_in(page, server)
    await _create_and_revoke_token(page, server, "signin-probe")
    every = (await _call(page, server, "GET", "/api/v1/audit?instance=true&limit=500"))["data"]
    assert any(e["action"] == "auth.signin" and e["actor"] == ADMIN_EMAIL for e in every)
    await page.goto(server + "/settings/audit")
    rows = await _audit_rows(page)
    actions = [what for _, who, what, _, _, _ in rows if who == ADMIN_EMAIL]
    assert actions[:3] == ["token.revoke", "token.create", "auth.signin"], rows


async def test_a_run_of_another_team_is_not_found_by_its_address(
    server: str, browser: Browser, context: BrowserContext, default_run: int
) -> None:
    """A viewer of the default team sees the run; a viewer of another team, opening the same
    address, sees the not-found page and nothing of the run."""
    admin = await context.new_page()
    await sign_in(admin, server)
    other = await _call(admin, server, "POST", "/api/v1/teams", {"name": "red"})
    await _new_account(admin, server, "insider@example.test", DEFAULT_TEAM_ID, "viewer")
    await _new_account(admin, server, "stranger@example.test", other["id"], "viewer")
    target = (await _call(admin, server, "GET", f"/api/v1/runs/{default_run}"))["target_url"]

    for email, team, sees in (
        ("insider@example.test", "default", True),
        ("stranger@example.test", "red", False),
    ):
        viewer = await browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = await viewer.new_page()
            await sign_in(page, server, email, PASSWORD)
            assert (await _me(page, server))["team_name"] == team
            await page.goto(f"{server}/runs/{default_run}")
            heading = page.get_by_role("heading", level=1)
            if sees:
                await expect(heading).to_contain_text(target)
                await expect(page.get_by_text(f"Run #{default_run}")).to_be_visible()
                await expect(page.get_by_text("does not exist")).to_have_count(0)
            else:
                await expect(page.get_by_text(f"Run {default_run} does not exist")).to_be_visible()
                await expect(page.get_by_role("link", name="Back to runs")).to_be_visible()
                await expect(page.get_by_text(f"Run #{default_run}")).to_have_count(0)
                assert target not in await page.content()
                response = await page.request.get(f"{server}/api/v1/runs/{default_run}")
                assert response.status == 404, await response.text()
        finally:
            await viewer.close()
