"""A run's pass/fail verdict, the first thing a reader needs, judged from its measurements.

Separate from the run's status (completed / failed / cancelled says whether the machinery ran
to the end); the verdict says whether the target passed. Judged in this order: a run stopped
early (cancelled, timed out) is ``aborted``; a failed threshold, or a stop because one failed
(``--abort-on-fail``), is ``thresholds_failed``; without an overall
``error_rate`` threshold of the user's own, an error rate above :data:`ERROR_LEVEL` is
``errors``; otherwise ``passed``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

ERROR_LEVEL = 0.05  # an error rate above this fails a run that sets no error_rate threshold

_METRIC = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\[)?")


class JudgedThreshold(Protocol):
    """What the verdict reads of a threshold's result (``summary.ThresholdResult``, which
    imports this module for :class:`Verdict`)."""

    @property
    def expression(self) -> str: ...

    @property
    def passed(self) -> bool: ...


class Verdict(StrEnum):
    PASSED = "passed"
    THRESHOLDS_FAILED = "thresholds_failed"
    ERRORS = "errors"
    ABORTED = "aborted"

    @property
    def ok(self) -> bool:
        return self is Verdict.PASSED

    @property
    def label(self) -> str:
        """The badge text in reports."""
        return _LABELS[self]


_LABELS = {
    Verdict.PASSED: "Passed",
    Verdict.THRESHOLDS_FAILED: "Failed thresholds",
    Verdict.ERRORS: "Too many errors",
    Verdict.ABORTED: "Aborted",
}


def judge(
    *,
    thresholds: Sequence[JudgedThreshold],
    requests: int,
    errors: int,
    aborted: bool,
    threshold_stop: bool = False,
    error_level: float = ERROR_LEVEL,
) -> Verdict:
    """The verdict of a run's load phase (see the module docstring for the order)."""
    if aborted and not threshold_stop:
        return Verdict.ABORTED
    if threshold_stop or any(not t.passed for t in thresholds):
        return Verdict.THRESHOLDS_FAILED
    own_level = any(_is_overall_error_rate(t.expression) for t in thresholds)
    if not own_level and requests and errors / requests > error_level:
        return Verdict.ERRORS
    return Verdict.PASSED


def _is_overall_error_rate(expression: str) -> bool:
    match = _METRIC.match(expression)
    return match is not None and match.group(1).lower() == "error_rate" and not match.group(2)
