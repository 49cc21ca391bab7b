"""Checks of a run's outcome shared by the load tests."""

from __future__ import annotations

from loadscout.metrics.summary import LoadOutcome


def assert_consistent(outcome: LoadOutcome) -> None:
    """Every request is counted once, in its step, in the totals and in the timeseries."""
    assert sum(s.requests for s in outcome.steps) == outcome.totals.requests
    assert sum(s.errors for s in outcome.steps) == outcome.totals.errors
    assert sum(e.count for e in outcome.errors) == outcome.totals.errors
    assert sum(p.errors for p in outcome.timeseries) == outcome.totals.errors


def errors_by_kind(outcome: LoadOutcome) -> dict[str, int]:
    return {e.kind: e.count for e in outcome.errors}
