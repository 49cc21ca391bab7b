"""One flow replayed once in a fresh session, the way a virtual user runs it: verification.

The same compiled steps, templates, extractors, checks and default HTTP client (``H1Client``)
as a load run, so a flow that passes here is one load can run. Implements
:class:`loadscout.flows.replay.FlowReplayer` (discovery receives it from its callers).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping, Sequence

from loadscout.flows.model import Flow, FlowSet, SetupCookie, Step
from loadscout.flows.replay import ReplayedPage, ReplayOutcome, StepCheck
from loadscout.load.compiled import CompiledStep, RenderedRequest, builtin_values, compile_step
from loadscout.load.errors import classify, describe
from loadscout.load.extract import ExtractionFailed, extract
from loadscout.load.h1_client import H1Client
from loadscout.load.streams import StreamClient, jar_values
from loadscout.load.template import MissingVariable
from loadscout.load.vuser import seed_cookies


async def replay_flow(
    flowset: FlowSet,
    flow: Flow,
    *,
    vu: int,
    timeout_s: float,
    check: StepCheck | None = None,
) -> ReplayOutcome:
    """Set-up steps, then ``flow``'s steps, as user ``vu`` (its ``user_data`` row included);
    stops at the first failing step."""
    rows = flowset.user_data
    session = _Session(vu=vu, user=rows[(vu - 1) % len(rows)] if rows else {}, timeout_s=timeout_s)
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
    """One virtual user's fresh client and variables for a single iteration."""

    def __init__(self, *, vu: int, user: Mapping[str, str], timeout_s: float) -> None:
        self._vu = vu
        self._client = H1Client(timeout_s=timeout_s)
        self._timeout_s = timeout_s
        self._streams: StreamClient | None = None  # opened by the first stream step
        self._scope = {f"user.{k}": v for k, v in user.items()}
        self._tag = f"v{uuid.uuid4().hex[:6]}-{vu}"
        self._counter = itertools.count(1)

    def seed(self, cookies: Sequence[SetupCookie], url: str) -> None:
        seed_cookies(self._client, cookies, url)

    def _unique(self) -> str:
        return f"{self._tag}-{next(self._counter)}"

    async def run(
        self, step: CompiledStep, source: Step, check: StepCheck | None, *, setup: bool
    ) -> str | None:
        """Send, check the status class (and ``check``), extract; why it failed, or None."""
        builtins = builtin_values(step.builtins, vu=self._vu, iteration=1, unique=self._unique)
        try:
            req = step.render({**builtins, **self._scope})
        except MissingVariable as exc:
            return f"variable ${{{exc.name}}} is not defined"
        if step.stream is not None:
            return await self._stream(step, req)
        client = self._client
        try:
            resp = await client.send(step.method, req.url, headers=req.headers, form=req.form,
                                     json_body=req.json_body, body=req.body,
                                     want_headers=step.wants_headers)  # fmt: skip
        except Exception as exc:
            return f"{classify(exc)}: {describe(exc)}"
        kind = step.verdict(resp.status, resp.body)
        if kind is not None:
            return step.why(kind, resp.status)
        if check is not None:
            page = ReplayedPage(status=resp.status, url=resp.url, text=resp.text())
            if (reason := check(source, page, setup=setup)) is not None:
                return reason
        if step.extractors:
            try:
                found = extract(step.extractors, resp, lambda name: client.cookie(name, resp.url))
            except ExtractionFailed as exc:
                return str(exc)
            self._scope.update(found)
        return None

    async def _stream(self, step: CompiledStep, req: RenderedRequest) -> str | None:
        """A WebSocket/EventSource step, as a virtual user replays it; why it failed, or None."""
        assert step.stream is not None
        if self._streams is None:
            self._streams = StreamClient(timeout_s=self._timeout_s)
        client = self._client
        try:
            res = await self._streams.open(step.stream, req.url, headers=req.headers,
                                           messages=list(req.messages),
                                           cookie=client.cookie_header(req.url))  # fmt: skip
        except Exception as exc:
            return f"{classify(exc)}: {describe(exc)}"
        if (kind := step.verdict(res.status, b"")) is not None:
            return step.why(kind, res.status)
        try:
            found = jar_values(step.extractors, req.url, client.cookie)
        except ExtractionFailed as exc:
            return str(exc)
        self._scope.update(found)
        return None

    async def close(self) -> None:
        await self._client.close()
        if self._streams is not None:
            await self._streams.close()
