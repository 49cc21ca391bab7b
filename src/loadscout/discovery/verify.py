"""Verification before load: replay every flow in two fresh, concurrent sessions over HTTP.

Two sessions at once catch what one would not: a flow that only worked because of the crawl's
own cookies, or two users stepping on one shared token. A flow passes when both sessions run
the set-up and every step with its recorded status class; fidelity is the share of steps that
did. Failing flows name their first failing step and why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from loadscout.discovery.replay import ReplayError, ReplaySession, is_login_attempt
from loadscout.flows.model import Flow, FlowSet, FlowVerification

SESSIONS = 2
MAX_PARALLEL_FLOWS = 4


async def _one_session(
    flowset: FlowSet, flow: Flow, vu: int, timeout_s: float
) -> tuple[int, str | None, str]:
    """(steps that passed, first failing step name, why) for one fresh session."""
    rows = flowset.user_data
    user = rows[(vu - 1) % len(rows)] if rows else {}
    session = ReplaySession(base_url=flowset.target_url, vu=vu, user=user, timeout_s=timeout_s)
    try:
        for step in flowset.setup:
            try:
                await session.run(step)
            except ReplayError as err:
                return 0, f"set-up: {step.name}", str(err)
        passed = 0
        for step in flow.steps:
            try:
                await session.run(step, check_rejection=not is_login_attempt(step))
            except ReplayError as err:
                return passed, step.name, str(err)
            passed += 1
        return passed, None, ""
    finally:
        await session.close()


async def verify_flow(flowset: FlowSet, flow: Flow, *, timeout_s: float = 10) -> FlowVerification:
    runs = await asyncio.gather(
        *(_one_session(flowset, flow, vu, timeout_s) for vu in range(1, SESSIONS + 1))
    )
    total = len(flow.steps) * SESSIONS
    fidelity = round(sum(r[0] for r in runs) / total, 3)
    failing = next((r for r in runs if r[1] is not None), None)
    if failing is None:
        return FlowVerification(flow=flow.name, passed=True, fidelity=fidelity, detail="ok")
    return FlowVerification(
        flow=flow.name,
        passed=False,
        fidelity=fidelity,
        failed_step=failing[1],
        detail=f"step {failing[1]!r} failed: {failing[2]}",
    )


async def verify_flowset(
    flowset: FlowSet, *, timeout_s: float = 10, flows: Sequence[Flow] | None = None
) -> list[FlowVerification]:
    """One verification per flow, in the flow set's order, a few flows at a time."""
    gate = asyncio.Semaphore(MAX_PARALLEL_FLOWS)

    async def bounded(flow: Flow) -> FlowVerification:
        async with gate:
            return await verify_flow(flowset, flow, timeout_s=timeout_s)

    return list(await asyncio.gather(*(bounded(f) for f in flows or flowset.flows)))
