"""HAR import: a real Chromium recording of the demo shop becomes a verified, correlated flow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser

from loadscout.discovery.engine import discover
from loadscout.discovery.har import har_flowset, har_target
from loadscout.discovery.options import DiscoveryConfig
from loadscout.errors import BadInput
from loadscout.flows.io import dumps_flowset
from loadscout.load.replay import replay_flow
from loadscout.load.runner import run_load
from tests.load.flows import plan
from tests.utils.demo_server import DemoServer


async def _record(browser: Browser, shop: DemoServer, path: Path) -> None:
    context = await browser.new_context(record_har_path=str(path))
    page = await context.new_page()
    await page.goto(shop.url_for("/products/2"))
    async with page.expect_navigation():
        await page.click("form[action='/cart/add'] button[type=submit]")
    await page.goto(shop.url_for("/deals"))
    await page.wait_for_selector(".deal")
    await context.close()


@pytest.mark.browser
async def test_a_recorded_journey_replays_with_its_token_extracted(
    browser: Browser, demo_shop: DemoServer, tmp_path: Path
) -> None:
    har = tmp_path / "shop.har"
    await _record(browser, demo_shop, har)
    assert har_target(har) == demo_shop.url
    flowset = har_flowset(har, target_url=None, duration_s=0)
    steps = flowset.flows[0].steps
    assert [s.name for s in steps] == [
        "GET /products/{num}",
        "POST /cart/add",
        "GET /deals",
        "GET /api/deals",
    ]
    add = steps[1]
    assert add.form is not None and dict(add.form)["csrf_token"].startswith("${")
    assert add.expect_status == 200  # the 303 to /cart folded into the POST
    recorded = json.loads(har.read_text())["log"]["entries"]
    cookies = [c["value"] for e in recorded for c in e["request"].get("cookies", [])]
    text = dumps_flowset(flowset)
    assert cookies and not any(value in text for value in cookies)
    options = DiscoveryConfig(start_url=demo_shop.url, har_file=str(har))
    verified = await discover(options, replayer=replay_flow)
    report = verified.discovery
    assert report is not None
    assert report.verification[0].passed, report.verification


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not a HAR file"),
        ('{"log": {"entries": []}}', "has no entries"),
        ('{"log": {"entries": [{"request": {"url": "ftp://x/"}}]}}', "cannot tell the target"),
    ],
)
def test_a_malformed_har_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.har"
    path.write_text(content)
    with pytest.raises(BadInput, match=message):
        har_flowset(path, target_url=None, duration_s=0)


def test_a_missing_har_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read HAR file"):
        har_target(tmp_path / "none.har")


def test_dates_stay_relative_to_the_day_the_har_was_recorded(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9/"
    page = '<form method="post" action="/book"><input name="day" type="date"></form>'
    entries = [
        {
            "startedDateTime": "2025-03-10T09:00:00.000Z",
            "request": {"method": "GET", "url": base + "book", "headers": []},
            "response": {"status": 200, "content": {"mimeType": "text/html", "text": page}},
        },
        {
            "startedDateTime": "2025-03-10T09:00:05.000Z",
            "request": {
                "method": "POST",
                "url": base + "book",
                "headers": [],
                "postData": {
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": "day=2025-03-12&seats=2&seats=3",
                },
            },
            "response": {"status": 200, "content": {"mimeType": "text/html", "text": "ok"}},
        },
    ]
    path = tmp_path / "booking.har"
    path.write_text(json.dumps({"log": {"entries": entries}}))
    flowset = har_flowset(path, target_url=None, duration_s=0)
    post = flowset.flows[0].steps[-1]
    assert post.form == [("day", "${date:+2d}"), ("seats", "2"), ("seats", "3")]


RECORDED_SESSION = "recorded-session-0123456789"


def _frame(kind: str, data: str, opcode: int = 1) -> dict[str, object]:
    return {"type": kind, "time": 1.0, "opcode": opcode, "data": data}


def _live_har(shop: DemoServer, feed_marker: dict[str, str]) -> dict[str, object]:
    """Chrome's export of /app opening the ticker (frames sent, an echo each) and the feed."""
    cookie = [{"name": "shop_session", "value": RECORDED_SESSION}]
    socket_url = shop.url_for("/app/ws/ticker").replace("http://", "ws://")
    frames = [
        _frame("receive", '{"tick": 0}'),
        _frame("send", "hello"),
        _frame("send", "AAEC", opcode=2),  # binary: not replayed
        _frame("receive", '{"tick": 1}'),
        _frame("send", "again"),
        _frame("receive", '{"tick": 2}'),
        _frame("receive", "", opcode=9),  # a ping: not a message
        _frame("receive", '{"tick": 3}'),  # a push the replay need not wait for
    ]
    sse_type = feed_marker.get("mimeType", "text/plain")
    entries = [
        {
            "_resourceType": "document",
            "request": {"method": "GET", "url": shop.url_for("/app"), "headers": []},
            "response": {"status": 200, "content": {"mimeType": "text/html"}},
        },
        {
            "_resourceType": "websocket",
            "_webSocketMessages": frames,
            "request": {"method": "GET", "url": socket_url, "headers": [], "cookies": cookie},
            "response": {"status": 101, "content": {"mimeType": "x-unknown"}},
        },
        {
            "_resourceType": "websocket",
            "_webSocketMessages": [_frame("send", "elsewhere")],
            "request": {"method": "GET", "url": "wss://other.example/socket", "headers": []},
            "response": {"status": 101, "content": {}},
        },
        {
            **(
                {"_resourceType": feed_marker["_resourceType"]}
                if "_resourceType" in feed_marker
                else {}
            ),
            "request": {
                "method": "GET",
                "url": shop.url_for("/app/events"),
                "headers": [],
                "cookies": cookie,
            },
            "response": {"status": 200, "content": {"mimeType": sse_type}},
        },
    ]
    return {"log": {"entries": entries}}


@pytest.mark.parametrize(
    "feed_marker",
    [{"_resourceType": "eventsource"}, {"mimeType": "text/event-stream; charset=utf-8"}],
    ids=["resource-type", "content-type"],
)
async def test_recorded_streams_become_steps_that_verify_and_replay(
    demo_shop: DemoServer, tmp_path: Path, feed_marker: dict[str, str]
) -> None:
    har = tmp_path / "live.har"
    har.write_text(json.dumps(_live_har(demo_shop, feed_marker)))
    flowset = har_flowset(har, target_url=None, duration_s=0)
    steps = flowset.flows[0].steps
    assert [(s.name, s.kind) for s in steps] == [
        ("GET /app", "document"),
        ("WS /app/ws/ticker", "websocket"),
        ("SSE /app/events", "eventsource"),
    ]
    ticker, feed = steps[1], steps[2]
    assert (ticker.messages, ticker.expect_messages, ticker.expect_status) == (
        ["hello", "again"],
        3,  # the greeting and one echo per frame sent, not the extra push
        101,
    )
    assert (feed.messages, feed.expect_messages, feed.expect_status) == (None, None, 200)
    assert RECORDED_SESSION not in dumps_flowset(flowset)
    options = DiscoveryConfig(start_url=demo_shop.url, har_file=str(har))
    verified = await discover(options, replayer=replay_flow)
    report = verified.discovery
    assert report is not None
    assert report.verification[0].passed, report.verification
    demo_shop.reset_hits()
    outcome = await run_load(flowset, plan(users=2, duration_s=0.8, think=(0.05, 0.05)))
    assert outcome.totals.errors == 0, outcome.errors
    assert demo_shop.hits["WS /app/ws/ticker"] == outcome.steps[1].requests >= 2
    assert demo_shop.hits["GET /app/events"] == outcome.steps[2].requests >= 2
