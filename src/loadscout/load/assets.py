"""Page assets, fetched like a browser with a warm cache: after a document, each virtual user
fetches the scripts, stylesheets and images it links on the same host, each URL once per user
(the user's cache), in parallel over the user's connections (at most 6 per host)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from loadscout.load.errors import classify, status_error
from loadscout.load.http_client import HttpResponse
from loadscout.metrics.recorder import Recorder

if TYPE_CHECKING:
    from loadscout.load.vuser import Client

_SELECTOR = "script[src], link[rel=stylesheet][href], img[src]"


def asset_urls(page: HttpResponse) -> list[str]:
    """Same-host asset URLs a page links, in document order, without repeats."""
    if b"<" not in page.body[:4096]:
        return []
    host = urlsplit(page.url).netloc
    seen: dict[str, None] = {}
    for node in LexborHTMLParser(page.text()).css(_SELECTOR):
        ref = node.attributes.get("src") or node.attributes.get("href")
        if not ref or ref.startswith("data:"):
            continue
        url = urljoin(page.url, ref).partition("#")[0]
        if urlsplit(url).netloc == host:
            seen.setdefault(url)
    return list(seen)


class AssetCache:
    """What one user has fetched already; records each fetch under ``step_id``."""

    def __init__(self, step_id: int, recorder: Recorder) -> None:
        self._step = step_id
        self._recorder = recorder
        self._fetched: set[str] = set()

    async def fetch(self, client: Client, page: HttpResponse) -> None:
        todo = [u for u in asset_urls(page) if u not in self._fetched]
        if not todo:
            return
        self._fetched.update(todo)
        await asyncio.gather(*(self._one(client, url) for url in todo))

    async def _one(self, client: Client, url: str) -> None:
        start = time.perf_counter_ns()
        try:
            resp = await client.send("GET", url, want_headers=False)
        except asyncio.CancelledError:
            self._recorder.failure(self._step, "timeout", f"GET {url}: aborted at the stop")
            raise
        except Exception as exc:
            self._recorder.failure(self._step, classify(exc), f"GET {url}: {exc!r}")
            return
        kind = status_error(resp.status, None)
        example = f"GET {url}: HTTP {resp.status}" if kind else ""
        self._recorder.response(self._step, start, time.perf_counter_ns(), kind, example)
