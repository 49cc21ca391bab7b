"""Thresholds checked against the merged measurements (never one worker's share)."""

from __future__ import annotations

from collections.abc import Sequence

from loadscout.metrics.aggregate import Aggregator
from loadscout.metrics.catalog import StepInfo
from loadscout.metrics.summary import ThresholdResult
from loadscout.plan.thresholds import Threshold


def check_names(thresholds: Sequence[Threshold], catalog: Sequence[StepInfo]) -> None:
    """Reject a threshold scoped to a step or flow the flows do not have (before the run)."""
    for t in thresholds:
        if t.scope is None:
            continue
        known = sorted({s.name if t.scope == "step" else s.flow for s in catalog})
        if t.name not in known:
            raise ValueError(
                f"threshold {t.expression!r}: no {t.scope} named {t.name!r}; "
                f"known: {', '.join(known[:12])}"
            )


def evaluate(
    thresholds: Sequence[Threshold], aggregator: Aggregator, elapsed_s: float
) -> list[ThresholdResult]:
    return [_one(t, aggregator, elapsed_s) for t in thresholds]


def _one(t: Threshold, aggregator: Aggregator, elapsed_s: float) -> ThresholdResult:
    steps = None
    if t.scope is not None:
        steps = [
            i
            for i, s in enumerate(aggregator.catalog)
            if (s.name if t.scope == "step" else s.flow) == t.name
        ]
    requests, errors, hist = aggregator.counts(steps)
    observed: float | None
    if t.metric == "error_rate":
        observed = errors / requests if requests else None
    elif t.metric == "rps":
        observed = requests / elapsed_s if elapsed_s > 0 else None
    elif t.metric == "requests":
        observed = float(requests)
    elif not hist.count:
        observed = None
    elif t.metric == "max":
        observed = hist.max_ms()
    elif t.metric == "mean":
        observed = round(hist.mean_ms(), 3)
    else:
        observed = hist.percentile_ms(t.percentile or 0.0)
    passed = observed is not None and t.holds(observed)
    return ThresholdResult(expression=t.expression, passed=passed, observed=observed)


def can_abort(t: Threshold) -> bool:
    """Whether a failure mid-run is final enough to abort on: counts that only grow while
    the run goes on (``rps>``, ``requests>``) are judged at the end only."""
    return not (t.metric in ("rps", "requests") and t.op in (">", ">="))
