"""Run status as an enum with one transition table; every status change goes through it.

It sits at the top of the package, outside the layers, because every layer speaks of it: the
orchestrator moves runs, the store and its queue persist the moves, the API and the dashboard
show them (the API publishes it as an enum, so the generated TypeScript client types it too).
"""

from __future__ import annotations

from enum import StrEnum

from loadscout.errors import IllegalTransition


class RunStatus(StrEnum):
    QUEUED = "queued"
    DISCOVERING = "discovering"
    LOADING = "loading"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED})
# A server holds a run in these; a run whose server vanished here is failed as interrupted.
RUNNING_STATUSES = frozenset({RunStatus.DISCOVERING, RunStatus.LOADING})

TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    # A run given its flows skips discovery and goes straight to loading.
    RunStatus.QUEUED: frozenset(
        {RunStatus.DISCOVERING, RunStatus.LOADING, RunStatus.FAILED, RunStatus.CANCELLED}
    ),
    RunStatus.DISCOVERING: frozenset({RunStatus.LOADING, RunStatus.FAILED, RunStatus.CANCELLED}),
    RunStatus.LOADING: frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED}),
    RunStatus.COMPLETED: frozenset(),
    RunStatus.FAILED: frozenset(),
    RunStatus.CANCELLED: frozenset(),
}


def transition(current: RunStatus, new: RunStatus) -> RunStatus:
    """Return ``new`` if the move is legal; raise IllegalTransition otherwise."""
    if new not in TRANSITIONS[current]:
        raise IllegalTransition(f"a run cannot move from {current} to {new}")
    return new
