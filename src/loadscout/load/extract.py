"""Extractors: read values out of a response into variables that later steps send back.

The body is decoded and parsed at most once per response, and only for the extractors that
need it, so steps without extractors never pay for parsing.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

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
        return form_field(parsed.html, ex.expression, ex.attribute, index=ex.index or 0)
    return json_path(parsed.json, ex.expression)


def _css(tree: LexborHTMLParser, selector: str, attribute: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    if attribute == "text":
        return " ".join(node.text().split())
    return node.attributes.get(attribute)


def form_field(
    tree: LexborHTMLParser, form_selector: str, field: str, *, index: int = 0
) -> str | None:
    """The value the browser would submit for ``field`` of the live form (the form extractor);
    ``index`` picks a later one when the form sends that name more than once.

    Inputs give their value (checkboxes and radios only when checked, ``on`` if valueless),
    textareas their text, selects the selected option (else the first, as browsers do).
    """
    form = tree.css_first(form_selector)
    if form is None:
        return None
    values = (
        value
        for node in form.css("input, select, textarea")
        if node.attributes.get("name") == field and "disabled" not in node.attributes
        for value in _submitted(node)
    )
    return next(itertools.islice(values, index, None), None)


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
