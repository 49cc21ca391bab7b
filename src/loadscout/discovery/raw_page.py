"""A page's links and forms read from its raw HTML, as the browser's reading of its DOM
(``page_model._READ_PAGE_JS``) would find them had no script run: the plain-HTTP lane.

lexbor builds the DOM by the HTML standard (implied ``tbody``, misnested tags), so a page no
script changes reads the same here as in the browser; the crawler checks that per pattern
before it trusts this reader (``discovery.lane``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from loadscout.discovery.page_model import PageModel, parse_page_model
from loadscout.flows.form_controls import form_controls

_NAV_TAGS = frozenset({"header", "nav", "aside", "footer"})
_NAV_ROLES = frozenset({"navigation", "banner"})
_NOT_FIELDS = frozenset({"submit", "button", "reset", "image"})
_INPUT_TYPES = frozenset(
    {
        "hidden", "text", "search", "tel", "url", "email", "password", "date", "month", "week",
        "time", "datetime-local", "number", "range", "color", "checkbox", "radio", "file",
        "submit", "image", "reset", "button",
    }
)  # fmt: skip
SHAPE_ELEMENTS = 3000


def read_html(html: str, url: str) -> PageModel:
    tree = LexborHTMLParser(html)
    base_node = tree.css_first("base[href]")
    base = urljoin(url, base_node.attributes.get("href") or "") if base_node else url
    title = tree.css_first("title")
    body = tree.body
    inside = [n for n in body.css("*") if n.mem_id != body.mem_id] if body is not None else []
    shape = ",".join(_shape(node) for node in inside[:SHAPE_ELEMENTS])  # body's, not body
    raw = {
        "url": url,
        "title": title.text(strip=True) if title is not None else "",
        "links": [_link(a, base) for a in tree.css("a[href]")],
        "forms": [
            _form(tree, form, index, url, base) for index, form in enumerate(tree.css("form"))
        ],
        "shape": shape,
    }
    return parse_page_model(raw)


def _shape(node: LexborNode) -> str:
    element_id = node.attributes.get("id")
    return (node.tag or "").upper() + (f"#{element_id}" if element_id else "")


def _text(node: LexborNode) -> str:
    return " ".join(node.text(separator=" ").split())[:80]


def _link(a: LexborNode, base: str) -> dict[str, Any]:
    raw = a.attributes.get("href") or ""
    return {
        "href": urljoin(base, raw.strip()),
        "raw": raw,
        "text": _text(a) or (a.attributes.get("aria-label") or "").strip()[:80],
        "download": "download" in a.attributes,
        "nav": _in_navigation(a),
    }


def _in_navigation(node: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None:
        if current.tag in _NAV_TAGS or current.attributes.get("role") in _NAV_ROLES:
            return True
        current = current.parent
    return False


def _form(
    tree: LexborHTMLParser, form: LexborNode, index: int, url: str, base: str
) -> dict[str, Any]:
    attrs = form.attributes
    action_attr = attrs.get("action")
    controls = form_controls(tree, form)
    return {
        "index": index,
        "action_attr": action_attr,
        "action": urljoin(base, action_attr.strip()) if action_attr else url,
        "id": attrs.get("id"),
        "method": (attrs.get("method") or "get").strip().lower(),
        "submits": [
            _text(b) or b.attributes.get("value") or ""
            for b in form.css("button, input[type=submit], input[type=image]")
            if _type(b) in ("submit", "image")
        ],
        "fields": [_field(c) for c in controls if c.attributes.get("name") and _is_field(c)],
    }


def _type(node: LexborNode) -> str:
    """The control's ``type`` as the DOM reports it."""
    attrs = node.attributes
    if node.tag == "input":
        kind = (attrs.get("type") or "text").strip().lower()
        return kind if kind in _INPUT_TYPES else "text"
    if node.tag == "select":
        return "select-multiple" if "multiple" in attrs else "select-one"
    if node.tag == "button":
        kind = (attrs.get("type") or "submit").strip().lower()
        return kind if kind in ("submit", "reset", "button") else "submit"
    return node.tag or ""  # textarea, output, fieldset, object


def _is_field(node: LexborNode) -> bool:
    return node.tag != "fieldset" and _type(node) not in _NOT_FIELDS


def _field(node: LexborNode) -> dict[str, Any]:
    attrs = node.attributes
    kind = _type(node)
    options = []
    if node.tag == "select":
        nodes = node.css("option")
        chosen = [o for o in nodes if "selected" in o.attributes]
        if kind == "select-one":  # one option is selected: the last marked, else the first
            chosen = chosen[-1:] or nodes[:1]
        picked = {o.mem_id for o in chosen}
        options = [
            {"value": _option_value(o), "text": _text(o), "selected": o.mem_id in picked}
            for o in nodes
        ]
    return {
        "name": attrs.get("name") or "",
        "tag": node.tag,
        "type": kind,
        "value": _value(node, kind, options),
        "required": "required" in attrs,
        "checked": "checked" in attrs,
        "min": attrs.get("min"),
        "max": attrs.get("max"),
        "step": attrs.get("step"),
        "minlength": _positive(attrs.get("minlength")),
        "maxlength": _positive(attrs.get("maxlength")),
        "pattern": attrs.get("pattern"),
        "placeholder": attrs.get("placeholder"),
        "autocomplete": attrs.get("autocomplete"),
        "options": options,
    }


def _value(node: LexborNode, kind: str, options: list[dict[str, Any]]) -> str:
    if node.tag == "textarea":
        return node.text()
    if node.tag == "select":
        return next((o["value"] for o in options if o["selected"]), "")
    value = node.attributes.get("value")
    if kind in ("checkbox", "radio"):
        return value if value is not None else "on"
    return value or ""


def _option_value(option: LexborNode) -> str:
    value = option.attributes.get("value")
    return value if value is not None else _text(option)


def _positive(text: str | None) -> int | None:
    try:
        number = int(text or "")
    except ValueError:
        return None
    return number if number > 0 else None
