"""``${name}`` substitution, compiled once per step so the hot path only joins strings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

# names may be dotted (``${user.email}``: a column of the user's data row), or a date relative
# to the day of replay (``${date:+2d}``, ``${month:+1m}``, ``${week:-1w}``)
_RELATIVE = r"date:[+-]\d+d|month:[+-]\d+m|week:[+-]\d+w"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|" + _RELATIVE + r")\}")
_RELATIVE_NAME = re.compile(r"^(?:" + _RELATIVE + r")$")


def is_relative_date(name: str) -> bool:
    return _RELATIVE_NAME.match(name) is not None


def relative_date(name: str, today: dt.date) -> str:
    """The value of ``date:+2d`` (YYYY-MM-DD), ``month:+1m`` (YYYY-MM) or ``week:+1w``
    (YYYY-Www) on ``today``: recorded dates stay as far in the future as they were."""
    match = _RELATIVE_NAME.match(name)
    if match is None:
        raise ValueError(f"not a relative date: {name!r}")
    kind, _, offset = name.partition(":")
    amount = int(offset[:-1])
    if kind == "date":
        return (today + dt.timedelta(days=amount)).isoformat()
    if kind == "week":
        year, week, _ = (today + dt.timedelta(weeks=amount)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    months = today.year * 12 + today.month - 1 + amount
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


class MissingVariable(LookupError):
    """A template names a variable no extractor or built-in has defined."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class Template:
    """A string split into literal parts and variable names (odd indexes are names)."""

    __slots__ = ("_parts", "names", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._parts: list[str] = _VAR.split(source)
        self.names: frozenset[str] = frozenset(self._parts[1::2])

    @property
    def is_constant(self) -> bool:
        return not self.names

    def render(self, variables: Mapping[str, str]) -> str:
        parts = self._parts
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 3 and not parts[0] and not parts[2]:  # exactly one variable
            value = variables.get(parts[1])
            if value is None:
                raise MissingVariable(parts[1])
            return value
        out = list(parts)
        for i in range(1, len(parts), 2):
            value = variables.get(parts[i])
            if value is None:
                raise MissingVariable(parts[i])
            out[i] = value
        return "".join(out)


def compile_json(value: Any) -> Any:
    """Replace every string leaf of a JSON value with a :class:`Template`."""
    if isinstance(value, str):
        return Template(value)
    if isinstance(value, dict):
        return {k: compile_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [compile_json(v) for v in value]
    return value


def render_json(value: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(value, Template):
        return value.render(variables)
    if isinstance(value, dict):
        return {k: render_json(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [render_json(v, variables) for v in value]
    return value


def json_names(value: Any) -> frozenset[str]:
    """All variable names a compiled JSON value references."""
    if isinstance(value, Template):
        return value.names
    children: list[Any] = []
    if isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, list):
        children = value
    names: frozenset[str] = frozenset()
    for child in children:
        names |= json_names(child)
    return names
