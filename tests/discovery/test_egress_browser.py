"""The browser under the egress policy: every request the page makes (document, image,
script, fetch, WebSocket) and every redirect hop is checked before it leaves; in team mode
through the egress proxy Chromium is launched with, as discovery launches it.

Only loopback is ever connected to: the refused addresses (10.0.0.1, 169.254.169.254) are
refused by the guard; the proxy's every dial is checked to be 127.0.0.1 (``proxy_dials``),
and the local-mode Chromium is started with ``--host-rules`` that fail any host but
127.0.0.1 and 127.0.0.2, so a guard bug shows as a failed assertion, never as a connection."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from playwright.async_api import Browser, async_playwright

from loadscout.discovery.browser import (
    NetworkGuard,
    guarded_context,
    launch_args,
    launch_browser,
    start_pins,
)
from loadscout.discovery.egress_proxy import EgressProxy, proxy_for
from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.safety import SafetyPolicy
from loadscout.load.replay import replay_flow
from loadscout.plan.egress import EgressPolicy, EgressRefused
from loadscout.plan.scope import Scope
from loadscout.settings import default_chromium
from tests.discovery.site import running_site
from tests.utils.loopback import record_proxy_dials

pytestmark = pytest.mark.browser

ELSEWHERE = "127.0.0.2"  # loopback, but not in the team policy's 127.0.0.1/32
TEAM = EgressPolicy.team(allow="127.0.0.1/32")
ONLY_LOOPBACK = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2"


@pytest.fixture(scope="module")
async def fenced_browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=default_chromium(),
            headless=True,
            args=[
                "--disable-gpu",
                f"--host-rules={ONLY_LOOPBACK}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2",
            ],
        )
        try:
            yield browser
        finally:
            await browser.close()


async def _stub_dns(host: str, port: int) -> list[str]:
    return {
        "shop.test": ["10.0.0.1"],
        "mixed.test": ["127.0.0.1", "169.254.169.254"],
        "meta.test": ["169.254.169.254"],
        "far.test": [ELSEWHERE],
    }[host]


@asynccontextmanager
async def _serving(app: web.Application, host: str) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    try:
        yield f"http://{host}:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def _pages() -> AsyncIterator[tuple[str, str, Counter[str]]]:
    """The target on 127.0.0.1 and a second server on 127.0.0.2; hits per server and path."""
    hits: Counter[str] = Counter()

    async def away(request: web.Request) -> web.Response:
        hits[f"away{request.path}"] += 1
        return web.Response(text="away", content_type="text/plain")

    other = web.Application()
    other.router.add_get("/{tail:.*}", away)
    async with _serving(other, ELSEWHERE) as elsewhere:
        home = f"""<!doctype html><html><body><p id="ok">home</p>
        <img src="http://10.0.0.1/pixel.png"><script src="http://169.254.169.254/s.js"></script>
        <img src="{elsewhere}/img.png">
        <script>
          fetch('http://shop.test/api').catch(() => {{}});
          fetch('http://mixed.test/api').catch(() => {{}});
          fetch('/hop').catch(() => {{}});
        </script></body></html>"""

        async def page(request: web.Request) -> web.Response:
            hits[request.path] += 1
            if request.path == "/metadata":
                raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")
            if request.path == "/hop":  # a fetch redirected to the other server
                raise web.HTTPFound(f"{elsewhere}/hopped")
            if request.path == "/far":
                raise web.HTTPFound(request.query["to"])
            if request.path == "/next":
                raise web.HTTPFound("/")
            return web.Response(text=home, content_type="text/html")

        app = web.Application()
        app.router.add_get("/{tail:.*}", page)
        async with _serving(app, "127.0.0.1") as target:
            yield target, elsewhere, hits


@pytest.fixture(autouse=True)
def proxy_dials(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address the egress proxy dials; anything but 127.0.0.1 fails before a connect."""
    return record_proxy_dials(monkeypatch)


@asynccontextmanager
async def _team_browser(
    target: str, blocked: list[str]
) -> AsyncIterator[tuple[Browser, EgressProxy]]:
    """Chromium launched as discovery launches it in team mode: through the egress proxy,
    whose refusals land in ``blocked`` as the crawler's do."""
    fence = proxy_for(TEAM, start_url=target, widened_scope=True, resolver=_stub_dns)
    async with async_playwright() as pw, fence as proxy:
        assert proxy is not None
        proxy.on_refused = lambda url, _method, _reason: blocked.append(url)
        browser = await launch_browser(
            pw,
            start_url=target,
            chromium_path=None,
            widened_scope=True,
            egress=TEAM,
            resolver=_stub_dns,
            proxy=proxy,
        )
        try:
            yield browser, proxy
        finally:
            await browser.close()


def _guard(target: str, egress: EgressPolicy, blocked: list[str]) -> NetworkGuard:
    return NetworkGuard(
        scope=Scope(target, ".*"),  # everything in scope: only the egress policy decides
        policy=SafetyPolicy(),
        on_blocked=lambda url, _method, _reason: blocked.append(url),
        egress=egress,
        resolver=_stub_dns,
    )


async def _settle(page: object) -> None:
    await page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]


async def test_team_mode_refuses_sub_resources_and_redirects_to_special_addresses() -> None:
    async with _pages() as (target, elsewhere, hits):
        blocked: list[str] = []
        guard = _guard(target, TEAM, blocked)
        async with _team_browser(target, blocked) as (browser, proxy):
            context = await guarded_context(browser, guard)
            page = await context.new_page()
            await page.goto(f"{target}/next")  # a redirect within the target: followed
            await _settle(page)
            assert await page.text_content("#ok") == "home"
            await context.close()
    refused = guard.egress_refusals
    assert set(refused) == {
        "http://10.0.0.1:None",
        "http://169.254.169.254:None",
        "http://shop.test:None",
        "http://mixed.test:None",
        f"http://{ELSEWHERE}:{elsewhere.rsplit(':', 1)[1]}",
    }
    assert "cloud metadata" in refused["http://169.254.169.254:None"]
    assert "10.0.0.1 is a private address" in refused["http://shop.test:None"]
    assert "169.254.169.254" in refused["http://mixed.test:None"]
    assert hits["/next"] == 1 and hits["/"] == 1 and hits["/hop"] == 1  # the redirect: sent
    assert not [k for k in hits if k.startswith("away")]  # 127.0.0.2: never reached
    assert f"{elsewhere}/hopped" in blocked  # the fetch's redirect hop: refused by the proxy
    assert "127.0.0.2 is a loopback" in proxy.refusals[elsewhere.removeprefix("http://")]


async def test_a_document_redirect_into_link_local_is_refused() -> None:
    async with _pages() as (target, _elsewhere, hits):
        blocked: list[str] = []
        async with _team_browser(target, blocked) as (browser, proxy):
            context = await guarded_context(browser, _guard(target, TEAM, blocked))
            page = await context.new_page()
            response = await page.goto(f"{target}/metadata")
            assert response is not None and response.status == 403
            assert "cloud metadata" in (await page.text_content("body") or "")
            await context.close()
    assert hits["/metadata"] == 1
    assert blocked[0] == "http://169.254.169.254/latest/meta-data/"
    assert set(proxy.refusals) == {"169.254.169.254:80"}


async def test_a_redirect_to_a_name_of_a_refused_address_is_refused(
    proxy_dials: list[str],
) -> None:
    """127.0.0.1 redirects to far.test, which the (stub) DNS maps to 127.0.0.2."""
    async with _pages() as (target, elsewhere, hits):
        far = elsewhere.replace(ELSEWHERE, "far.test")
        blocked: list[str] = []
        async with _team_browser(target, blocked) as (browser, _proxy):
            context = await guarded_context(browser, _guard(target, TEAM, blocked))
            page = await context.new_page()
            response = await page.goto(f"{target}/far?to={far}/x")
            assert response is not None and response.status == 403
            await context.close()
    assert blocked[0] == f"{far}/x"  # (then perhaps its favicon, refused too)
    assert all(url.startswith(far) for url in blocked)
    assert not [k for k in hits if k.startswith("away")]
    assert set(proxy_dials) == {"127.0.0.1"}


async def test_an_image_and_a_websocket_to_refused_addresses_are_refused_and_recorded(
    proxy_dials: list[str],
) -> None:
    """The image's name maps to the metadata address; the socket goes to 10.0.0.1, which
    no route handler sees: the proxy refuses it. A socket to the target itself works."""
    events: list[str] = []

    async def socket(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str("hello")
        await ws.close()
        return ws

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=_SOCKETS_PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/ws", socket)
    app.router.add_get("/", page)
    async with _serving(app, "127.0.0.1") as target:
        blocked: list[str] = []
        async with _team_browser(target, blocked) as (browser, proxy):
            context = await guarded_context(browser, _guard(target, TEAM, blocked))
            tab = await context.new_page()
            tab.on("console", lambda msg: events.append(msg.text))
            await tab.goto(f"{target}/")
            await tab.wait_for_function("window.done === 2", timeout=10_000)
            await context.close()
    assert "ours: hello" in events and "theirs: error" in events
    assert "http://meta.test/pixel.png" in blocked  # the image: refused at the route
    assert "10.0.0.1:80" in blocked  # the socket: refused by the proxy
    assert "10.0.0.1 is a private address" in proxy.refusals["10.0.0.1:80"]
    assert set(proxy_dials) == {"127.0.0.1"}


async def test_a_streamed_fetch_arrives_as_it_is_sent_in_team_mode() -> None:
    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for n in range(5):
            await response.write(f"part{n};".encode())
            await asyncio.sleep(0.5)
        await response.write_eof()
        return response

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=_STREAM_PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/stream", stream)
    app.router.add_get("/", page)
    async with _serving(app, "127.0.0.1") as target, _team_browser(target, []) as (browser, _):
        context = await guarded_context(browser, _guard(target, TEAM, []))
        tab = await context.new_page()
        await tab.goto(f"{target}/")
        await tab.wait_for_function("window.result !== undefined", timeout=10_000)
        result = await tab.evaluate("window.result")
        await context.close()
    assert result["text"] == "part0;part1;part2;part3;part4;"
    assert result["last"] - result["first"] > 1500  # read as it came, not held to the end


_SOCKETS_PAGE = """<!doctype html><html><body><img src="http://meta.test/pixel.png">
<script>
  window.done = 0;
  const ours = new WebSocket(`ws://${location.host}/ws`);
  ours.onmessage = (e) => { console.log('ours: ' + e.data); window.done++; };
  ours.onerror = () => { console.log('ours: error'); window.done++; };
  const theirs = new WebSocket('ws://10.0.0.1/socket');
  theirs.onopen = () => { console.log('theirs: open'); window.done++; };
  theirs.onerror = () => { console.log('theirs: error'); window.done++; };
</script></body></html>"""

_STREAM_PAGE = """<!doctype html><html><body><script>
  (async () => {
    const reader = (await fetch('/stream')).body.getReader();
    const decoder = new TextDecoder();
    let text = '', first;
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      first ??= performance.now();
      text += decoder.decode(value);
    }
    window.result = {text, first, last: performance.now()};
  })();
</script></body></html>"""


async def test_local_mode_lets_loopback_sub_resources_through(fenced_browser: Browser) -> None:
    """A single-user install reaches the other loopback server; the private and metadata
    addresses fail on this file's --host-rules (the guard lets them go in local mode)."""
    async with _pages() as (target, _elsewhere, hits):
        guard = _guard(target, EgressPolicy.local(), [])
        context = await guarded_context(fenced_browser, guard)
        try:
            page = await context.new_page()
            await page.goto(f"{target}/")
            await _settle(page)
        finally:
            await context.close()
    assert guard.egress_refusals == {}
    assert hits["away/img.png"] == 1 and hits["away/hopped"] == 1


async def test_the_start_host_is_pinned_to_its_checked_address() -> None:
    async def dns(host: str, port: int) -> list[str]:
        return {"shop.test": ["127.0.0.1"], "evil.test": ["169.254.169.254"]}[host]

    team = EgressPolicy.team(allow="127.0.0.1/32")
    pins = await start_pins("http://shop.test:8000/", team, dns)
    assert pins == {"shop.test": "127.0.0.1"}
    args = launch_args("http://shop.test:8000/", pinned=pins)
    assert (
        "--host-resolver-rules=MAP shop.test 127.0.0.1, MAP * ~NOTFOUND, "
        "EXCLUDE 127.0.0.1, EXCLUDE localhost" in args
    )
    assert await start_pins("http://shop.test/", EgressPolicy.local(), dns) == {}
    assert await start_pins("http://127.0.0.1:8000/", team, dns) == {}
    with pytest.raises(EgressRefused, match="cloud metadata"):
        await start_pins("http://evil.test/", team, dns)


async def test_discovery_in_team_mode_explores_and_verifies_an_allowed_target() -> None:
    """The whole of discovery under a team policy that allows the target's 127.0.0.1:
    pages fetched hop by hop, the plain-HTTP lane and verification replays included."""
    async with running_site() as site:
        options = DiscoveryConfig(
            start_url=site.url,
            max_pages=6,
            max_time_s=30,
            journeys=False,
            egress=EgressPolicy.team(allow="127.0.0.1/32"),
        )
        flowset = await discover(options, replayer=replay_flow)
    assert flowset.flows and flowset.discovery is not None
    assert all(v.passed for v in flowset.discovery.verification), flowset.discovery.verification


async def test_discovery_refuses_a_special_start_page_before_connecting() -> None:
    options = DiscoveryConfig(
        start_url="http://169.254.169.254/latest/", max_time_s=5, egress=EgressPolicy.team()
    )
    with pytest.raises(EgressRefused, match="cloud metadata"):
        await discover(options, replayer=replay_flow)
