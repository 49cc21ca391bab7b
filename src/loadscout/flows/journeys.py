"""Journeys: probabilistic sessions over a site's page patterns (a CBMG, see docs/flows.md).

A recorded flow replays the same URLs every iteration, which on a real site measures its
cache. A journey instead names *states* (page patterns such as ``/records/{id}``) and
*transitions* between them, each with a probability and a rule applied to the response the
user just got: follow one of its links whose URL matches the target pattern, or submit a form
with values drawn from a pool. Every virtual user therefore walks its own path over the data.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from loadscout.flows.forms import FormPairs, form_pairs

ItemChoice = Literal["uniform", "position", "zipf"]
"""How a link is picked among those matching: uniformly (the default: with no real usage data
it spreads load over the data, as load-testing guides recommend); favouring the top of the
page (weight 1/sqrt(1+rank), as clicks do); or Zipf-like (1/(1+rank)^s), a few items get most.
Transition probabilities already follow position (discovery weighs links by rank)."""
ThinkDistribution = Literal["exponential", "uniform"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_POOL_REF = re.compile(r"\$\{pool\.([A-Za-z_][A-Za-z0-9_]*)\}")
TOLERANCE = 1e-9  # probabilities read from YAML may sum to 1.0000000000000002


_TYPED = {  # discovery's placeholders (discovery/patterns.py) keep their type
    "num": r"[0-9]+",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "hex": r"[0-9a-fA-F]{8,}",
    "date": r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?|[0-9]{8}",
}


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """``/records/{num}`` as a regex over a URL's path: a placeholder is one path segment, of
    digits for ``{num}`` (likewise ``{uuid}``, ``{hex}``, ``{date}``), of anything else."""
    parts = _PLACEHOLDER.split(pattern)
    body = re.escape(parts[0])
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        body += f"(?:{_TYPED.get(name, '[^/?#]+')})" + re.escape(text)
    return re.compile(f"^{body}$")


BACK = -1  # draw_move's answer for "go back to the page before"


def move_bounds(exit_p: float, back_p: float, probabilities: Sequence[float]) -> tuple[float, ...]:
    """Where each move's share of [0, 1) ends: exit, Back, then each transition in order.
    :func:`draw_move`'s table, built once per state."""
    return tuple(itertools.accumulate((exit_p, back_p, *probabilities)))


def draw_move(r: float, bounds: Sequence[float]) -> int | None:
    """What a user does after a page, for a uniform draw ``r`` in [0, 1) and its state's
    :func:`move_bounds`: None to leave, BACK, or the index of the transition taken. What the
    probabilities leave over is an exit. One rule for replay and for the model that predicts
    it."""
    i = bisect.bisect_right(bounds, r)  # the first move whose share ends above r
    if i == 0 or i == len(bounds):
        return None
    return BACK if i == 1 else i - 2


def pool_names(pairs: FormPairs | None) -> set[str]:
    """The pools a form's values draw from (``${pool.terms}``)."""
    return {m for _, value in pairs or () for m in _POOL_REF.findall(value)}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class StateThink(_Frozen):
    """The pause after a page of this state; exponential by default (dwell times are
    heavy-tailed), cut at ``max_s`` so one user never idles for the whole run."""

    distribution: ThinkDistribution = "exponential"
    mean_s: float = Field(default=3.0, ge=0)
    max_s: float = Field(default=30.0, ge=0)


class Transition(_Frozen):
    """A move to state ``to``. With no ``form`` the user follows a link of the current page whose
    URL matches ``to``'s pattern (the transition is skipped when the page has none); with a
    ``form`` it sends those fields, values drawn from pools, to ``url`` (default: ``to``'s url);
    with a ``flow`` it runs that recorded flow's steps in order (a transaction that must stay
    in order: log in, add to cart then check out), then enters ``to`` by its url."""

    to: str = Field(min_length=1)
    probability: float = Field(gt=0, le=1)
    form: FormPairs | None = None
    method: Literal["GET", "POST"] = "GET"
    url: str | None = None
    flow: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_action(self) -> Transition:
        if self.form is not None and self.flow is not None:
            raise ValueError(f"the move to {self.to!r} has both a form and a flow: pick one")
        return self

    @property
    def follows_link(self) -> bool:
        return self.form is None and self.flow is None

    @field_validator("form", mode="before")
    @classmethod
    def _form_pairs(cls, value: object) -> object:
        return form_pairs(value)

    @property
    def posts(self) -> bool:
        return self.form is not None and self.method == "POST"

    @field_validator("method", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class JourneyState(_Frozen):
    """A page pattern; after its page the user leaves (``exit``), goes ``back`` to the page
    before, or takes one of ``transitions``. ``url`` is how the state is entered directly (the
    journey's entry, or when no link leads on)."""

    name: str = Field(min_length=1)
    pattern: str = Field(min_length=1)
    url: str | None = None
    exit: float = Field(default=0.2, ge=0, le=1)
    back: float = Field(default=0.0, ge=0, le=1)
    think: StateThink | None = None
    transitions: list[Transition] = Field(default_factory=list)
    expect_status: int | None = Field(default=None, ge=100, le=599)

    @field_validator("pattern")
    @classmethod
    def _path_pattern(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"pattern {value!r} must be a URL path starting with '/'")
        if "{" in _PLACEHOLDER.sub("", value) or "}" in _PLACEHOLDER.sub("", value):
            raise ValueError(f"pattern {value!r}: placeholders are {{name}}, a letter first")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> JourneyState:
        total = self.exit + self.back + sum(t.probability for t in self.transitions)
        if total > 1 + TOLERANCE:
            raise ValueError(
                f"state {self.name!r}: exit, back and transition probabilities sum to "
                f"{total:.3g}, more than 1"
            )
        if self.url is not None and not pattern_regex(self.pattern).match(
            urlsplit(self.url).path or "/"
        ):
            raise ValueError(
                f"state {self.name!r}: its url {self.url!r} never matches its pattern "
                f"{self.pattern!r}"
            )
        return self


class Journey(_Frozen):
    """A session model: it starts at ``entry``, walks states until an exit, a dead end or
    ``max_pages``; ``weight`` is its share of the behaviour mix beside flows."""

    name: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    entry: str = Field(min_length=1)
    max_pages: int = Field(default=20, ge=1, le=1000)
    choice: ItemChoice = "uniform"
    zipf_s: float = Field(default=1.0, gt=0, le=5)
    states: list[JourneyState] = Field(min_length=1)

    def state(self, name: str) -> JourneyState:
        return next(s for s in self.states if s.name == name)

    @model_validator(mode="after")
    def _known_states(self) -> Journey:
        names = [s.name for s in self.states]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"journey {self.name!r}: repeated state names: {', '.join(dupes)}")
        known = set(names)
        if self.entry not in known:
            raise ValueError(f"journey {self.name!r}: entry {self.entry!r} is not a state")
        if self.state(self.entry).url is None:
            raise ValueError(f"journey {self.name!r}: entry state {self.entry!r} needs a url")
        for state in self.states:
            for t in state.transitions:
                if t.to not in known:
                    raise ValueError(
                        f"journey {self.name!r}: state {state.name!r} moves to unknown "
                        f"state {t.to!r} (known: {', '.join(names)})"
                    )
                if t.form is not None and (t.url or self.state(t.to).url) is None:
                    raise ValueError(
                        f"journey {self.name!r}: the form from {state.name!r} to {t.to!r} "
                        "needs a url (on the transition or its target state)"
                    )
                if t.flow is not None and self.state(t.to).url is None:
                    raise ValueError(
                        f"journey {self.name!r}: after flow {t.flow!r} the user enters "
                        f"{t.to!r} by its url, and it has none"
                    )
        return self

    def flows_used(self) -> set[str]:
        return {t.flow for s in self.states for t in s.transitions if t.flow is not None}

    def without_flows(self, names: set[str]) -> Journey:
        """This journey less its moves that run one of the flows ``names`` (dropped from the
        file, say, when they failed verification): their share becomes an exit."""
        if not names & self.flows_used():
            return self
        states = [
            s.model_copy(update={"transitions": [t for t in s.transitions if t.flow not in names]})
            for s in self.states
        ]
        return self.model_copy(update={"states": states})

    def pools_used(self) -> set[str]:
        return {p for s in self.states for t in s.transitions for p in pool_names(t.form)}


class JourneyRequest(_Frozen):
    """One request kind of a journey, as reports list it: each state's page, then each POST
    form's submission (a GET form's request is its target state's page). Load-engine step
    ids follow this order (``metrics.catalog``)."""

    name: str
    method: str
    url: str


def journey_requests(journey: Journey) -> list[JourneyRequest]:
    pages = [JourneyRequest(name=s.name, method="GET", url=s.pattern) for s in journey.states]
    forms = [
        JourneyRequest(
            name=form_request_name(state.name, t.to),
            method=t.method,
            url=t.url or journey.state(t.to).url or journey.state(t.to).pattern,
        )
        for state in journey.states
        for t in state.transitions
        if t.posts
    ]
    return pages + forms


def form_request_name(source: str, target: str) -> str:
    return f"{source} → {target} (form)"
