"""What the crawl observed, handed from crawler.py to flow_builder.py (plain data, no browser)."""

from __future__ import annotations

from dataclasses import dataclass, field

from loadscout.discovery.capture import Exchange
from loadscout.discovery.form_fill import FormKind
from loadscout.discovery.page_model import FormSpec
from loadscout.flows.model import Extractor, SkippedAction


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


@dataclass(kw_only=True, slots=True)
class CrawlResult:
    visits: list[PageVisit] = field(default_factory=list)
    submissions: list[FormSubmission] = field(default_factory=list)
    skipped: dict[tuple[str, str, str], SkippedAction] = field(default_factory=dict)
    inlinks: dict[str, int] = field(default_factory=dict)
    forms_seen: set[str] = field(default_factory=set)
    failed: int = 0

    def skip(self, url: str, method: str, reason: str) -> None:
        key = (url.split("#")[0], method.upper(), reason)
        if key not in self.skipped:
            self.skipped[key] = SkippedAction(url=key[0], method=key[1], reason=reason)
