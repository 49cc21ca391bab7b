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


REPEATED = """<form><input type="hidden" name="ids" value="1">
<input type="hidden" name="ids" value="2">
<input type="checkbox" name="tags" value="a" checked><input type="checkbox" name="tags" value="b">
<input type="checkbox" name="tags" value="c" checked><input name="ids" value="3" disabled>
<select name="size" multiple><option value="s" selected>S</option><option>m</option>
<option value="l" selected>L</option></select></form>"""


def test_index_takes_a_later_value_of_a_repeated_field() -> None:
    tree = LexborHTMLParser(REPEATED)
    assert [form_field(tree, "form", "ids", index=i) for i in range(3)] == ["1", "2", None]
    assert [form_field(tree, "form", "tags", index=i) for i in range(3)] == ["a", "c", None]
    assert [form_field(tree, "form", "size", index=i) for i in range(3)] == ["s", "l", None]
