from __future__ import annotations

import pytest

from loadscout.discovery.patterns import (
    PatternBudget,
    PatternLearner,
    canonical_url,
    trap_reason,
    url_pattern,
)

BASE = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/products/17", "/products/{num}"),
        ("/products/17/reviews/3", "/products/{num}/reviews/{num}"),
        ("/orders/6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b", "/orders/{uuid}"),
        ("/blobs/deadbeef42", "/blobs/{hex}"),
        ("/archive/2026-11-25", "/archive/{date}"),
        ("/archive/2026-11", "/archive/{date}"),
        ("/about", "/about"),
        ("/", "/"),
        ("/cafe", "/cafe"),  # all-hex letters but no digit: a word, not an id
        ("/calendar?month=2026-12", "/calendar?month={}"),
        ("/search?q=shoes&page=2", "/search?page={}&q={}"),
        ("/search?page=2&q=hats", "/search?page={}&q={}"),
        ("/x?utm_source=mail&id=3", "/x?id={}"),
    ],
)
def test_url_pattern(path: str, pattern: str) -> None:
    assert url_pattern(BASE + path) == pattern


def test_canonical_url_drops_fragment_and_tracking_and_sorts_query() -> None:
    assert canonical_url(BASE + "/a?b=2&a=1&utm_campaign=x#frag") == BASE + "/a?a=1&b=2"


def test_budget_caps_concrete_urls_per_pattern() -> None:
    budget = PatternBudget(per_pattern=3)
    admitted = [n for n in range(50) if budget.admit(f"{BASE}/products/{n}") is None]
    assert admitted == [0, 1, 2]
    assert budget.admit(f"{BASE}/products/99") == "budget for /products/{num} used up"
    assert budget.admit(f"{BASE}/about") is None
    assert budget.patterns == ["/products/{num}", "/about"]


def test_budget_admits_each_url_once() -> None:
    budget = PatternBudget()
    assert budget.admit(f"{BASE}/about#x") is None
    assert budget.admit(f"{BASE}/about") == "already visited"
    assert budget.seen(f"{BASE}/about?utm_source=x")


def test_endless_calendar_is_bounded() -> None:
    budget = PatternBudget(per_pattern=3)
    months = [f"{BASE}/calendar?month={2026 + m // 12}-{m % 12 + 1:02d}" for m in range(120)]
    assert sum(budget.admit(url) is None for url in months) == 3


def test_query_key_variations_share_a_path_budget() -> None:
    budget = PatternBudget(per_pattern=3, per_path=6)
    urls = [f"{BASE}/calendar?month=2026-01&k{i}={j}" for i in range(10) for j in range(3)]
    assert sum(budget.admit(url) is None for url in urls) == 6


@pytest.mark.parametrize(
    ("path", "trap"),
    [
        ("/a/b/a/b/a/b", True),
        ("/a/a/a", True),
        ("/a/a", False),
        ("/" + "x" * 2000, True),
        ("/q?" + "&".join(f"k{i}=1" for i in range(13)), True),
        ("/products/1/reviews", False),
    ],
)
def test_trap_reason(path: str, trap: bool) -> None:
    assert (trap_reason(BASE + path) is not None) is trap


def test_a_slug_position_is_promoted_after_more_than_ten_values() -> None:
    learner = PatternLearner()
    for i in range(10):
        learner.observe(f"http://h/tags/word{chr(97 + i)}/feed")
    assert learner.pattern("http://h/tags/wordz/feed") == "/tags/wordz/feed"
    learner.observe("http://h/tags/wordk/feed")
    assert learner.pattern("http://h/tags/wordz/feed?p=2") == "/tags/{param}/feed?p={}"
    assert learner.pattern("http://h/tags/wordz") == "/tags/wordz"  # another template


def test_budget_counts_promoted_slugs_as_one_pattern() -> None:
    budget = PatternBudget(per_pattern=3, per_path=100)
    names = ["".join(chr(97 + (i * 7 + k * 3) % 26) for k in range(5)) for i in range(20)]
    admitted = [budget.admit(f"http://h/u/{name}") is None for name in names]
    assert sum(admitted) == 10 + 3  # 10 distinct before promotion, then the pattern's budget
    assert budget.pattern("http://h/u/someone") == "/u/{param}"


def test_a_word_closed_by_a_number_is_a_record() -> None:
    """Roundup's issue270 and user12: two patterns from the first page, not one {param}."""
    budget = PatternBudget(per_pattern=3, per_path=100)
    assert budget.pattern("http://h/tracker/issue270") == "/tracker/issue{num}"
    assert budget.pattern("http://h/tracker/user12") == "/tracker/user{num}"
    assert budget.pattern("http://h/api/v2/items") == "/api/v2/items"  # a version stays
    for page in (
        "status",
        "keyword",
        "priority",
        "msg",
        "file",
        "query",
        "home",
        "user",
        "issue",
        "help",
        "search",
        "about",
    ):  # the tracker's class pages: slugs at that place
        budget.admit(f"http://h/tracker/{page}")
    assert budget.pattern("http://h/tracker/keyword") == "/tracker/{param}"
    assert budget.pattern("http://h/tracker/issue270") == "/tracker/issue{num}"


def test_rank_puts_one_pattern_of_each_family_first() -> None:
    """One admin template per model: the first model's add page ranks with the first change
    page, the other models' add pages after them; a second record's page after both."""
    budget = PatternBudget()
    urls = [
        "http://h/admin/shop/author/",
        "http://h/admin/shop/book/",
        "http://h/admin/shop/author/add/",
        "http://h/admin/shop/book/add/",
        "http://h/admin/shop/author/7/change/",
        "http://h/admin/shop/author/8/change/",
    ]
    ranks = []
    for url in urls:  # as the crawler does: ranked when admitted
        assert budget.admit(url) is None
        ranks.append(budget.rank(url))
    assert ranks == [(0, 0), (0, 1), (0, 0), (0, 1), (0, 0), (1, 0)]


def test_a_query_variant_of_a_known_path_waits_like_a_second_instance() -> None:
    budget = PatternBudget()
    for url in ("http://h/admin/users/", "http://h/admin/users/?o=1", "http://h/admin/books/"):
        assert budget.admit(url) is None
    assert budget.rank("http://h/admin/users/")[0] == 0
    assert budget.rank("http://h/admin/users/?o=1")[0] == 1  # a sort order, not a new page
    assert budget.rank("http://h/admin/books/")[0] == 0
