"""The seam between verification (discovery) and the load engine that replays flows.

Discovery must check its flows over HTTP exactly as virtual users will run them, but the
layers keep it from importing the load engine. So discovery asks for a :class:`FlowReplayer`
and the callers that see both (orchestrator, CLI) pass ``loadscout.load.replay.replay_flow``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.plan.egress import EgressPolicy


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayedPage:
    """What a step check sees of a response (after redirects, body decoded)."""

    status: int
    url: str
    text: str


class StepCheck(Protocol):
    """An extra test of a response that passed its status check: why it failed, or None.

    ``setup`` is True for the flow set's set-up steps (e.g. the login of a known account).
    """

    def __call__(self, step: Step, page: ReplayedPage, *, setup: bool) -> str | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayOutcome:
    """One replay of a flow: how many of its steps passed and, if one failed, which and why.

    ``failed_step`` is the step's name, prefixed ``set-up: `` for a set-up step (then
    ``passed`` is 0: the flow itself never started).
    """

    passed: int
    failed_step: str | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.failed_step is None


class FlowReplayer(Protocol):
    """Replays ``flow`` once, as virtual user ``vu`` in a fresh session: set-up steps first,
    that user's ``user_data`` row, each step's status class, extractors, then ``check``."""

    async def __call__(
        self,
        flowset: FlowSet,
        flow: Flow,
        *,
        vu: int,
        timeout_s: float,
        check: StepCheck | None = None,
        allowed_hosts: frozenset[str] = frozenset(),
        egress: EgressPolicy | None = None,
    ) -> ReplayOutcome: ...
