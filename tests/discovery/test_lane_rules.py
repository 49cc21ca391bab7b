"""The plain-HTTP lane's pure rule: which patterns form a family."""

from __future__ import annotations

from loadscout.discovery.lane import family


def test_a_family_is_a_folder_its_extension_and_its_query_keys() -> None:
    assert family("/library/os.html") == family("/library/re.html") == "/library/*.html?"
    assert family("/library/os.html") != family("/howto/os.html")
    assert family("/library/os.html") != family("/library/os.txt")
    assert family("/docs/{num}") == "/docs/*.?"
    assert family("/search?q={param}&page={num}") == family("/search?page=2&q=x")
    assert family("/search?q={param}") != family("/search?page={num}")
