"""Form roles and field values: plausible input a server's validation will accept.

Order per field: keep server-provided values (hidden, pre-filled, selected, checked), then a
name table, then type rules honouring min/max/minlength/maxlength, then ``pattern``. Free text
and emails typed for write forms are run-unique, recorded as ``${unique}`` templates.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from loadscout.discovery.page_model import FieldSpec, FormSpec

FormKind = Literal["login", "search", "read", "write"]
SEARCH_WORD = "shoes"
_SEARCH_NAMES = re.compile(r"^(q|s|query|search|keywords?|term|find)$|search", re.I)
_SIGNUP_WORDS = re.compile(r"regist|sign.?up|join|create|confirm|new.?pass|repeat", re.I)
_NAME_TABLE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), v)
    for p, v in [
        (r"^(id|page)$|[_-]id$", "1"),  # the first record (or page) is the likeliest to exist
        (r"user.?name|^user$|^login$|nick", "loadscout"),
        (r"first.?name|given", "Alex"),
        (r"last.?name|surname|family", "Doe"),
        (r"name", "Alex Doe"),
        (r"city|town", "Springfield"),
        (r"zip|postal|post.?code", "12345"),
        (r"street|address", "1 Main Street"),
        (r"country", "US"),
        (r"state|region|province", "CA"),
        (r"company|organi[sz]ation", "Example Inc"),
        (r"qty|quantity|amount|count", "1"),
        (r"card.?num|cc.?num|^card$", "4111111111111111"),
        (r"cvc|cvv|security.?code", "123"),
        (r"exp", "12/30"),
        (r"phone|mobile|tel", "5555550100"),
        (r"subject|title", "Hello"),
        (r"message|comment|description|body|note|text", "Hello from loadscout"),
        (r"url|website|homepage", "https://example.com/"),
    ]
]


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldFill:
    """What to do with one field: set ``value`` (None = keep), set ``checked`` (None = keep)."""

    value: str | None = None
    checked: bool | None = None
    template: str | None = None  # value to record instead of ``value`` (e.g. with ${unique})


_FREE_TEXT = frozenset({"text", "email", "tel", "url"})  # inputs a person types into


def form_kind(form: FormSpec) -> FormKind:
    visible = [f for f in form.fields if f.type != "hidden"]
    passwords = [f for f in visible if f.type == "password"]
    words = " ".join([form.action, *form.submits, *(f.name for f in visible)])
    if len(passwords) == 1 and len(visible) <= 4 and not _SIGNUP_WORDS.search(words):
        return "login"
    searchy = any(f.type == "search" or _SEARCH_NAMES.search(f.name) for f in visible)
    if form.method == "get":
        return "search" if searchy or "search" in form.action.lower() else "read"
    # a POST is a search only when every box to type in is a search box (filters are choices:
    # selects, checkboxes, dates). An entry form with one field named like a search (an
    # issue's "keyword" beside its title) writes: never sent by default.
    typed = [f for f in visible if f.tag == "input" and f.type in _FREE_TEXT]
    entry = any(f.tag == "textarea" or f.type == "file" for f in visible) or any(
        not _SEARCH_NAMES.search(f.name) for f in typed
    )
    return "search" if searchy and not entry else "write"


def _pattern_value(pattern: str) -> str | None:
    """A string fully matching a simple HTML ``pattern`` (anchored), or None."""
    try:
        parser: Any = importlib.import_module("re._parser")
        value = _generate(parser.parse(pattern), parser)
    except (re.error, ValueError, KeyError, IndexError, TypeError, ImportError):
        return None
    return value if re.fullmatch(pattern, value) else None


def _generate(tree: Any, parser: Any) -> str:
    out: list[str] = []
    digits = iter("1234567890" * 20)
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_pick_in(arg, digits))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = max(low, 1) if high else low
            out.append("".join(_generate(sub, parser) for _ in range(min(count, 64))))
        elif name == "SUBPATTERN":
            out.append(_generate(arg[-1], parser))
        elif name == "BRANCH":
            out.append(_generate(arg[1][0], parser))
        elif name == "CATEGORY":
            out.append(_category(str(arg), digits))
        elif name != "AT":
            raise ValueError(f"unsupported regex construct {name}")
    return "".join(out)


def _category(name: str, digits: Any) -> str:
    if "NOT" in name:
        raise ValueError("negated category")
    if name.endswith("DIGIT"):
        return str(next(digits))
    return " " if name.endswith("SPACE") else "a"


def _pick_in(items: Any, digits: Any) -> str:
    op, arg = items[0]
    if str(op) == "NEGATE":
        raise ValueError("negated class")
    if str(op) == "RANGE":
        low, high = arg
        if chr(low) == "0" and chr(high) == "9":
            return str(next(digits))
        return chr(low)
    if str(op) == "CATEGORY":
        return _category(str(arg), digits)
    return chr(arg)


def _number(spec: FieldSpec) -> str:
    def num(text: str | None) -> float | None:
        try:
            return float(text) if text not in (None, "") else None
        except ValueError:
            return None

    low, high = num(spec.min), num(spec.max)
    value = low if low is not None else 1.0
    if high is not None:
        value = min(value, high)
    return str(int(value)) if value == int(value) else str(value)


def _typed(spec: FieldSpec, *, unique: str) -> tuple[str, str | None]:
    """Value by input type (then name); the second item is a replay template if run-unique."""
    today = dt.date.today()
    by_type = {
        "email": "user@example.com",
        "tel": "5555550100",
        "url": "https://example.com/",
        "password": "Loadscout-Pass-1",
        "date": spec.min or today.isoformat(),
        "month": spec.min or today.strftime("%Y-%m"),
        "week": spec.min or today.strftime("%G-W%V"),
        "time": spec.min or "12:00",
        "datetime-local": spec.min or f"{today.isoformat()}T12:00",
        "color": "#336699",
        "number": _number(spec),
        "range": _number(spec),
        "search": SEARCH_WORD,
    }
    if spec.type in by_type:
        return by_type[spec.type], None
    if spec.pattern and (value := _pattern_value(spec.pattern)):
        return value, None
    if _SEARCH_NAMES.search(spec.name):
        return SEARCH_WORD, None
    for regex, value in _NAME_TABLE:
        if regex.search(spec.name):
            return value, None
    return f"loadscout-{unique}", "loadscout-${unique}"


def _fit_length(value: str, spec: FieldSpec) -> str:
    if spec.minlength and len(value) < spec.minlength:
        value = value + "x" * (spec.minlength - len(value))
    if spec.maxlength and len(value) > spec.maxlength:
        value = value[: spec.maxlength]
    return value


DataValues = dict[str, str | list[str]]


def data_column(field_name: str) -> str:
    """The ``user_data`` column carrying a ``--data`` list for ``field_name``."""
    return "data_" + re.sub(r"[^A-Za-z0-9_]", "_", field_name)


def data_fill(spec: FieldSpec, form: FormSpec, data: DataValues) -> FieldFill | None:
    """A user-given value: key ``/action/path.field`` wins over a bare field name. A list
    becomes a per-user column (``${user.data_FIELD}``) so each virtual user sends its own."""
    path = re.sub(r"^[a-z]+://[^/]+", "", form.action).split("?")[0]
    value = data.get(f"{path}.{spec.name}", data.get(spec.name))
    if value is None:
        return None
    if isinstance(value, list):
        if not value:
            return None
        return FieldFill(value=value[0], template="${user." + data_column(spec.name) + "}")
    return FieldFill(value=value)


def _other_value(spec: FieldSpec, unique: str) -> str:
    """The retry's value after a rejection: the other end of a range, or plain run-unique text."""
    if spec.type in ("number", "range") and spec.max not in (None, ""):
        return str(spec.max)
    if spec.type == "email":
        return f"other-{unique}@example.org"
    return f"x{unique}"


_KEEP_ON_RETRY = ("checkbox", "radio", "hidden", "file", "password", "date", "month", "week")
_KEEP_ON_RETRY_2 = ("time", "datetime-local")


def _retypes(spec: FieldSpec) -> bool:
    """Whether the retry after a rejection types another value into this field."""
    if spec.tag == "select" or spec.type in _KEEP_ON_RETRY + _KEEP_ON_RETRY_2:
        return False
    return spec.type in ("number", "range", "email") or not spec.value


def fill_field(spec: FieldSpec, *, kind: FormKind, unique: str, variant: int = 0) -> FieldFill:
    if variant and _retypes(spec):
        return FieldFill(value=_fit_length(_other_value(spec, unique), spec))
    if spec.type == "checkbox":
        return FieldFill(checked=spec.checked or spec.required)
    if spec.tag == "select":
        if any(o.selected and o.value for o in spec.options):
            return FieldFill()
        return FieldFill(value=next((o.value for o in spec.options if o.value), None))
    if spec.type in ("hidden", "file") or spec.value:
        return FieldFill()
    value, template = _typed(spec, unique=unique)
    if spec.type == "email" and kind == "write":
        value, template = f"ls-{unique}@example.com", "ls-${unique}@example.com"
    if template is not None and kind != "write":
        template = None
    return FieldFill(value=_fit_length(value, spec), template=template)


def fill_form(
    form: FormSpec, *, unique: str | None = None, data: DataValues | None = None, variant: int = 0
) -> tuple[FieldFill, ...]:
    """One fill per field of ``form`` (same order); radios: the first of each unchecked group.

    Order per field: ``data`` (the user's file), then server-provided values, then the tables;
    ``variant=1`` is the retry after a rejection (other values for what we typed).
    """
    kind = form_kind(form)
    tag = unique or uuid.uuid4().hex[:8]
    checked_groups = {f.name for f in form.fields if f.type == "radio" and f.checked}
    fills: list[FieldFill] = []
    for spec in form.fields:
        if spec.type == "radio":
            pick = spec.name not in checked_groups
            checked_groups.add(spec.name)
            fills.append(FieldFill(checked=True) if pick else FieldFill())
        elif data and (given := data_fill(spec, form, data)) is not None:
            fills.append(given)
        else:
            fills.append(fill_field(spec, kind=kind, unique=tag, variant=variant))
    return tuple(fills)
