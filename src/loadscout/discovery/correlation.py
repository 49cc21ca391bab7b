"""Correlation: values that must be re-read at replay are extracted, never recorded as constants.

Every hidden input of a submitted form (CSRF, nonce, ids…) becomes a ``form`` Extractor on the
step that fetched the form's page and a ``${var}`` in the submission. Cookies are never
recorded: at replay they come from each virtual user's own jar.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from loadscout.discovery.page_model import FieldSpec, FormSpec
from loadscout.flows.forms import FormPairs
from loadscout.flows.model import Extractor

_TOKEN_NAME = re.compile(
    r"csrf|xsrf|token|authenticity|nonce|_wpnonce|viewstate|eventvalidation|form_build_id", re.I
)
_RANDOM_CHARS = re.compile(r"^[A-Za-z0-9+/=_\-.:]+$")


def looks_random(value: str) -> bool:
    """Long, character-rich strings (hex, base64, signed tokens) rather than words or ids."""
    if len(value) < 16 or not _RANDOM_CHARS.match(value):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return has_digit and has_alpha and entropy >= 3.0


def is_token_field(spec: FieldSpec) -> bool:
    """Hidden input whose value is per-session or per-render and so must be extracted."""
    if spec.type != "hidden":
        return False
    return bool(_TOKEN_NAME.search(spec.name)) or looks_random(spec.value)


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return slug or "root"


def variable_name(field_name: str, form: FormSpec) -> str:
    """E.g. ``csrf_token_login`` for field csrf_token of a form posting to /login."""
    path = re.sub(r"^[a-z]+://[^/]+", "", form.action).split("?")[0]
    name = f"{_slug(field_name)}_{_slug(path)}"
    return name if re.match(r"^[A-Za-z_]", name) else f"v_{name}"


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def form_css(form: FormSpec) -> str:
    """CSS for the form itself, keyed by the raw ``action`` attribute when present."""
    if form.action_attr:
        return f"form[action={_css_string(form.action_attr)}]"
    return "form"


def form_selector(form: FormSpec, field_name: str) -> str:
    """CSS for a field inside its form."""
    return f"{form_css(form)} input[name={_css_string(field_name)}]"


def token_extractors(
    form: FormSpec, *, changed: frozenset[str] = frozenset()
) -> dict[str, Extractor]:
    """Field name -> form extractor for every hidden field of ``form`` (tokens, ids, ``next``;
    of a GET form only token-like ones, its other hidden values being part of a plain URL),
    and for any field whose value differed between two recordings in fresh sessions: the load
    engine re-reads the live form, so per-session values are never replayed as constants."""
    found: dict[str, Extractor] = {}
    seen: Counter[str] = Counter()
    for spec in form.fields:
        repeat = seen[spec.name]
        seen[spec.name] += 1
        if spec.type != "hidden" and spec.name not in changed:
            continue
        if form.method == "get" and spec.name not in changed and not is_token_field(spec):
            continue  # a GET form's constant hidden value (``_hide_sql=1``) stays in its URL
        key, name = spec.name, variable_name(spec.name, form)
        if repeat:  # the k-th repeat of a name (``ids=1&ids=2``): template_form's ``name#k``
            key, name = f"{key}#{repeat}", f"{name}_{repeat + 1}"
        found[key] = Extractor(
            name=name,
            source="form",
            expression=form_css(form),
            attribute=spec.name,
            index=repeat or None,
            method="POST" if form.method == "post" else "GET",
            fields=form.field_names,
        )
    return found


def changed_fields(first: FormSpec, second: FormSpec) -> frozenset[str]:
    """Fields whose server-provided value differs between two renderings (fresh sessions)."""
    before = {f.name: f.value for f in first.fields if f.type not in ("checkbox", "radio")}
    return frozenset(
        f.name for f in second.fields if f.name in before and before[f.name] != f.value
    )


def template_form(
    posted: Iterable[tuple[str, str]],
    *,
    extractors: dict[str, Extractor],
    templates: dict[str, str],
) -> FormPairs:
    """The submission's form body, every pair in order, with tokens as ``${var}`` and
    run-unique values templated (the k-th repeat of a field uses extractor ``name#k``)."""
    body: FormPairs = []
    seen: Counter[str] = Counter()
    for name, value in posted:
        key = name if seen[name] == 0 else f"{name}#{seen[name]}"
        seen[name] += 1
        if key in extractors:
            body.append((name, "${" + extractors[key].name + "}"))
        elif name in templates:
            body.append((name, templates[name]))
        else:
            body.append((name, value))
    return body


def session_secrets(cookie_values: Iterable[str], forms: Iterable[FormSpec]) -> set[str]:
    """Values that must never appear literally in a flow: cookies and token-like hidden fields."""
    secrets = {v for v in cookie_values if len(v) >= 8}
    secrets |= {f.value for form in forms for f in form.fields if is_token_field(f) and f.value}
    return {s for s in secrets if len(s) >= 8}


def leaked(text: str, secrets: set[str]) -> str | None:
    """The first secret ``text`` contains, or None."""
    return next((s for s in secrets if s in text), None)
