"""Reading links and forms off the live DOM: forms stay identifiable, and nothing that is not
text (a DOM node behind a clobbered property, an SVG link's object href) leaks into the model."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from loadscout.discovery.page_model import (
    FieldSpec,
    FormSpec,
    parse_page_model,
    read_page,
    same_form,
)

BASE = "http://127.0.0.1:9/"

PAGE = """<html><body>
<form method="post"><input type="hidden" name="action" value="save">
<input type="hidden" name="id" value="7"><input name="title"></form>
<form id="ext" method="post" action="/ext"><input name="inside"></form>
<input name="outside" form="ext" value="o">
<svg><a href="/svg-link"><text>svg</text></a></svg>
<a href="/plain">plain</a>
</body></html>"""


@pytest.mark.browser
async def test_a_control_named_action_or_id_does_not_replace_the_form_identity(
    browser: Browser,
) -> None:
    """``form.action`` is the input named "action" here (DOM clobbering): read naively, the
    skipped list showed ``'url': 'ref: <Node>'``."""
    page = await browser.new_page()
    try:
        await page.route(BASE, lambda route: route.fulfill(body=PAGE, content_type="text/html"))
        await page.goto(BASE)
        model = await read_page(page)
    finally:
        await page.close()
    clobbered, ext = model.forms
    assert clobbered.action == BASE and clobbered.action_attr is None and clobbered.id is None
    assert clobbered.field_names == ["action", "id", "title"]
    assert (ext.id, ext.field_names) == ("ext", ["inside", "outside"])  # form= outside the form
    assert [link.href for link in model.links] == [BASE + "plain"]


def test_values_that_are_not_text_fall_back_to_the_page_url() -> None:
    raw = {
        "url": BASE,
        "forms": [
            {
                "index": 0,
                "action_attr": None,
                "action": {"object": "a DOM node"},
                "method": "post",
                "submits": [],
                "fields": [],
            }
        ],
        "links": [{"href": {"baseVal": "/x"}, "raw": "/x"}, {"href": BASE + "y", "raw": "y"}],
    }
    model = parse_page_model(raw)
    assert model.forms[0].action == BASE
    assert [link.href for link in model.links] == [BASE + "y"]


def test_same_form_matches_fields_and_breaks_ties_by_position() -> None:
    def form(index: int, method: str, *names: str) -> FormSpec:
        return FormSpec(
            index=index,
            action=BASE + "issues",
            method=method,
            fields=tuple(FieldSpec(name=n) for n in names),
        )

    search, login, twin = form(0, "get", "q"), form(1, "post", "csrf", "user"), form(2, "get", "q")
    assert same_form((search, login, twin), form(5, "post", "user", "csrf")) is login
    assert same_form((search, login, twin), form(2, "get", "q")) is twin
    assert same_form((search, login), form(0, "post", "q")) is None
    moved = FormSpec(index=1, action=BASE + "issues?next=%2Fa", method="post", fields=login.fields)
    assert same_form((search, moved), login) is moved  # a fresh session's query in the action
