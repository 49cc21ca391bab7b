"""Browse flows recorded twice: a per-session link token is bound to the page that gives it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.rerecord import looks_generated
from loadscout.flows.model import Flow, FlowSet
from loadscout.load.replay import replay_flow
from tests.discovery.site import Site, build_token_app, running_site

NEXT = "browse /next?token={}"


def test_generated_looking_values() -> None:
    assert looks_generated("s3f9a0c2d4e6b8a7")
    assert looks_generated("1764130000123")  # a millisecond timestamp
    for ordinary in ("17", "2026-01", "garden", "products", "page-2", "abc"):
        assert not looks_generated(ordinary)


@pytest.fixture
async def token_site() -> AsyncIterator[Site]:
    async with running_site(build_token_app) as site:
        yield site


def _flow(flowset: FlowSet, name: str) -> Flow:
    return next(f for f in flowset.flows if f.name == name)


@pytest.mark.browser
async def test_a_per_session_link_token_replays_thanks_to_the_binding(token_site: Site) -> None:
    progress: list[str] = []
    options = DiscoveryConfig(
        start_url=token_site.url, concurrency=1, max_time_s=20, journeys=False
    )
    flowset = await discover(options, replayer=replay_flow, on_progress=progress.append)
    flow = _flow(flowset, NEXT)
    home, follow = flow.steps
    assert follow.url.startswith("/next?token=${")
    assert [e.source for e in home.extract] == ["regex"]
    assert flowset.discovery is not None
    verdict = next(v for v in flowset.discovery.verification if v.flow == NEXT)
    assert verdict.passed, verdict.detail
    assert any(line.startswith("recording ") for line in progress)

    # the same flow with the crawl's own token, unbound, is refused in fresh sessions
    recorded = next(iter(token_site.tokens.values()))
    unbound = flow.model_copy(
        update={"steps": [home, follow.model_copy(update={"url": f"/next?token={recorded}"})]}
    )
    outcome = await replay_flow(flowset, unbound, vu=1, timeout_s=5)
    assert not outcome.ok and outcome.failed_step == follow.name


@pytest.mark.browser
async def test_a_value_no_response_holds_gets_a_verification_note(token_site: Site) -> None:
    options = DiscoveryConfig(
        start_url=token_site.url, concurrency=1, max_time_s=20, verify=False, journeys=False
    )
    progress: list[str] = []
    flowset = await discover(options, on_progress=progress.append)
    nonce = _flow(flowset, "browse /r?nonce={}")
    assert any(line.startswith("warning: flow 'browse /r?nonce={}'") for line in progress)
    assert "${" not in nonce.steps[-1].url  # made up by a script: nothing to bind it to
    assert flowset.discovery is not None
    assert any("browse /r?nonce={}" in w for w in flowset.discovery.warnings)
    assert not any(NEXT in w for w in flowset.discovery.warnings)
