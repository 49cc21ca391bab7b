"""The ``form`` extractor source (added by the browser engine, issue 3)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from loadscout.load.extract import form_field

FORM = """<form action="/a"><input type="hidden" name="csrf" value="t1">
<select name="c"><option value="x">x</option><option value="y" selected>y</option></select>
<textarea name="n">hi</textarea><input type="checkbox" name="k"></form>"""


def test_form_field_reads_the_live_form() -> None:
    tree = LexborHTMLParser(FORM)
    assert form_field(tree, 'form[action="/a"]', "csrf") == "t1"
    assert form_field(tree, 'form[action="/a"]', "c") == "y"
    assert form_field(tree, 'form[action="/a"]', "n") == "hi"
    assert form_field(tree, 'form[action="/a"]', "k") is None
    assert form_field(tree, 'form[action="/b"]', "csrf") is None
