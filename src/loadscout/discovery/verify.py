"""Verification before load: replay every flow in two fresh, concurrent sessions over HTTP.

Two sessions at once catch what one would not: a flow that only worked because of the crawl's
own cookies, or two users stepping on one shared token. A flow passes when both sessions run
the set-up and every step with its recorded status class; fidelity is the share of steps that
did. Failing flows name their first failing step and why. The replaying itself is the load
engine's (``loadscout.load.replay.replay_flow``), passed in as a :class:`FlowReplayer`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from loadscout.flows.model import Flow, FlowSet, FlowVerification, Step
from loadscout.flows.replay import FlowReplayer, ReplayedPage

SESSIONS = 2
MAX_PARALLEL_FLOWS = 4

_ERROR_MARKERS = (
    "[role=alert], .error, .errors, .invalid, .is-invalid, [aria-invalid=true], .field-error, "
    ".alert-danger, .form-error"
)


def rejection(page: ReplayedPage) -> str | None:
    """A form post answered with the same form and an error message: the server said no."""
    if "<form" not in page.text:
        return None
    tree = LexborHTMLParser(page.text)
    here = urlsplit(page.url).path
    same_form = any(
        urlsplit(urljoin(page.url, f.attributes.get("action") or page.url)).path == here
        for f in tree.css("form")
    )
    messages = [n.text().strip() for n in tree.css(_ERROR_MARKERS) if n.text().strip()]
    if same_form and messages:
        return f"the server rejected the form: {' '.join(messages[0].split())[:120]}"
    return None


def is_login_attempt(step: Step) -> bool:
    """A flow's own login form post: refused by design when discovery made the account up."""
    return step.form is not None and any("pass" in name.lower() for name, _ in step.form)


def refused_form(step: Step, page: ReplayedPage, *, setup: bool) -> str | None:
    """The step check verification adds: a form post the server refused (a flow's own login
    attempt excepted; the set-up's login uses a real account, so it must succeed)."""
    if step.kind != "form" or (not setup and is_login_attempt(step)):
        return None
    return rejection(page)


async def verify_flow(
    flowset: FlowSet, flow: Flow, replayer: FlowReplayer, *, timeout_s: float = 10
) -> FlowVerification:
    runs = await asyncio.gather(
        *(
            replayer(flowset, flow, vu=vu, timeout_s=timeout_s, check=refused_form)
            for vu in range(1, SESSIONS + 1)
        )
    )
    total = len(flow.steps) * SESSIONS
    fidelity = round(sum(r.passed for r in runs) / total, 3)
    failing = next((r for r in runs if not r.ok), None)
    if failing is None:
        return FlowVerification(flow=flow.name, passed=True, fidelity=fidelity, detail="ok")
    return FlowVerification(
        flow=flow.name,
        passed=False,
        fidelity=fidelity,
        failed_step=failing.failed_step,
        detail=f"step {failing.failed_step!r} failed: {failing.reason}",
    )


async def verify_flowset(
    flowset: FlowSet,
    replayer: FlowReplayer,
    *,
    timeout_s: float = 10,
    flows: Sequence[Flow] | None = None,
) -> list[FlowVerification]:
    """One verification per flow, in the flow set's order, a few flows at a time."""
    gate = asyncio.Semaphore(MAX_PARALLEL_FLOWS)

    async def bounded(flow: Flow) -> FlowVerification:
        async with gate:
            return await verify_flow(flowset, flow, replayer, timeout_s=timeout_s)

    results = await asyncio.gather(*(bounded(f) for f in flows or flowset.flows))
    notes = flowset.discovery.warnings if flowset.discovery else []
    return [with_note(r, notes) for r in results]


def with_note(result: FlowVerification, warnings: Sequence[str]) -> FlowVerification:
    """A failing flow's detail gains what discovery noted about it (a value that changes per
    session with no response found holding it): the likely reason."""
    prefix = f"flow {result.flow!r}: "
    note = next((w.removeprefix(prefix) for w in warnings if w.startswith(prefix)), None)
    if result.passed or note is None:
        return result
    return result.model_copy(update={"detail": f"{result.detail} (note: {note})"})
