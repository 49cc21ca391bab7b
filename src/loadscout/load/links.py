"""Which link a virtual user clicks: how a journey moves over the data."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from loadscout.flows.journeys import ItemChoice
from loadscout.flows.page_links import followable, links_to, page_hrefs
from loadscout.load.client import HttpResponse
from loadscout.plan.scope import Scope, origin_of


class _Parsed:
    """A page's hrefs, and its links per pattern, as each is first asked for."""

    __slots__ = ("by_pattern", "hrefs", "origin")

    def __init__(self, hrefs: list[str], origin: str) -> None:
        self.hrefs = hrefs
        self.origin = origin
        self.by_pattern: dict[re.Pattern[str], tuple[str, ...]] = {}


# Pages by (URL, hash of the body): a user lands on the same page with the same bytes again
# and again (lists, popular items), and its links are a function of those two. Cleared when
# full, so a site of many pages costs one parse per visit, as without it.
_SEEN: dict[tuple[str, int], _Parsed] = {}
SEEN_MAX = 2048


class PageLinks:
    """The links of the response a user just got, parsed once, when first needed."""

    __slots__ = ("_parsed", "response")

    def __init__(self, response: HttpResponse | None) -> None:
        self.response = response
        self._parsed: _Parsed | None = None

    def to(self, pattern: re.Pattern[str], origin: str = "") -> tuple[str, ...]:
        """Links whose path matches ``pattern`` (scope and safety unchecked), in page order.
        ``origin`` is the run's: when the page is on it, its own is not parsed out of its URL."""
        page = self.response
        if page is None:
            return ()
        parsed = self._parsed
        if parsed is None:
            parsed = self._parsed = _parse(page, origin)
        found = parsed.by_pattern.get(pattern)
        if found is None:
            found = tuple(links_to(parsed.hrefs, page.url, pattern, parsed.origin))
            parsed.by_pattern[pattern] = found
        return found

    def choose(
        self,
        pattern: re.Pattern[str],
        rng: random.Random,
        choice: ItemChoice,
        within: Scope,
        zipf_s: float = 1.0,
    ) -> str | None:
        """A link to follow by ``choice``; one outside the scope or unsafe is struck out and
        the choice made again among the rest (so only the links chosen are checked)."""
        urls = self.to(pattern, within.origin)
        while urls:
            url = pick(urls, rng, choice, zipf_s)
            if followable(url, within):
                return url
            urls = tuple(u for u in urls if u != url)
        return None


def _parse(page: HttpResponse, origin: str) -> _Parsed:
    key = (page.url, hash(page.body))
    parsed = _SEEN.get(key)
    if parsed is not None:
        return parsed
    markup = b"<" in page.body[:4096]  # not markup: no links, and nothing to parse
    hrefs = page_hrefs(page.text()) if markup else []
    on_origin = (
        origin and page.url.startswith(origin) and page.url[len(origin) : len(origin) + 1] == "/"
    )
    parsed = _Parsed(hrefs, origin if on_origin else origin_of(page.url))
    if len(_SEEN) >= SEEN_MAX:
        _SEEN.clear()
    _SEEN[key] = parsed
    return parsed


def pick(urls: Sequence[str], rng: random.Random, choice: ItemChoice, zipf_s: float = 1.0) -> str:
    """One of ``urls`` (in page order): uniform, position-weighted (1/sqrt(1+rank)) or Zipf-like
    (1/(1+rank)^s)."""
    if choice == "uniform" or len(urls) == 1:
        return urls[rng.randrange(len(urls))]
    exponent = 0.5 if choice == "position" else zipf_s
    weights = [(1 + rank) ** -exponent for rank in range(len(urls))]
    return rng.choices(urls, weights=weights)[0]
