"""Extractors on hand-built responses (pure logic; the runner tests cover real sockets)."""

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from loadscout.flows.model import Extractor
from loadscout.load.client import HttpResponse
from loadscout.load.extract import ExtractionFailed, extract, json_path

FORM_INPUT = 'form[action="/login"] input[name=csrf_token]'
HTML = b'<form action="/login"><input name="csrf_token" value="tok-1"></form><h1> Hi  there</h1>'


def response(body: bytes, **headers: str) -> HttpResponse:
    return HttpResponse(
        status=200,
        url="http://127.0.0.1/x",
        headers=CIMultiDictProxy(CIMultiDict(headers)),
        body=body,
        charset="utf-8",
    )


def no_cookies(name: str) -> str | None:
    return None


def test_css_attribute_and_text() -> None:
    found = extract(
        [
            Extractor(name="t", source="css", expression=FORM_INPUT),
            Extractor(name="h", source="css", expression="h1", attribute="text"),
        ],
        response(HTML),
        no_cookies,
    )
    assert found == {"t": "tok-1", "h": "Hi there"}


def test_regex_header_cookie() -> None:
    found = extract(
        [
            Extractor(name="r", source="regex", expression=r"id=(\d+)"),
            Extractor(name="whole", source="regex", expression=r"id=\d+"),
            Extractor(name="h", source="header", expression="x-trace"),
            Extractor(name="c", source="cookie", expression="sid"),
        ],
        response(b"id=42;", **{"X-Trace": "abc"}),
        {"sid": "s1"}.get,
    )
    assert found == {"r": "42", "whole": "id=42", "h": "abc", "c": "s1"}


def test_json_paths() -> None:
    doc = {"data": {"items": [{"id": 1}, {"id": 2, "ok": True}]}, "s": "x", "n": None}
    assert json_path(doc, "data.items.1.id") == "2"
    assert json_path(doc, "data.items.1.ok") == "true"
    assert json_path(doc, "s") == "x"
    assert json_path(doc, "data.items.0") == '{"id": 1}'
    assert json_path(doc, "data.items.5.id") is None
    assert json_path(doc, "data.items.x") is None
    assert json_path(doc, "n") is None


def test_required_missing_fails_optional_missing_is_skipped() -> None:
    optional = Extractor(name="o", source="regex", expression="nope(.)", required=False)
    assert extract([optional], response(b"text"), no_cookies) == {}
    with pytest.raises(ExtractionFailed, match=r"'j'.*JSONDecodeError"):
        extract(
            [Extractor(name="j", source="json", expression="a")], response(b"<html>"), no_cookies
        )
    with pytest.raises(ExtractionFailed, match="no match"):
        extract([Extractor(name="c", source="css", expression="p")], response(HTML), no_cookies)
