"""What the crawl observed, handed from crawler.py to flow_builder.py (plain data, no browser)."""

from __future__ import annotations

from dataclasses import dataclass, field

from loadscout.discovery.capture import Exchange
from loadscout.discovery.form_fill import FormKind
from loadscout.discovery.page_model import FormSpec
from loadscout.flows.model import Extractor, SkippedAction


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkSeen:
    """A safe, in-scope link of a visited page, in page order: the raw material of journeys."""

    url: str
    pattern: str  # the crawl's pattern of the target (``/records/{num}``)
    text: str = ""
    nav: bool = False  # in header/nav/aside/footer rather than the page's content


@dataclass(kw_only=True, slots=True)
class PageVisit:
    """One page loaded by following links from the start page; ``parent`` is the page linking it."""

    url: str
    pattern: str
    depth: int
    parent: PageVisit | None
    document: Exchange
    fetches: list[Exchange] = field(default_factory=list)
    forms: tuple[FormSpec, ...] = ()
    dynamic: frozenset[str] = frozenset()  # values of its link path a fresh session changed
    links: list[LinkSeen] = field(default_factory=list)
    seconds: float = 0.0  # time spent on it: load, read, screenshot
    plain: bool = False  # read over plain HTTP (discovery.lane), not in the browser


@dataclass(kw_only=True, slots=True)
class FormSubmission:
    """A form filled and submitted in a fresh context: its page, the submission, what followed."""

    page: PageVisit
    form: FormSpec
    kind: FormKind
    page_document: Exchange
    submit: Exchange
    extractors: dict[str, Extractor]
    templates: dict[str, str]
    fetches: list[Exchange] = field(default_factory=list)
    prerequisite: FormSubmission | None = None  # a write this one needed first (cart→checkout)
    dynamic: frozenset[str] = frozenset()  # fields that differed between two fresh sessions
    links: list[LinkSeen] = field(default_factory=list)  # on the page the submission led to


@dataclass(kw_only=True, slots=True)
class ClickRecord:
    """A click on an element with a listener: the fetches and client-side routes it caused."""

    page: PageVisit
    label: str
    fetches: list[Exchange] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    dynamic: frozenset[str] = frozenset()  # values a second recording in a fresh session changed


@dataclass(kw_only=True, slots=True)
class CrawlResult:
    visits: list[PageVisit] = field(default_factory=list)
    submissions: list[FormSubmission] = field(default_factory=list)
    skipped: dict[tuple[str, str, str], SkippedAction] = field(default_factory=dict)
    inlinks: dict[str, int] = field(default_factory=dict)
    forms_seen: set[str] = field(default_factory=set)
    clicks: list[ClickRecord] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)  # client-side route patterns (pushState)
    streams: set[str] = field(default_factory=set)  # WebSocket / EventSource URLs
    screenshots: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # forms the server rejected twice
    cookies: dict[str, str] = field(default_factory=dict)  # cookie value -> name, for correlation
    warnings: list[str] = field(default_factory=list)  # for DiscoveryReport.warnings
    failed: int = 0
    stop_reason: str = ""  # time_budget, page_limit or explored (DiscoveryReport.stop_reason)

    def skip(self, url: str, method: str, reason: str) -> None:
        key = (url.split("#")[0], method.upper(), reason)
        if key not in self.skipped:
            self.skipped[key] = SkippedAction(url=key[0], method=key[1], reason=reason)
