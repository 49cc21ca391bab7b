"""One flow replayed once in a fresh session, the way a virtual user runs it: verification.

Each step goes through the load engine's own :func:`~loadscout.load.step.execute_step` with
the engine's client (``H1Client``), so a flow that passes here is one load can run.
Implements :class:`loadscout.flows.replay.FlowReplayer` (discovery receives it from its
callers).
"""

from __future__ import annotations

import itertools
import math
import time
import uuid
from collections.abc import Mapping, Sequence

from loadscout.flows.model import Flow, FlowSet, SetupCookie, Step
from loadscout.flows.replay import ReplayedPage, ReplayOutcome, StepCheck
from loadscout.load.client import HttpResponse, seed_cookies
from loadscout.load.compiled import CompiledStep, compile_step
from loadscout.load.errors import EXTRACTION_FAILED
from loadscout.load.h1_client import H1Client
from loadscout.load.state import RunState
from loadscout.load.step import PageCheck, execute_step
from loadscout.load.streams import StreamClient
from loadscout.plan.egress import EgressPolicy


async def replay_flow(
    flowset: FlowSet,
    flow: Flow,
    *,
    vu: int,
    timeout_s: float,
    check: StepCheck | None = None,
    allowed_hosts: frozenset[str] = frozenset(),
    egress: EgressPolicy | None = None,
) -> ReplayOutcome:
    """Set-up steps, then ``flow``'s steps, as user ``vu`` (its ``user_data`` row included);
    stops at the first failing step. ``allowed_hosts``: the server's allow-list; ``egress``:
    the addresses it may connect to (default: any)."""
    rows = flowset.user_data
    row = rows[(vu - 1) % len(rows)] if rows else {}
    session = _Session(
        vu=vu, user=row, timeout_s=timeout_s, allowed_hosts=allowed_hosts, egress=egress
    )
    target = flowset.target_url
    session.seed(flowset.setup_cookies, target)
    try:
        for i, step in enumerate(flowset.setup):
            reason = await session.run(compile_step(step, i, target), step, check, setup=True)
            if reason is not None:
                return ReplayOutcome(passed=0, failed_step=f"set-up: {step.name}", reason=reason)
        for i, step in enumerate(flow.steps):
            reason = await session.run(compile_step(step, i, target), step, check, setup=False)
            if reason is not None:
                return ReplayOutcome(passed=i, failed_step=step.name, reason=reason)
        return ReplayOutcome(passed=len(flow.steps))
    finally:
        await session.close()


class _Session:
    """One virtual user's fresh client and variables for a single iteration; as the
    :class:`~loadscout.load.step.StepUser` it keeps the reason a step failed."""

    iteration = 1

    def __init__(
        self,
        *,
        vu: int,
        user: Mapping[str, str],
        timeout_s: float,
        allowed_hosts: frozenset[str] = frozenset(),
        egress: EgressPolicy | None = None,
    ) -> None:
        self.number = vu
        self._client = H1Client(timeout_s=timeout_s, allowed_hosts=allowed_hosts, egress=egress)
        self._egress = egress
        self._timeout_s = timeout_s
        self._state = RunState(deadline=math.inf, clock=time.monotonic)
        self._streams: StreamClient | None = None  # opened by the first stream step
        self._scope = {f"user.{k}": v for k, v in user.items()}
        self._tag = f"v{uuid.uuid4().hex[:6]}-{vu}"
        self._counter = itertools.count(1)
        self._reason: str | None = None

    def seed(self, cookies: Sequence[SetupCookie], url: str) -> None:
        seed_cookies(self._client, cookies, url)

    async def run(
        self, step: CompiledStep, source: Step, check: StepCheck | None, *, setup: bool
    ) -> str | None:
        """Send, check the status class (and ``check``), extract; why it failed, or None."""
        page_check: PageCheck | None = None
        if check is not None:

            def page_check(resp: HttpResponse) -> str | None:
                page = ReplayedPage(status=resp.status, url=resp.url, text=resp.text())
                return check(source, page, setup=setup)

        self._reason = None
        ok = await execute_step(
            step, self._scope, self._client, self, self._state, check=page_check
        )
        return None if ok else self._reason or "the step did not pass"

    def unique(self) -> str:
        return f"{self._tag}-{next(self._counter)}"

    def streams(self) -> StreamClient:
        if self._streams is None:
            self._streams = StreamClient(timeout_s=self._timeout_s, egress=self._egress)
        return self._streams

    def resent(self, step: CompiledStep, retried: int, redirects: int) -> None:
        """Verification judges the final response only."""

    def failure(self, step: CompiledStep, kind: str, where: str, detail: str) -> None:
        """No response: the error class leads the reason (an undefined variable's says it)."""
        self._reason = detail if kind == EXTRACTION_FAILED else f"{kind}: {detail}"

    def response(
        self,
        step: CompiledStep,
        start_ns: int,
        end_ns: int,
        kind: str | None,
        where: str,
        detail: str,
        ttfb_ns: int = 0,
        connect_ns: int = 0,
        tls_ns: int = 0,
    ) -> None:
        if kind is not None:
            self._reason = detail

    async def close(self) -> None:
        await self._client.close()
        if self._streams is not None:
            await self._streams.close()
