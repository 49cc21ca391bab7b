"""The plain-HTTP lane reads a page's raw HTML as the browser reads its DOM, when no script
changes it: the same links, forms and shape, compared against real Chromium."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from loadscout.discovery.page_model import read_page
from loadscout.discovery.raw_page import read_html

BASE = "http://127.0.0.1:9/shop/list?page=2"

PAGE = """<!doctype html><html><head><title> Things &amp; more </title></head><body>
<header><a href="/">Home</a> <a href="../about">About   us</a></header>
<nav role="navigation"><ul><li><a href="items/1">One</a></li></ul></nav>
<main>
<table><tr><td><a href="items/2?x=1#frag">Two</a></td></tr></table>
<p><a href="/files/report.csv" download>Report</a> <a href="mailto:a@b.c">Mail</a>
<a href="#top">Top</a><a href=" items/3 " aria-label="Three"></a></p>
<form action="/search"><input type="search" name="q" placeholder="Find">
<select name="sort"><option>name</option><option value="p" selected>Price</option></select>
<button>Go</button></form>
<form method="POST" id="edit"><input type="hidden" name="csrf" value="t0k">
<input name="title" required minlength="3" maxlength="80" pattern="[a-z]+">
<input type="checkbox" name="public"><input type="radio" name="kind" value="a" checked>
<input type="number" name="n" min="1" max="9" step="2" value="4">
<input type="weird" name="odd"><textarea name="body">Hello</textarea>
<select name="tags" multiple><option value="x" selected>X</option><option>Y</option></select>
<input type="submit" value="Save"><input type="reset"><button type="button">No</button>
</form>
<input name="outside" form="edit" value="o">
<form action=""><input name="empty_action"><input type="image" alt="Send"></form>
</main>
<footer><div role="banner"><a href="/legal">Legal</a></div></footer>
</body></html>"""


@pytest.mark.browser
async def test_raw_html_reads_as_the_browser_reads_its_dom(browser: Browser) -> None:
    page = await browser.new_page()
    try:
        await page.route("**/*", lambda route: route.fulfill(body=PAGE, content_type="text/html"))
        await page.goto(BASE)
        seen = await read_page(page)
    finally:
        await page.close()
    raw = read_html(PAGE, BASE)
    assert raw.title == seen.title
    assert raw.links == seen.links
    assert raw.forms == seen.forms
    assert raw.shape == seen.shape  # tbody, implied by the parser, included
    assert len(raw.forms) == 3 and [f.name for f in raw.forms[1].fields][-1] == "outside"


def test_a_base_element_resolves_links_and_actions() -> None:
    html = '<base href="/app/"><a href="x">x</a><form action="save"><input name="a"></form>'
    model = read_html(html, "http://127.0.0.1:9/elsewhere/page")
    assert model.links[0].href == "http://127.0.0.1:9/app/x"
    assert model.forms[0].action == "http://127.0.0.1:9/app/save"
