"""The plain-HTTP lane: pages whose raw HTML offers what the browser's render offered are
fetched without the browser, about a hundred times cheaper.

The first page of a pattern goes through the browser (its fetches, screenshot and clicks are
recorded there). If it made no API call on load and its raw HTML, read by
``raw_page.read_html``, links to the same URLs and holds the same forms as the rendered DOM,
the rest of the pattern's pages are fetched over plain HTTP with the browser context's own
cookies. So are the pages of a new pattern whose family (one folder: a docs site's pages, each
its own pattern) had two patterns judged so and none judged otherwise; such a pattern gets no
screenshot or click exploration of its own. Anything unexpected on the lane (a redirect, an
error status, not HTML) sends that page back to the browser. Requests pass the same guard as
the browser's.
"""

from __future__ import annotations

import contextlib

from playwright.async_api import APIRequestContext
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.actions import Loaded
from loadscout.discovery.browser import NetworkGuard
from loadscout.discovery.capture import MAX_BODY_CHARS, Exchange
from loadscout.discovery.page_model import PageModel
from loadscout.discovery.raw_page import read_html
from loadscout.flows.content_type import charset_of

MAX_HTML_BYTES = 5 * 1024 * 1024  # a larger page goes to the browser


def offers(model: PageModel) -> tuple[frozenset[str], frozenset[str]]:
    """What a page offers the crawl: the URLs it links to and its forms (by method, action and
    field names: a form's token values differ between two fetches)."""
    links = frozenset(link.href.split("#")[0] for link in model.links)
    return links, frozenset(form.signature for form in model.forms)


def family(pattern: str) -> str:
    """Patterns that are likely one template: the same folder, extension and query keys
    (``/library/os.html`` and ``/library/re.html``: a docs site's pages, each its own
    pattern)."""
    path, _, query = pattern.partition("?")
    folder, _, last = path.rpartition("/")
    extension = last.rpartition(".")[2] if "." in last else ""
    keys = sorted(part.partition("=")[0] for part in query.split("&") if part)
    return f"{folder}/*.{extension}?{'&'.join(keys)}"


class PlainLane:
    """Per pattern, whether its pages are read over plain HTTP; and the reading itself.

    A pattern is trusted once a page of it was judged; a pattern not seen yet, once
    ``FAMILY_TRUST`` pages of its :func:`family` were and none failed (a site whose every
    page is its own pattern)."""

    FAMILY_TRUST = 2

    def __init__(self, guard: NetworkGuard, *, timeout_s: float, enabled: bool = True) -> None:
        self._guard = guard
        self._timeout_ms = timeout_s * 1000
        self._enabled = enabled
        self._verdicts: dict[str, bool] = {}  # pattern -> its raw HTML reads as its DOM
        self._families: dict[str, int] = {}  # family -> patterns judged plain; -1: one was not

    def trusts(self, pattern: str) -> bool:
        verdict = self._verdicts.get(pattern)
        if verdict is not None:
            return verdict
        return self._families.get(family(pattern), 0) >= self.FAMILY_TRUST

    async def judge(
        self, request: APIRequestContext, pattern: str, url: str, loaded: Loaded
    ) -> None:
        """After the browser loaded ``url`` (a page of ``pattern``): may the lane take the rest
        of the pattern (and of its family)? Judged once per pattern."""
        if not self._enabled or pattern in self._verdicts:
            return
        self._verdicts[pattern] = False  # meanwhile, and if the page cannot tell
        model = loaded.model
        if model is None or loaded.document.status != 200:
            return  # nothing to compare (an error page, not HTML): its family may still tell
        same = False
        if loaded.quiet and not loaded.fetches:  # a script calling an API: the lane misses it
            plain = await self.fetch(request, url)
            if plain is None:
                return  # redirected, or not the same answer twice: no verdict for the family
            same = offers(plain[1]) == offers(model)
        self._verdicts[pattern] = same
        kin = family(pattern)
        if self._families.get(kin, 0) >= 0:
            self._families[kin] = self._families.get(kin, 0) + 1 if same else -1

    async def fetch(
        self, request: APIRequestContext, url: str
    ) -> tuple[Exchange, PageModel] | None:
        """The page over plain HTTP, read; None when the browser should load it instead."""
        if self._guard.url_verdict("GET", url) or await self._guard.egress_verdict(url):
            return None  # the browser's guard blocks it and records why
        try:
            response = await request.get(url, max_redirects=0, timeout=self._timeout_ms)
        except (TimeoutError, PlaywrightError):
            return None
        try:  # the driver keeps a body until it is disposed of (or the context closes)
            content_type = response.headers.get("content-type", "")
            if response.status != 200 or "html" not in content_type:
                return None
            body = await response.body()
        except (TimeoutError, PlaywrightError):
            return None
        finally:
            with contextlib.suppress(PlaywrightError):
                await response.dispose()
        if len(body) > MAX_HTML_BYTES:
            return None
        try:
            text = body.decode(charset_of(content_type) or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            text = body.decode("utf-8", errors="replace")
        document = Exchange(  # as the browser's capture keeps a page: its body correlates
            kind="document",
            method="GET",
            url=url,
            status=200,
            content_type=content_type.lower(),
            response_body=text[:MAX_BODY_CHARS],
        )
        return document, read_html(text, url)
