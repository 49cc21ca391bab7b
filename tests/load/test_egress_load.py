"""The load engine under the egress policy: a host is looked up once, checked, and connected
to by the checked address (Host header and name kept); a refused address is never connected
to. Every socket here goes to 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.client import TransportError, was_never_sent
from loadscout.load.h1_client import H1Client
from loadscout.load.runner import run_load
from loadscout.plan.egress import EgressPolicy
from tests.load.flows import plan

LOOPBACK_ONLY = EgressPolicy.team(allow="127.0.0.1/32")
METADATA = "169.254.169.254"


class Resolver:
    """A stub DNS: fixed answers per name, every lookup counted."""

    def __init__(self, **answers: list[str]) -> None:
        self.answers = {name.replace("_", "."): found for name, found in answers.items()}
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.answers[host]


class Site:
    def __init__(self, url: str, port: int, hosts: list[str], paths: list[str]) -> None:
        self.url, self.port, self.hosts, self.paths = url, port, hosts, paths


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    hosts: list[str] = []
    paths: list[str] = []

    async def page(request: web.Request) -> web.Response:
        hosts.append(request.headers.get("Host", ""))
        paths.append(request.path)
        if request.path == "/metadata":
            raise web.HTTPFound(f"http://{METADATA}/latest/meta-data/")
        if request.path == "/rebind":
            raise web.HTTPFound(f"http://evil.test:{request.url.port}/secret")
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/{tail:.*}", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    try:
        yield Site(f"http://127.0.0.1:{port}", port, hosts, paths)
    finally:
        await runner.cleanup()


@pytest.fixture
async def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every TCP connection the client opens, by address (and it still opens it)."""
    loop = asyncio.get_running_loop()
    real = loop.create_connection
    seen: list[tuple[Any, ...]] = []

    async def recording(factory: Any, host: Any = None, port: Any = None, **kw: Any) -> Any:
        seen.append((host, port))
        if host != "127.0.0.1":  # a test bug: nothing but loopback may be dialled
            raise AssertionError(f"connection attempt to {host}")
        return await real(factory, host, port, **kw)

    monkeypatch.setattr(loop, "create_connection", recording)
    return seen


async def test_a_name_is_looked_up_once_and_connected_to_by_its_checked_address(
    site: Site, connects: list[tuple[Any, ...]]
) -> None:
    resolver = Resolver(shop_test=["127.0.0.1"])
    client = H1Client(timeout_s=5, egress=LOOPBACK_ONLY, resolver=resolver)
    url = f"http://shop.test:{site.port}"
    responses = await asyncio.gather(*(client.send("GET", f"{url}/p{i}") for i in range(4)))
    assert [r.status for r in responses] == [200] * 4
    assert (await client.send("GET", f"{url}/again")).status == 200
    await client.close()
    assert resolver.calls == [("shop.test", site.port)]  # one lookup for every connection
    assert connects and all(c == ("127.0.0.1", site.port) for c in connects)
    assert set(site.hosts) == {f"shop.test:{site.port}"}  # the name, not the address


async def test_a_metadata_answer_is_refused_before_any_socket(
    site: Site, connects: list[tuple[Any, ...]]
) -> None:
    resolver = Resolver(shop_test=[METADATA])
    client = H1Client(timeout_s=5, egress=LOOPBACK_ONLY, resolver=resolver)
    for _ in range(2):
        with pytest.raises(TransportError) as caught:
            await client.send("GET", "http://shop.test/")
        assert caught.value.kind == "forbidden_address" and was_never_sent(caught.value)
    assert str(caught.value) == (
        "shop.test resolves to 169.254.169.254: 169.254.169.254 is a link-local address "
        "(cloud metadata); this server refuses it; an admin may allow it with "
        "LOADSCOUT_EGRESS_ALLOW=169.254.169.254/32"
    )
    assert resolver.calls == [("shop.test", 80)]  # the refusal is kept: no lookup per request
    assert connects == []
    await client.close()


async def test_a_mixed_answer_is_refused_whole(site: Site, connects: list[tuple[Any, ...]]) -> None:
    resolver = Resolver(shop_test=["127.0.0.1", "10.0.0.1"])
    client = H1Client(timeout_s=5, egress=LOOPBACK_ONLY, resolver=resolver)
    with pytest.raises(TransportError) as caught:
        await client.send("GET", f"http://shop.test:{site.port}/")
    assert caught.value.kind == "forbidden_address" and "10.0.0.1" in str(caught.value)
    assert connects == [] and site.paths == []
    await client.close()


async def test_each_redirect_hop_goes_through_the_guard(
    site: Site, connects: list[tuple[Any, ...]]
) -> None:
    """A redirect to the metadata address, and one to a name that now answers privately (the
    rebinding shape: the first host was fine), are refused; the redirect is the failure."""
    resolver = Resolver(shop_test=["127.0.0.1"], evil_test=["10.0.0.1"])
    client = H1Client(timeout_s=5, egress=LOOPBACK_ONLY, resolver=resolver)
    for path, refused in (("/metadata", METADATA), ("/rebind", "10.0.0.1")):
        with pytest.raises(TransportError) as caught:
            await client.send("GET", f"http://shop.test:{site.port}{path}")
        assert caught.value.kind == "forbidden_address" and refused in str(caught.value)
        assert not was_never_sent(caught.value)  # the redirect was sent: it stands as failed
    assert site.paths == ["/metadata", "/rebind"]
    assert {c[0] for c in connects} == {"127.0.0.1"}
    await client.close()


async def test_local_mode_connects_as_before(site: Site, connects: list[tuple[Any, ...]]) -> None:
    client = H1Client(timeout_s=5)  # the default: a single-user install
    assert (await client.send("GET", f"{site.url}/x")).status == 200
    await client.close()
    assert connects == [("127.0.0.1", site.port)]


async def test_the_plan_carries_the_policy_into_the_run(
    site: Site, connects: list[tuple[Any, ...]]
) -> None:
    """Team mode with nothing allowed: the 127.0.0.1 target is refused at every step, reported
    as errors, and never connected to."""
    flows = [Flow(name="home", steps=[Step(name="home", url="/")])]
    refusing = plan(duration_s=0.3).model_copy(update={"egress": EgressPolicy.team()})
    outcome = await run_load(FlowSet(target_url=site.url, flows=flows), refusing)
    assert outcome.steps[0].errors > 0 and outcome.steps[0].errors == outcome.steps[0].requests
    assert {e.kind for e in outcome.errors} == {"forbidden_address"}
    assert connects == [] and site.paths == []
