"""Run status as an enum with one transition table; every status change goes through it."""

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
