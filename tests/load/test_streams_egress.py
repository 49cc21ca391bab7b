"""WebSocket and EventSource steps under the egress policy: looked up once, connected at the
checked address, refused as ``forbidden_address`` before any socket. Every dial is checked to
go to 127.0.0.1 (``dials``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from loadscout.load.client import TransportError
from loadscout.load.runner import run_load
from loadscout.load.streams import StreamClient, StreamSpec
from loadscout.plan.egress import EgressPolicy
from tests.load.flows import flow, flowset, plan, step
from tests.utils.loopback import record_dials

LOOPBACK_ONLY = EgressPolicy.team(allow="127.0.0.1/32")
WS = StreamSpec(kind="websocket", messages=(), expect_messages=1, hold_s=5)
SSE = StreamSpec(kind="eventsource", messages=(), expect_messages=1, hold_s=5)


@pytest.fixture(autouse=True)
def dials(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_dials(monkeypatch)


class Dns:
    def __init__(self) -> None:
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return {"shop.test": ["127.0.0.1"], "inside.test": ["10.0.0.1"]}[host]


@pytest.fixture
async def port() -> AsyncIterator[int]:
    """127.0.0.1: /ws says hello, /events sends one event, /away redirects to metadata."""

    async def socket(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str("hello")
        await ws.close()
        return ws

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b"data: hi\n\n")
        return response

    async def away(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/events")

    app = web.Application()
    app.router.add_get("/ws", socket)
    app.router.add_get("/events", events)
    app.router.add_get("/away", away)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def test_a_socket_goes_to_the_checked_address_looked_up_once(
    port: int, dials: list[str]
) -> None:
    dns = Dns()
    client = StreamClient(egress=LOOPBACK_ONLY, resolver=dns)
    try:
        for _ in range(2):
            url = f"ws://shop.test:{port}/ws"
            result = await client.open(WS, url, headers=None, messages=[], cookie=None)
            assert result.status == 101 and result.received == 1
        sse = await client.open(
            SSE, f"http://shop.test:{port}/events", headers=None, messages=[], cookie=None
        )
        assert sse.status == 200 and sse.received == 1
    finally:
        await client.close()
    assert dns.calls == ["shop.test"]  # pinned for the client's life
    assert dials == ["127.0.0.1"] * 3


@pytest.mark.parametrize(
    ("spec", "path", "why"),
    [
        (WS, "ws://inside.test:{port}/ws", "10.0.0.1 is a private address"),
        (WS, "ws://10.0.0.1/ws", "10.0.0.1 is a private address"),
        (SSE, "http://[::ffff:a9fe:a9fe]/events", "cloud metadata"),
        (SSE, "http://127.0.0.1:{port}/away", "cloud metadata"),  # a redirect hop
    ],
)
async def test_a_refused_stream_fails_as_forbidden_address_before_any_socket(
    port: int, dials: list[str], spec: StreamSpec, path: str, why: str
) -> None:
    client = StreamClient(egress=LOOPBACK_ONLY, resolver=Dns())
    try:
        with pytest.raises(TransportError) as caught:
            await client.open(spec, path.format(port=port), headers=None, messages=[], cookie=None)
    finally:
        await client.close()
    assert caught.value.kind == "forbidden_address" and why in str(caught.value)
    assert dials == (["127.0.0.1"] if path.endswith("/away") else [])


async def test_the_plan_holds_a_runs_stream_steps_to_its_policy(
    port: int, dials: list[str]
) -> None:
    """Team mode allowing nothing: the load engine's users report the socket as refused."""
    flows = flowset(
        f"http://127.0.0.1:{port}",
        flow("live", step("WS", "/ws", kind="websocket", expect_messages=1, expect_status=101)),
    )
    refusing = plan(duration_s=0.3).model_copy(update={"egress": EgressPolicy.team()})
    outcome = await run_load(flows, refusing)
    assert outcome.steps[0].errors > 0
    assert {e.kind for e in outcome.errors} == {"forbidden_address"}
    assert dials == []
