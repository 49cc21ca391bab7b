"""URL patterns (``/products/17`` -> ``/products/{num}``), per-pattern budgets and trap guards.

Patterns keep the crawl broad: a shop with 500 product pages costs a few visits per template,
and endless chains (``?month=`` calendars, ``/a/a/a/`` paths) stop after a bounded number.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from loadscout.flows.url_patterns import canonical_url, generalise, path_pattern, url_pattern

__all__ = ["canonical_url", "generalise", "path_pattern", "url_pattern"]

MAX_URL_LENGTH = 1500
MAX_QUERY_KEYS = 12
MAX_SEGMENT_REPEATS = 2


def trap_reason(url: str) -> str | None:
    """Why a URL looks like a crawler trap, or None."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    repeats = Counter(segments).most_common(1)
    if repeats and repeats[0][1] > MAX_SEGMENT_REPEATS:
        return f"path segment {repeats[0][0]!r} repeated {repeats[0][1]} times"
    if len({k for k, _ in parse_qsl(parts.query)}) > MAX_QUERY_KEYS:
        return f"more than {MAX_QUERY_KEYS} query parameters"
    return None


PROMOTE_AFTER = 10
_PositionKey = tuple[int, int, tuple[str, ...]]


class PatternLearner:
    """Promotes a literal path position to ``{param}`` once it took more than PROMOTE_AFTER
    distinct values under the same surrounding template (slugs: ``/tags/python``, ``/u/alice``)."""

    def __init__(self, *, promote_after: int = PROMOTE_AFTER) -> None:
        self.promote_after = promote_after
        self._values: dict[_PositionKey, set[str]] = {}
        self._promoted: set[_PositionKey] = set()

    @staticmethod
    def _keys(general: list[str]) -> list[tuple[int, _PositionKey]]:
        return [
            (i, (len(general), i, tuple([*general[:i], "*", *general[i + 1 :]])))
            for i, seg in enumerate(general)
            if seg and "{" not in seg  # issue{num} is a pattern already, never a slug
        ]

    def observe(self, url: str) -> None:
        general = [generalise(s) if s else s for s in urlsplit(url).path.split("/")]
        for i, key in self._keys(general):
            values = self._values.setdefault(key, set())
            values.add(general[i])
            if len(values) > self.promote_after:
                self._promoted.add(key)

    def pattern(self, url: str) -> str:
        general = [generalise(s) if s else s for s in urlsplit(url).path.split("/")]
        for i, key in self._keys(general):
            if key in self._promoted:
                general[i] = "{param}"
        query = url_pattern(url).partition("?")[2]
        return ("/".join(general) or "/") + (f"?{query}" if query else "")


class PatternBudget:
    """Admits each concrete URL once, at most ``per_pattern`` per pattern and ``per_path`` per
    path template (whatever the query keys), and never a trap."""

    def __init__(self, *, per_pattern: int = 3, per_path: int = 6) -> None:
        self.per_pattern = per_pattern
        self.per_path = per_path
        self._seen: set[str] = set()
        self._patterns: Counter[str] = Counter()
        self._paths: Counter[str] = Counter()
        self._skeletons: Counter[tuple[str, ...]] = Counter()
        self._family: dict[str, int] = {}
        self.learner = PatternLearner()

    def pattern(self, url: str) -> str:
        """The URL's pattern, with learned ``{param}`` positions."""
        return self.learner.pattern(url)

    def rank(self, url: str) -> tuple[int, int]:
        """Frontier priority: (URLs of its pattern admitted before it, patterns of its family
        admitted before its pattern — ``/admin/shop/book/add/`` after
        ``/admin/shop/author/add/``): every unseen pattern first, one of each family first.
        A query variant of a path already admitted (``/users/?o=``, ``?_popup=1``) waits like a
        second instance: a sort order or a popup is not a new page."""
        pattern = self.pattern(url)
        repeat = max(0, self._patterns[pattern] - 1)
        if "?" in url and self._paths[path_pattern(url)] > self._patterns[pattern]:
            repeat = max(repeat, 1)
        return repeat, self._family.get(pattern, 0)

    def _join_family(self, pattern: str) -> None:
        """Patterns differing in one path segment are a family (one admin template per
        model); a pattern's place in its family is fixed when it is first admitted."""
        segments = tuple(pattern.split("?")[0].split("/"))
        keys = [(*segments[:i], "*", *segments[i + 1 :]) for i in range(len(segments))]
        self._family[pattern] = max((self._skeletons[k] for k in keys), default=0)
        self._skeletons.update(keys)

    def seen(self, url: str) -> bool:
        return canonical_url(url) in self._seen

    def admit(self, url: str) -> str | None:
        """Record the URL and return None if it may be visited, else the reason it may not."""
        key = canonical_url(url)
        if key in self._seen:
            return "already visited"
        trap = trap_reason(url)
        if trap:
            return f"trap guard: {trap}"
        self.learner.observe(url)
        pattern, path = self.pattern(url), path_pattern(url)
        if self._patterns[pattern] >= self.per_pattern:
            return f"budget for {pattern} used up"
        if self._paths[path] >= self.per_path:
            return f"budget for {path} used up"
        self._seen.add(key)
        if pattern not in self._family:
            self._join_family(pattern)
        self._patterns[pattern] += 1
        self._paths[path] += 1
        return None

    @property
    def patterns(self) -> list[str]:
        return list(self._patterns)
