"""A worker's ledger counts a request when its bytes go to the socket, so a worker killed
while a request waits for a connection counts no request the server never got."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import pytest

from loadscout.flows.model import Step
from loadscout.load.client import TransportError, was_never_sent
from loadscout.load.compiled import RenderedRequest, compile_step
from loadscout.load.h1_client import H1Client
from loadscout.load.state import RunState
from loadscout.load.step import send_request
from tests.load.target_app import Target


class Wire:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_request_waiting_for_a_connection_is_not_counted_until_sent(
    target: Target,
) -> None:
    client = H1Client(timeout_s=5, limit_per_host=1)
    slow, queued = Wire(), Wire()
    first = asyncio.ensure_future(client.send("GET", f"{target.url}/delay?s=0.3", on_wire=slow))
    await asyncio.sleep(0.05)
    second = asyncio.ensure_future(client.send("GET", f"{target.url}/a", on_wire=queued))
    await asyncio.sleep(0.1)
    assert (slow.count, queued.count) == (1, 0)  # the second waits for the one connection
    assert target.count("GET", "/a") == 0
    await asyncio.gather(first, second)
    assert (slow.count, queued.count) == (1, 1) == (target.total - 1, target.count("GET", "/a"))
    await client.close()


async def test_each_redirect_hop_is_counted_as_it_is_sent(target: Target) -> None:
    client = H1Client(timeout_s=5)
    await client.send("GET", f"{target.url}/login")  # the CSRF cookie and token
    token = next(iter(target.state.tokens.values()))
    wire = Wire()
    resp = await client.send(
        "POST", f"{target.url}/login", form={"csrf_token": token, "username": "u"}, on_wire=wire
    )
    assert resp.status == 200 and len(resp.hops) == 1
    assert wire.count == 2 == target.count("POST", "/login") + target.count("GET", "/home")
    await client.close()


async def test_failures_before_the_socket_are_marked_never_sent(target: Target) -> None:
    wire = Wire()
    refused = H1Client(timeout_s=5)
    with pytest.raises(ConnectionRefusedError) as caught:
        await refused.send("GET", f"http://127.0.0.1:{_closed_port()}/x", on_wire=wire)
    assert was_never_sent(caught.value)
    fenced = H1Client(timeout_s=5, allowed_hosts=frozenset({"example.invalid"}))
    with pytest.raises(TransportError) as forbidden:
        await fenced.send("GET", f"{target.url}/a", on_wire=wire)
    assert was_never_sent(forbidden.value) and forbidden.value.kind == "forbidden_target"
    assert wire.count == 0 == target.total


async def test_a_refused_redirect_stands_as_the_sent_request(target: Target) -> None:
    """The hop that led off the allow-list was sent: it is the failed request, counted once."""
    host = target.url.removeprefix("http://")
    client = H1Client(timeout_s=5, allowed_hosts=frozenset({host}))
    wire = Wire()
    outside = "http://example.invalid/x"
    with pytest.raises(TransportError) as caught:
        await client.send("GET", f"{target.url}/go?to={outside}", on_wire=wire)
    assert not was_never_sent(caught.value)
    assert wire.count == 1 == target.count("GET", "/go")
    await client.close()


class CountingUser:
    """A step's failures (its caller records a response)."""

    number, iteration = 1, 0

    def __init__(self) -> None:
        self.failures = 0

    def unique(self) -> str:
        return "u"

    def streams(self) -> Any:
        raise AssertionError("no stream step here")

    def failure(self, *_: Any) -> None:
        self.failures += 1

    def resent(self, *_: Any) -> None:
        pass


async def test_the_ledger_counts_what_the_reports_count(target: Target) -> None:
    """Sent or not (it could not connect), every request reported is in the ledger once."""
    state = RunState(deadline=time.monotonic() + 60, clock=time.monotonic)
    state.ledger = [0, 0, 0]
    user, client = CountingUser(), H1Client(timeout_s=5)
    urls = {0: f"{target.url}/a", 1: f"http://127.0.0.1:{_closed_port()}/x", 2: f"{target.url}/a"}
    answered = 0
    for step_id, url in urls.items():
        step = compile_step(Step(name=f"s{step_id}", url=url), step_id, target.url)
        request = RenderedRequest(url, None, None, None, None)
        answered += await send_request(step, request, client, user, state) is not None
    assert state.ledger == [1, 1, 1] and (answered, user.failures) == (2, 1)
    assert target.count("GET", "/a") == 2
    await client.close()
