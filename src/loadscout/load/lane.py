"""The callback lane: a virtual user's iterations run from its connections' callbacks.

Why: a response awaited by the user's coroutine costs a Task wake and a resumption of every
frame up the chain (user, step, client, exchange), and three coroutines are made and dropped
per request: about a third of the engine's own CPU per request at tens of thousands of
requests a second. While the user's next request can go out at once on an idle kept-alive
connection, the callback that completes a response judges it with the coroutine path's own
verdict (:func:`~loadscout.load.step.judged`: checks, extraction, cookies, the report) and
sends the next request. Everything else goes back to the user's coroutine, which continues
the iteration from that step with :func:`~loadscout.load.step.execute_step`: the first
request on a new connection, a full pool, a redirect, a failure or a timeout (the request
already sent is finished there, not sent again), a step that does not render, the run
stopping or the user retiring.

Only a closed-model user whose flows and journeys need no pause between steps takes the lane
(no think time, pacing, page assets or stream steps): a pause is a timer the coroutine waits
on anyway. A journey's decisions are its session (``journey.session``, a generator of what to
do next): the lane sends its pages; a pause or a transaction's flow goes to the coroutine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from loadscout.load.client import HttpResponse, encode_request
from loadscout.load.compiled import CompiledStep, RenderedRequest
from loadscout.load.h1_client import Connection, H1Client, Pending
from loadscout.load.journey import Page, Pause, Session, Todo, Transaction
from loadscout.load.state import RunState
from loadscout.load.step import StepUser, judged, rendered, unanswered
from loadscout.load.template import MissingVariable


class Resume(NamedTuple):
    """Where the coroutine takes an iteration over: a flow from ``steps[at]``, or a journey's
    ``walking`` session from ``todo``; ``sent``: that step's request is on the wire (its
    response and when it was sent)."""

    steps: Sequence[CompiledStep]
    at: int
    scope: dict[str, str]
    sent: tuple[Coroutine[Any, Any, HttpResponse], int] | None
    walking: Session | None = None
    todo: Todo | None = None


class LaneUser(StepUser, Protocol):
    """The virtual user whose iterations the lane runs."""

    @property
    def retired(self) -> bool: ...

    def next_iteration(self) -> tuple[Sequence[CompiledStep], Session | None, dict[str, str]]:
        """A new iteration: its flow's steps (or none and its journey's session), and its
        variables."""
        ...


def lane_steps(steps: Sequence[CompiledStep]) -> bool:
    """Whether the lane can send these steps (a stream step needs its own client)."""
    return all(step.stream is None for step in steps)


class CallbackLane:
    """Runs one user's iterations while each request can be sent at once (see the module)."""

    def __init__(self, user: LaneUser, client: H1Client, state: RunState) -> None:
        self._user = user
        self._client = client
        self._state = state
        self._handed: asyncio.Future[Resume | None] | None = None
        self._steps: Sequence[CompiledStep] = ()  # a flow's, and the one being sent
        self._index = 0
        self._walking: Session | None = None  # or a journey's, and its page being sent
        self._todo: Page | None = None
        self._step: CompiledStep | None = None
        self._scope: dict[str, str] = {}
        self._sent: Connection | None = None  # the connection of the request in flight
        self._req: RenderedRequest | None = None
        self._headers: Mapping[str, str] | None = None
        self._body: bytes | None = None
        self._start = 0

    async def iterations(self) -> Resume | None:
        """Iterations in callbacks until the coroutine must take over (a ``Resume``) or the
        run stops or the user retires (None)."""
        handed = self._handed = asyncio.get_running_loop().create_future()
        self._next_iteration()
        try:
            resume: Resume | None = await handed
        except asyncio.CancelledError:
            self._abandon(handed)
            raise
        self._sent = self._walking = None  # the coroutine has them now
        return resume

    def _next_iteration(self) -> None:
        user = self._user
        if user.retired or self._state.should_stop():
            self._hand_back(None)
            return
        steps, walking, self._scope = user.next_iteration()
        self._steps, self._index, self._walking = steps, 0, walking
        if walking is None:
            self._send(steps[0], steps[0].fixed)
        else:
            self._carry(next(walking))

    def _carry(self, todo: Todo) -> None:
        """A journey's next page on the wire; a pause or a transaction handed back."""
        if isinstance(todo, (Transaction, Pause)):
            self._hand_back(Resume((), 0, self._scope, None, self._walking, todo))
        else:
            self._todo = todo
            self._send(*todo)

    def _send(self, step: CompiledStep, req: RenderedRequest | None) -> None:
        """``step`` on the wire, or the iteration handed back at it."""
        state = self._state
        self._step = step
        if self._walking is None and state.should_stop():  # a session checks for itself
            self._hand_back(None)
            return
        req = req or step.fixed
        try:
            if req is None:
                req = rendered(step, self._scope, self._user)
            headers: Mapping[str, str] | None = req.headers
            body = req.body
            if req.form is not None or req.json_body is not None:
                headers, body = encode_request(headers, req.form, req.json_body, body)
        except (MissingVariable, TypeError, ValueError):
            self._resume(None)  # the coroutine renders it again and reports why it failed
            return
        start = time.perf_counter_ns()
        sent = self._client.start(step.method, req.url, headers, body, state.on_wire(step.id), self)
        if sent is None:
            self._resume(None)
            return
        state.begin()
        self._sent, self._req, self._start = sent, req, start
        self._headers, self._body = headers, body

    def answered(self, response: HttpResponse) -> None:
        end = time.perf_counter_ns()
        self._state.end()
        self._sent = None
        req = self._req
        assert req is not None
        scope, client, user, step = self._scope, self._client, self._user, self._step
        assert step is not None
        ok = judged(step, req.url, response, self._start, end, scope, client, user)
        walking = self._walking
        if walking is not None:
            try:
                todo = walking.send((ok, response if ok else None))
            except StopIteration:
                self._walking = None
                self._next_iteration()
                return
            self._carry(todo)
            return
        self._index += 1
        if ok and self._index < len(self._steps):
            step = self._steps[self._index]
            self._send(step, step.fixed)
        else:  # a failed step ends the iteration, as in the coroutine path
            self._next_iteration()

    def broken(self, bug: Exception) -> None:
        handed, self._handed = self._handed, None
        if handed is not None and not handed.done():
            handed.set_exception(bug)

    def escalated(self, pending: Pending) -> None:
        req = self._req
        assert req is not None
        step = self._step
        assert step is not None
        on_wire = self._state.on_wire(step.id)
        rest = self._client.resume(
            pending, step.method, req.url, self._headers, self._body, on_wire
        )
        self._resume((rest, self._start))

    def _resume(self, sent: tuple[Coroutine[Any, Any, HttpResponse], int] | None) -> None:
        scope, walking = self._scope, self._walking
        if walking is not None:
            self._hand_back(Resume((), 0, scope, sent, walking, self._todo))
        else:
            self._hand_back(Resume(self._steps, self._index, scope, sent))

    def _hand_back(self, resume: Resume | None) -> None:
        handed, self._handed = self._handed, None
        if handed is not None and not handed.done():
            handed.set_result(resume)

    def _abandon(self, handed: asyncio.Future[Resume | None]) -> None:
        """The user's task was cancelled (the run's grace is over): the request in flight is
        reported as the coroutine path reports it, and its connection dropped."""
        self._handed = None
        taken = handed.done() and not handed.cancelled() and handed.exception() is None
        resume = handed.result() if taken else None
        if resume is not None and resume.sent is not None:
            resume.sent[0].close()  # never to be awaited
        sent, self._sent = self._sent, None
        if sent is not None:
            self._abandon_request(sent)
        walking, self._walking = self._walking, None
        if walking is not None:
            walking.close()  # its requests are tallied

    def _abandon_request(self, sent: Connection) -> None:
        self._client.abandon(sent)
        req = self._req
        assert req is not None
        step = self._step
        assert step is not None
        try:
            unanswered(step, req, asyncio.CancelledError(), self._start, self._user, self._state)
        finally:
            self._state.end()
