"""Which link a virtual user clicks: how a journey moves over the data."""

from __future__ import annotations

import bisect
import functools
import random
import re
from collections.abc import Sequence

from loadscout.flows.journeys import ItemChoice
from loadscout.flows.page_links import followable, links_to, page_hrefs
from loadscout.load.client import HttpResponse
from loadscout.plan.scope import Scope, origin_of


class _Parsed:
    """A page's hrefs, its links per pattern, and those a user may follow, each worked out
    when first asked for."""

    __slots__ = ("body", "by_pattern", "hrefs", "origin", "usable", "within")

    def __init__(self, body: bytes, hrefs: list[str], origin: str) -> None:
        self.body = body
        self.hrefs = hrefs
        self.origin = origin
        # keyed by the regex's source: a compiled pattern hashes all its code at each lookup
        self.by_pattern: dict[str, tuple[str, ...]] = {}
        self.usable: dict[str, tuple[str, ...]] = {}
        self.within: Scope | None = None  # the scope ``usable`` was checked against


# Pages by URL, kept with their bytes: a user lands on the same page with the same bytes again
# and again (lists, popular items), and its links are a function of those two. Comparing the
# bytes costs less than hashing them. Cleared when full (pages or bytes), so a site of many or
# large pages costs one parse per visit, as without it, and bounded memory.
_SEEN: dict[str, _Parsed] = {}
SEEN_MAX = 2048
SEEN_MAX_BYTES = 32 * 1024 * 1024


class _Kept:
    bytes = 0  # of the bodies in _SEEN


def on_page(page: HttpResponse, pattern: re.Pattern[str], origin: str = "") -> tuple[str, ...]:
    """Links of ``page`` whose path matches ``pattern`` (scope and safety unchecked), in page
    order. ``origin`` is the run's: when the page is on it, its own is not parsed out of its
    URL."""
    parsed = _parse(page, origin)
    found = parsed.by_pattern.get(pattern.pattern)
    if found is None:
        found = tuple(links_to(parsed.hrefs, page.url, pattern, parsed.origin))
        parsed.by_pattern[pattern.pattern] = found
    return found


def usable(page: HttpResponse, pattern: re.Pattern[str], within: Scope) -> tuple[str, ...]:
    """The links of ``page`` matching ``pattern`` that a user may follow (in scope, safe), in
    page order: what :func:`pick` chooses among."""
    parsed = _parse(page, within.origin)
    if parsed.within is not within:
        parsed.within, parsed.usable = within, {}
    urls = parsed.usable.get(pattern.pattern)
    if urls is None:
        urls = tuple(u for u in on_page(page, pattern, within.origin) if followable(u, within))
        parsed.usable[pattern.pattern] = urls
    return urls


def follow(
    page: HttpResponse,
    pattern: re.Pattern[str],
    within: Scope,
    rng: random.Random,
    choice: ItemChoice,
    zipf_s: float = 1.0,
) -> str | None:
    """The link a user clicks: one of :func:`usable` picked as :func:`pick` does; None when
    there is none. A journey's every page asks this, so a page seen before answers from its
    cache without a call in between."""
    parsed = _SEEN.get(page.url)
    urls = (
        parsed.usable.get(pattern.pattern)
        if parsed is not None and parsed.within is within and parsed.body == page.body
        else None
    )
    if urls is None:
        urls = usable(page, pattern, within)
    return pick(urls, rng, choice, zipf_s) if urls else None


def _parse(page: HttpResponse, origin: str) -> _Parsed:
    """Parsed when first asked for, then cached (see ``_SEEN``)."""
    parsed = _SEEN.get(page.url)
    if parsed is not None and parsed.body == page.body:
        return parsed
    markup = b"<" in page.body[:4096]  # not markup: no links, and nothing to parse
    hrefs = page_hrefs(page.text()) if markup else []
    on_origin = (
        origin and page.url.startswith(origin) and page.url[len(origin) : len(origin) + 1] == "/"
    )
    parsed = _Parsed(page.body, hrefs, origin if on_origin else origin_of(page.url))
    if len(_SEEN) >= SEEN_MAX or _Kept.bytes + len(page.body) > SEEN_MAX_BYTES:
        _SEEN.clear()
        _Kept.bytes = 0
    replaced = _SEEN.get(page.url)
    _Kept.bytes += len(page.body) - (len(replaced.body) if replaced else 0)
    _SEEN[page.url] = parsed
    return parsed


def pick(urls: Sequence[str], rng: random.Random, choice: ItemChoice, zipf_s: float = 1.0) -> str:
    """One of ``urls`` (in page order): uniform, position-weighted (1/sqrt(1+rank)) or Zipf-like
    (1/(1+rank)^s)."""
    n = len(urls)
    if choice == "uniform" or n == 1:
        return urls[int(rng.random() * n)]  # randrange costs several times more
    cumulative = _cumulative(n, 0.5 if choice == "position" else zipf_s)
    return urls[bisect.bisect(cumulative, rng.random() * cumulative[-1], 0, n - 1)]


@functools.lru_cache(maxsize=256)
def _cumulative(n: int, exponent: float) -> tuple[float, ...]:
    """Running sums of the rank weights: the same few page lengths come up again and again."""
    total, sums = 0.0, []
    for rank in range(n):
        total += (1 + rank) ** -exponent
        sums.append(total)
    return tuple(sums)
