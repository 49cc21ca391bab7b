"""Parse the CLI's human-friendly values; every error says what was wrong and how to write it."""

from __future__ import annotations

from loadscout.errors import BadInput
from loadscout.plan.durations import parse_duration


def seconds(value: str, option: str) -> float:
    try:
        return parse_duration(value)
    except ValueError as err:
        raise BadInput(f"{option}: {err}") from None


def think_time(value: str) -> tuple[float, float]:
    """``0`` (off), ``2s`` (fixed) or ``0.5s-2s`` (uniform range) to (min, max) seconds."""
    low, sep, high = value.partition("-")
    lo = seconds(low, "--think-time")
    hi = seconds(high, "--think-time") if sep else lo
    if hi < lo:
        raise BadInput(
            f"--think-time: the range {value!r} ends before it starts; write it as MIN-MAX"
        )
    return lo, hi
