"""One virtual user: its own session, its setup (e.g. its login) once, then iterations.

Any error ends the current iteration (later steps depend on earlier ones: cookies, tokens,
ids), then the user thinks and starts a fresh one. Variables extracted by setup steps and the
user's data row (``${user.COLUMN}``) last the user's lifetime; an iteration's own variables
shadow them. A failed setup is counted like any failed step and retried before the next
iteration. In a closed model a user loops (:meth:`run`); in an open model the scheduler hands
it one iteration at a time (:meth:`iterate`) with the time the iteration was meant to start.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from loadscout.flows.model import SetupCookie
from loadscout.load.assets import AssetCache
from loadscout.load.compiled import CompiledFlow, CompiledStep, RenderedRequest, builtin_values
from loadscout.load.errors import EXTRACTION_FAILED, TIMEOUT, classify, describe
from loadscout.load.extract import ExtractionFailed, extract
from loadscout.load.http_client import FormData, HttpResponse
from loadscout.load.state import RunState
from loadscout.load.streams import StreamClient, jar_values
from loadscout.load.template import MissingVariable
from loadscout.metrics.recorder import Recorder
from loadscout.plan.profiles import ThinkTime


class Client(Protocol):
    """What a virtual user needs from its HTTP session (aiohttp or libcurl underneath)."""

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = ...,
        form: FormData | None = ...,
        json_body: Any = ...,
        body: bytes | None = ...,
        want_headers: bool = ...,
    ) -> HttpResponse: ...

    def cookie(self, name: str, url: str | None = None) -> str | None: ...

    def cookie_header(self, url: str) -> str | None:
        """The ``Cookie`` header the jar gives ``url`` (``ws://``/``wss://`` too): a stream
        step's connection is not the client's, yet carries the user's session."""
        ...

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None: ...

    async def close(self) -> None: ...


ClientFactory = Callable[[], Client]


def seed_cookies(client: Client, cookies: Sequence[SetupCookie], url: str) -> None:
    """Give a user's own jar its copy of the flow set's ``setup_cookies`` for ``url``."""
    for cookie in cookies:
        client.add_cookie(cookie.name, cookie.value, url=url, path=cookie.path)


class VirtualUser:
    """The life of one user; owns its client, shares the recorder and run state."""

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
        setup: Sequence[CompiledStep] = (),
        user_row: Mapping[str, str] | None = None,
        pacing_s: float = 0.0,
        assets: AssetCache | None = None,
        cookies: Sequence[SetupCookie] = (),
        target_url: str = "",
    ) -> None:
        self.number = number
        self._cookies = (tuple(cookies), target_url)
        self.iteration = 0
        self.retired = False  # closed model: leave after the current iteration
        self._flows = list(flows)
        self._cum_weights = list(itertools.accumulate(f.weight for f in flows))
        self._think = think_time
        self._thinks = think_time.recorded or think_time.max_s > 0  # else no pause to take
        self._make_client = make_client
        self._client: Client | None = None
        self._recorder = recorder
        self._state = state
        self._rng = rng
        self._run_tag = run_tag
        self._counter = 0
        self._setup = tuple(setup)
        self._persist = {f"user.{k}": v for k, v in (user_row or {}).items()}
        self._pacing_s = pacing_s
        self._intended_ns: int | None = None
        self._assets = assets
        self._streams: StreamClient | None = None  # opened by the user's first stream step

    async def open(self) -> None:
        self._client = self._make_client()
        seed_cookies(self._client, *self._cookies)
        self._recorder.user_started()

    async def close(self) -> None:
        if self._client is not None:
            self._recorder.user_stopped()
            client, self._client = self._client, None
            await client.close()
        if self._streams is not None:
            streams, self._streams = self._streams, None
            await streams.close()

    async def run(self, *, start_delay_s: float = 0.0) -> None:
        """Closed model: wait for this user's start, then iterate until the run stops or the
        user is retired. The client is opened only once the user starts and always closed."""
        if start_delay_s > 0:
            await asyncio.sleep(start_delay_s)
        if self._state.should_stop() or self.retired:
            return
        await self.open()
        loop = asyncio.get_running_loop()
        try:
            while not self._state.should_stop() and not self.retired:
                began = loop.time()
                ok = await self.iterate()
                if self._pacing_s > 0:
                    await self._sleep(self._pacing_s - (loop.time() - began))
                if not ok:
                    await asyncio.sleep(0)  # never starve the loop when every step fails at once
        finally:
            await self.close()

    async def iterate(self, intended_ns: int | None = None, *, think_last: bool = True) -> bool:
        """One iteration (preceded by the setup while it has not succeeded yet).

        ``intended_ns`` (open model) is when the iteration should have started; the first
        request's corrected latency counts from then. False when a step failed.
        """
        self._intended_ns = intended_ns
        if self._setup:
            scope = self._persist
            if not await self._run_steps(self._setup, scope, think_last=True):
                return False
            self._setup = ()
        self.iteration += 1
        scope = dict(self._persist) if self._persist else {}
        return await self._run_steps(self._pick().steps, scope, think_last=think_last)

    def _pick(self) -> CompiledFlow:
        if len(self._flows) == 1:
            return self._flows[0]
        first = self._state.coverage_pick(len(self._flows))
        if first is not None:
            return self._flows[first]
        x = self._rng.random() * self._cum_weights[-1]
        return self._flows[bisect.bisect_right(self._cum_weights, x)]

    async def _run_steps(
        self, steps: Sequence[CompiledStep], scope: dict[str, str], *, think_last: bool
    ) -> bool:
        last = len(steps) - 1
        for i, step in enumerate(steps):
            if self._state.should_stop():
                return False
            ok = await self._step(step, scope)
            if self._thinks and (i < last or think_last or not ok):
                await self._pause(step)
            if not ok:
                return False
        return True

    async def _step(self, step: CompiledStep, scope: dict[str, str]) -> bool:
        """Send one step and record its outcome exactly once; False ends the iteration."""
        variables = scope
        if step.builtins:
            builtins = builtin_values(
                step.builtins, vu=self.number, iteration=self.iteration, unique=self._unique
            )
            variables = {**builtins, **scope}
        try:
            req = step.render(variables)
        except MissingVariable as exc:
            example = f"{step.method} {step.url.source}: variable ${{{exc.name}}} is not defined"
            self._recorder.failure(step.id, EXTRACTION_FAILED, example)
            return False
        rec, state, client = self._recorder, self._state, self._client
        assert client is not None, "steps run only between open() and close()"
        intended, self._intended_ns = self._intended_ns, None
        if step.stream is not None:
            return await self._stream(step, req, scope, intended)
        state.begin()
        start = time.perf_counter_ns()
        try:
            resp = await client.send(step.method, req.url, headers=req.headers, form=req.form,
                                     json_body=req.json_body, body=req.body,
                                     want_headers=step.wants_headers)  # fmt: skip
        except asyncio.CancelledError:
            rec.failure(step.id, TIMEOUT, f"{step.method} {req.url}: aborted when the run stopped")
            raise
        except Exception as exc:
            rec.failure(step.id, classify(exc), f"{step.method} {req.url}: {describe(exc)}")
            return False
        finally:
            state.end()
        end = time.perf_counter_ns()
        kind = step.verdict(resp.status, resp.body)
        if kind is not None:
            example = f"{step.method} {req.url}: {step.why(kind, resp.status)}"
            rec.response(step.id, start, end, kind, example, intended)
            return False
        if step.extractors:
            try:
                found = extract(step.extractors, resp, lambda name: client.cookie(name, resp.url))
            except ExtractionFailed as exc:
                example = f"{step.method} {req.url}: {exc}"
                rec.response(step.id, start, end, EXTRACTION_FAILED, example, intended)
                return False
            scope.update(found)
        rec.response(step.id, start, end, None, "", intended, resp.ttfb_ns, resp.connect_ns,
                     resp.tls_ns)  # fmt: skip
        if self._assets is not None and step.is_document:
            await self._assets.fetch(client, resp)
        return True

    async def _stream(
        self, step: CompiledStep, req: RenderedRequest, scope: dict[str, str], intended: int | None
    ) -> bool:
        """A WebSocket/EventSource step, sent with this user's cookies; recorded once."""
        client = self._client
        assert step.stream is not None and client is not None
        if self._streams is None:
            self._streams = StreamClient()
        rec, where = self._recorder, f"{step.name} {req.url}"
        cookie = client.cookie_header(req.url)
        self._state.begin()
        start = time.perf_counter_ns()
        try:
            res = await self._streams.open(step.stream, req.url, headers=req.headers,
                                           messages=list(req.messages), cookie=cookie)  # fmt: skip
        except asyncio.CancelledError:
            rec.failure(step.id, TIMEOUT, f"{where}: aborted when the run stopped")
            raise
        except Exception as exc:
            rec.failure(step.id, classify(exc), f"{where}: {describe(exc)}")
            return False
        finally:
            self._state.end()
        kind = step.verdict(res.status, b"")
        example = f"{where}: {step.why(kind, res.status)}" if kind else ""
        if kind is None and step.extractors:
            try:
                scope.update(jar_values(step.extractors, req.url, client.cookie))
            except ExtractionFailed as exc:
                kind, example = EXTRACTION_FAILED, f"{where}: {exc}"
        rec.response(step.id, start, res.done_ns, kind, example, intended, ttfb_ns=res.ttfb_ns)
        return kind is None

    def _unique(self) -> str:
        self._counter += 1
        return f"{self._run_tag}-{self.number}-{self.iteration}-{self._counter}"

    async def _pause(self, step: CompiledStep) -> None:
        think = self._think
        seconds = step.think_time_s if think.recorded else None
        if seconds is None:
            low, high = think.min_s, think.max_s
            if high <= 0:
                return
            if think.distribution == "exponential":
                mean = (low + high) / 2
                seconds = min(self._rng.expovariate(1 / mean), 10 * mean)
            else:
                seconds = low if low == high else self._rng.uniform(low, high)
        await self._sleep(seconds)

    async def _sleep(self, seconds: float) -> None:
        seconds = min(seconds, self._state.remaining_s())
        if seconds > 0:
            await asyncio.sleep(seconds)
