"""A journey walked by one virtual user: pages chosen from the response it just got.

Each state's page is one catalog step whose URL is the variable ``journey.url``, so a walk
reuses :func:`loadscout.load.step.execute_step` (checks, extraction, recording, page assets)
and only decides *where* to go next: exit, back, a link of the current page matching the next
state's pattern, or a form filled from pools.
"""

from __future__ import annotations

import dataclasses
import random
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Awaitable, Coroutine, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlencode, urljoin

from loadscout.flows.journeys import (
    BACK,
    ItemChoice,
    Journey,
    StateThink,
    journey_requests,
    move_bounds,
    pattern_regex,
    pool_names,
)
from loadscout.flows.model import FlowSet, Step
from loadscout.load.client import Client, HttpResponse
from loadscout.load.compiled import CompiledStep, RenderedRequest, compile_flowset, compile_step
from loadscout.load.links import follow, usable
from loadscout.load.state import RunState
from loadscout.load.step import PageAssets, StepUser, execute_step
from loadscout.load.template import Template
from loadscout.metrics.journey_tally import JourneyTally
from loadscout.plan.scope import Scope

URL_VARIABLE = "journey.url"


@dataclass(frozen=True, slots=True)
class CompiledTransition:
    target: int  # index of the state it moves to
    probability: float
    form: CompiledStep | None = None  # a POST form's own request
    query: tuple[tuple[str, Template], ...] | None = None  # a GET form: the target's URL query
    action: str = ""  # a GET form's absolute URL
    pools: tuple[str, ...] = ()
    flow: tuple[CompiledStep, ...] | None = None  # a recorded flow run before the target
    follows: bool = dataclasses.field(init=False)  # a plain link move: none of the above

    def __post_init__(self) -> None:
        follows = self.form is None and self.query is None and self.flow is None
        object.__setattr__(self, "follows", follows)


@dataclass(frozen=True, slots=True)
class CompiledState:
    name: str
    pattern: re.Pattern[str]
    page: CompiledStep  # GET ${journey.url}
    url: str | None  # absolute: how the state is entered directly
    exit: float
    back: float
    think: StateThink | None
    transitions: tuple[CompiledTransition, ...]
    bounds: tuple[float, ...] = ()  # of exit, Back and the transitions: draw_move's table
    # draw_move's answers by where a draw falls in ``bounds``: exit, Back, each transition, exit
    moves: tuple[CompiledTransition | int | None, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledJourney:
    name: str
    weight: float
    entry: int
    max_pages: int
    choice: ItemChoice
    zipf_s: float
    states: tuple[CompiledState, ...]
    thinks: bool = False  # a state has its own think time
    state_of: Mapping[int, str] = dataclasses.field(default_factory=dict)  # step id -> state
    backs: bool = False  # a state has a Back probability: the pages seen are kept


def compile_journeys(flowset: FlowSet, *, first_id: int) -> list[CompiledJourney]:
    """Step ids from ``first_id`` in ``flows.journeys.journey_requests`` order; a flow a move
    runs keeps its own steps' ids (its requests are reported as that flow's)."""
    flows = {f.name: f.steps for f in compile_flowset(flowset)}
    compiled: list[CompiledJourney] = []
    for journey in flowset.journeys:
        built = _compile(journey, flowset.target_url, first_id, flows)
        first_id += len(journey_requests(journey))
        compiled.append(built)
    return compiled


def _compile(
    journey: Journey,
    target_url: str,
    first_id: int,
    flows: Mapping[str, tuple[CompiledStep, ...]],
) -> CompiledJourney:
    index = {s.name: i for i, s in enumerate(journey.states)}
    form_id = first_id + len(journey.states)
    states = []
    for i, state in enumerate(journey.states):
        page = Step(name=state.name, url=f"${{{URL_VARIABLE}}}", expect_status=state.expect_status)
        transitions = []
        for t in state.transitions:
            compiled = CompiledTransition(
                index[t.to], t.probability, flow=flows[t.flow] if t.flow else None
            )
            if t.form is not None:
                url = urljoin(target_url, t.url or journey.state(t.to).url or "")
                pools = tuple(sorted(pool_names(t.form)))
                if t.posts:
                    step = Step(name=f"{state.name} form", method="POST", url=url, form=t.form)
                    form = compile_step(step, form_id, target_url)
                    form_id += 1
                    compiled = dataclasses.replace(compiled, form=form, pools=pools)
                else:
                    query = tuple((k, Template(v)) for k, v in t.form)
                    compiled = dataclasses.replace(compiled, query=query, action=url, pools=pools)
            transitions.append(compiled)
        states.append(
            CompiledState(
                name=state.name,
                pattern=pattern_regex(state.pattern),
                page=compile_step(page, first_id + i, target_url),
                url=urljoin(target_url, state.url) if state.url else None,
                exit=state.exit,
                back=state.back,
                think=state.think,
                transitions=tuple(transitions),
                bounds=move_bounds(state.exit, state.back, [t.probability for t in transitions]),
                moves=(None, BACK, *transitions, None),
            )
        )
    return CompiledJourney(
        name=journey.name,
        weight=journey.weight,
        entry=index[journey.entry],
        max_pages=journey.max_pages,
        choice=journey.choice,
        zipf_s=journey.zipf_s,
        states=tuple(states),
        thinks=any(s.think is not None for s in states),
        backs=any(s.back > 0 for s in states),
        state_of={
            **{s.page.id: s.name for s in states},
            **{t.form.id: states[t.target].name for s in states for t in s.transitions if t.form},
        },
    )


class Walker(StepUser, Protocol):
    """What a journey needs of the virtual user walking it: its steps run as it
    (:func:`loadscout.load.step.execute_step`), on its client."""

    rng: random.Random

    def step_context(self) -> tuple[Client, RunState, PageAssets | None]:
        """The user's client, the run, and the page-asset cache its steps use."""
        ...

    def think_s(self, think: StateThink | None, step: CompiledStep) -> float:
        """The pause after a page, drawn as the state (or the run) says."""
        ...

    def pause(self, seconds: float) -> Awaitable[None]: ...

    def run_steps(self, steps: Sequence[CompiledStep], scope: dict[str, str]) -> Awaitable[bool]:
        """A recorded flow's steps in order, as the user runs that flow on its own (its pauses
        between steps); False when one failed or the run stopped."""
        ...

    def thinks(self) -> bool:
        """Whether the run pauses between requests at all."""
        ...

    def tally(self) -> JourneyTally: ...


# Where a user goes next: (state, step, url, pools, the transition when it acts: a GET form or a
# flow). A page move has its url; a form's step renders its own (a GET form's from its action and
# query). A plain tuple: one per page.
_Move = tuple[int, CompiledStep, str | None, tuple[str, ...], CompiledTransition | None]


Page = tuple[CompiledStep, RenderedRequest | None]
"""A page to request (its request None: the step renders its own, a POST form's); the session
is sent back whether it passed and the page it passed with. A plain tuple: one per page."""


class Transaction(NamedTuple):
    """A recorded flow's steps to run before the next page; sent back whether they passed."""

    steps: tuple[CompiledStep, ...]


class Pause(NamedTuple):
    """A think time to take (seconds); sent back None."""

    seconds: float


Todo = Page | Transaction | Pause
Session = Generator[Todo, "tuple[bool, HttpResponse | None] | bool | None", bool]
"""A walk as what to do next, decided from what came back: the user's coroutine (:func:`drive`)
and the callback lane (``load.lane``) both carry it out."""


async def walk(
    journey: CompiledJourney,
    user: Walker,
    scope: dict[str, str],
    pools: Mapping[str, Sequence[str]],
    within: Scope,
    *,
    think_last: bool = True,
) -> bool:
    """One session: True when it ended by an exit, a dead end or the page cap; False when a
    request failed (the session is over, as a real user's would be)."""
    walking = session(journey, user, scope, pools, within, think_last=think_last)
    return await drive(walking, next(walking), user, scope)


async def drive(
    walking: Session,
    todo: Todo,
    user: Walker,
    scope: dict[str, str],
    sent: tuple[Coroutine[Any, Any, HttpResponse], int] | None = None,
) -> bool:
    """Carry a session out from ``todo`` on (``sent``: that page's request is on the wire
    already, see ``execute_step``): what it returns when it ends."""
    client, run, assets = user.step_context()
    got: list[HttpResponse] = []
    keep = got.append
    try:
        while True:
            answer: tuple[bool, HttpResponse | None] | bool | None = None
            if isinstance(todo, Transaction):
                answer = await user.run_steps(todo.steps, scope)
            elif isinstance(todo, Pause):
                await user.pause(todo.seconds)
            else:  # a page
                step, req = todo
                ok = await execute_step(
                    step, scope, client, user, run, assets, None, keep, req, sent
                )
                sent = None
                answer = (ok, got.pop() if got else None)
            todo = walking.send(answer)
    except StopIteration as done:
        ended: bool = done.value
        return ended
    finally:
        if sent is not None:
            sent[0].close()
        walking.close()  # cut short (the run's end): its requests are still tallied


def session(
    journey: CompiledJourney,
    user: Walker,
    scope: dict[str, str],
    pools: Mapping[str, Sequence[str]],
    within: Scope,
    *,
    think_last: bool = True,
) -> Session:
    """One session's decisions (see :data:`Session`). Its path goes to the user's tally
    (states reached, URLs, searches that found something, length, think times)."""
    states, rng, backs, cap = journey.states, user.rng, journey.backs, journey.max_pages
    choice, zipf_s = journey.choice, journey.zipf_s
    at = journey.entry
    state = states[at]
    step: CompiledStep = state.page
    url: str | None = state.url
    pools_used: tuple[str, ...] = ()
    via: CompiledTransition | None = None  # the transition taken when it acts: a GET form, a flow
    history: list[tuple[int, str]] = []  # (state, url) of pages seen, for Back
    visited: defaultdict[int, list[str]] = defaultdict(list)  # step id -> URLs, tallied at the end
    pages = 0
    paused: list[float] = []  # think times, likewise
    unpaused = 0  # pauses of 0 s, when none is drawn
    pauses = journey.thinks or user.thinks()  # else every pause is 0 s: none is drawn
    _, run, _ = user.step_context()
    tally = user.tally()
    try:
        while True:
            if pages and run.should_stop():  # the run ended (in a pause, say): no more requests
                break
            # a transaction first: its steps, then the target's page
            if via is not None and via.flow is not None and not (yield Transaction(via.flow)):
                ok = False
                break
            state = states[at]
            if url is None:  # a form, filled from the pools
                url, req = _form_request(step, pools_used, via, scope, pools, rng)
            else:  # a page: its request is its URL
                scope[URL_VARIABLE] = url
                req = _PAGE_REQUESTS.get(url) or _page_request(url)
            answer = yield (step, req)
            assert isinstance(answer, tuple)
            ok, page = answer
            visited[step.id].append(url)
            pages += 1
            move: _Move | None = None  # the session ends (after an error page's pause)
            if ok:
                if page is not None and (backs or via is not None):
                    _note(journey, at, page, via, history, within, tally)
                if pages >= cap or run.should_stop():
                    break
                # draw_move, by its table: no call on the way to the common move
                t = state.moves[bisect_right(state.bounds, rng.random())]
                if type(t) is CompiledTransition and t.follows:
                    # the common move, inline: a link of this page to the target's pattern
                    target = states[t.target]
                    url = (
                        follow(page, target.pattern, within, rng, choice, zipf_s)
                        if page is not None
                        else None
                    ) or target.url  # no link leads there: the user types it / uses a bookmark
                    if url is not None:
                        move = (t.target, target.page, url, (), None)
                elif t is not None:
                    move = _move(journey, t, history)
                del page  # not kept alive through the pause and the next request
                if move is None and not think_last:
                    break
            if pauses:
                after = move[1] if move else state.page if ok else step  # the step paused for
                seconds = user.think_s(state.think, after)
                if seconds > 0:
                    yield Pause(seconds)
                paused.append(seconds)
            else:
                unpaused += 1
            if move is None:
                break
            at, step, url, pools_used, via = move
    finally:  # a session cut short by the run's end still counts its requests
        tally.pages(visited, paused, unpaused)
    reached = {journey.state_of[step_id] for step_id in visited}
    tally.session(journey.name, reached, state.name, pages)
    return ok


def _note(
    journey: CompiledJourney,
    at: int,
    page: HttpResponse,
    via: CompiledTransition | None,
    history: list[tuple[int, str]],
    within: Scope,
    tally: JourneyTally,
) -> None:
    """A page kept for Back, and whether a search's results page listed anything its state's
    links lead to."""
    if journey.backs:
        history.append((at, page.url))
    if via is not None and via.query is not None:
        _searched(journey, journey.states[at], page, within, tally)


def _searched(
    journey: CompiledJourney,
    state: CompiledState,
    page: HttpResponse,
    within: Scope,
    tally: JourneyTally,
) -> None:
    """Did a form's results page list anything its state's links lead to?"""
    targets = [journey.states[t.target].pattern for t in state.transitions if t.follows]
    if targets:
        found = any(usable(page, p, within) for p in targets)
        tally.searches[state.name, found] += 1


# A page's request is its URL alone: built once per URL, as the client's request lines are.
_PAGE_REQUESTS: dict[str, RenderedRequest] = {}


def _page_request(url: str) -> RenderedRequest:
    if len(_PAGE_REQUESTS) >= 10_000:
        _PAGE_REQUESTS.clear()
    request = _PAGE_REQUESTS[url] = RenderedRequest(url, None, None, None, None)
    return request


def _form_request(
    step: CompiledStep,
    names: tuple[str, ...],
    via: CompiledTransition | None,
    scope: dict[str, str],
    pools: Mapping[str, Sequence[str]],
    rng: random.Random,
) -> tuple[str, RenderedRequest | None]:
    """A form's values from the pools, then what it sends: a GET form the URL of its query (a
    page's request), a POST form its step's own request (rendered by the step)."""
    for name in names:
        values = pools[name]
        scope[f"pool.{name}"] = values[int(rng.random() * len(values))]
    if via is None or via.query is None:
        return step.url.source, None
    pairs = [(k, t.render(scope)) for k, t in via.query]
    url = scope[URL_VARIABLE] = f"{via.action}?{urlencode(pairs)}"
    return url, _page_request(url)


def _move(
    journey: CompiledJourney, t: CompiledTransition | int, history: list[tuple[int, str]]
) -> _Move | None:
    """Where a drawn move other than a plain link leads (Back, a form, a flow); None ends the
    session (Back with no page before)."""
    if not isinstance(t, CompiledTransition):  # Back
        if len(history) < 2:
            return None
        history.pop()
        previous, url = history.pop()
        return (previous, journey.states[previous].page, url, (), None)
    target = journey.states[t.target]
    if t.form is not None:
        return (t.target, t.form, None, t.pools, None)
    if t.query is not None:
        return (t.target, target.page, None, t.pools, t)
    return (t.target, target.page, target.url, (), t)  # a flow, then the target's page
