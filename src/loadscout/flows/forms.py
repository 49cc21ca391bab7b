"""Form bodies as ordered name/value pairs, the way a browser sends them."""

from __future__ import annotations

from typing import Any

FormPairs = list[tuple[str, str]]
"""A form body in order, a name once per value it sends (``tags=a&tags=b``)."""


def _text(value: Any) -> Any:
    """A number typed by hand (``[qty, 1]``) is the text a form sends."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def form_pairs(value: Any) -> Any:
    """Accept the older ``{name: value}`` mapping and ``{name, value}`` objects as pairs."""
    if isinstance(value, dict):
        return [(str(k), _text(v)) for k, v in value.items()]
    if not isinstance(value, list):
        return value
    pairs = [(i.get("name"), i.get("value")) if isinstance(i, dict) else i for i in value]
    return [
        (p[0], _text(p[1])) if isinstance(p, list | tuple) and len(p) == 2 else p for p in pairs
    ]
