"""Extractors: read values out of a response into variables that later steps send back.

The body is decoded and parsed at most once per response, and only for the extractors that
need it, so steps without extractors never pay for parsing.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from loadscout.flows.form_controls import form_controls
from loadscout.flows.model import Extractor
from loadscout.load.client import HttpResponse

CookieLookup = Callable[[str], str | None]


class ExtractionFailed(Exception):
    """A required extractor found nothing; ``str()`` says which and where."""


class _Parsed:
    """Lazily decoded views of one response body."""

    __slots__ = ("_html", "_json", "_text", "response")

    def __init__(self, response: HttpResponse) -> None:
        self.response = response
        self._text: str | None = None
        self._html: LexborHTMLParser | None = None
        self._json: Any = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.response.text()
        return self._text

    @property
    def html(self) -> LexborHTMLParser:
        if self._html is None:
            self._html = LexborHTMLParser(self.text)
        return self._html

    @property
    def json(self) -> Any:
        if self._json is None:
            self._json = json.loads(self.text)
        return self._json


def extract(
    extractors: Sequence[Extractor], response: HttpResponse, cookie: CookieLookup
) -> dict[str, str]:
    """Run every extractor; a missing optional value is simply left undefined."""
    parsed = _Parsed(response)
    found: dict[str, str] = {}
    for ex in extractors:
        try:
            value = _extract_one(ex, parsed, cookie)
            reason = "no match"
        except Exception as exc:  # a bad selector or a non-JSON body must not stop the user
            value, reason = None, f"{type(exc).__name__}: {exc}"
        if value is not None:
            found[ex.name] = value
        elif ex.required:
            raise ExtractionFailed(
                f"extractor {ex.name!r} ({ex.source} {ex.expression!r}) found nothing ({reason})"
            )
    return found


def _extract_one(ex: Extractor, parsed: _Parsed, cookie: CookieLookup) -> str | None:
    source = ex.source
    if source == "css":
        return _css(parsed.html, ex.expression, ex.attribute)
    if source == "regex":
        match = re.search(ex.expression, parsed.text)
        if match is None:
            return None
        return match.group(1) if match.re.groups else match.group(0)
    if source == "header":
        return parsed.response.headers.get(ex.expression)
    if source == "cookie":
        return cookie(ex.expression)
    if source == "form":
        wanted = FormIdentity(selector=ex.expression, method=ex.method, fields=ex.fields)
        return form_field(parsed.html, wanted, ex.attribute, index=ex.index or 0)
    return json_path(parsed.json, ex.expression)


def _css(tree: LexborHTMLParser, selector: str, attribute: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    if attribute == "text":
        return " ".join(node.text().split())
    return node.attributes.get(attribute)


@dataclass(frozen=True, kw_only=True, slots=True)
class FormIdentity:
    """Which live form a ``form`` extractor reads: the css ``selector`` narrows, then the
    ``method`` and the form's field names pick one (pages often carry several forms sharing an
    action, e.g. a GET search and a POST login); document order only breaks ties."""

    selector: str = "form"
    method: str | None = None
    fields: Sequence[str] | None = None


def form_field(
    tree: LexborHTMLParser, form: FormIdentity | str, field: str, *, index: int = 0
) -> str | None:
    """The value the browser would submit for ``field`` of the live form (the form extractor);
    ``index`` picks a later one when the form sends that name more than once.

    Inputs give their value (checkboxes and radios only when checked, ``on`` if valueless),
    textareas their text, selects the selected option (else the first, as browsers do).
    """
    wanted = FormIdentity(selector=form) if isinstance(form, str) else form
    controls = pick_form(tree, wanted, field)
    if controls is None:
        return None
    values = (
        value
        for node in controls
        if node.attributes.get("name") == field and "disabled" not in node.attributes
        for value in _submitted(node)
    )
    return next(itertools.islice(values, index, None), None)


def pick_form(tree: LexborHTMLParser, wanted: FormIdentity, field: str) -> list[LexborNode] | None:
    """The controls of the form ``wanted`` names that sends ``field``: among the forms matching
    the selector (all forms when none does and the field names are known) and the method, the
    one sharing most field names with the recording, the first on the page on a tie."""
    candidates = tree.css(wanted.selector)
    if not candidates and wanted.fields:
        candidates = tree.css("form")
    if wanted.method:
        method = wanted.method.lower()
        candidates = [f for f in candidates if _method(f) == method]
    best: tuple[int, int] | None = None
    chosen: list[LexborNode] | None = None
    recorded = set(wanted.fields or ())
    for form in candidates:
        controls = form_controls(tree, form)
        names = {n for c in controls if (n := c.attributes.get("name"))}
        if field not in names:
            continue
        score = (len(names & recorded), -len(names ^ recorded))
        if best is None or score > best:
            best, chosen = score, controls
    return chosen


def _method(form: LexborNode) -> str:
    return (form.attributes.get("method") or "get").strip().lower()


def _submitted(node: LexborNode) -> list[str]:
    """What one control submits: none (an unchecked box), one value, or each selected option
    of a ``<select multiple>``."""
    attrs = node.attributes
    if node.tag == "textarea":
        return [node.text()]
    if node.tag == "select":
        options = node.css("option")
        chosen = [o for o in options if "selected" in o.attributes]
        if not chosen and options and "multiple" not in attrs:
            chosen = options[:1]
        if "multiple" not in attrs:
            chosen = chosen[:1]
        return [_option_value(o) for o in chosen]
    if (attrs.get("type") or "").lower() in ("checkbox", "radio"):
        return [attrs.get("value") or "on"] if "checked" in attrs else []
    return [attrs.get("value") or ""]


def _option_value(option: LexborNode) -> str:
    value = option.attributes.get("value")
    return value if value is not None else option.text().strip()


def json_path(document: Any, path: str) -> str | None:
    """Follow ``a.b.0.c``; integer segments index lists. Scalars come back as JSON text."""
    node = document
    for segment in path.split("."):
        if isinstance(node, dict):
            if segment not in node:
                return None
            node = node[segment]
        elif isinstance(node, list):
            try:
                node = node[int(segment)]
            except (ValueError, IndexError):
                return None
        else:
            return None
    if node is None:
        return None
    return node if isinstance(node, str) else json.dumps(node)
