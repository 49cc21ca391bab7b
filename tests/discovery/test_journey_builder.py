"""Journeys derived from crawl records (pure logic: no browser)."""

from __future__ import annotations

from loadscout.discovery.capture import Exchange
from loadscout.discovery.journey_builder import derive_journey
from loadscout.discovery.page_model import FieldSpec, FormSpec
from loadscout.discovery.records import CrawlResult, FormSubmission, LinkSeen, PageVisit

BASE = "http://127.0.0.1:9"


def visit(path: str, pattern: str, links: list[tuple[str, str, str]]) -> PageVisit:
    return PageVisit(
        url=BASE + path,
        pattern=pattern,
        depth=1,
        parent=None,
        document=Exchange(kind="document", method="GET", url=BASE + path, status=200),
        links=[LinkSeen(url=BASE + u, pattern=p, text=t) for u, p, t in links],
    )


def test_a_list_searched_in_place_is_entered_by_its_own_url_not_a_search() -> None:
    """Django admin's change list carries a GET search (``?q=``) that leads to the list
    itself: the list state keeps the URL links led to, so its records stay reachable (a search
    for a word of another section lists none of them)."""
    rows = [(f"/authors/{n}/", "/authors/{num}/", f"Amber author {n}") for n in range(1, 21)]
    home = visit("/", "/", [("/authors/", "/authors/", "Authors")])
    authors = visit("/authors/", "/authors/", [*rows, ("/", "/", "Home")])
    author = visit("/authors/3/", "/authors/{num}/", [("/authors/", "/authors/", "Authors")])
    box = (FieldSpec(name="q"),)
    search = FormSpec(index=0, action=BASE + "/authors/", method="get", fields=box)
    searched = FormSubmission(
        page=authors,
        form=search,
        kind="search",
        page_document=authors.document,
        submit=Exchange(kind="document", method="GET", url=BASE + "/authors/?q=Book", status=200),
        extractors={},
        templates={},
        links=[LinkSeen(url=BASE + "/", pattern="/")],
    )
    result = CrawlResult(visits=[home, authors, author], submissions=[searched])
    derived = derive_journey(result)
    assert derived is not None
    state = derived.journey.state("/authors/")
    assert state.url == "/authors/"
    assert any(t.to == "/authors/{num}/" for t in state.transitions)
    assert any(t.form is not None for t in state.transitions)  # the search is still a move
