"""Which controls discovery clicks and which it leaves alone, and finding a control again
after the page redrew it."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from loadscout.discovery.form_fill import fill_field
from loadscout.discovery.page_model import FieldSpec
from loadscout.discovery.spa import Clickable, click_verdict, clickables, idle_control, redrawn


def ctl(text: str, key: str = "#op/1|button|b|x|1", kind: str = "b") -> Clickable:
    return Clickable(index=0, tag="button", text=text, kind=kind, key=key)


@pytest.mark.parametrize("text", ["Cancel", "Close", "clear", "Copy cURL command", "Reset"])
def test_controls_that_undo_or_copy_are_idle(text: str) -> None:
    assert idle_control(ctl(text))


@pytest.mark.parametrize("text", ["Try it out", "Execute", "Load more", "Cancelled orders"])
def test_controls_that_do_something_are_not_idle(text: str) -> None:
    assert not idle_control(ctl(text))


def test_an_explorers_write_operations_are_run_only_when_writes_are_allowed() -> None:
    for text in ("POST\n/api/authors/", "put \u200b/api\u200b/books\u200b/{id}\u200b/"):
        assert "write operation" in (click_verdict(ctl(text)) or "")
        assert click_verdict(ctl(text), allow_writes=True) is None
    assert click_verdict(ctl("GET\n/api/authors/")) is None
    assert "destructive" in (click_verdict(ctl("DELETE\n/api/authors/{id}/")) or "")


def test_a_redrawn_control_is_found_by_its_look_under_the_same_anchor() -> None:
    before = ctl("Execute", key="#op-a/1/0|button|run|Execute|1", kind="run")
    moved = ctl("Execute", key="#op-a/2/0|button|run|Execute|1", kind="run")
    elsewhere = ctl("Execute", key="#op-b/1/0|button|run|Execute|1", kind="run")
    assert redrawn(before, [elsewhere, moved]) == moved
    assert redrawn(before, [elsewhere]) is None
    assert redrawn(before, [elsewhere, before]) == before


def test_an_id_field_is_given_the_first_record() -> None:
    for name in ("id", "user_id", "page"):
        assert fill_field(FieldSpec(name=name), kind="read", unique="1").value == "1"


CONTROLS = """<!doctype html><html><body>
<details><summary>More</summary><p>hidden</p></details>
<details open><summary>Open already</summary><p>shown</p></details>
<div role="tablist"><div role="tab" aria-selected="true">Overview</div>
<div role="tab" aria-selected="false">Reviews</div></div>
<button aria-expanded="true">Menu</button><button aria-expanded="false">Filters</button>
<form><button>Send</button></form>
</body></html>"""


@pytest.mark.browser
async def test_disclosures_and_tabs_are_clicked_unless_already_open(browser: Browser) -> None:
    page = await browser.new_page()
    try:
        await page.set_content(CONTROLS)
        texts = [c.text for c in await clickables(page, limit=50)]
    finally:
        await page.close()
    assert texts == ["More", "Reviews", "Filters"]
