"""The browser's forwarding proxy: plain HTTP (keep-alive, streamed bodies) and CONNECT
tunnels to checked, pinned addresses; refusals answered 403 with the guard's reason.

Names are made up and mapped by stub resolvers; every connection the proxy opens is checked
to go to loopback (``loopback_only``), so a guard bug fails a test, never reaches out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import h11
import pytest
from aiohttp import web

from loadscout.discovery.egress_proxy import EgressProxy
from loadscout.plan.egress import EgressPolicy
from tests.utils.loopback import record_proxy_dials

TEAM = EgressPolicy.team(allow="127.0.0.1/32")
_OPEN = asyncio.open_connection  # the tests' own connections, never patched


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address the proxy dials, refused unless it is 127.0.0.1."""
    return record_proxy_dials(monkeypatch)


async def _dns(host: str, port: int) -> list[str]:
    return {
        "shop.test": ["127.0.0.1"],
        "meta.test": ["169.254.169.254"],
        "inside.test": ["10.0.0.1"],
    }[host]


@asynccontextmanager
async def _upstream() -> AsyncIterator[tuple[int, list[str]]]:
    """An app on 127.0.0.1: /hello, /echo (POST), /stream (chunks over 0.6 s)."""
    seen: list[str] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        seen.append(f"{request.method} {request.path_qs} host={request.host}")
        if request.path == "/echo":
            return web.Response(body=await request.read())
        if request.path == "/stream":
            response = web.StreamResponse()
            await response.prepare(request)
            for n in range(3):
                await response.write(f"part{n};".encode())
                await asyncio.sleep(0.3)
            await response.write_eof()
            return response
        return web.Response(text="hello")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1], seen
    finally:
        await runner.cleanup()


async def test_plain_http_goes_to_the_checked_address_with_the_original_host() -> None:
    refused: list[tuple[str, str, str]] = []
    async with (
        _upstream() as (port, seen),
        EgressProxy(TEAM, resolver=_dns, on_refused=lambda *a: refused.append(a)) as proxy,
        aiohttp.ClientSession() as session,
    ):
        url = f"http://shop.test:{port}"
        async with session.get(f"{url}/hello?q=1", proxy=proxy.url) as response:
            assert response.status == 200 and await response.text() == "hello"
        async with session.post(f"{url}/echo", data=b"x" * 200_000, proxy=proxy.url) as response:
            assert await response.read() == b"x" * 200_000
    assert seen[0] == f"GET /hello?q=1 host=shop.test:{port}"
    assert refused == []


async def test_a_browser_connection_carries_several_requests() -> None:
    async with _upstream() as (port, seen), EgressProxy(TEAM, resolver=_dns) as proxy:
        reader, writer = await _OPEN("127.0.0.1", int(proxy.url.rsplit(":")[-1]))
        conn = h11.Connection(h11.CLIENT)
        for path in ("/hello", "/stream"):
            target = f"http://shop.test:{port}{path}"
            host = [(b"host", f"shop.test:{port}".encode())]
            writer.write(conn.send(h11.Request(method="GET", target=target, headers=host)))
            writer.write(conn.send(h11.EndOfMessage()))
            body = b""
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    conn.receive_data(await reader.read(65536))
                elif isinstance(event, h11.Data):
                    body += event.data
                elif isinstance(event, h11.EndOfMessage):
                    break
            conn.start_next_cycle()
        writer.close()
    assert body == b"part0;part1;part2;"
    assert len(seen) == 2


async def test_a_streamed_body_arrives_as_it_is_sent() -> None:
    async with (
        _upstream() as (port, _seen),
        EgressProxy(TEAM, resolver=_dns) as proxy,
        aiohttp.ClientSession() as session,
    ):
        started = time.monotonic()
        async with session.get(f"http://shop.test:{port}/stream", proxy=proxy.url) as response:
            first = await response.content.readany()
            first_at = time.monotonic() - started
            rest = await response.read()
    assert first.startswith(b"part0;") and first_at < 0.5  # not held until the end (0.9 s)
    assert first + rest == b"part0;part1;part2;"


async def test_connect_tunnels_to_the_checked_address() -> None:
    async with _upstream() as (port, seen), EgressProxy(TEAM, resolver=_dns) as proxy:
        reader, writer = await _OPEN("127.0.0.1", int(proxy.url.rsplit(":")[-1]))
        writer.write(
            f"CONNECT shop.test:{port} HTTP/1.1\r\nHost: shop.test:{port}\r\n\r\n".encode()
        )
        assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
        writer.write(b"GET /hello HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")
        answer = await reader.read()
        writer.close()
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"hello")
    assert seen == ["GET /hello host=shop.test"]


@pytest.mark.parametrize(
    ("request_head", "why"),
    [
        ("GET http://meta.test/latest/ HTTP/1.1\r\nHost: meta.test", "cloud metadata"),
        ("CONNECT inside.test:443 HTTP/1.1\r\nHost: inside.test:443", "10.0.0.1 is a private"),
        ("CONNECT 10.0.0.1:443 HTTP/1.1\r\nHost: 10.0.0.1:443", "10.0.0.1 is a private"),
        ("GET http://0x7f.2/ HTTP/1.1\r\nHost: 0x7f.2", "127.0.0.2 is a loopback"),
    ],
)
async def test_a_refusal_answers_403_with_the_reason_and_dials_nothing(
    request_head: str, why: str, loopback_only: list[str]
) -> None:
    refused: list[tuple[str, str, str]] = []
    async with EgressProxy(TEAM, resolver=_dns, on_refused=lambda *a: refused.append(a)) as proxy:
        reader, writer = await _OPEN("127.0.0.1", int(proxy.url.rsplit(":")[-1]))
        writer.write(f"{request_head}\r\n\r\n".encode())
        answer = (await reader.read()).decode()
        writer.close()
    assert answer.startswith("HTTP/1.1 403") and why in answer
    assert len(refused) == 1 and why in refused[0][2]
    assert why in next(iter(proxy.refusals.values()))
    assert loopback_only == []


async def test_a_rebinding_name_is_looked_up_once_and_stays_pinned(
    loopback_only: list[str],
) -> None:
    """The first answer is allowed, later ones private: the proxy never asks again."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])
    asked: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    async with (
        _upstream() as (port, seen),
        EgressProxy(TEAM, resolver=rebinding) as proxy,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session,
    ):
        for _ in range(3):  # a new browser connection each time
            async with session.get(f"http://rebind.test:{port}/hello", proxy=proxy.url) as resp:
                assert resp.status == 200
    assert asked == ["rebind.test"]
    assert len(seen) == 3 and loopback_only == ["127.0.0.1"] * 3


async def test_the_servers_allow_list_holds_in_the_proxy_too() -> None:
    only_other = frozenset({"other.test"})
    async with (
        _upstream() as (port, seen),
        EgressProxy(TEAM, resolver=_dns, allowed_hosts=only_other) as proxy,
        aiohttp.ClientSession() as session,
        session.get(f"http://shop.test:{port}/hello", proxy=proxy.url) as response,
    ):
        assert response.status == 403
        assert "not an allowed target" in await response.text()
    assert seen == []
