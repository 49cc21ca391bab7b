"""The links of an HTML page a journey may follow: one parser for replay and verification."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from loadscout.plan.risk import Risk, classify
from loadscout.plan.scope import Scope


def page_links(html: str, base_url: str) -> list[str]:
    """Absolute ``<a href>`` URLs in document order, once each, without fragments."""
    seen: dict[str, None] = {}
    for node in LexborHTMLParser(html).css("a[href]"):
        ref = node.attributes.get("href")
        if not ref or ref.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base_url, ref).partition("#")[0]
        if url.startswith(("http://", "https://")):
            seen.setdefault(url)
    return list(seen)


def matching(links: Sequence[str], pattern: re.Pattern[str], scope: Scope) -> list[str]:
    """The links whose path matches a state's pattern, that stay inside the run's scope and
    that discovery would take too (never a logout or a destructive link)."""
    return [
        u
        for u in links
        if scope.contains(u)
        and pattern.match(urlsplit(u).path or "/")
        and classify(url=u) is Risk.SAFE
    ]
