"""The third-party-shaped sections: a tracker whose two forms share an action, 300 records
with detail and change pages, and a button-only API explorer."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from loadscout.demo.records import PAGE_SIZE, RECORD_COUNT
from tests.demo.shop_client import ShopClient


async def test_tracker_search_and_login_forms_share_one_action(client: ShopClient) -> None:
    page = await client.get("/tracker")
    forms = page.html.css("form")
    assert [(f.attributes.get("method"), f.attributes.get("action")) for f in forms] == [
        ("get", "/tracker"),
        ("post", "/tracker"),
    ]
    assert forms[0].css_first('input[name="csrf_token"]') is None  # only the login has a token
    found = await client.get("/tracker?q=search")
    assert "Issue 2: search is slow" in found.text and "Issue 1" not in found.text


async def test_tracker_login_needs_the_token_and_the_right_password(client: ShopClient) -> None:
    token = (await client.get("/tracker")).csrf_token()
    creds = {"username": "alice", "password": "wonderland"}
    assert (await client.post("/tracker", creds)).status == 403
    wrong = await client.post("/tracker", creds | {"password": "x", "csrf_token": token})
    assert wrong.status == 200 and "wrong password" in wrong.text
    done = await client.post("/tracker", creds | {"csrf_token": token})
    assert (done.status, done.location) == (303, "/tracker")
    after = await client.get("/tracker")
    assert "Logged in as alice" in after.text and 'type="password"' not in after.text


async def test_records_are_paginated_with_detail_and_change_pages(client: ShopClient) -> None:
    first = await client.get("/records")
    rows = first.html.css("table a[href^='/records/']")
    details = {a.attributes["href"] for a in rows if "/change" not in str(a.attributes["href"])}
    assert len(details) == PAGE_SIZE
    pages = -(-RECORD_COUNT // PAGE_SIZE)
    assert f"/records?page={pages}" in first.links()
    assert (await client.get(f"/records?page={pages + 1}")).status == 404
    last = await client.get(f"/records/{RECORD_COUNT}")
    assert last.status == 200 and f"Customer {RECORD_COUNT}" in last.text
    assert (await client.get(f"/records/{RECORD_COUNT + 1}")).status == 404


async def test_a_record_change_is_saved_with_the_csrf_token(client: ShopClient) -> None:
    change = await client.get("/records/42/change")
    form = change.html.css_first('form[action="/records/42/change"]')
    assert form is not None and form.attributes.get("method") == "post"
    data = {"name": "Renamed 42", "notes": "hi", "csrf_token": change.csrf_token()}
    saved = await client.post("/records/42/change", data)
    assert (saved.status, saved.location) == (303, "/records/42")
    assert "Renamed 42" in (await client.get("/records/42")).text
    assert (await client.post("/records/42/change", {"name": "x"})).status == 403


async def test_explorer_has_buttons_and_no_links_to_its_api(client: ShopClient) -> None:
    page = await client.get("/explorer")
    main = LexborHTMLParser(page.text).css_first("main")
    assert main is not None
    assert main.css("a") == []
    ops = [b.attributes.get("data-op") for b in main.css("button[data-op]")]
    assert ops == ["/api/explorer/status", "/api/explorer/records/"]
    assert await client.json("/api/explorer/search?q=customer%20007") == [7]
    assert await client.json("/api/explorer/status") == {"records": RECORD_COUNT, "ok": True}
    assert await client.json("/api/explorer/records/7") == {
        "id": 7,
        "name": "Customer 007",
        "team": "support",
    }


async def test_the_multi_click_explorer_is_drawn_in_the_browser(client: ShopClient) -> None:
    """The page holds no operation at all: its script draws them from the API's list."""
    page = await client.get("/explorer/ops")
    main = LexborHTMLParser(page.text).css_first("main")
    assert main is not None
    assert main.css("a") == [] and main.css("button") == []
    listed = await client.json("/api/explorer/operations")
    assert {op["method"] for op in listed} == {"GET", "POST", "PUT", "DELETE"}
    assert await client.json("/api/explorer/teams/support/records")
