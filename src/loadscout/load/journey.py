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
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode, urljoin

from loadscout.flows.journeys import (
    BACK,
    ItemChoice,
    Journey,
    StateThink,
    draw_move,
    journey_requests,
    pattern_regex,
    pool_names,
)
from loadscout.flows.model import FlowSet, Step
from loadscout.flows.page_links import followable
from loadscout.load.client import HttpResponse
from loadscout.load.compiled import CompiledStep, compile_step
from loadscout.load.links import PageLinks
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
    probabilities: tuple[float, ...] = ()  # the transitions', for draw_move


@dataclass(frozen=True, slots=True)
class CompiledJourney:
    name: str
    weight: float
    entry: int
    max_pages: int
    choice: ItemChoice
    zipf_s: float
    states: tuple[CompiledState, ...]


def compile_journeys(flowset: FlowSet, *, first_id: int) -> list[CompiledJourney]:
    """Step ids from ``first_id`` in ``flows.journeys.journey_requests`` order."""
    compiled: list[CompiledJourney] = []
    for journey in flowset.journeys:
        built = _compile(journey, flowset.target_url, first_id)
        first_id += len(journey_requests(journey))
        compiled.append(built)
    return compiled


def _compile(journey: Journey, target_url: str, first_id: int) -> CompiledJourney:
    index = {s.name: i for i, s in enumerate(journey.states)}
    form_id = first_id + len(journey.states)
    states = []
    for i, state in enumerate(journey.states):
        page = Step(name=state.name, url=f"${{{URL_VARIABLE}}}", expect_status=state.expect_status)
        transitions = []
        for t in state.transitions:
            compiled = CompiledTransition(index[t.to], t.probability)
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
                probabilities=tuple(t.probability for t in transitions),
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
    )


PageSink = Callable[[HttpResponse], None]


class Walker(Protocol):
    """What a journey needs of the virtual user walking it."""

    rng: random.Random

    def run_step(
        self, step: CompiledStep, scope: dict[str, str], on_page: PageSink
    ) -> Awaitable[bool]: ...

    def think(self, think: StateThink | None, step: CompiledStep) -> Awaitable[float]:
        """Pause as the state (or the run) says; the seconds paused."""
        ...

    def stopping(self) -> bool: ...

    def tally(self) -> JourneyTally: ...


@dataclass(slots=True)
class _Move:
    state: int
    step: CompiledStep
    url: str | None = None  # set for a page; None for a form (its step renders its own url)
    pools: tuple[str, ...] = ()
    query: CompiledTransition | None = None  # a GET form: the url is its action + query


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
    request failed (the session is over, as a real user's would be). Its path goes to the
    user's tally (states reached, URLs, searches that found something, length, think times)."""
    tally = user.tally()
    entry = journey.states[journey.entry]
    move: _Move | None = _Move(journey.entry, entry.page, entry.url)
    history: list[tuple[int, str]] = []  # (state, url) of pages seen, for Back
    reached: set[str] = set()
    pages, ok = 0, True
    state = entry
    while move is not None:
        state = journey.states[move.state]
        got: list[HttpResponse] = []
        _prepare(move, scope, pools, user.rng)
        ok = await user.run_step(move.step, scope, got.append)
        pages += 1
        reached.add(state.name)
        tally.url(
            move.step.id, scope[URL_VARIABLE] if move.step is state.page else move.step.url.source
        )
        if not ok:
            tally.think(await user.think(state.think, move.step))
            break
        page = PageLinks(got[-1] if got else None)
        if page.response is not None:
            history.append((move.state, page.response.url))
        if move.query is not None:
            _searched(journey, state, page, within, tally)
        if pages >= journey.max_pages or user.stopping():
            break
        move = _next(journey, state, page, history, user.rng, within)
        if move is not None or think_last:
            tally.think(await user.think(state.think, move.step if move else state.page))
    tally.session(journey.name, reached, state.name, pages)
    return ok


def _searched(
    journey: CompiledJourney,
    state: CompiledState,
    page: PageLinks,
    within: Scope,
    tally: JourneyTally,
) -> None:
    """Did a form's results page list anything its state's links lead to?"""
    targets = [
        journey.states[t.target].pattern
        for t in state.transitions
        if t.query is None and t.form is None
    ]
    if targets:
        found = any(followable(u, within) for p in targets for u in page.to(p))
        tally.searches[state.name, found] += 1


def _prepare(
    move: _Move, scope: dict[str, str], pools: Mapping[str, Sequence[str]], rng: random.Random
) -> None:
    for name in move.pools:
        values = pools[name]
        scope[f"pool.{name}"] = values[rng.randrange(len(values))]
    if move.query is not None and move.query.query is not None:
        pairs = [(k, t.render(scope)) for k, t in move.query.query]
        scope[URL_VARIABLE] = f"{move.query.action}?{urlencode(pairs)}"
    elif move.url is not None:
        scope[URL_VARIABLE] = move.url


def _next(
    journey: CompiledJourney,
    state: CompiledState,
    page: PageLinks,
    history: list[tuple[int, str]],
    rng: random.Random,
    within: Scope,
) -> _Move | None:
    """Where the user goes after ``page``; None ends the session. What the probabilities
    leave over is an exit too."""
    move = draw_move(rng.random(), state.exit, state.back, state.probabilities)
    if move is None or (move == BACK and len(history) < 2):
        return None
    if move == BACK:
        history.pop()
        previous, url = history.pop()
        return _Move(previous, journey.states[previous].page, url)
    return _take(journey, state.transitions[move], page, rng, within)


def _take(
    journey: CompiledJourney,
    t: CompiledTransition,
    page: PageLinks,
    rng: random.Random,
    within: Scope,
) -> _Move | None:
    target = journey.states[t.target]
    if t.form is not None:
        return _Move(t.target, t.form, None, t.pools)
    if t.query is not None:
        return _Move(t.target, target.page, None, t.pools, t)
    url = page.choose(target.pattern, rng, journey.choice, within, journey.zipf_s)
    if url is not None:
        return _Move(t.target, target.page, url)
    if target.url is not None:  # no link leads there: the user types it / uses a bookmark
        return _Move(t.target, target.page, target.url)
    return None
