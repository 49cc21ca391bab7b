"""TLS handshake time, measured apart from the TCP connect, against a real local https server."""

from __future__ import annotations

import asyncio
import shutil
import ssl
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import uvloop
from aiohttp import web

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.errors import classify
from loadscout.load.h1_client import H1Client
from loadscout.load.runner import run_load
from loadscout.metrics.summary import LoadOutcome
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime
from tests.load.target_app import server_context

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

Runner = Callable[[Coroutine[Any, Any, None]], None]


@asynccontextmanager
async def serving(context: ssl.SSLContext | None) -> AsyncIterator[str]:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hello")

    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    scheme = "https" if context else "http"
    try:
        yield f"{scheme}://127.0.0.1:{runner.addresses[0][1]}/"
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("run", [asyncio.run, uvloop.run], ids=["asyncio", "uvloop"])
def test_tls_is_timed_apart_from_connect(cert: tuple[Path, Path], run: Runner) -> None:
    async def scenario() -> None:
        async with serving(server_context(cert)) as https, serving(None) as http:
            client = H1Client(timeout_s=5, verify_tls=False)
            first = await client.send("GET", https)
            again = await client.send("GET", https)  # a kept-alive connection: no handshake
            plain = await client.send("GET", http)
            await client.close()
        assert (first.status, first.body, again.body) == (200, b"hello", b"hello")
        assert first.connect_ns > 0 and first.tls_ns > 0
        assert again.connect_ns == again.tls_ns == 0
        assert plain.connect_ns > 0 and plain.tls_ns == 0

    run(scenario())


@pytest.mark.parametrize("run", [asyncio.run, uvloop.run], ids=["asyncio", "uvloop"])
def test_certificates_are_still_verified(cert: tuple[Path, Path], run: Runner) -> None:
    async def scenario() -> None:
        async with serving(server_context(cert)) as https:
            strict = H1Client(timeout_s=5)
            with pytest.raises(ssl.SSLCertVerificationError) as err:
                await strict.send("GET", https)
            assert classify(err.value) == "tls"
            await strict.close()
            # the client-level option for self-signed targets still works
            lenient = H1Client(timeout_s=5, verify_tls=False)
            assert (await lenient.send("GET", https)).body == b"hello"
            await lenient.close()

    run(scenario())


async def _load(url: str) -> LoadOutcome:
    flowset = FlowSet(target_url=url, flows=[Flow(name="f", steps=[Step(name="s", url="/")])])
    plan = LoadPlan(
        profile=ConstantUsers(users=2, duration_s=0.5),
        think_time=ThinkTime(min_s=0.05, max_s=0.05, recorded=False),
    )
    return await run_load(
        flowset, plan, make_client=lambda: H1Client(timeout_s=5, verify_tls=False)
    )


async def test_tls_ms_in_the_result_for_https_only(cert: tuple[Path, Path]) -> None:
    async with serving(server_context(cert)) as https:
        secure = await _load(https)
    async with serving(None) as http:
        plain = await _load(http)
    assert secure.totals.errors == 0 and secure.totals.requests > 2
    assert secure.totals.tls_ms is not None and secure.totals.tls_ms.max > 0
    assert secure.steps[0].tls_ms is not None and secure.steps[0].tls_ms.p50 > 0
    assert secure.totals.connect_ms is not None
    assert plain.totals.errors == 0 and plain.totals.requests > 2
    assert plain.totals.tls_ms is None and plain.steps[0].tls_ms is None
    assert plain.totals.connect_ms is not None
    assert "tls_ms" in secure.model_dump(mode="json")["totals"]
