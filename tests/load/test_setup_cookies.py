"""``FlowSet.setup_cookies``: every virtual user's own jar starts with a copy of them."""

from __future__ import annotations

from collections.abc import Callable

from loadscout.flows.model import SetupCookie
from loadscout.load.client import Client, seed_cookies
from loadscout.load.runner import run_load
from tests.load.flows import flow, flowset, plan, step
from tests.load.target_app import Target

COOKIES = [SetupCookie(name="sid", value="from-state-1"), SetupCookie(name="x", value="y")]


async def test_each_client_sends_the_seeded_cookies(
    target: Target, make_client: Callable[[], Client]
) -> None:
    client = make_client()
    try:
        seed_cookies(client, COOKIES, target.url + "/")
        assert client.cookie("sid", target.url + "/a") == "from-state-1"
        await client.send("GET", target.url + "/a")
    finally:
        await client.close()
    assert [s.sid for s in target.state.seen] == ["from-state-1"]


async def test_every_user_starts_with_its_copy(target: Target) -> None:
    fs = flowset(target.url, flow("plain", step("a", "/a"))).model_copy(
        update={"setup_cookies": COOKIES}
    )
    outcome = await run_load(fs, plan(users=3, duration_s=0.6, think=(0.05, 0.05)))
    assert outcome.totals.errors == 0 and len(target.state.seen) >= 3
    assert {s.sid for s in target.state.seen} == {"from-state-1"}
