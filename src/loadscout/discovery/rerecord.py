"""The second recording of a browse flow: its chain of pages again, in a fresh session.

Forms and clicks are re-recorded where they are made (form_runner.py, crawler.py); a browse
flow is re-recorded after the crawl, cheaply — each page of its link path loaded in order, the
next URL taken from the link the fresh page itself shows — and only when its requests carry
values that look generated (long mixed tokens, long numbers): those are what can change per
session. ``provenance.dynamic_values`` compares the two recordings.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from loadscout.discovery.actions import Loaded, load_page
from loadscout.discovery.capture import Capture, Exchange
from loadscout.discovery.flow_builder import MAX_BROWSE_FLOWS, first_visits, path_to
from loadscout.discovery.patterns import url_pattern
from loadscout.discovery.provenance import dynamic_values, request_values
from loadscout.discovery.records import PageVisit
from loadscout.errors import TargetError

FreshSession = Callable[[], AbstractAsyncContextManager[tuple[Page, Capture]]]

_MIXED = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_\-.~+/=%]{12,}$")
_LONG_NUMBER = re.compile(r"^\d{10,}$")  # timestamps, nonces; page numbers and ids are shorter


def looks_generated(value: str) -> bool:
    """A value a server or script likely made up for this session or request."""
    return bool(_MIXED.match(value) or _LONG_NUMBER.match(value))


def chain_exchanges(chain: list[PageVisit]) -> list[Exchange]:
    """What a browse flow's recording sent: each page's document, then its answered calls."""
    return [e for hop in chain for e in (hop.document, *hop.fetches) if e.status is not None]


def needs_second_recording(chain: list[PageVisit]) -> bool:
    return any(looks_generated(v) for e in chain_exchanges(chain) for v in request_values(e))


def _link_like(loaded: Loaded | None, recorded: str) -> str:
    """The URL the fresh page links to in place of ``recorded`` (same path and query keys)."""
    model = loaded.model if loaded is not None else None
    links = [link.href.split("#")[0] for link in (model.links if model else ())]
    if recorded in links:
        return recorded
    path, pattern = urlsplit(recorded).path, url_pattern(recorded)
    same = [u for u in links if urlsplit(u).path == path and url_pattern(u) == pattern]
    return same[0] if same else recorded


async def record_chain(
    page: Page, capture: Capture, chain: list[PageVisit], *, timeout_s: float
) -> list[Exchange]:
    """Load the chain's pages in order in ``page`` (a fresh session) and return the exchanges
    in :func:`chain_exchanges` order; stops at a page that does not load."""
    exchanges: list[Exchange] = []
    previous: Loaded | None = None
    for hop in chain:
        url = _link_like(previous, hop.url) if previous is not None else hop.url
        loaded = await load_page(page, capture, url, timeout_s=timeout_s)
        if loaded is None:
            break
        exchanges += [e for e in (loaded.document, *loaded.fetches) if e.status is not None]
        previous = loaded
    return exchanges


async def record_browse_again(
    visits: list[PageVisit],
    fresh_session: FreshSession,
    progress: Callable[[str], None],
    *,
    concurrency: int,
    timeout_s: float,
    cap_s: float,
) -> None:
    """Record again, ``concurrency`` at a time and within ``cap_s``, the browse flows whose
    requests carry generated-looking values; what changed goes to the last visit's
    ``dynamic``. A chain that fails or runs out of time simply stays unchanged."""
    chains = [path_to(v) for v in first_visits(visits).values()]
    chains = [c for c in chains if needs_second_recording(c)][:MAX_BROWSE_FLOWS]
    if not chains:
        return
    gate = asyncio.Semaphore(concurrency)

    async def again(chain: list[PageVisit]) -> None:
        async with gate:
            with contextlib.suppress(TargetError, PlaywrightError):
                async with fresh_session() as (page, capture):
                    second = await record_chain(page, capture, chain, timeout_s=timeout_s)
                    chain[-1].dynamic = dynamic_values(chain_exchanges(chain), second)

    progress(f"recording {len(chains)} browse flows again in fresh sessions")
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(again(c) for c in chains)), timeout=cap_s)
