"""Correlation across steps: JSON ids, double-submit cookies, id links (pure, no browser)."""

from __future__ import annotations

import json
import re

from loadscout.discovery.capture import Exchange
from loadscout.discovery.provenance import (
    Recorded,
    correlate_cookie_headers,
    correlate_json_ids,
    correlate_links,
    correlate_locations,
    correlate_page_values,
    correlate_url_values,
    dynamic_values,
    html_sources,
    json_leaves,
    link_regex,
    unbound_values,
    url_value_regex,
)
from loadscout.flows.model import Flow, Step


def _fetch(url: str, body: object | None = None, **step: object) -> Recorded:
    exchange = Exchange(
        kind="fetch",
        method="GET",
        url="http://127.0.0.1:1" + url,
        status=200,
        content_type="application/json",
        response_body=None if body is None else json.dumps(body),
    )
    return Recorded(step=Step(name=f"GET {url}", url=url, kind="fetch", **step), exchange=exchange)  # type: ignore[arg-type]


def test_json_leaves_index_lists_by_position() -> None:
    leaves = dict(json_leaves({"items": [{"id": 7, "ok": True}, {"id": "x"}], "n": None}))
    assert leaves == {"items.0.id": "7", "items.1.id": "x"}


def test_an_id_from_an_earlier_json_response_is_extracted_not_replayed() -> None:
    flow = [
        _fetch("/api/items", {"items": [{"id": 3}, {"id": 41}]}),
        _fetch("/api/items/41"),
        _fetch("/api/other/99"),  # no response held 99: stays a constant
    ]
    correlate_json_ids(flow)
    extractor = flow[0].extract[0]
    assert (extractor.source, extractor.expression) == ("json", "items.1.id")
    assert flow[1].step.url == "/api/items/${" + extractor.name + "}"
    assert flow[2].step.url == "/api/other/99"
    assert flow[0].done().extract == [extractor]


def test_a_header_echoing_a_cookie_reads_the_cookie_jar() -> None:
    token = "Zx81kq0PpL2mN7vRt5Y"
    flow = [_fetch("/app"), _fetch("/api/wish", headers={"x-csrf-token": token, "x-other": "1"})]
    correlate_cookie_headers(flow, {token: "app_csrf"})
    extractor = flow[0].extract[0]
    assert (extractor.source, extractor.expression) == ("cookie", "app_csrf")
    assert flow[1].step.headers == {"x-csrf-token": "${" + extractor.name + "}", "x-other": "1"}
    assert token not in str(flow[1].done())


def _captured(regex: str, html: str) -> str | None:
    match = re.search(regex, html)
    return match.group(1) if match else None


def test_links_with_ids_are_taken_from_the_page_before() -> None:
    found = link_regex("/orders/1001")
    assert found is not None
    regex, prefix = found
    assert prefix == "/orders/"
    assert _captured(regex, '<a href="/orders/1002">') == "1002"
    assert _captured(regex, '<a href="http://h:1/orders/5">') == "5"
    assert _captured(regex, '<a href="1003">') == "1003"  # relative to the folder
    assert _captured(regex, '<a href="/other/1004">') is None
    assert link_regex("/about") is None
    assert link_regex("/products/3?x=1") is None
    home = Recorded(step=Step(name="GET /", url="/"))
    order = Recorded(step=Step(name="GET /orders/{num}", url="/orders/1001"))
    correlate_links([home, order])
    assert home.extract[0].source == "regex"
    assert order.step.url == "/orders/${" + home.extract[0].name + "}"


def _document(url: str, html: str) -> Recorded:
    exchange = Exchange(
        kind="document", method="GET", url=url, content_type="text/html", response_body=html
    )
    return Recorded(step=Step(name=f"GET {url}", url=url), exchange=exchange)


def test_a_link_the_recorded_page_does_not_hold_keeps_its_url() -> None:
    """A list a script renders from an API (the shop's /deals): the page's HTML has no link to
    read at replay, so the recorded URL stays; a link the HTML holds is read from it."""
    deals = _document("/deals", '<ul id="deals"></ul><a href="/cart">cart</a>')
    product = Recorded(step=Step(name="GET /products/{num}", url="/products/12"))
    correlate_links([deals, product])
    assert deals.extract == [] and product.step.url == "/products/12"
    listing = _document("/products", '<a href="/products/12">twelve</a>')
    again = Recorded(step=Step(name="GET /products/{num}", url="/products/12"))
    correlate_links([listing, again])
    assert again.step.url == "/products/${" + listing.extract[0].name + "}"


def test_a_numbered_segment_link_is_any_of_its_kind_written_any_way() -> None:
    """Roundup lists issues as ``href="issue300"`` on ``/tracker/``: each user follows one
    its page shows, not issue300 every time."""
    found = link_regex("/tracker/issue300")
    assert found is not None
    regex, prefix = found
    assert prefix == "/tracker/"
    assert _captured(regex, '<a href="issue295">') == "issue295"
    assert _captured(regex, '<a href="/tracker/issue7">') == "issue7"
    assert _captured(regex, '<a href="user7">') is None
    found = link_regex("/shop/p/17/reviews")
    assert found is not None and found[1] == "/shop/p/"
    assert _captured(found[0], '<a href="/shop/p/9/reviews">') == "9/reviews"


def test_a_created_resource_is_addressed_through_its_location_header() -> None:
    create = _fetch("/api/things")
    assert create.exchange is not None
    create.exchange.status, create.exchange.location = 201, "/api/things/55"
    read = _fetch("/api/things/55")
    redirected = _fetch("/api/moved")
    assert redirected.exchange is not None
    redirected.exchange.status, redirected.exchange.location = 302, "/api/things/55"
    correlate_locations([create, read])
    extractor = create.extract[0]
    assert (extractor.source, extractor.expression) == ("header", "Location")
    assert read.step.url == "${" + extractor.name + "}"
    again = _fetch("/api/things/55")
    correlate_locations([redirected, again])  # a followed redirect's header is not readable
    assert again.step.url == "/api/things/55"


def test_values_copied_from_meta_tags_and_inputs_are_re_read() -> None:
    html = (
        '<meta charset="utf-8"><meta name="csrf-token" content="Tk-81kq0PpL2mN7vRt5Y">'
        "<input type='hidden' name='nonce' value='n0nce-1234567'>"
    )
    assert html_sources(html) == {
        "Tk-81kq0PpL2mN7vRt5Y": ('meta[name="csrf-token"]', "content"),
        "n0nce-1234567": ('input[name="nonce"]', "value"),
    }
    page = Recorded(
        step=Step(name="GET /", url="/"),
        exchange=Exchange(
            kind="document",
            method="GET",
            url="http://127.0.0.1:1/",
            content_type="text/html",
            response_body=html,
        ),
    )
    call = _fetch(
        "/api/x",
        headers={"x-token": "Tk-81kq0PpL2mN7vRt5Y", "x-const": "plain-constant"},
        json_body={"nonce": "n0nce-1234567", "n": 3, "short": "abc"},
    )
    correlate_page_values([page, call])
    names = {e.expression: e.name for e in page.extract}
    assert call.step.headers["x-token"] == "${" + names['meta[name="csrf-token"]'] + "}"
    assert call.step.headers["x-const"] == "plain-constant"
    assert call.step.json_body == {
        "nonce": "${" + names['input[name="nonce"]'] + "}",
        "n": 3,
        "short": "abc",
    }


def test_two_recordings_tell_dynamic_values_from_constants() -> None:
    def call(token: str, item: str) -> Exchange:
        return Exchange(
            kind="fetch",
            method="POST",
            url=f"http://127.0.0.1:1/api/items/{item}?lang=en",
            headers={"x-token": token},
            request_type="application/json",
            post_data=json.dumps({"stars": 5, "note": "same"}),
        )

    first = [call("tok-a", "7")]
    assert dynamic_values(first, [call("tok-b", "7")]) == {"tok-a"}
    assert dynamic_values(first, [call("tok-a", "7")]) == frozenset()
    other = Exchange(kind="fetch", method="GET", url="http://127.0.0.1:1/elsewhere")
    assert dynamic_values(first, [other]) == frozenset()  # not the same call: no comparison


def _page(html: str) -> Recorded:
    exchange = Exchange(
        kind="document",
        method="GET",
        url="http://127.0.0.1:1/",
        status=200,
        content_type="text/html",
        response_body=html,
    )
    return Recorded(step=Step(name="GET /", url="/"), exchange=exchange)


def test_a_url_value_regex_is_keyed_by_its_parameter_or_path_and_checked() -> None:
    html = '<p>s1a2b3c4d5</p><a href="/next?x=1&amp;token=s1a2b3c4d5">n</a>'
    regex = url_value_regex(html, "s1a2b3c4d5")
    assert regex is not None and re.search(regex, html).group(1) == "s1a2b3c4d5"  # type: ignore[union-attr]
    path = url_value_regex('<a href="/s/k9q8w7e6r5/page">', "k9q8w7e6r5")
    assert path is not None and path.startswith(r"[\"']/s/")
    assert url_value_regex("<p>s1a2b3c4d5</p>", "s1a2b3c4d5") is None  # not in a URL
    # the first token= link holds another value: a regex would read the wrong one
    assert (
        url_value_regex('<a href="/a?token=other1">a</a><a href="/b?token=mine22">', "mine22")
        is None
    )


def test_dynamic_url_values_are_read_from_the_link_or_left_alone() -> None:
    page = _page('<a href="/next?token=s1a2b3c4d5&page=2">next</a>')
    follow = Recorded(step=Step(name="GET /next", url="/next?token=s1a2b3c4d5&page=2&n=Zz9"))
    correlate_url_values([page, follow], frozenset({"s1a2b3c4d5", "Zz9"}))
    (extractor,) = page.extract
    assert extractor.source == "regex"
    assert follow.step.url == "/next?token=${" + extractor.name + "}&page=2&n=Zz9"
    flow = Flow(name="f", steps=[page.done(), follow.done()])
    assert unbound_values(flow, frozenset({"s1a2b3c4d5", "Zz9"})) == ["Zz9"]
    untouched = Recorded(step=Step(name="GET /x", url="/x?token=s1a2b3c4d5"))
    correlate_url_values([_page("<p>no links</p>"), untouched], frozenset())
    assert untouched.step.url == "/x?token=s1a2b3c4d5"
