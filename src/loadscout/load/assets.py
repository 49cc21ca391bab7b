"""Page assets, fetched like a browser with a warm cache: after a document, each virtual user
fetches the scripts, stylesheets and images it links, each URL once per user (the user's
cache), in parallel over the user's connections (at most 6 per host).

Only assets in the run's scope are fetched (the target's origin plus the ``--scope`` regex,
the rule discovery follows, and the origin of an in-scope page): load goes only where the
user pointed it. The others (a CDN, a tracker) are counted as skipped, once per URL and
user, and logged once per origin.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from loadscout.flows.model import Step
from loadscout.load.client import Client, HttpResponse
from loadscout.load.compiled import RenderedRequest, compile_step
from loadscout.load.errors import status_error
from loadscout.load.state import RunState
from loadscout.load.step import StepUser, send_request
from loadscout.metrics.recorder import Recorder
from loadscout.plan.scope import Scope, origin_of

log = logging.getLogger(__name__)

_SELECTOR = "script[src], link[rel=stylesheet][href], img[src]"
_LOGGED: set[str] = set()  # off-scope origins already logged by this process


def asset_urls(page: HttpResponse) -> list[str]:
    """Absolute asset URLs a page links, in document order, without repeats."""
    if b"<" not in page.body[:4096]:
        return []
    seen: dict[str, None] = {}
    for node in LexborHTMLParser(page.text()).css(_SELECTOR):
        ref = node.attributes.get("src") or node.attributes.get("href")
        if not ref or ref.startswith("data:"):
            continue
        url = urljoin(page.url, ref).partition("#")[0]
        if url.startswith(("http://", "https://")):
            seen.setdefault(url)
    return list(seen)


class AssetCache:
    """What one user has fetched (or skipped) already; records each fetch under ``step_id``."""

    def __init__(self, step_id: int, recorder: Recorder, scope: Scope) -> None:
        # the catalog's "page assets" entry, as a step: its requests are sent and counted as
        # any step's (redirects, resends, the worker's ledger)
        self._step = compile_step(Step(name="page assets", url=scope.origin), step_id, "")
        self._recorder = recorder
        self._scope = scope
        self._seen: set[str] = set()

    async def fetch(
        self, client: Client, page: HttpResponse, user: StepUser, run: RunState
    ) -> None:
        """The page's assets not fetched yet, as ``user``, counted in ``run``'s ledger."""
        todo = [u for u in asset_urls(page) if u not in self._seen]
        if not todo:
            return
        self._seen.update(todo)
        # the page's own origin counts too when the page is in scope (the regex may name
        # only the page's path)
        own = origin_of(page.url) if self._scope.contains(page.url) else None
        allowed: list[str] = []
        skipped: list[str] = []
        for url in todo:
            ok = self._scope.contains(url) or (own is not None and origin_of(url) == own)
            (allowed if ok else skipped).append(url)
        if skipped:
            self._skip(skipped)
        await asyncio.gather(*(self._one(client, url, user, run) for url in allowed))

    def _skip(self, urls: list[str]) -> None:
        self._recorder.assets_skipped(len(urls))
        for url in urls:
            origin = origin_of(url)
            if origin not in _LOGGED:
                _LOGGED.add(origin)
                log.info(
                    "page assets from %s are outside the run's scope: not fetched "
                    "(widen it with --scope)",
                    origin,
                )

    async def _one(self, client: Client, url: str, user: StepUser, run: RunState) -> None:
        request = RenderedRequest(url, None, None, None, None)
        sent = await send_request(self._step, request, client, user, run)
        if sent is None:  # the failure is recorded
            return
        resp, start, end = sent
        kind = status_error(resp.status, None)
        user.response(self._step, start, end, kind, f"GET {url}", f"HTTP {resp.status}")
