"""The httptools client against a real aiohttp server: the browser semantics it promises."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import pytest
from aiohttp import web

from loadscout.load.client import TransportError
from loadscout.load.cookies import CookieJar
from loadscout.load.errors import classify
from loadscout.load.h1_client import MAX_BODY_KEPT, H1Client, RawHeaders
from tests.load.target_app import server_context

BODY = b"hello " * 200


def make_app(peers: set[object], active: list[int]) -> web.Application:
    async def enc(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        data = {
            "gzip": gzip.compress(BODY),
            "br": brotli.compress(BODY),
            "deflate": zlib.compress(BODY),
        }[kind]
        return web.Response(body=data, headers={"Content-Encoding": kind})

    async def bomb(request: web.Request) -> web.Response:
        """200 MB of zeros, compressed to ~200 KB."""
        kind = request.match_info["kind"]
        zeros = b"\0" * (200 * 1024 * 1024)
        data = gzip.compress(zeros, 1) if kind == "gzip" else brotli.compress(zeros, quality=1)
        return web.Response(body=data, headers={"Content-Encoding": kind})

    async def chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for part in (b"a" * 10, b"b" * 5000, b"c"):
            await resp.write(part)
        await resp.write_eof()
        return resp

    async def login(request: web.Request) -> web.Response:
        resp = web.HTTPSeeOther("/me")
        resp.set_cookie("sid", "s1", path="/")
        resp.set_cookie("narrow", "n1", path="/admin")
        resp.set_cookie("gone", "x", max_age=0)
        raise resp

    async def me(request: web.Request) -> web.Response:
        peers.add(request.transport.get_extra_info("peername") if request.transport else None)
        return web.Response(text=f"{request.method} {dict(request.cookies)}")

    async def keep_post(request: web.Request) -> web.Response:
        return web.Response(status=307, headers={"Location": "/echo"})

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=f"{request.method} {await request.text()}")

    async def slow(request: web.Request) -> web.Response:
        active[0] += 1
        active[1] = max(active[1], active[0])
        await asyncio.sleep(0.1)
        active[0] -= 1
        return web.Response(text="ok")

    async def loop_(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    async def stall(request: web.Request) -> web.Response:
        active.append(-1)  # one mark per /stall the server received
        await asyncio.sleep(1.0)
        return web.Response(text="late")

    async def raw(request: web.Request) -> web.Response:
        return web.Response(text=f"{request.raw_path} {dict(request.headers).get('X-Evil', '-')}")

    async def big(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.content_length = 12 * 1024 * 1024
        await resp.prepare(request)
        for _ in range(12):
            await resp.write(b"x" * 1024 * 1024)
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/enc/{kind}", enc)
    app.router.add_get("/chunked", chunked)
    app.router.add_get("/bomb/{kind}", bomb)
    app.router.add_post("/login", login)
    app.router.add_get("/me", me)
    app.router.add_post("/keep", keep_post)
    app.router.add_post("/echo", echo)
    app.router.add_get("/slow", slow)
    app.router.add_get("/loop", loop_)
    app.router.add_get("/big", big)
    app.router.add_get("/raw/{tail:.*}", raw)
    app.router.add_get("/stall", stall)
    return app


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, set[object], list[int]]]:
    peers: set[object] = set()
    active = [0, 0]
    runner = web.AppRunner(make_app(peers, active), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}", peers, active
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("kind", ["gzip", "br", "deflate"])
async def test_compressed_bodies_are_decoded(
    server: tuple[str, set[object], list[int]], kind: str
) -> None:
    client = H1Client(timeout_s=5)
    resp = await client.send("GET", f"{server[0]}/enc/{kind}")
    assert (resp.status, resp.body) == (200, BODY)
    assert resp.headers["content-encoding"] == kind
    await client.close()


async def test_a_huge_body_is_read_but_only_its_start_is_kept(
    server: tuple[str, set[object], list[int]],
) -> None:
    client = H1Client(timeout_s=10)
    resp = await client.send("GET", f"{server[0]}/big")
    assert resp.status == 200 and len(resp.body) == MAX_BODY_KEPT
    again = await client.send("GET", f"{server[0]}/me")  # the whole body was read off the wire
    assert again.body.startswith(b"GET")
    await client.close()
    small = H1Client(timeout_s=10, body_kept_bytes=1000)
    resp = await small.send("GET", f"{server[0]}/big")
    assert resp.status == 200 and len(resp.body) == 1000
    await small.close()


@pytest.mark.parametrize("kind", ["gzip", "br"])
async def test_a_decompression_bomb_inflates_no_further_than_the_kept_size(
    server: tuple[str, set[object], list[int]], kind: str
) -> None:
    client = H1Client(timeout_s=30)
    resp = await client.send("GET", f"{server[0]}/bomb/{kind}")
    assert resp.status == 200 and len(resp.body) == MAX_BODY_KEPT
    assert resp.body == b"\0" * MAX_BODY_KEPT
    await client.close()


async def test_a_timed_out_request_is_never_sent_again(
    server: tuple[str, set[object], list[int]],
) -> None:
    """A timeout on a kept-alive connection is not a closed connection: no retry, so the
    server receives exactly the requests the report counts."""
    base, _, active = server
    client = H1Client(timeout_s=0.3)
    await client.send("GET", f"{base}/me")  # a kept-alive connection to reuse
    with pytest.raises(TimeoutError):
        await client.send("GET", f"{base}/stall")
    await asyncio.sleep(0.2)
    assert active.count(-1) == 1
    await client.close()


async def test_urls_go_out_percent_encoded_and_header_breaks_never(
    server: tuple[str, set[object], list[int]],
) -> None:
    client = H1Client(timeout_s=5)
    resp = await client.send("GET", f"{server[0]}/raw/a b?c=<d>&e=%41")
    assert resp.text() == "/raw/a%20b?c=%3Cd%3E&e=%41 -"  # as a browser sends it
    with pytest.raises(TransportError) as err:
        await client.send("GET", f"{server[0]}/raw/x", headers={"X-Id": "1\r\nX-Evil: yes"})
    assert err.value.kind == "bad_header"
    await client.close()


async def test_chunked_body_and_head(server: tuple[str, set[object], list[int]]) -> None:
    client = H1Client(timeout_s=5)
    resp = await client.send("GET", f"{server[0]}/chunked")
    assert resp.body == b"a" * 10 + b"b" * 5000 + b"c"
    head = await client.send("HEAD", f"{server[0]}/me")
    assert (head.status, head.body) == (200, b"")
    again = await client.send("GET", f"{server[0]}/me")  # the connection survived the HEAD
    assert again.body.startswith(b"GET")
    await client.close()


async def test_redirects_cookies_and_kept_connections(
    server: tuple[str, set[object], list[int]],
) -> None:
    url, peers, _ = server
    alice, bob = H1Client(timeout_s=5), H1Client(timeout_s=5)
    resp = await alice.send("POST", f"{url}/login", form={"u": "a"})
    assert resp.url == f"{url}/me"
    assert resp.body == b"GET {'sid': 's1'}"  # 303: GET, with the cookie; /admin's not sent
    assert alice.cookie("sid", url) == "s1" and alice.cookie("gone") is None
    for _ in range(3):
        await alice.send("GET", f"{url}/me")
    assert (await bob.send("GET", f"{url}/me")).body == b"GET {}"  # jars are per user
    assert len(peers) == 2  # one kept-alive connection each
    kept = await alice.send("POST", f"{url}/keep", body=b"payload")
    assert kept.body == b"POST payload"  # 307 keeps method and body
    await alice.close()
    await bob.close()


async def test_a_reused_cookie_header_follows_the_jar(
    server: tuple[str, set[object], list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GET's bytes are reused while the jar is unchanged: a cookie set, replaced or expired
    since shows in the very next request."""
    url, _, _ = server
    client = H1Client(timeout_s=5)
    now = [1_000_000.0]
    monkeypatch.setattr("loadscout.load.cookies.time.time", lambda: now[0])
    try:
        assert (await client.send("GET", f"{url}/me")).body == b"GET {}"
        client.add_cookie("a", "1", url=url)
        assert (await client.send("GET", f"{url}/me")).body == b"GET {'a': '1'}"
        client.add_cookie("a", "2", url=url)
        client.jar.store("b=3; Max-Age=10", "127.0.0.1", "/")
        for _ in range(2):
            assert (await client.send("GET", f"{url}/me")).body == b"GET {'a': '2', 'b': '3'}"
        now[0] += 11  # b expired, nothing else changed
        assert (await client.send("GET", f"{url}/me")).body == b"GET {'a': '2'}"
    finally:
        await client.close()


async def test_at_most_six_connections_per_host(server: tuple[str, set[object], list[int]]) -> None:
    url, _, active = server
    client = H1Client(timeout_s=5)
    await asyncio.gather(*(client.send("GET", f"{url}/slow") for _ in range(10)))
    assert active[1] == 6
    await client.close()


async def test_errors_are_classified(server: tuple[str, set[object], list[int]]) -> None:
    client = H1Client(timeout_s=0.01)  # deadlines are checked every 50 ms
    with pytest.raises(TimeoutError) as timeout:
        await client.send("GET", f"{server[0]}/slow")
    assert classify(timeout.value) == "timeout"
    looping = H1Client(timeout_s=5)
    with pytest.raises(TransportError) as loop:
        await looping.send("GET", f"{server[0]}/loop")
    assert classify(loop.value) == "too_many_redirects"
    await client.close()
    await looping.close()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a cert")
async def test_tls(cert: tuple[Path, Path]) -> None:
    context = server_context(cert)
    runner = web.AppRunner(make_app(set(), [0, 0]), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    url = f"https://127.0.0.1:{runner.addresses[0][1]}"
    try:
        strict = H1Client(timeout_s=5)
        with pytest.raises(ssl.SSLError) as err:
            await strict.send("GET", f"{url}/me")
        assert classify(err.value) == "tls"
        lenient = H1Client(timeout_s=5, verify_tls=False)
        assert (await lenient.send("GET", f"{url}/me")).body == b"GET {}"
        await lenient.close()
    finally:
        await runner.cleanup()


def test_cookie_jar_rules() -> None:
    jar = CookieJar()
    jar.store("a=1; Path=/; Domain=example.com", "shop.example.com", "/x")
    jar.store("b=2", "shop.example.com", "/cart/view")  # default path /cart
    jar.store("c=3; Secure", "shop.example.com", "/")
    jar.store("d=4; Domain=other.com", "shop.example.com", "/")  # refused
    assert jar.header("api.example.com", "/", https=False) == "a=1"
    assert jar.header("shop.example.com", "/cart/1", https=True) == "b=2; a=1; c=3"
    assert jar.header("shop.example.com", "/carts", https=False) == "a=1"
    jar.store("a=; Max-Age=0; Path=/; Domain=example.com", "shop.example.com", "/")
    assert jar.get("a") is None and len(jar) == 2


_SPLIT = (
    b"HTTP/1.1 200 OK\r\nset-COOKIE: a=1; Path=/\r\nX-Note:  spaced\r",
    b"\nSet-Cookie: b=2\r\nCONTENT-type: text/plain; charset=latin-1\r\nContent-",
    b"Length: 3\r\n\r",
    b"\n\xe9t\xe9",
)


@pytest.fixture
async def raw_server() -> AsyncIterator[tuple[str, list[bytes]]]:
    """A bare asyncio server: ``/close`` answers HTTP/1.0-style (no length, body ends at
    close); ``/short`` promises 100 bytes, sends 5 and closes. Records each connection."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head.split(b" ")[1])
        if head.startswith(b"GET /split "):  # a head in pieces, names in any case
            for part in _SPLIT:
                writer.write(part)
                await writer.drain()
                await asyncio.sleep(0.01)
        elif head.startswith(b"GET /close "):
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
            for part in (b"first part, ", b"then the rest"):
                writer.write(part)
                await writer.drain()
                await asyncio.sleep(0.01)
        else:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", seen
    finally:
        server.close()
        await server.wait_closed()


async def test_a_body_that_ends_at_close_is_complete(raw_server: tuple[str, list[bytes]]) -> None:
    url, seen = raw_server
    client = H1Client(timeout_s=5)
    try:
        for _ in range(2):  # the second request needs a new connection: the first was closed
            resp = await client.send("GET", f"{url}/close")
            assert (resp.status, resp.text()) == (200, "first part, then the rest")
        assert seen == [b"/close", b"/close"]
        with pytest.raises(ConnectionResetError) as cut:  # a promised length is still owed
            await client.send("GET", f"{url}/short")
        assert classify(cut.value) == "connection_reset"
    finally:
        await client.close()


async def test_a_head_split_between_reads_is_read_whole(
    raw_server: tuple[str, list[bytes]],
) -> None:
    """A head in pieces, names in any case, a header repeated: all read as sent."""
    url, _ = raw_server
    client = H1Client(timeout_s=5)
    try:
        resp = await client.send("GET", f"{url}/split")
        assert (resp.status, resp.text()) == (200, "été")  # its charset came in two pieces
        assert resp.headers["x-note"] == "spaced" and resp.headers["Content-Length"] == "3"
        assert client.cookie("a") == "1" and client.cookie("b") == "2"
    finally:
        await client.close()


async def test_redirect_loops_and_hops_are_counted_like_the_server_counts_them() -> None:
    from loadscout.flows.model import Flow, FlowSet, Step
    from loadscout.load.runner import run_load
    from tests.load.flows import plan

    served: list[str] = []

    async def hop(request: web.Request) -> web.Response:
        served.append(request.path)
        if request.path == "/a":
            raise web.HTTPFound("/b")
        if request.path == "/b":
            return web.Response(text="done")
        raise web.HTTPFound("/loop")  # /loop: forever

    app = web.Application()
    for path in ("/a", "/b", "/loop"):
        app.router.add_get(path, hop)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        flows = [
            Flow(name="hop", steps=[Step(name="a", url="/a")]),
            Flow(name="loop", steps=[Step(name="loop", url="/loop")]),
        ]
        outcome = await run_load(FlowSet(target_url=base, flows=flows), plan(duration_s=0.5))
    finally:
        await runner.cleanup()
    assert outcome.totals.requests == len(served)  # every hop, every loop turn
    a, loop = outcome.steps
    assert a.requests == served.count("/a") + served.count("/b") and a.errors == 0
    assert loop.requests == served.count("/loop") and loop.errors > 0
    assert {e.kind for e in outcome.errors} == {"too_many_redirects"}


async def test_an_allow_list_holds_redirects_and_filled_urls() -> None:
    """A redirect to another host, or a URL filled at replay, cannot leave the allow-list."""
    from tests.faults.fault_server import running_fault_server

    async with running_fault_server() as allowed, running_fault_server() as other:
        port = allowed.url.rsplit(":", 1)[1]
        client = H1Client(timeout_s=2, allowed_hosts=frozenset({f"127.0.0.1:{port}"}))
        assert (await client.send("GET", f"{allowed.url}/ok")).status == 200
        with pytest.raises(TransportError) as err:
            await client.send("GET", f"{other.url}/ok")
        assert err.value.kind == "forbidden_target"
        await client.close()
        assert other.total == 0 and allowed.total == 1


def test_one_header_is_read_from_its_line_as_the_full_reading_would() -> None:
    """A single lookup (a page's Content-Type) reads that line alone: any case, the last of
    repeated lines, a folded line read by the full parse."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=latin-1\r\nX-A: 1\r\nx-a: 2\r\n"
        b"X-Fold: a\r\n b\r\nEmpty:\r\n\r\nbody: not a header"
    )
    one = RawHeaders(head, head.find(b"\r\n\r\n"))
    assert one["CONTENT-TYPE"] == "text/html; charset=latin-1"
    assert (one.get("x-a"), one.get("X-Fold"), one.get("empty"), one.get("body")) == (
        "2",
        "a b",
        "",
        None,
    )
    end = head.find(b"\r\n\r\n")
    full = dict(RawHeaders(head, end))
    assert {k: RawHeaders(head, end)[k] for k in full} == full  # each read alone
