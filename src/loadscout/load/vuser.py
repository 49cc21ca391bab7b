"""One virtual user: pick a flow by weight, run its steps, think, repeat until told to stop.

Any error ends the current iteration (later steps depend on earlier ones: cookies, tokens,
ids), then the user thinks and starts a fresh iteration. Cookies live as long as the user.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import random
import time
import uuid
from collections.abc import Callable, Sequence

from loadscout.load.compiled import CompiledFlow, CompiledStep
from loadscout.load.errors import EXTRACTION_FAILED, TIMEOUT, classify, status_error
from loadscout.load.extract import ExtractionFailed, extract
from loadscout.load.http_client import HttpClient
from loadscout.load.state import RunState
from loadscout.load.template import MissingVariable
from loadscout.metrics.recorder import Recorder
from loadscout.plan.profiles import ThinkTime

ClientFactory = Callable[[], HttpClient]


class VirtualUser:
    """The loop of one user; owns its client, shares the recorder and run state."""

    def __init__(
        self,
        *,
        number: int,
        flows: Sequence[CompiledFlow],
        think_time: ThinkTime,
        make_client: ClientFactory,
        recorder: Recorder,
        state: RunState,
        rng: random.Random,
        run_tag: str,
    ) -> None:
        self.number = number
        self.iteration = 0
        self._flows = list(flows)
        self._cum_weights = list(itertools.accumulate(f.weight for f in flows))
        self._think = think_time
        self._make_client = make_client
        self._client: HttpClient | None = None
        self._recorder = recorder
        self._state = state
        self._rng = rng
        self._run_tag = run_tag
        self._counter = 0

    async def run(self, *, start_delay_s: float = 0.0) -> None:
        """Wait for this user's ramp-up slot, then iterate until the run stops.

        The client is opened only once the user starts and is closed however the loop ends.
        """
        if start_delay_s > 0:
            await asyncio.sleep(start_delay_s)
        if self._state.should_stop():
            return
        self._client = self._make_client()
        self._recorder.user_started()
        try:
            while not self._state.should_stop():
                self.iteration += 1
                await self._iterate(self._pick())
                await asyncio.sleep(0)  # never starve the loop, even when every step fails at once
        finally:
            self._recorder.user_stopped()
            await self._client.close()

    def _pick(self) -> CompiledFlow:
        if len(self._flows) == 1:
            return self._flows[0]
        first = self._state.coverage_pick(len(self._flows))
        if first is not None:
            return self._flows[first]
        x = self._rng.random() * self._cum_weights[-1]
        return self._flows[bisect.bisect_right(self._cum_weights, x)]

    async def _iterate(self, flow: CompiledFlow) -> None:
        scope: dict[str, str] = {}
        for step in flow.steps:
            if self._state.should_stop():
                return
            ok = await self._step(step, scope)
            await self._pause(step)
            if not ok:
                return

    async def _step(self, step: CompiledStep, scope: dict[str, str]) -> bool:
        """Send one step and record its outcome exactly once; False ends the iteration."""
        variables = {**self._builtins(step.builtins), **scope} if step.builtins else scope
        try:
            req = step.render(variables)
        except MissingVariable as exc:
            example = f"{step.method} {step.url.source}: variable ${{{exc.name}}} is not defined"
            self._recorder.failure(step.id, EXTRACTION_FAILED, example)
            return False
        rec, state, client = self._recorder, self._state, self._client
        assert client is not None, "steps run only inside run()"
        state.begin()
        start = time.perf_counter_ns()
        try:
            resp = await client.send(
                step.method,
                req.url,
                headers=req.headers,
                form=req.form,
                json_body=req.json_body,
                body=req.body,
            )
        except asyncio.CancelledError:
            rec.failure(step.id, TIMEOUT, f"{step.method} {req.url}: aborted when the run stopped")
            raise
        except Exception as exc:
            rec.failure(step.id, classify(exc), f"{step.method} {req.url}: {_describe(exc)}")
            return False
        finally:
            state.end()
        end = time.perf_counter_ns()
        kind = status_error(resp.status, step.expect_status)
        if kind is not None:
            expected = f" (expected {step.expect_status})" if step.expect_status else ""
            example = f"{step.method} {req.url}: HTTP {resp.status}{expected}"
            rec.response(step.id, start, end, kind, example)
            return False
        if step.extractors:
            try:
                found = extract(step.extractors, resp, lambda name: client.cookie(name, resp.url))
            except ExtractionFailed as exc:
                rec.response(
                    step.id, start, end, EXTRACTION_FAILED, f"{step.method} {req.url}: {exc}"
                )
                return False
            scope.update(found)
        rec.response(step.id, start, end)
        return True

    def _builtins(self, names: frozenset[str]) -> dict[str, str]:
        values = {"vu": str(self.number), "iteration": str(self.iteration)}
        if "unique" in names:
            self._counter += 1
            values["unique"] = f"{self._run_tag}-{self.number}-{self.iteration}-{self._counter}"
        if "uuid" in names:
            values["uuid"] = str(uuid.uuid4())
        return values

    async def _pause(self, step: CompiledStep) -> None:
        seconds = step.think_time_s
        if seconds is None:
            low, high = self._think.min_s, self._think.max_s
            seconds = low if low == high else self._rng.uniform(low, high)
        seconds = min(seconds, self._state.remaining_s())
        if seconds > 0:
            await asyncio.sleep(seconds)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
