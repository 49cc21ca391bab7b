"""Verification of journeys before load: every state's page loads in a fresh session, and
every link rule finds a link to follow on it. A rule that never matches is dropped (its
probability becomes an exit), a state whose page fails is dropped with the moves into it."""

from __future__ import annotations

import asyncio

from loadscout.discovery.verify import MAX_PARALLEL_FLOWS
from loadscout.flows.journeys import Journey, JourneyState, pattern_regex
from loadscout.flows.model import Flow, FlowSet, FlowVerification, Step
from loadscout.flows.page_links import matching, page_links
from loadscout.flows.replay import FlowReplayer, ReplayedPage
from loadscout.plan.scope import Scope


async def verify_journey(
    flowset: FlowSet, journey: Journey, replayer: FlowReplayer, *, timeout_s: float = 10
) -> tuple[Journey | None, list[FlowVerification]]:
    """The journey as it replays (None when its entry page fails), and one result per state.

    A few states at a time, as flows are: each is a fresh session that logs in, and forty at
    once swamp a small server (its pages then time out and the journey loses them)."""
    scope = Scope(flowset.target_url)
    gate = asyncio.Semaphore(MAX_PARALLEL_FLOWS)

    async def bounded(state: JourneyState) -> tuple[FlowVerification, set[str]]:
        async with gate:
            return await _verify_state(flowset, journey, state, replayer, scope, timeout_s)

    checks = await asyncio.gather(*(bounded(s) for s in journey.states))
    results = [r for r, _ in checks]
    failed = {s.name for s, (r, _) in zip(journey.states, checks, strict=True) if not r.passed}
    missing = {s.name: m for s, (_, m) in zip(journey.states, checks, strict=True)}
    if journey.entry in failed:
        return None, results
    states = [_without(s, failed, missing[s.name]) for s in journey.states if s.name not in failed]
    return journey.model_copy(update={"states": states}), results


def _without(state: JourneyState, failed: set[str], unlinked: set[str]) -> JourneyState:
    """The state less its moves into failed states and its link rules that found no link."""
    kept = [
        t
        for t in state.transitions
        if t.to not in failed and (not t.follows_link or t.to not in unlinked)
    ]
    back = state.back if kept else 0.0
    return state.model_copy(update={"transitions": kept, "back": back})


async def _verify_state(
    flowset: FlowSet,
    journey: Journey,
    state: JourneyState,
    replayer: FlowReplayer,
    scope: Scope,
    timeout_s: float,
) -> tuple[FlowVerification, set[str]]:
    name = f"journey {journey.name!r}: {state.name}"
    if state.url is None:
        return FlowVerification(flow=name, passed=True, detail="entered by links only"), set()
    targets = {t.to for t in state.transitions if t.follows_link}
    missing: set[str] = set()

    def links_lead_on(step: Step, page: ReplayedPage, *, setup: bool) -> str | None:
        if setup:
            return None
        links = page_links(page.text, page.url)
        for target in targets:
            if not matching(links, pattern_regex(journey.state(target).pattern), scope):
                missing.add(target)
        return None

    flow = Flow(name=name, steps=[Step(name=state.name, url=state.url)])
    run = await replayer(flowset, flow, vu=1, timeout_s=timeout_s, check=links_lead_on)
    if not run.ok:
        detail = f"its page failed: {run.reason}"
        return FlowVerification(flow=name, passed=False, detail=detail, fidelity=0.0), set()
    detail = "ok" if not missing else f"no link to {', '.join(sorted(missing))}: move dropped"
    return FlowVerification(flow=name, passed=True, detail=detail), missing
