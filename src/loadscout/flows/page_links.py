"""The links of an HTML page a journey may follow: one parser for replay and verification.

Replay parses every page a journey lands on, so the work per link is kept small: an href that
is a plain absolute path (the common case) is matched against a pattern without resolving it;
scope and safety are checked once per page and pattern (replay caches both, ``load.links``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from html import unescape
from urllib.parse import urljoin, urlsplit

from loadscout.plan.risk import Risk, classify
from loadscout.plan.scope import Scope, origin_of

_NOT_PAGES = ("#", "javascript:", "mailto:", "tel:", "data:")


_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def page_hrefs(html: str) -> list[str]:
    """The raw ``href`` of each ``<a>`` in document order, once each, fragments dropped.

    A scan rather than a DOM parse (as JMeter's link parser does): a journey reads every page
    it lands on, and this is several times cheaper; comments are skipped, entities decoded."""
    if "<!--" in html:
        html = _COMMENT.sub("", html)
    hrefs: list[str] = []
    for ref in dict.fromkeys(_HREF.findall(html)):
        if not ref or ref.startswith(_NOT_PAGES):
            continue
        if "#" in ref:
            ref = ref.partition("#")[0]
        hrefs.append(unescape(ref) if "&" in ref else ref)
    return list(dict.fromkeys(hrefs))


def links_to(
    hrefs: Sequence[str], base_url: str, pattern: re.Pattern[str], origin: str | None = None
) -> list[str]:
    """Absolute URLs of the hrefs whose path matches ``pattern`` (not yet checked for scope or
    safety: see :func:`followable`)."""
    found: list[str] = []
    for ref in hrefs:
        if ref[:1] == "/" and ref[1:2] != "/":  # an absolute path: no resolving needed
            if pattern.match(ref.partition("?")[0]):
                found.append((origin or origin_of(base_url)) + ref)
            continue
        url = urljoin(base_url, ref)
        if url.startswith(("http://", "https://")) and pattern.match(urlsplit(url).path or "/"):
            found.append(url)
    return found


def followable(url: str, scope: Scope) -> bool:
    """Inside the run's scope and a link discovery would take too (no logout, no delete)."""
    same_origin = (
        url.startswith(scope.origin) and url[len(scope.origin) : len(scope.origin) + 1] == "/"
    )
    return (same_origin or scope.contains(url)) and _safe(url)


@functools.lru_cache(maxsize=8192)
def _safe(url: str) -> bool:
    """Journeys revisit the same URLs: each is classified once."""
    return classify(url=url) is Risk.SAFE


def page_links(html: str, base_url: str) -> list[str]:
    """Absolute ``<a href>`` URLs in document order, once each, without fragments."""
    urls = (urljoin(base_url, ref) for ref in page_hrefs(html))
    return list(dict.fromkeys(u for u in urls if u.startswith(("http://", "https://"))))


def matching(links: Sequence[str], pattern: re.Pattern[str], scope: Scope) -> list[str]:
    """The links whose path matches a state's pattern and that a user may follow."""
    return [u for u in links if pattern.match(urlsplit(u).path or "/") and followable(u, scope)]
