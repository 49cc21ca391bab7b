"""What a journey's own numbers predict: each request's share and the session length.

Measured shares after a run are judged against these. Back and the page cap make a closed
form (V = e + V·P) inexact, so the model walks the rules themselves, many times, with links
assumed present, as the load engine walks them.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from dataclasses import dataclass

from loadscout.flows.journeys import (
    BACK,
    Journey,
    JourneyState,
    Transition,
    draw_move,
    form_request_name,
    move_bounds,
)

SESSIONS = 10_000


@dataclass(frozen=True, slots=True)
class JourneyModel:
    shares: dict[str, float]  # request name (a state, or a POST form) -> share of requests
    mean_pages: float
    median_pages: float


def journey_model(journey: Journey, *, sessions: int = SESSIONS, seed: int = 0) -> JourneyModel:
    rng = random.Random(seed)
    requests: Counter[str] = Counter()
    states = {s.name: _Choices.of(s) for s in journey.states}
    lengths = [_session(journey, states, rng, requests) for _ in range(sessions)]
    total = sum(requests.values()) or 1
    return JourneyModel(
        shares={name: n / total for name, n in requests.items()},
        mean_pages=statistics.fmean(lengths),
        median_pages=statistics.median(lengths),
    )


@dataclass(frozen=True, slots=True)
class _Choices:
    """A state's moves, worked out once for the many sessions simulated."""

    bounds: tuple[float, ...]
    moves: tuple[tuple[str, str], ...]  # per transition: (state, request) it leads to

    @classmethod
    def of(cls, here: JourneyState) -> _Choices:
        bounds = move_bounds(here.exit, here.back, [t.probability for t in here.transitions])
        return cls(bounds, tuple((t.to, _request(here.name, t)) for t in here.transitions))


def _session(
    journey: Journey, states: dict[str, _Choices], rng: random.Random, requests: Counter[str]
) -> int:
    state, request = journey.entry, journey.entry
    history: list[str] = []
    pages = 0
    while True:
        requests[request] += 1
        pages += 1
        history.append(state)
        if pages >= journey.max_pages:
            return pages
        step = _choose(states[state], rng, history)
        if step is None:
            return pages
        state, request = step


def _choose(here: _Choices, rng: random.Random, history: list[str]) -> tuple[str, str] | None:
    move = draw_move(rng.random(), here.bounds)
    if move is None or (move == BACK and len(history) < 2):
        return None
    if move == BACK:
        history.pop()
        previous = history.pop()
        return previous, previous
    return here.moves[move]


def _request(source: str, t: Transition) -> str:
    return form_request_name(source, t.to) if t.posts else t.to
