"""Human durations ("20s", "1m30s", "2h", "45") to seconds."""

from __future__ import annotations

import math
import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Seconds in ``text``; a bare number means seconds. Raises ValueError with a hint."""
    s = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    parts = _PART.findall(s)
    if not s or "".join(n + u for n, u in parts) != s:
        raise ValueError(f"cannot read duration {text!r}; use forms like 30s, 5m, 1m30s or 1h")
    return sum(float(n) * _UNIT_S[u] for n, u in parts)


def parse_number(text: str, what: str) -> float:
    """A finite number in ``text`` (``inf`` and ``nan`` are not numbers of users or rates)."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"cannot read {what} {text.strip()!r}: give a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {text.strip()!r}")
    return value
