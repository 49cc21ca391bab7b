"""Which link a virtual user clicks: how a journey moves over the data."""

from __future__ import annotations

import random
from collections.abc import Sequence

from loadscout.flows.journeys import ItemChoice
from loadscout.flows.page_links import page_links
from loadscout.load.client import HttpResponse


def response_links(page: HttpResponse) -> list[str]:
    """The page's links; a body that is not markup has none (and is not parsed)."""
    if b"<" not in page.body[:4096]:
        return []
    return page_links(page.text(), page.url)


def pick(urls: Sequence[str], rng: random.Random, choice: ItemChoice, zipf_s: float = 1.0) -> str:
    """One of ``urls`` (in page order): uniform, position-weighted (1/sqrt(1+rank)) or Zipf-like
    (1/(1+rank)^s)."""
    if choice == "uniform" or len(urls) == 1:
        return urls[rng.randrange(len(urls))]
    exponent = 0.5 if choice == "position" else zipf_s
    weights = [(1 + rank) ** -exponent for rank in range(len(urls))]
    return rng.choices(urls, weights=weights)[0]
