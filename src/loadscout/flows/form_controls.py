"""Which controls a form submits, read from HTML: shared by the replay's ``form`` extractor
(``load.extract``) and discovery's reading of raw pages (``discovery.raw_page``)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

CONTROLS = "input, select, textarea"


def form_controls(tree: LexborHTMLParser, form: LexborNode) -> list[LexborNode]:
    """The form's submittable controls in document order: its descendants that name no other
    form, and elements anywhere on the page that name it with ``form="id"``."""
    inside = form.css(CONTROLS)
    form_id = form.attributes.get("id")
    if not form_id:
        return [n for n in inside if n.attributes.get("form") is None]
    descendants = {n.mem_id for n in inside}
    return [
        node
        for node in tree.css(CONTROLS)
        if (owner := node.attributes.get("form")) == form_id
        or (owner is None and node.mem_id in descendants)
    ]
