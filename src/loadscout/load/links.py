"""Links of a page, and which one a virtual user clicks: how a journey moves over the data."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from loadscout.flows.journeys import ItemChoice
from loadscout.load.client import HttpResponse
from loadscout.plan.scope import Scope


def page_links(page: HttpResponse) -> list[str]:
    """Absolute ``<a href>`` URLs of an HTML page in document order, once each, no fragment."""
    if b"<" not in page.body[:4096]:
        return []
    seen: dict[str, None] = {}
    for node in LexborHTMLParser(page.text()).css("a[href]"):
        ref = node.attributes.get("href")
        if not ref or ref.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(page.url, ref).partition("#")[0]
        if url.startswith(("http://", "https://")):
            seen.setdefault(url)
    return list(seen)


def matching(links: Sequence[str], pattern: re.Pattern[str], scope: Scope) -> list[str]:
    """The links whose path matches a state's pattern and that stay inside the run's scope."""
    return [u for u in links if scope.contains(u) and pattern.match(urlsplit(u).path or "/")]


def pick(urls: Sequence[str], rng: random.Random, choice: ItemChoice, zipf_s: float = 1.0) -> str:
    """One of ``urls`` (in page order): uniform, position-weighted (1/sqrt(1+rank)) or Zipf-like
    (1/(1+rank)^s)."""
    if choice == "uniform" or len(urls) == 1:
        return urls[rng.randrange(len(urls))]
    exponent = 0.5 if choice == "position" else zipf_s
    weights = [(1 + rank) ** -exponent for rank in range(len(urls))]
    return rng.choices(urls, weights=weights)[0]
