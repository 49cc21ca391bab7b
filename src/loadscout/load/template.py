"""``${name}`` substitution, compiled once per step so the hot path only joins strings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# names may be dotted (``${user.email}``: a column of the user's data row)
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}")


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
