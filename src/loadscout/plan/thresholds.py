"""Pass/fail criteria such as ``p95<500ms``, ``error_rate<1%`` or ``rps>100``, parsed and
validated before a run starts so a typo never wastes one.

Grammar: ``METRIC[SCOPE] OP VALUE`` where METRIC is ``pNN`` (any percentile, e.g. ``p95``,
``p99.9``), ``max``, ``mean``, ``error_rate``, ``rps`` or ``requests``; SCOPE is optional,
``[step=NAME]`` or ``[flow=NAME]``; OP is one of ``< <= > >=``; latency values take ``ms``,
``s`` or ``m`` (bare numbers are milliseconds), ``error_rate`` takes ``%`` or a fraction.
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, model_validator

Operator = Literal["<", "<=", ">", ">="]

_SYNTAX = re.compile(
    r"^\s*(?P<metric>[A-Za-z_][A-Za-z0-9_.]*)\s*"
    r"(?:\[\s*(?P<scope>step|flow)\s*=\s*(?P<name>[^\]]+?)\s*\])?\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<value>[0-9]*\.?[0-9]+)\s*(?P<unit>ms|s|m|%)?\s*$"
)
_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?|100)$")
_OTHER = frozenset({"max", "mean", "error_rate", "rps", "requests"})
_LATENCY_UNITS = {None: 1.0, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
HINT = "write it like p95<500ms, p99[step=login]<1s, error_rate<1% or rps>100"


class Threshold(BaseModel):
    """One parsed criterion; latency values are in milliseconds, rates as fractions."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    expression: str
    metric: str
    op: Operator
    value: float
    scope: Literal["step", "flow"] | None = None
    name: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return parse_threshold(data).model_dump()
        return data

    @property
    def percentile(self) -> float | None:
        match = _PERCENTILE.match(self.metric)
        return float(match.group(1)) if match else None

    def holds(self, observed: float) -> bool:
        if self.op == "<":
            return observed < self.value
        if self.op == "<=":
            return observed <= self.value
        if self.op == ">":
            return observed > self.value
        return observed >= self.value


def parse_threshold(text: str) -> Threshold:
    """Parse one criterion; ValueError names what is wrong and shows the accepted forms."""
    match = _SYNTAX.match(text)
    if match is None:
        raise ValueError(f"cannot read threshold {text!r}; {HINT}")
    metric = match["metric"].lower()
    unit = match["unit"]
    value = float(match["value"])
    if _PERCENTILE.match(metric) or metric in ("max", "mean"):
        if unit == "%":
            raise ValueError(f"threshold {text!r}: a latency takes ms, s or m, not %")
        value *= _LATENCY_UNITS[unit]
    elif metric == "error_rate":
        if unit not in (None, "%"):
            raise ValueError(f"threshold {text!r}: error_rate takes a percentage like 1%")
        if unit == "%":
            value /= 100.0
        elif value > 1:
            raise ValueError(f"threshold {text!r}: write error_rate as 1% or 0.01, not {value:g}")
    elif metric in _OTHER:
        if unit is not None:
            raise ValueError(f"threshold {text!r}: {metric} takes a plain number")
    else:
        raise ValueError(
            f"threshold {text!r}: unknown metric {match['metric']!r}; use pNN (p50, p95, p99.9), "
            "max, mean, error_rate, rps or requests"
        )
    return Threshold.model_construct(
        expression=text.strip(),
        metric=metric,
        op=cast(Operator, match["op"]),
        value=value,
        scope=cast(Literal["step", "flow"] | None, match["scope"]),
        name=match["name"],
    )
