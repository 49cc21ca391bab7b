"""The plain-HTTP lane's pure rules: which patterns form a family, and how a page's bytes
are decoded."""

from __future__ import annotations

from loadscout.discovery.lane import _charset, family


def test_a_family_is_a_folder_its_extension_and_its_query_keys() -> None:
    assert family("/library/os.html") == family("/library/re.html") == "/library/*.html?"
    assert family("/library/os.html") != family("/howto/os.html")
    assert family("/library/os.html") != family("/library/os.txt")
    assert family("/docs/{num}") == "/docs/*.?"
    assert family("/search?q={param}&page={num}") == family("/search?page=2&q=x")
    assert family("/search?q={param}") != family("/search?page={num}")


def test_a_page_is_decoded_by_its_declared_charset() -> None:
    assert _charset("text/html; charset=ISO-8859-1") == "iso-8859-1"
    assert _charset('text/html; charset="utf-8"') == "utf-8"
    assert _charset("text/html") == "utf-8"
