"""``--storage-state``: explore logged in; replay logged in through each user's own login, or
(no login given) through a copy of the state's cookies, with a shared-session warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.storage_state import SHARED_SESSION
from loadscout.errors import BadInput
from loadscout.files.credentials import resolve_secrets
from loadscout.files.storage_state import target_cookies
from loadscout.flows.io import dumps_flowset, loads_flowset
from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.replay import replay_flow
from tests.utils.demo_server import DemoServer


async def _storage_state(browser: Browser, shop: DemoServer, user: str, folder: Path) -> Path:
    """Log ``user`` in with Playwright and save the browser's storage state."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(shop.url_for("/login"))
        await page.fill("#username", user)
        await page.fill("#password", user.replace("user", "password"))
        async with page.expect_navigation():
            await page.click("form[action='/login'] button[type=submit]")
        path = folder / f"{user}.json"
        await context.storage_state(path=str(path))
        return path
    finally:
        await context.close()


async def _greets(flowset: FlowSet, user: str) -> bool:
    """Does a fresh replay session (set-up and setup cookies included) see ``user``'s account?"""
    probe = Flow(name="probe", steps=[Step(name="account", url="/account", expect_body=user)])
    outcome = await replay_flow(flowset, probe, vu=1, timeout_s=10)
    return outcome.ok


def _options(
    shop: DemoServer, state: Path, *, username: str | None = None, password: str | None = None
) -> DiscoveryConfig:
    return DiscoveryConfig(
        start_url=shop.url_for("/account"),
        storage_state_file=str(state),
        max_pages=1,
        explore_clicks=False,
        login_url=shop.url_for("/login") if username else None,
        username=username,
        password=password,
    )


@pytest.mark.browser
async def test_alone_every_user_starts_with_the_state_cookies(
    browser: Browser, demo_shop: DemoServer, tmp_path: Path
) -> None:
    state = await _storage_state(browser, demo_shop, "user15", tmp_path)
    flowset = await discover(_options(demo_shop, state), replayer=replay_flow)
    assert flowset.setup == []
    assert flowset.setup_cookies == target_cookies(str(state), demo_shop.url)
    assert flowset.setup_cookies, "the demo's session cookie"
    assert flowset.discovery is not None
    assert SHARED_SESSION in flowset.discovery.warnings
    assert "--login-url with --credentials" in SHARED_SESSION
    assert await _greets(flowset, "user15")
    assert not await _greets(flowset.model_copy(update={"setup_cookies": []}), "user15")
    written = dumps_flowset(flowset)  # the session is never written; the run reads it again
    assert all(c.value not in written for c in flowset.setup_cookies)
    assert await _greets(resolve_secrets(loads_flowset(written)), "user15")


@pytest.mark.browser
async def test_with_a_login_each_user_logs_in_itself(
    browser: Browser, demo_shop: DemoServer, tmp_path: Path
) -> None:
    state = await _storage_state(browser, demo_shop, "user16", tmp_path)
    options = _options(demo_shop, state, username="user17", password="password17")
    demo_shop.reset_hits()
    flowset = await discover(options, replayer=replay_flow)
    assert [(s.method, s.url) for s in flowset.setup] == [("GET", "/login"), ("POST", "/login")]
    assert flowset.setup_cookies == []
    assert flowset.discovery is not None
    assert SHARED_SESSION not in flowset.discovery.warnings
    assert "browse /account" in {f.name for f in flowset.flows}  # explored logged in
    assert await _greets(flowset, "user17")  # replay: the set-up's own login, not the state's


def test_a_broken_state_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "state.json"
    bad.write_text("{not json")
    with pytest.raises(BadInput, match="is not JSON"):
        target_cookies(str(bad), "http://127.0.0.1:1/")
    bad.write_text(json.dumps({"cookies": "x"}))
    with pytest.raises(BadInput, match="not a Playwright storage state"):
        target_cookies(str(bad), "http://127.0.0.1:1/")


def test_only_the_target_hosts_cookies(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    cookies = [
        {"name": "sid", "value": "a", "domain": "127.0.0.1", "path": "/"},
        {"name": "wide", "value": "b", "domain": ".example.com", "path": "/app"},
        {"name": "other", "value": "c", "domain": "other.org", "path": "/"},
    ]
    state.write_text(json.dumps({"cookies": cookies, "origins": []}))
    assert [c.name for c in target_cookies(str(state), "http://127.0.0.1:8/")] == ["sid"]
    found = target_cookies(str(state), "https://shop.example.com/")
    assert [(c.name, c.path) for c in found] == [("wide", "/app")]
