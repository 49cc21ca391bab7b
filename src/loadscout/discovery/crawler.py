"""The exploration loop: a breadth-first frontier worked by a few browser contexts at once.

Each worker owns one context (its own cookie jar) and visits pages; each form is submitted in a
fresh context so a login or a cart never leaks into the rest of the crawl. Limits: pages, depth,
wall time; per-pattern budgets and trap guards come from patterns.py, safety from safety.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.actions import load_page, submit_form
from loadscout.discovery.browser import NetworkGuard, guarded_context, launch_browser
from loadscout.discovery.capture import Capture
from loadscout.discovery.correlation import token_extractors
from loadscout.discovery.flow_builder import build_flowset
from loadscout.discovery.form_fill import fill_form, form_kind
from loadscout.discovery.options import DiscoveryOptions
from loadscout.discovery.page_model import FormSpec, Link, PageModel
from loadscout.discovery.patterns import PatternBudget, path_pattern, url_pattern
from loadscout.discovery.probe import probe_target
from loadscout.discovery.records import CrawlResult, FormSubmission, PageVisit
from loadscout.discovery.safety import SafetyPolicy
from loadscout.discovery.scope import Scope
from loadscout.errors import RunFailed, TargetError
from loadscout.flows.model import FlowSet

Progress = Callable[[str], None]
_DOWNLOAD_EXT = (".pdf", ".zip", ".gz", ".tar", ".exe", ".dmg", ".csv", ".xlsx", ".docx", ".mp4")


@dataclass(frozen=True, slots=True)
class VisitTask:
    url: str
    depth: int
    parent: PageVisit | None


@dataclass(frozen=True, slots=True)
class FormTask:
    page: PageVisit
    form: FormSpec


Task = VisitTask | FormTask


def _short(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawler:
    def __init__(self, options: DiscoveryOptions, browser: Browser, progress: Progress) -> None:
        self.options = options
        self.browser = browser
        self.progress = progress
        self.scope = Scope(options.start_url, options.scope)
        self.policy = SafetyPolicy(allow_writes=options.allow_writes)
        self.budget = PatternBudget()
        self.result = CrawlResult()
        self._frontier: deque[Task] = deque()
        self._planned = 0
        self._active = 0
        self._deadline = time.monotonic() + options.max_time_s

    async def run(self) -> CrawlResult:
        self.budget.admit(self.options.start_url)
        self._enqueue_visit(VisitTask(self.options.start_url, 0, None))
        workers = [asyncio.create_task(self._worker()) for _ in range(self.options.concurrency)]
        grace = self.options.page_timeout_s + 5
        _, pending = await asyncio.wait(workers, timeout=self.options.max_time_s + grace)
        for task in pending:
            task.cancel()
        results = await asyncio.gather(*workers, return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                raise RunFailed(f"discovery failed: {outcome.__class__.__name__}: {outcome}")
        return self.result

    def _enqueue_visit(self, task: VisitTask) -> None:
        self._planned += 1
        self._frontier.append(task)

    async def _next(self) -> Task | None:
        while time.monotonic() < self._deadline:
            if self._frontier:
                self._active += 1
                return self._frontier.popleft()
            if self._active == 0:
                return None
            await asyncio.sleep(0.02)
        return None

    def _guard(self) -> NetworkGuard:
        return NetworkGuard(scope=self.scope, policy=self.policy, on_blocked=self.result.skip)

    async def _worker(self) -> None:
        context = await guarded_context(self.browser, self._guard())
        try:
            page = await context.new_page()
            capture = Capture(page, self.scope)
            while (task := await self._next()) is not None:
                try:
                    if isinstance(task, VisitTask):
                        await self._visit(task, page, capture)
                    else:
                        await self._submit(task)
                finally:
                    self._active -= 1
        finally:
            await _close(context)

    async def _visit(self, task: VisitTask, page: Page, capture: Capture) -> None:
        loaded = await load_page(page, capture, task.url, timeout_s=self.options.page_timeout_s)
        if loaded is None:
            self.result.failed += 1
            self.progress(f"failed to load {_short(task.url)}")
            return
        visit = PageVisit(
            url=task.url,
            pattern=url_pattern(task.url),
            depth=task.depth,
            parent=task.parent,
            document=loaded.document,
            fetches=loaded.fetches,
            forms=loaded.model.forms if loaded.model else (),
        )
        self.result.visits.append(visit)
        self.progress(f"visited {_short(task.url)} ({len(self.result.visits)} pages)")
        if loaded.model is not None:
            self._expand_links(visit, loaded.model)
            self._expand_forms(visit, loaded.model)

    def _link_target(self, link: Link) -> str | None:
        """The URL to follow, or None for non-navigations, other origins and downloads."""
        url = link.href.split("#")[0]
        if link.raw.startswith("#") or link.download or not self.scope.contains(url):
            return None
        if urlsplit(url).path.lower().endswith(_DOWNLOAD_EXT):
            return None
        return url

    def _expand_links(self, visit: PageVisit, model: PageModel) -> None:
        for link in model.links:
            url = self._link_target(link)
            if url is None:
                continue
            reason = self.policy.link_verdict(url, link.text)
            if reason is not None:
                self.result.skip(url, "GET", reason)
                continue
            pattern = url_pattern(url)
            self.result.inlinks[pattern] = self.result.inlinks.get(pattern, 0) + 1
            if visit.depth + 1 > self.options.max_depth or self._planned >= self.options.max_pages:
                continue
            if self.budget.admit(url) is None:
                self._enqueue_visit(VisitTask(url, visit.depth + 1, visit))

    def _expand_forms(self, visit: PageVisit, model: PageModel) -> None:
        for form in model.forms:
            signature = f"{form.method.upper()} {path_pattern(form.action)} " + ",".join(
                sorted({f.name for f in form.fields})
            )
            if signature in self.result.forms_seen:
                continue
            self.result.forms_seen.add(signature)
            reason = self.policy.form_verdict(
                action=form.action,
                method=form.method,
                texts=" ".join(form.submits),
                kind=form_kind(form),
            )
            if reason is not None:
                self.result.skip(form.action, form.method, reason)
                continue
            self._frontier.append(FormTask(visit, form))

    async def _submit(self, task: FormTask) -> None:
        guard = self._guard()
        if task.form.method != "get":
            guard.allowed_writes.add((task.form.method.upper(), task.form.action.split("?")[0]))
        context = await guarded_context(self.browser, guard)
        try:
            page = await context.new_page()
            capture = Capture(page, self.scope)
            timeout = self.options.page_timeout_s
            loaded = await load_page(page, capture, task.page.url, timeout_s=timeout)
            form = _same_form(loaded.model if loaded else None, task.form)
            if loaded is None or form is None:
                self.result.failed += 1
                return
            fills = fill_form(form)
            submitted, fetches = await submit_form(page, capture, form, fills, timeout_s=timeout)
            if submitted is None or submitted.status is None:
                self.result.failed += 1
                self.progress(f"form {_short(form.action)} did not submit")
                return
            templates = {
                s.name: f.template for s, f in zip(form.fields, fills, strict=True) if f.template
            }
            self.result.submissions.append(
                FormSubmission(
                    page=task.page,
                    form=form,
                    kind=form_kind(form),
                    page_document=loaded.document,
                    submit=submitted,
                    extractors=token_extractors(form),
                    templates=templates,
                    fetches=fetches,
                )
            )
            self.progress(f"submitted form {_short(form.action)} -> {submitted.status}")
        finally:
            await _close(context)


def _same_form(model: PageModel | None, wanted: FormSpec) -> FormSpec | None:
    """The live form matching ``wanted`` (fresh hidden values), by method, action and fields."""
    if model is None:
        return None
    return next((f for f in model.forms if f.signature == wanted.signature), None)


async def _close(context: BrowserContext) -> None:
    with contextlib.suppress(PlaywrightError):
        await context.close()


async def discover(options: DiscoveryOptions, *, on_progress: Progress | None = None) -> FlowSet:
    """Probe the target, explore it in headless Chromium, and return the flows found."""
    await probe_target(options.start_url)
    progress = on_progress or (lambda _line: None)
    started = time.monotonic()
    async with async_playwright() as pw:
        try:
            browser = await launch_browser(
                pw,
                start_url=options.start_url,
                chromium_path=options.chromium_path,
                widened_scope=options.scope is not None,
            )
        except PlaywrightError as err:
            raise RunFailed(f"cannot start Chromium: {str(err).splitlines()[0]}") from None
        try:
            result = await Crawler(options, browser, progress).run()
        finally:
            await browser.close()
    if not result.visits:
        raise TargetError(f"the browser could not load the start page {options.start_url}")
    return build_flowset(
        result, target_url=options.start_url, duration_s=time.monotonic() - started
    )
