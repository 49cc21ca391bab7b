"""The verification replayer's pure parts: templates, the form extractor, rejection detection."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from loadscout.discovery.replay import ReplayError, Response, form_value, rejection, render

FORM = """<form action="/checkout" method="post"><input type="hidden" name="csrf" value="t1">
<select name="country"><option value="DE">DE</option><option value="FR" selected>FR</option>
</select><textarea name="notes">hi</textarea><input type="checkbox" name="gift">
<input type="checkbox" name="terms" checked><input name="off" value="x" disabled></form>"""


def test_render_user_columns_and_missing_variables() -> None:
    assert render("${user.name}-${vu}", {"user.name": "ann", "vu": "2"}) == "ann-2"
    with pytest.raises(ReplayError, match="not defined"):
        render("${nope}", {})


def test_form_value_reads_fields_as_a_browser_submits_them() -> None:
    tree = LexborHTMLParser(FORM)
    sel = 'form[action="/checkout"]'
    assert form_value(tree, sel, "csrf") == "t1"
    assert form_value(tree, sel, "country") == "FR"
    assert form_value(tree, sel, "notes") == "hi"
    assert form_value(tree, sel, "terms") == "on"
    assert form_value(tree, sel, "gift") is None
    assert form_value(tree, sel, "off") is None
    assert form_value(tree, "form[action='/other']", "csrf") is None


def test_a_form_that_comes_back_with_errors_is_a_rejection() -> None:
    url = "http://h/checkout"
    bad = Response(200, url, {}, FORM + '<div role="alert">Your cart is empty</div>')
    assert rejection(bad) == "the server rejected the form: Your cart is empty"
    assert rejection(Response(200, url, {}, FORM)) is None
    assert rejection(Response(200, "http://h/orders/1", {}, bad.text)) is None
