"""The ``form`` extractor source (added by the browser engine, issue 3)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from selectolax.lexbor import LexborHTMLParser

from loadscout.flows.model import Extractor
from loadscout.load.client import HttpResponse
from loadscout.load.extract import FormIdentity, extract, form_field

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


TRACKER = """<form action="/issues" method="get"><input name="q" value="">
<input type="hidden" name="page" value="1"></form>
<form action="/issues" method="post"><input type="hidden" name="csrf" value="tok-1">
<input name="username"><input type="password" name="password"></form>"""


def test_method_and_fields_pick_the_recorded_form_among_forms_sharing_an_action() -> None:
    tree = LexborHTMLParser(TRACKER)
    login = FormIdentity(
        selector='form[action="/issues"]', method="POST", fields=["csrf", "username", "password"]
    )
    assert form_field(tree, login, "csrf") == "tok-1"
    search = FormIdentity(selector='form[action="/issues"]', method="GET", fields=["q", "page"])
    assert form_field(tree, search, "page") == "1"
    assert form_field(tree, search, "csrf") is None  # the GET form has no token


def test_an_old_extractor_skips_a_first_form_that_lacks_the_field() -> None:
    """Flows written before ``method``/``fields`` existed still find the token."""
    assert form_field(LexborHTMLParser(TRACKER), 'form[action="/issues"]', "csrf") == "tok-1"


TWINS = """<form method="post"><input type="hidden" name="t" value="a">
<input name="title"></form>
<form method="post"><input type="hidden" name="t" value="b"><input name="body">
<input name="tags"></form>"""


def test_field_names_decide_between_forms_without_an_action() -> None:
    tree = LexborHTMLParser(TWINS)
    second = FormIdentity(selector="form", method="POST", fields=["t", "body", "tags"])
    assert form_field(tree, second, "t") == "b"
    first = FormIdentity(selector="form", method="POST", fields=["t", "title"])
    assert form_field(tree, first, "t") == "a"
    assert form_field(tree, FormIdentity(selector="form", fields=["t"]), "t") == "a"  # tie: first


OUTSIDE = """<input type="hidden" name="csrf" value="out-1" form="edit">
<form id="edit" method="post" action="/save"><input name="title" value="x">
<input type="hidden" name="csrf" value="other" form="elsewhere"></form>
<form id="elsewhere"></form>"""


def test_controls_outside_the_form_that_name_it_are_its_fields() -> None:
    tree = LexborHTMLParser(OUTSIDE)
    edit = FormIdentity(selector='form[action="/save"]', method="POST", fields=["csrf", "title"])
    assert form_field(tree, edit, "csrf") == "out-1"
    assert form_field(tree, edit, "title") == "x"
    assert form_field(tree, "form#elsewhere", "csrf") == "other"


def test_a_changed_action_still_finds_the_form_by_its_fields() -> None:
    """The selector is only a first cut: an action carrying a per-session query still works."""
    page = '<form method="post" action="/login?next=%2Fa"><input type="hidden" name="csrf" '
    page += 'value="z"><input name="user"></form>'
    wanted = FormIdentity(selector='form[action="/login"]', method="POST", fields=["csrf", "user"])
    assert form_field(LexborHTMLParser(page), wanted, "csrf") == "z"


def test_the_form_extractor_passes_method_and_fields() -> None:
    ex = Extractor(
        name="csrf",
        source="form",
        expression='form[action="/issues"]',
        attribute="csrf",
        method="post",
        fields=["csrf", "username", "password"],
    )
    assert ex.method == "POST"
    response = HttpResponse(
        status=200, headers={}, body=TRACKER.encode(), url="http://h/issues", charset="utf-8"
    )
    assert extract([ex], response, lambda _name: None) == {"csrf": "tok-1"}


def test_method_and_fields_belong_to_form_extractors_only() -> None:
    with pytest.raises(ValidationError, match="source form"):
        Extractor(name="x", source="css", expression="a", method="GET")
    old = Extractor.model_validate(
        {"name": "t", "source": "form", "expression": "form", "attribute": "t"}
    )
    assert old.method is None and old.fields is None
