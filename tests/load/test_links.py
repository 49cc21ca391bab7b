"""Picking the link a virtual user follows (pure logic, seeded)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from loadscout.flows.journeys import pattern_regex
from loadscout.flows.page_links import matching, page_hrefs, page_links
from loadscout.load import links as links_module
from loadscout.load.client import HttpResponse
from loadscout.load.links import follow, on_page, pick, usable
from loadscout.plan.scope import Scope

PAGE = b"""<html><body><a href="/items/1">1</a><a href="items/2#top">2</a>
<a href="/items/1">again</a><a href="http://other.invalid/items/3">off site</a>
<a href="mailto:x@y">m</a><a href="/logout">out</a></body></html>"""


def page() -> HttpResponse:
    return HttpResponse(status=200, url="http://127.0.0.1:9/", headers={}, body=PAGE, charset=None)


def test_links_in_order_once_each_and_only_in_scope_and_pattern() -> None:
    links = page_links(page().text(), page().url)
    assert links[:2] == ["http://127.0.0.1:9/items/1", "http://127.0.0.1:9/items/2"]
    found = matching(links, pattern_regex("/items/{id}"), Scope("http://127.0.0.1:9/"))
    assert found == ["http://127.0.0.1:9/items/1", "http://127.0.0.1:9/items/2"]


def test_choices_uniform_position_and_zipf() -> None:
    urls = [f"/i/{n}" for n in range(20)]
    rng = random.Random(1)
    uniform = Counter(pick(urls, rng, "uniform") for _ in range(20_000))
    position = Counter(pick(urls, rng, "position") for _ in range(20_000))
    zipf = Counter(pick(urls, rng, "zipf", 1.0) for _ in range(20_000))
    assert max(uniform.values()) / min(uniform.values()) < 1.3
    assert 1.6 < position["/i/0"] / position["/i/3"] < 2.4  # sqrt(4) = 2
    assert 3.3 < zipf["/i/0"] / zipf["/i/3"] < 4.8  # 4


def test_logout_and_destructive_links_are_never_followed() -> None:
    links = [f"http://127.0.0.1:9/{p}" for p in ("a/logout", "a/delete", "a/7", "a/signOut")]
    assert matching(links, pattern_regex("/a/{slug}"), Scope("http://127.0.0.1:9/")) == [
        "http://127.0.0.1:9/a/7"
    ]


def test_a_page_offers_only_safe_in_scope_links_to_follow() -> None:
    body = b'<a href="/a/logout">x</a><a href="http://other.invalid/a/3">y</a><a href="a/4">z</a>'
    page = HttpResponse(status=200, url="http://127.0.0.1:9/", headers={}, body=body, charset=None)
    pattern = pattern_regex("/a/{slug}")
    assert len(on_page(page, pattern)) == 3  # matched by path, whatever its scope or safety
    assert usable(page, pattern, Scope("http://127.0.0.1:9/")) == ("http://127.0.0.1:9/a/4",)
    wide = Scope("http://127.0.0.1:9/", r"other\.invalid")  # another scope: checked afresh
    assert usable(page, pattern, wide) == ("http://other.invalid/a/3", "http://127.0.0.1:9/a/4")


def test_position_and_zipf_rank_only_the_links_a_user_may_follow() -> None:
    urls = ("/i/0", "/i/1")
    rng = random.Random(2)
    first = sum(pick(urls, rng, "position") == "/i/0" for _ in range(20_000)) / 20_000
    assert 0.55 < first < 0.6  # 1 / (1 + 1/sqrt(2)) = 0.586


def test_hrefs_are_read_whatever_the_quoting_and_comments_are_skipped() -> None:
    html = """<a class=x href="/a/1?x=1&amp;y=2#top">1</a><A HREF='/a/2'>2</A><a href=/a/3>3</a>
    <!-- <a href="/a/4">hidden</a> --><link href="/style.css"><a href="#here">h</a>
    <a href="javascript:void(0)">j</a><a href="/a/1?x=1&amp;y=2">again</a>"""
    assert page_hrefs(html) == ["/a/1?x=1&y=2", "/a/2", "/a/3"]


def test_the_same_page_with_the_same_bytes_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []

    def counting(html: str) -> list[str]:
        parsed.append(html)
        return page_hrefs(html)

    monkeypatch.setattr(links_module, "page_hrefs", counting)
    pattern = pattern_regex("/items/{id}")
    url = "http://127.0.0.1:9/cached"
    first = HttpResponse(status=200, url=url, headers={}, body=PAGE, charset=None)
    again = HttpResponse(status=200, url=url, headers={}, body=bytes(bytearray(PAGE)), charset=None)
    assert on_page(first, pattern) == on_page(again, pattern) and len(parsed) == 1
    changed = PAGE.replace(b"/items/1", b"/items/9")
    other = HttpResponse(status=200, url=url, headers={}, body=changed, charset=None)
    assert "http://127.0.0.1:9/items/9" in on_page(other, pattern) and len(parsed) == 2


def test_the_page_cache_holds_a_bounded_number_of_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(links_module, "_SEEN", {})
    monkeypatch.setattr(links_module._Kept, "bytes", 0)
    monkeypatch.setattr(links_module, "SEEN_MAX_BYTES", 10_000)
    pattern = pattern_regex("/items/{id}")
    for n in range(20):
        body = PAGE + b" " * 1_000
        url = f"http://127.0.0.1:9/p{n}"
        page = HttpResponse(status=200, url=url, headers={}, body=body, charset=None)
        on_page(page, pattern)
        kept = sum(len(p.body) for p in links_module._SEEN.values())
        assert kept == links_module._Kept.bytes <= 10_000


def test_a_click_follows_only_a_usable_link_of_the_page_as_it_is_now() -> None:
    pattern, within = pattern_regex("/a/{slug}"), Scope("http://127.0.0.1:9/")
    url, rng = "http://127.0.0.1:9/clicks", random.Random(3)
    body = b'<a href="/a/logout">x</a><a href="http://other.invalid/a/3">y</a><a href="a/4">z</a>'
    first = HttpResponse(status=200, url=url, headers={}, body=body, charset=None)
    for choice in ("uniform", "position", "zipf"):
        assert {follow(first, pattern, within, rng, choice) for _ in range(50)} == {
            "http://127.0.0.1:9/a/4"
        }
    changed = HttpResponse(
        status=200, url=url, headers={}, body=body.replace(b"a/4", b"a/5"), charset=None
    )  # the same URL, other bytes: its links, not the cached page's
    assert follow(changed, pattern, within, rng, "uniform") == "http://127.0.0.1:9/a/5"
    none = HttpResponse(status=200, url=url, headers={}, body=b'<a href="/a/logout">', charset=None)
    assert follow(none, pattern, within, rng, "uniform") is None
