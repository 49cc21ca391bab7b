"""WebSocket and EventSource steps replayed against the demo shop's /app live channels."""

from __future__ import annotations

from loadscout.flows.model import Extractor, FlowSet
from loadscout.load.client import ClientFactory
from loadscout.load.replay import replay_flow
from loadscout.load.runner import run_load
from tests.load.flows import flow, flowset, plan, step
from tests.utils.demo_server import DemoServer

TICKER, EVENTS = "WS /app/ws/ticker", "GET /app/events"


def _live_flowset(
    url: str, *, with_session: bool = True, expect_messages: int = 3, hold_s: float | None = None
) -> FlowSet:
    shell = [step("GET /app", "/app", expect_status=200)] if with_session else []
    return flowset(
        url,
        flow(
            "live",
            *shell,
            step(
                "WS ticker",
                "/app/ws/ticker",
                kind="websocket",
                messages=["a", "b"],
                expect_messages=expect_messages,
                hold_s=hold_s,
                expect_status=101,
            ),
            step(
                "SSE feed", "/app/events", kind="eventsource", expect_messages=3, expect_status=200
            ),
        ),
    )


async def test_every_user_replays_both_streams_with_its_own_session(
    demo_shop: DemoServer, make_client: ClientFactory
) -> None:
    """Whichever HTTP client a user has, its session cookie reaches the streams."""
    outcome = await run_load(
        _live_flowset(demo_shop.url),
        plan(users=3, duration_s=1.5, think=(0.05, 0.1)),
        make_client=make_client,
    )
    assert outcome.totals.errors == 0, outcome.errors
    _, ticker, feed = outcome.steps
    assert ticker.requests >= 3 and feed.requests >= 3
    assert demo_shop.hits[TICKER] == ticker.requests
    assert demo_shop.hits[EVENTS] == feed.requests


async def test_each_client_gives_a_socket_the_cookies_its_path_matches(
    demo_shop: DemoServer, make_client: ClientFactory
) -> None:
    client = make_client()
    try:
        await client.send("GET", demo_shop.url_for("/app"))
        client.add_cookie("elsewhere", "1", url=demo_shop.url, path="/other")
        socket = demo_shop.url_for("/app/ws/ticker").replace("http://", "ws://")
        sent = dict(c.split("=", 1) for c in (client.cookie_header(socket) or "").split("; "))
        assert sent["shop_session"] == client.cookie("shop_session", demo_shop.url)
        assert "elsewhere" not in sent
        assert "elsewhere=1" in (client.cookie_header(demo_shop.url_for("/other/x")) or "")
        assert client.cookie_header(socket.replace("127.0.0.1", "localhost")) is None
    finally:
        await client.close()


async def test_stream_errors_are_classified(demo_shop: DemoServer) -> None:
    no_session = _live_flowset(demo_shop.url, with_session=False)
    outcome = await replay_flow(no_session, no_session.flows[0], vu=1, timeout_s=5)
    assert outcome.failed_step == "WS ticker" and outcome.reason.startswith("ws_close_4401")
    too_many = _live_flowset(demo_shop.url, expect_messages=4, hold_s=0.3)  # it answers 1 + 2
    outcome = await replay_flow(too_many, too_many.flows[0], vu=1, timeout_s=5)
    assert outcome.failed_step == "WS ticker" and outcome.reason.startswith("timeout")


async def test_a_refused_upgrade_and_a_short_feed_are_classified(demo_shop: DemoServer) -> None:
    fs = flowset(
        demo_shop.url,
        flow(
            "odd",
            step("GET /app", "/app"),
            step("no socket here", "/app/items", kind="websocket"),
        ),
        flow(
            "short",
            step("GET /app", "/app"),
            step("feed", "/app/events", kind="eventsource", expect_messages=4),
        ),
    )
    refused = await replay_flow(fs, fs.flows[0], vu=1, timeout_s=5)
    assert refused.reason.startswith("http_403"), refused
    short = await replay_flow(fs, fs.flows[1], vu=1, timeout_s=5)
    assert short.reason.startswith("stream_ended") and "after 3 of 4 events" in short.reason


async def test_replay_passes_both_streams_and_reads_the_jar_after_one(
    demo_shop: DemoServer,
) -> None:
    live = _live_flowset(demo_shop.url).flows[0]
    csrf = Extractor(name="csrf", source="cookie", expression="app_csrf")
    feed = live.steps[-1].model_copy(update={"extract": [csrf]})
    wish = step(
        "wish",
        "/api/app/wishlist",
        method="POST",
        kind="fetch",
        json_body={"product_id": 3},
        headers={"X-CSRF-Token": "${csrf}"},
    )
    fs = flowset(demo_shop.url, flow("live", *live.steps[:-1], feed, wish))
    outcome = await replay_flow(fs, fs.flows[0], vu=1, timeout_s=5)
    assert outcome.ok and outcome.passed == 4, outcome
    assert (demo_shop.hits[TICKER], demo_shop.hits[EVENTS]) == (1, 1)
