"""``discover()``: probe, log in, explore, build flows, verify them — or import a HAR instead.

Every bad input ends in one clear error (errors.py), never a traceback; a crawl cut short by
its time limit still returns what it found.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from playwright.async_api import Browser, Page, StorageState, async_playwright
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.browser import NetworkGuard, launch_browser
from loadscout.discovery.capture import Capture
from loadscout.discovery.crawler import Crawler
from loadscout.discovery.egress_proxy import proxy_for
from loadscout.discovery.flow_builder import build_flowset
from loadscout.discovery.form_fill import DataValues, data_column
from loadscout.discovery.form_runner import Relogin
from loadscout.discovery.har import har_flowset
from loadscout.discovery.journey_verify import verify_journey
from loadscout.discovery.login import Credentials, LoggedIn, browser_login, log_in
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.probe import probe_target
from loadscout.discovery.safety import SafetyPolicy
from loadscout.discovery.sources import Sources, seed_urls
from loadscout.discovery.storage_state import SHARED_SESSION
from loadscout.discovery.userdata import login_columns, read_csv_rows, read_data_file
from loadscout.discovery.verify import verify_flowset
from loadscout.errors import RunFailed, TargetError
from loadscout.files.storage_state import target_cookies
from loadscout.flows.model import STOP_REASONS, Flow, FlowSet, SetupCookie
from loadscout.flows.replay import FlowReplayer, ReplayOutcome, StepCheck
from loadscout.plan.egress import EgressPolicy, check_url
from loadscout.plan.scope import Scope

Progress = Callable[[str], None]


def user_rows(options: DiscoveryConfig) -> tuple[list[dict[str, str]], Credentials | None]:
    """Per-user rows for ``FlowSet.user_data`` and the account discovery logs in with."""
    if options.credentials_file:
        rows = read_csv_rows(options.credentials_file)
        user_col, pass_col = login_columns(list(rows[0]))
        creds = Credentials(
            username=rows[0][user_col],
            password=rows[0][pass_col],
            username_template="${user." + user_col + "}",
            password_template="${user." + pass_col + "}",
        )
        return rows, creds
    password = options.password_text
    if options.username is not None and password is not None:
        row = {"username": options.username, "password": password}
        return [row], Credentials(username=options.username, password=password)
    return [], None


def credentials_path(options: DiscoveryConfig) -> str | None:
    """Where flows files tell ``run --flows`` to read the passwords they never hold."""
    return str(Path(options.credentials_file).resolve()) if options.credentials_file else None


def merge_data_columns(rows: list[dict[str, str]], data: DataValues | None) -> list[dict[str, str]]:
    """Add one ``data_FIELD`` column per ``--data`` list, cycling values over the rows."""
    lists = {
        data_column(k.rsplit(".", 1)[-1]): v
        for k, v in (data or {}).items()
        if isinstance(v, list) and v
    }
    if not lists:
        return rows
    count = max([len(rows), *(len(v) for v in lists.values())])
    base = rows or [{}]
    return [
        {**base[i % len(base)], **{col: values[i % len(values)] for col, values in lists.items()}}
        for i in range(count)
    ]


async def _login(
    browser: Browser, options: DiscoveryConfig, creds: Credentials | None
) -> LoggedIn | None:
    if creds is None or options.login_url is None:
        return None
    scope = Scope(options.start_url, options.scope)
    guard = NetworkGuard(
        scope=scope,
        policy=SafetyPolicy(allow_writes=False),
        on_blocked=lambda *_: None,
        allowed_hosts=options.allowed_hosts,
        egress=options.egress,
    )
    return await log_in(
        browser, guard, url=options.login_url, creds=creds, timeout_s=options.page_timeout_s
    )


def _relogin(options: DiscoveryConfig, creds: Credentials | None) -> Relogin:
    """Form submissions log their fresh context in again: each gets its own session, as each
    virtual user will, so a write that needs an earlier one (checkout a cart) shows it."""
    url = options.login_url or options.start_url
    assert creds is not None

    async def relogin(page: Page, capture: Capture, guard: NetworkGuard) -> object:
        return await browser_login(
            page, capture, guard, url=url, creds=creds, timeout_s=options.page_timeout_s
        )

    return relogin


def _shared_cookies(options: DiscoveryConfig, creds: Credentials | None) -> list[SetupCookie]:
    """A storage state with no login to record: its cookies become every user's start (with
    a login, the state is only for exploring and each user logs in itself)."""
    if options.storage_state_file is None or (creds is not None and options.login_url):
        return []
    return target_cookies(options.storage_state_file, options.start_url)


def _with_shared_cookies(
    flowset: FlowSet, cookies: list[SetupCookie], options: DiscoveryConfig
) -> FlowSet:
    """The cookies for this run; files keep only where to read them again (flows/secrets.py)."""
    state = os.path.abspath(options.storage_state_file or "")
    return flowset.model_copy(update={"setup_cookies": cookies, "storage_state_file": state})


async def _sources(options: DiscoveryConfig, scope: Scope) -> Sources:
    """robots.txt and sitemap URLs; a start page robots.txt disallows is an error."""
    sources = await seed_urls(
        options.start_url, scope, ignore_robots=options.ignore_robots, egress=options.egress
    )
    if not sources.robots.allows(options.start_url):
        raise TargetError(
            f"robots.txt disallows the start page {options.start_url}; "
            "pass --ignore-robots to explore it anyway"
        )
    return sources


async def _explore(options: DiscoveryConfig, progress: Progress, started: float) -> FlowSet:
    rows, creds = user_rows(options)
    data = read_data_file(options.data_file) if options.data_file else None
    cookies = _shared_cookies(options, creds)
    await check_url(options.egress, options.start_url)  # before the probe's first connection
    await probe_target(
        options.start_url, allowed_hosts=options.allowed_hosts, egress=options.egress
    )
    scope = Scope(options.start_url, options.scope)
    fence = proxy_for(
        options.egress,
        start_url=options.start_url,
        widened_scope=options.scope is not None,
        allowed_hosts=options.allowed_hosts,
    )
    async with async_playwright() as pw, fence as proxy:
        try:
            browser = await launch_browser(
                pw,
                start_url=options.start_url,
                chromium_path=options.chromium_path,
                widened_scope=options.scope is not None,
                allowed_hosts=options.allowed_hosts,
                egress=options.egress,
                proxy=proxy,
            )
        except PlaywrightError as err:
            raise RunFailed(f"cannot start Chromium: {str(err).splitlines()[0]}") from None
        try:
            logged_in = await _login(browser, options, creds)
            if logged_in is not None:
                progress(f"logged in at {options.login_url} as {creds.username if creds else ''}")
            state: StorageState | str | None = options.storage_state_file or (
                logged_in.storage_state if logged_in else None
            )
            crawler = Crawler(
                options,
                browser,
                progress,
                storage_state=state,
                sources=await _sources(options, scope),
                login_signature=logged_in.form_signature if logged_in else None,
                data=data,
                relogin=_relogin(options, creds) if logged_in else None,
            )
            if proxy is not None:  # what the proxy refused (redirects, sockets) is reported too
                proxy.on_refused = crawler.result.skip
            result = await crawler.run()
        finally:
            await browser.close()
    if not result.visits:
        raise TargetError(f"the browser could not load the start page {options.start_url}")
    if cookies:
        result.warnings.append(SHARED_SESSION)
    flowset = build_flowset(
        result,
        target_url=options.start_url,
        duration_s=time.monotonic() - started,
        setup=logged_in.setup if logged_in else [],
        user_data=merge_data_columns(rows, data),
        user_data_file=credentials_path(options),
        journeys=options.journeys,
    )
    if flowset.discovery is not None:
        report = flowset.discovery.model_copy(update={"budget_s": options.max_time_s})
        flowset = flowset.model_copy(update={"discovery": report})
        progress(f"stopped exploring: {STOP_REASONS.get(result.stop_reason, '–')}")
    for warning in result.warnings:
        progress(f"warning: {warning}")
    return _with_shared_cookies(flowset, cookies, options) if cookies else flowset


async def _verified(
    flowset: FlowSet, options: DiscoveryConfig, progress: Progress, replayer: FlowReplayer
) -> FlowSet:
    progress(f"verifying {len(flowset.flows)} flows over HTTP in two fresh sessions each")
    results = await verify_flowset(flowset, replayer, timeout_s=options.page_timeout_s)
    failed = {r.flow for r in results if not r.passed}
    for r in results:
        progress(f"verified {r.flow}: " + ("ok" if r.passed else r.detail))
    kept = [f for f in flowset.flows if options.force or f.name not in failed]
    dropped = {f.name for f in flowset.flows} - {f.name for f in kept}
    journeys = []
    for journey in (j.without_flows(dropped) for j in flowset.journeys):
        checked, states = await verify_journey(
            flowset, journey, replayer, timeout_s=options.page_timeout_s
        )
        results += states
        if checked is not None:
            journeys.append(checked)
        progress(f"verified journey {journey.name}: " + ("ok" if checked else "entry page failed"))
    if not kept and not journeys:
        details = "; ".join(r.detail for r in results if not r.passed)[:600]
        raise RunFailed(
            f"no flow replayed correctly over HTTP ({details}); pass --force to keep them anyway"
        )
    report = (
        flowset.discovery.model_copy(update={"verification": results, "flows": len(kept)})
        if flowset.discovery
        else None
    )
    return flowset.model_copy(update={"flows": kept, "journeys": journeys, "discovery": report})


def _held_to(replayer: FlowReplayer, allowed: frozenset[str], egress: EgressPolicy) -> FlowReplayer:
    """Verification replays held to the server's allow-list and egress policy, whoever calls
    them (a local policy is not passed: replayers that predate it keep working)."""
    fence = {} if egress.permits_all else {"egress": egress}

    async def held(
        flowset: FlowSet,
        flow: Flow,
        *,
        vu: int,
        timeout_s: float,
        check: StepCheck | None = None,
        allowed_hosts: frozenset[str] = allowed,
        egress: EgressPolicy | None = egress,
    ) -> ReplayOutcome:
        return await replayer(
            flowset, flow, vu=vu, timeout_s=timeout_s, check=check, allowed_hosts=allowed, **fence
        )

    return held


async def discover(
    options: DiscoveryConfig,
    *,
    on_progress: Progress | None = None,
    replayer: FlowReplayer | None = None,
) -> FlowSet:
    """Explore the target in headless Chromium (or read ``har_file``) and return verified flows.

    Verification replays flows with ``replayer`` (the load engine's
    ``loadscout.load.replay.replay_flow``: discovery may not import it). With ``verify`` on and
    no replayer this raises ``ValueError`` before any work: silently unverified flows would
    look verified.
    """
    if options.verify and replayer is None:
        raise ValueError(
            "discover(): verify=True needs replayer=loadscout.load.replay.replay_flow "
            "(or DiscoveryConfig(verify=False))"
        )
    if replayer is not None and (options.allowed_hosts or not options.egress.permits_all):
        replayer = _held_to(replayer, options.allowed_hosts, options.egress)
    progress = on_progress or (lambda _line: None)
    started = time.monotonic()
    if options.har_file:
        flowset = har_flowset(options.har_file, target_url=options.start_url, duration_s=0.0)
    else:
        flowset = await _explore(options, progress, started)
    if replayer is not None and options.verify:
        flowset = await _verified(flowset, options, progress, replayer)
    return flowset
