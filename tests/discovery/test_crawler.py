"""The crawl loop in real Chromium against the trap site (tests/discovery/site.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser

from loadscout.discovery.crawler import Crawler
from loadscout.discovery.flow_builder import build_flowset
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.records import CrawlResult
from loadscout.flows.io import dumps_flowset
from loadscout.flows.model import FlowSet
from tests.discovery.site import CSRF, running_site

pytestmark = pytest.mark.browser


@dataclass(frozen=True, slots=True)
class Crawled:
    result: CrawlResult
    flowset: FlowSet
    hits: Counter[str]
    progress: list[str]


@pytest.fixture(scope="module")
async def crawled(browser: Browser) -> AsyncIterator[Crawled]:
    async with running_site() as site:
        options = DiscoveryConfig(
            start_url=site.url,
            max_pages=30,
            max_depth=6,
            max_time_s=30,
            concurrency=3,
            page_timeout_s=10,
        )
        lines: list[str] = []
        result = await Crawler(options, browser, lines.append).run()
        flowset = build_flowset(result, target_url=site.url, duration_s=1.0, journeys=False)
        yield Crawled(result, flowset, Counter(site.hits), lines)


def test_logout_destructive_and_writes_never_reach_the_server(crawled: Crawled) -> None:
    for key in (
        "GET /logout",
        "GET /settings/reset",
        "POST /account/delete",
        "POST /comments",
        "POST /api/track",
    ):
        assert crawled.hits[key] == 0, key
    reasons = {
        (s.url.rsplit("/", 1)[-1], s.method): s.reason for s in crawled.result.skipped.values()
    }
    assert "logout" in reasons[("logout", "GET")]
    assert "destructive" in reasons[("delete", "POST")]
    assert "allow_writes" in reasons[("comments", "POST")]
    assert "network layer" in reasons[("track", "POST")]


def test_traps_and_budgets_are_bounded(crawled: Crawled) -> None:
    # pages visited, plus the one plain-HTTP read that judges a pattern's first page
    assert 1 <= crawled.hits["GET /cal"] <= 6
    assert 1 <= crawled.hits["GET /a{rest}"] <= 4
    assert 1 <= crawled.hits["GET /items/{n}"] <= 4


def test_non_navigations_and_downloads_are_not_followed(crawled: Crawled) -> None:
    visited = {v.url for v in crawled.result.visits}
    assert not any(u.endswith(("/files/report.pdf", "/export", "#top")) for u in visited)
    assert all(u.startswith("http://127.0.0.1:") for u in visited)


def test_broken_pages_and_dialogs_do_not_stop_the_crawl(crawled: Crawled) -> None:
    statuses = {v.url.rsplit("/", 1)[-1]: v.document.status for v in crawled.result.visits}
    assert statuses["broken"] == 500
    assert statuses["dialog"] == 200
    assert statuses["about"] == 200
    assert any(line.startswith("visited /about (") for line in crawled.progress)


def test_login_form_submitted_with_live_token_and_recorded_with_an_extractor(
    crawled: Crawled,
) -> None:
    assert crawled.hits["POST /signin"] == 1
    flow = next(f for f in crawled.flowset.flows if f.name == "submit form /signin")
    page, submit = flow.steps[0], flow.steps[1]
    assert [(e.source, e.expression, e.attribute) for e in page.extract] == [
        ("form", 'form[action="/signin"]', "csrf_token")
    ]
    assert submit.method == "POST"
    assert submit.kind == "form"
    assert submit.form is not None
    assert dict(submit.form)["csrf_token"] == "${csrf_token_signin}"
    assert submit.expect_status == 200  # the server accepted the token (403 otherwise)


def test_search_form_submitted_by_get(crawled: Crawled) -> None:
    flow = next(f for f in crawled.flowset.flows if f.name == "submit form /find")
    assert flow.steps[1].url == "/find?q=shoes"
    assert crawled.hits["GET /find"] >= 1


def test_fetch_calls_become_steps_and_nothing_secret_is_recorded(crawled: Crawled) -> None:
    about = next(f for f in crawled.flowset.flows if f.name == "browse /about")
    assert [(s.method, s.url, s.kind) for s in about.steps] == [
        ("GET", "/", "document"),
        ("GET", "/about", "document"),
        ("GET", "/api/info", "fetch"),
    ]
    text = dumps_flowset(crawled.flowset)
    assert CSRF not in text
    assert "cookie" not in text.lower().replace("setup_cookies: []", "")
    report = crawled.flowset.discovery
    assert report is not None
    assert report.api_calls == 1 + 2  # /api/info, and the /live page's two streams
    assert report.pages == len(crawled.result.visits)
    assert "/items/{num}" in report.patterns


def test_event_streams_and_websockets_are_found_but_do_not_keep_the_page_busy(
    crawled: Crawled,
) -> None:
    streams = {u.rsplit("/", 1)[-1] for u in crawled.result.streams}
    assert {"events", "ws"} <= streams
    assert any(v.url.endswith("/live") for v in crawled.result.visits)
    report = crawled.flowset.discovery
    assert report is not None
    assert report.api_calls >= 3  # /api/info plus the two streams


def test_a_page_that_never_goes_quiet_is_read_after_the_cap(crawled: Crawled) -> None:
    assert any("/busy never went quiet" in line for line in crawled.progress)
    busy = next(f for f in crawled.flowset.flows if f.name == "browse /busy")
    assert [s.url for s in busy.steps] == ["/", "/busy", "/api/info"]  # polling counted once


def test_the_report_says_why_exploring_stopped_and_where_the_time_went(crawled: Crawled) -> None:
    report = crawled.flowset.discovery
    assert report is not None
    assert report.stop_reason in ("explored", "page_limit")  # 30 s is far more than it needs
    assert sum(c.pages for c in report.coverage) == report.pages
    assert {c.pattern for c in report.coverage} <= set(report.patterns)
    assert all(c.seconds > 0 for c in report.coverage)
    assert [c.seconds for c in report.coverage] == sorted(
        (c.seconds for c in report.coverage), reverse=True
    )


async def test_a_page_limit_is_named_as_the_reason(browser: Browser) -> None:
    async with running_site() as site:
        options = DiscoveryConfig(start_url=site.url, max_pages=2, max_time_s=30, concurrency=2)
        result = await Crawler(options, browser, lambda _: None).run()
    assert result.stop_reason == "page_limit" and len(result.visits) == 2
