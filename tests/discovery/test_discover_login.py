"""discover() as a logged-in user with writes allowed, against the demo shop."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser

from loadscout.demo.state import ShopState
from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.verify import verify_flowset
from loadscout.errors import TargetError
from loadscout.flows.io import dumps_flowset
from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.replay import replay_flow
from tests.discovery.coverage import submitted, walked
from tests.utils.demo_server import DemoServer
from tests.utils.shop_truth import form_actions, html_page_routes, route_regex

pytestmark = pytest.mark.browser
ACCOUNT = Flow(name="account", steps=[Step(name="GET /account", url="/account", expect_status=200)])


@dataclass(frozen=True, slots=True)
class LoggedInRun:
    flowset: FlowSet
    hits: Counter[str]
    shop: ShopState


@pytest.fixture(scope="module")
async def logged_in(demo_shop_session: DemoServer) -> LoggedInRun:
    demo_shop_session.reset_hits()
    options = DiscoveryConfig(
        start_url=demo_shop_session.url,
        login_url=demo_shop_session.url_for("/login"),
        username="user7",
        password="password7",
        allow_writes=True,
        max_pages=30,
        max_time_s=40,
    )
    flowset = await discover(options, replayer=replay_flow)
    shop: ShopState = demo_shop_session.app.state.shop
    return LoggedInRun(flowset, Counter(demo_shop_session.hits), shop)


def _flow(run: LoggedInRun, name: str) -> Flow:
    return next(f for f in run.flowset.flows if f.name == name)


def test_each_user_logs_in_itself_with_the_live_csrf_token(logged_in: LoggedInRun) -> None:
    page, post = logged_in.flowset.setup
    assert (page.method, page.url) == ("GET", "/login")
    csrf = next(e for e in page.extract if e.attribute == "csrf_token")
    assert csrf.source == "form"
    assert post.method == "POST" and post.form is not None
    assert dict(post.form)["csrf_token"] == "${" + csrf.name + "}"
    assert dict(post.form)["username"] == "${user.username}"
    assert dict(post.form)["password"] == "${user.password}"
    assert logged_in.flowset.user_data == [{"username": "user7", "password": "password7"}]


def test_explores_the_account_and_checks_out_after_filling_the_cart(
    logged_in: LoggedInRun,
) -> None:
    names = {f.name for f in logged_in.flowset.flows}
    assert {"/account", "/checkout"} <= walked(logged_in.flowset)
    assert "submit form /cart/add" in names
    checkout = _flow(logged_in, "submit form /checkout")
    posts = [s.name for s in checkout.steps if s.method == "POST"]
    assert posts == ["POST /cart/add", "POST /checkout"]  # the prerequisite write comes first
    submit = checkout.steps[-1]
    assert submit.form is not None and dict(submit.form)["terms"] == "on"
    first = (logged_in.shop.today() - date.today()).days + 1  # the shop's first delivery day
    assert dict(submit.form)["delivery_date"] == f"${{date:{first:+d}d}}"  # valid on later days
    report = logged_in.flowset.discovery
    assert report is not None
    verified = {v.flow: v for v in report.verification}
    assert verified["submit form /checkout"].passed
    assert all(verified[n].passed for n in names)


def test_double_submit_cookie_is_read_from_the_jar(logged_in: LoggedInRun) -> None:
    wish = next(
        f
        for f in logged_in.flowset.flows
        if any(s.method == "POST" and s.url == "/api/app/wishlist" for s in f.steps)
    )
    post = next(s for s in wish.steps if s.method == "POST")
    header = post.headers["x-csrf-token"]
    assert header.startswith("${cookie_app_csrf")
    before = wish.steps[wish.steps.index(post) - 1]
    assert any(e.source == "cookie" and e.expression == "app_csrf" for e in before.extract)


def test_never_logout_delete_nor_a_recorded_session(logged_in: LoggedInRun) -> None:
    assert logged_in.hits["GET /logout"] == 0
    assert logged_in.hits["POST /account/delete"] == 0
    assert logged_in.hits["POST /checkout"] >= 1
    text = dumps_flowset(logged_in.flowset)
    sessions = list(logged_in.shop.sessions._sessions.values())
    assert sessions
    for session in sessions:
        assert session.id not in text
        assert session.csrf_token not in text
    assert "password7" not in text  # in memory only: the file holds a reference
    assert "password: ${secret.password}" in text
    assert all("password7" not in str(s.form) for s in logged_in.flowset.setup)


async def test_each_virtual_user_can_bring_its_own_account(logged_in: LoggedInRun) -> None:
    rows = [
        {"username": "user8", "password": "password8"},
        {"username": "user9", "password": "password9"},
    ]
    flowset = logged_in.flowset.model_copy(update={"user_data": rows})
    results = await verify_flowset(flowset, replay_flow, flows=[ACCOUNT])
    assert results[0].passed, results[0].detail
    wrong = flowset.model_copy(update={"user_data": [{"username": "user8", "password": "nope"}]})
    failed = await verify_flowset(wrong, replay_flow, flows=[ACCOUNT])
    assert not failed[0].passed
    assert failed[0].failed_step is not None and failed[0].failed_step.startswith("set-up")


async def test_a_login_that_fails_is_one_clear_error(demo_shop: DemoServer, tmp_path: Path) -> None:
    options = DiscoveryConfig(
        start_url=demo_shop.url,
        login_url=demo_shop.url_for("/login"),
        username="user7",
        password="wrong",
    )
    with pytest.raises(TargetError, match=r"login .* failed"):
        await discover(options, replayer=replay_flow)


def test_a_token_a_script_copied_from_a_meta_tag_is_re_read(logged_in: LoggedInRun) -> None:
    rate = next(
        f
        for f in logged_in.flowset.flows
        if any(s.method == "POST" and s.url == "/api/app/ratings" for s in f.steps)
    )
    post = next(s for s in rate.steps if s.method == "POST")
    variable = post.headers["x-page-token"]
    assert variable.startswith("${page_")
    source = next(e for s in rate.steps for e in s.extract if "${" + e.name + "}" == variable)
    assert (source.source, source.expression, source.attribute) == (
        "css",
        'meta[name="page-token"]',
        "content",
    )
    report = logged_in.flowset.discovery
    assert report is not None
    assert next(v for v in report.verification if v.flow == rate.name).passed
    assert logged_in.hits["POST /api/app/ratings"] >= 1 + 2  # crawl, then both verify sessions


async def test_a_storage_state_file_starts_the_crawl_logged_in(
    browser: Browser, demo_shop: DemoServer, tmp_path: Path
) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(demo_shop.url_for("/login"))
    await page.fill("#username", "user12")
    await page.fill("#password", "password12")
    async with page.expect_navigation():
        await page.click("form[action='/login'] button[type=submit]")
    state = tmp_path / "state.json"
    await context.storage_state(path=str(state))
    await context.close()
    demo_shop.reset_hits()
    options = DiscoveryConfig(
        start_url=demo_shop.url_for("/account"),
        storage_state_file=str(state),
        max_pages=1,
        verify=False,
        explore_clicks=False,
    )
    flowset = await discover(options)
    # the cookie-less probe, the browser, then the plain-HTTP read judging the page (logged in)
    assert demo_shop.hits["GET /account"] == 3
    assert demo_shop.hits["GET /login"] == 1  # only the probe bounced to the login page
    assert flowset.setup == []


def test_covers_the_shops_pages_and_every_form(logged_in: LoggedInRun) -> None:
    """Coverage against the shop's own routes and templates: >= 95% of its page patterns
    found (visited, or seen and deliberately skipped) and every form."""
    report = logged_in.flowset.discovery
    assert report is not None
    skipped = {urlsplit(s.url).path for s in report.skipped}
    found = [p.split("?")[0] for p in (*report.patterns, *report.routes, *skipped)]
    pages = html_page_routes()
    missed = [p for p in pages if not any(route_regex(p).match(f) for f in found)]
    assert (len(pages) - len(missed)) / len(pages) >= 0.95, missed
    flowset = logged_in.flowset
    steps = [*flowset.setup, *(s for f in flowset.flows for s in f.steps)]
    requested = {urlsplit(s.url).path for s in steps} | submitted(flowset)
    assert form_actions() <= requested | skipped
    assert report.forms >= len(form_actions())
