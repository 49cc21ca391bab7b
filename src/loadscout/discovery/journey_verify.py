"""Verification of journeys before load: every state's page loads in a fresh session, and
every link rule finds a link to follow on it. A rule that never matches is dropped (its
probability becomes an exit), a state whose page fails is dropped with the moves into it."""

from __future__ import annotations

import asyncio

from loadscout.discovery.verify import MAX_PARALLEL_FLOWS
from loadscout.flows.journeys import Journey, JourneyState, pattern_regex
from loadscout.flows.model import Flow, FlowSet, FlowVerification, Step
from loadscout.flows.page_links import matching, page_links
from loadscout.flows.replay import FlowReplayer, ReplayedPage, ReplayOutcome
from loadscout.plan.scope import Scope


async def verify_journey(
    flowset: FlowSet, journey: Journey, replayer: FlowReplayer, *, timeout_s: float = 10
) -> tuple[Journey | None, list[FlowVerification]]:
    """The journey as it replays (None when its entry page fails), and one result per state.

    The states' pages are visited in a few sessions at once, one after the other in each, as
    a user browsing them would: each session logs in once (a login can cost the server a
    second of hashing, and forty fresh sessions at once swamp a small server). A page that
    fails ends its session; the pages after it go on in a new one."""
    scope = Scope(flowset.target_url)
    lanes = [journey.states[i::MAX_PARALLEL_FLOWS] for i in range(MAX_PARALLEL_FLOWS)]
    checked = await asyncio.gather(
        *(_verify_states(flowset, journey, lane, replayer, scope, timeout_s) for lane in lanes)
    )
    by_name = {name: check for lane in checked for name, check in lane.items()}
    results = [by_name[s.name][0] for s in journey.states]
    failed = {s.name for s in journey.states if not by_name[s.name][0].passed}
    if journey.entry in failed:
        return None, results
    states = [
        _without(s, failed, by_name[s.name][1]) for s in journey.states if s.name not in failed
    ]
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


async def _verify_states(
    flowset: FlowSet,
    journey: Journey,
    states: list[JourneyState],
    replayer: FlowReplayer,
    scope: Scope,
    timeout_s: float,
) -> dict[str, tuple[FlowVerification, set[str]]]:
    """Each state's result, and the link targets its page had no link to."""
    label = f"journey {journey.name!r}"
    missing: dict[str, set[str]] = {s.name: set() for s in states}
    results: dict[str, tuple[FlowVerification, set[str]]] = {
        s.name: (FlowVerification(flow=f"{label}: {s.name}", passed=True, detail=_ENTERED), set())
        for s in states
        if s.url is None
    }

    def links_lead_on(step: Step, page: ReplayedPage, *, setup: bool) -> str | None:
        if setup:
            return None
        links = page_links(page.text, page.url)
        for move in journey.state(step.name).transitions:
            to = journey.state(move.to).pattern
            if move.follows_link and not matching(links, pattern_regex(to), scope):
                missing[step.name].add(move.to)
        return None

    pending = [(s.name, s.url) for s in states if s.url is not None]
    while pending:
        steps = [Step(name=name, url=url) for name, url in pending]
        flow = Flow(name=f"{label}: {pending[0][0]}", steps=steps)
        run = await replayer(flowset, flow, vu=1, timeout_s=timeout_s, check=links_lead_on)
        # a failed set-up fails every page; a failed page, itself only
        failed = 0 if run.ok else len(pending) if run.passed == 0 and _in_setup(run) else 1
        for name, _ in pending[: run.passed if not run.ok else len(pending)]:
            gone = missing[name]
            detail = "ok" if not gone else f"no link to {', '.join(sorted(gone))}: move dropped"
            results[name] = (
                FlowVerification(flow=f"{label}: {name}", passed=True, detail=detail),
                gone,
            )
        for name, _ in pending[run.passed : run.passed + failed]:
            detail = f"its page failed: {run.reason}"
            verdict = FlowVerification(
                flow=f"{label}: {name}", passed=False, detail=detail, fidelity=0.0
            )
            results[name] = (verdict, set())
        pending = [] if run.ok else pending[run.passed + failed :]
    return results


_ENTERED = "entered by links only"


def _in_setup(run: ReplayOutcome) -> bool:
    return (run.failed_step or "").startswith("set-up: ")
