"""The exploration loop: a priority frontier worked by a few browser contexts at once.

Each worker owns one context (its own cookie jar, or the login's storage state) and visits
pages and clicks elements with listeners; each form is submitted in a fresh context so a cart
never leaks into the rest of the crawl. Limits: pages, depth, wall time; per-pattern budgets,
trap guards and DOM-state dedup come from patterns.py, safety from safety.py, robots.txt rules
from sources.py; browse flows are recorded a second time after the crawl (rerecord.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, StorageState
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.actions import Loaded, load_page
from loadscout.discovery.browser import NetworkGuard, guarded_context
from loadscout.discovery.capture import Capture, Exchange
from loadscout.discovery.form_fill import DataValues, form_kind
from loadscout.discovery.form_runner import FormRunner, Relogin
from loadscout.discovery.frontier import ClickTask, FormTask, Frontier, Task, VisitTask
from loadscout.discovery.lane import PlainLane
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.page_model import Link, PageModel
from loadscout.discovery.patterns import PatternBudget
from loadscout.discovery.provenance import dynamic_values
from loadscout.discovery.records import (
    ClickRecord,
    CrawlResult,
    FormSubmission,
    LinkSeen,
    PageVisit,
)
from loadscout.discovery.rerecord import record_browse_again
from loadscout.discovery.safety import SafetyPolicy
from loadscout.discovery.screenshots import Screenshots
from loadscout.discovery.sources import DISALLOWED, Sources
from loadscout.discovery.spa import Clickable, click_once, click_verdict, clickables
from loadscout.errors import RunFailed, TargetError
from loadscout.plan.scope import Scope

Progress = Callable[[str], None]
_DOWNLOAD_EXT = (".pdf", ".zip", ".gz", ".tar", ".exe", ".dmg", ".csv", ".xlsx", ".docx", ".mp4")
NEAR_DUPLICATE_BUDGET = 8  # pages with one DOM shape whose links are followed
MAX_CLICKS_PER_PAGE = 8
CLICKS_PER_FAMILY = 2  # sibling elements of one kind (list items) mostly do the same thing
SECOND_RECORDING_S = 20.0  # most time the second recording of browse flows may take


def _short(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawler:
    def __init__(
        self,
        options: DiscoveryConfig,
        browser: Browser,
        progress: Progress,
        *,
        storage_state: StorageState | str | None = None,
        sources: Sources | None = None,
        login_signature: str | None = None,
        data: DataValues | None = None,
        relogin: Relogin | None = None,
    ) -> None:
        self.options = options
        sources = sources or Sources()
        self.seeds, self.robots = sources.urls, sources.robots
        self.browser = browser
        self.progress = progress
        self.storage_state = storage_state
        self.login_signature = login_signature
        self.scope = Scope(options.start_url, options.scope)
        self.policy = SafetyPolicy(allow_writes=options.allow_writes)
        self.budget = PatternBudget()
        self.result = CrawlResult()
        if login_signature is not None:  # the login form discovery used counts as found
            self.result.forms_seen.add(login_signature)
        self.screenshots = Screenshots(options.screenshots_dir)
        self.forms = FormRunner(
            browser=browser,
            storage_state=None if relogin else storage_state,
            timeout_s=options.page_timeout_s,
            data=data,
            relogin=relogin,
        )
        self._frontier = Frontier()
        self._lane = PlainLane(
            self._guard(), timeout_s=options.page_timeout_s, enabled=options.plain_http
        )
        self._page_limit_hit = False
        self._visits_started = 0
        self._active = 0
        self._deadline = time.monotonic() + options.max_time_s
        self._shapes: Counter[str] = Counter()
        self._form_kinds: Counter[tuple[str, tuple[str, ...]]] = Counter()
        self._click_patterns: set[str] = set()
        self._clicked: set[tuple[str, str]] = set()
        self._families: Counter[tuple[str, str]] = Counter()
        self._writes: list[FormSubmission] = []
        for url in sources.disallowed:  # sitemap URLs robots.txt keeps us out of
            self.result.skip(url, "GET", DISALLOWED)

    async def run(self) -> CrawlResult:
        self.budget.admit(self.options.start_url)
        self._enqueue_visit(self.options.start_url, 0, None)
        workers = [asyncio.create_task(self._worker()) for _ in range(self.options.concurrency)]
        grace = self.options.page_timeout_s + 5
        _, pending = await asyncio.wait(workers, timeout=self.options.max_time_s + grace)
        for task in pending:
            task.cancel()
        results = await asyncio.gather(*workers, return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                raise RunFailed(f"discovery failed: {outcome.__class__.__name__}: {outcome}")
        for visit in self.result.visits:  # slugs promoted to {param} late still group together
            visit.pattern = self.budget.pattern(visit.url)
        self.result.stop_reason = (
            "time_budget"
            if time.monotonic() >= self._deadline
            else "page_limit"
            if self._page_limit_hit
            else "explored"
        )
        await record_browse_again(
            self.result.visits,
            self._fresh_session,
            self.progress,
            concurrency=self.options.concurrency,
            timeout_s=self.options.page_timeout_s,
            cap_s=min(SECOND_RECORDING_S, self.options.max_time_s / 2),
        )
        self.result.screenshots = list(self.screenshots.paths)
        return self.result

    def _enqueue_seeds(self) -> None:
        for url in self.seeds:
            if self.budget.admit(url) is None:
                self._enqueue_visit(url, 1, None)

    def _enqueue_visit(
        self, url: str, depth: int, parent: PageVisit | None, *, nav: bool = False
    ) -> None:
        repeat, family = self.budget.rank(url)
        self._frontier.push(VisitTask(url, depth, parent, repeat, family=family, nav=nav))

    async def _next(self) -> Task | None:
        """The most promising task; the page limit counts pages visited, not links queued, so
        the frontier's order (not the order links appear on a page) picks what is visited."""
        while time.monotonic() < self._deadline:
            if self._frontier:
                task = self._frontier.pop()
                if isinstance(task, VisitTask):
                    if self._visits_started >= self.options.max_pages:
                        self._page_limit_hit = True
                        continue
                    self._visits_started += 1
                self._active += 1
                return task
            if self._active == 0:
                return None
            await asyncio.sleep(0.02)
        return None

    def _guard(self) -> NetworkGuard:
        return NetworkGuard(
            scope=self.scope,
            policy=self.policy,
            on_blocked=self.result.skip,
            allowed_hosts=self.options.allowed_hosts,
        )

    async def _worker(self) -> None:
        context = await guarded_context(
            self.browser, self._guard(), storage_state=self.storage_state
        )
        try:
            page = await context.new_page()
            capture = Capture(page, self.scope)
            while (task := await self._next()) is not None:
                try:
                    if isinstance(task, VisitTask):
                        await self._visit(task, page, capture)
                    elif isinstance(task, FormTask):
                        await self._submit(task)
                    else:
                        await self._clicks(task, page, capture)
                except PlaywrightError as err:
                    self.result.failed += 1
                    self.progress(f"browser error: {str(err).splitlines()[0]}")
                finally:
                    self._active -= 1
                self.result.streams.update(capture.streams)
                await self._note_cookies(context)
        finally:
            await _close(context)

    async def _note_cookies(self, context: BrowserContext) -> None:
        """Cookie values seen, so a header echoing one (double-submit) reads the jar at replay."""
        with contextlib.suppress(PlaywrightError):
            for cookie in await context.cookies():
                value, name = cookie.get("value", ""), cookie.get("name", "")
                if len(value) >= 8 and name:
                    self.result.cookies[value] = name

    async def _visit(self, task: VisitTask, page: Page, capture: Capture) -> None:
        began = time.monotonic()
        pattern = self.budget.pattern(task.url)
        if self._lane.trusts(pattern):
            plain = await self._lane.fetch(page.context.request, task.url)
            if plain is not None:
                document, model = plain
                visit = self._visited(
                    task, Loaded(document=document, fetches=[], model=model), began, plain=True
                )
                self._expand(visit, model)
                return
        loaded = await load_page(page, capture, task.url, timeout_s=self.options.page_timeout_s)
        if loaded is None:
            self.result.failed += 1
            self.progress(f"failed to load {_short(task.url)}")
            return
        visit = self._visited(task, loaded, began)
        if not loaded.quiet:
            self.progress(
                f"{_short(task.url)} never went quiet (requests kept coming); read it anyway"
            )
        if task.depth == 0:  # robots.txt/sitemap URLs come after the start page's own links
            self._enqueue_seeds()
        if loaded.model is None:
            return
        await self.screenshots.take(page, visit.pattern)
        await self._lane.judge(page.context.request, visit.pattern, task.url, loaded)
        visit.seconds = time.monotonic() - began  # a page with a model: its screenshot counts too
        self._expand(visit, loaded.model)
        new_pattern = visit.pattern not in self._click_patterns
        if self.options.explore_clicks and new_pattern and await clickables(page, limit=1):
            self._click_patterns.add(visit.pattern)
            self._frontier.push(ClickTask(visit))

    def _visited(
        self, task: VisitTask, loaded: Loaded, began: float, *, plain: bool = False
    ) -> PageVisit:
        visit = PageVisit(
            url=task.url,
            pattern=self.budget.pattern(task.url),
            depth=task.depth,
            parent=task.parent,
            document=loaded.document,
            fetches=loaded.fetches,
            forms=loaded.model.forms if loaded.model else (),
            seconds=time.monotonic() - began,
            plain=plain,
        )
        self.result.visits.append(visit)
        how = " over plain HTTP" if plain else ""
        self.progress(f"visited {_short(task.url)}{how} ({len(self.result.visits)} pages)")
        return visit

    def _expand(self, visit: PageVisit, model: PageModel) -> None:
        """Queue the page's links (unless many pages of one DOM shape came before) and forms."""
        shape = hashlib.sha1(model.shape.encode()).hexdigest()
        self._shapes[shape] += 1
        if self._shapes[shape] <= NEAR_DUPLICATE_BUDGET:
            self._expand_links(visit, model)
        self._expand_forms(visit, model)

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
            if self.robots.allows(url):
                pattern = self.budget.pattern(url)
                visit.links.append(LinkSeen(url=url, pattern=pattern, text=link.text, nav=link.nav))
            self._follow(url, visit, nav=link.nav)

    def _follow(
        self, url: str, visit: PageVisit, *, deep_link: bool = False, nav: bool = False
    ) -> None:
        """Queue ``url`` found on ``visit``; a client-side route is loaded directly (no link
        to follow on the page before it), as a deep link into the app."""
        pattern = self.budget.pattern(url)
        self.result.inlinks[pattern] = self.result.inlinks.get(pattern, 0) + 1
        if not self.robots.allows(url):
            self.result.skip(url, "GET", DISALLOWED)
            return
        if visit.depth + 1 > self.options.max_depth:
            return
        if self.budget.admit(url) is None:
            self._enqueue_visit(url, visit.depth + 1, None if deep_link else visit, nav=nav)

    def _expand_forms(self, visit: PageVisit, model: PageModel) -> None:
        for form in model.forms:
            signature = form.pattern_signature
            if signature in self.result.forms_seen:
                continue
            self.result.forms_seen.add(signature)
            kind = form_kind(form)
            if not self.robots.allows(form.action):
                self.result.skip(form.action, form.method, DISALLOWED)
                continue
            if self.login_signature is not None and kind == "login":
                self.result.skip(form.action, form.method, "login form: each user's set-up logs in")
                continue
            reason = self.policy.form_verdict(
                action=form.action, method=form.method, texts=" ".join(form.submits), kind=kind
            )
            if reason is not None:
                self.result.skip(form.action, form.method, reason)
                continue
            family = self.budget.rank(visit.url)[1]
            kind_of_form = (form.method.upper(), form.identity[2])
            repeat = self._form_kinds[kind_of_form]
            self._form_kinds[kind_of_form] += 1
            self._frontier.push(FormTask(visit, form, family=family, repeat=repeat))

    async def _submit(self, task: FormTask) -> None:
        outcome = await self.forms.run(task, self._guard())
        action = _short(task.form.action)
        if outcome.submission is not None:
            sub = outcome.submission
            self.result.submissions.append(sub)
            if sub.kind == "write":
                self._writes.append(sub)
            for link in outcome.links:  # pages a write unlocks (a filled cart links checkout)
                url = self._link_target(link)
                if url is not None and self.policy.link_verdict(url, link.text) is None:
                    pattern = self.budget.pattern(url)
                    sub.links.append(
                        LinkSeen(url=url, pattern=pattern, text=link.text, nav=link.nav)
                    )
                    self._follow(url, task.page)
            self.progress(f"submitted form {action} -> {sub.submit.status}")
            return
        if outcome.rejected is None:
            self.result.failed += 1
            self.progress(f"form {action} not submitted: {outcome.failed}")
            return
        retry = self._retry(task)
        self.progress(
            f"form {action} rejected ({outcome.rejected}); "
            + ("retrying" if retry else "giving up")
        )
        if retry is None:
            self.result.rejected.append(f"{task.form.method.upper()} {action}: {outcome.rejected}")
        else:
            self._frontier.push(retry)

    def _retry(self, task: FormTask) -> FormTask | None:
        """Once with other values; then once after another form's successful write."""
        if task.attempt == 0:
            return FormTask(task.page, task.form, attempt=1, family=task.family)
        if task.attempt == 1:
            other = [w for w in self._writes if w.form.signature != task.form.signature]
            if other:
                return FormTask(
                    task.page, task.form, attempt=2, prerequisite=other[-1], family=task.family
                )
        return None

    async def _clicks(self, task: ClickTask, page: Page, capture: Capture) -> None:
        """Each clickable of the page once. The page is loaded again only after a click that
        left a mark (a request, a route, a navigation): a checkbox or a menu that opens costs
        a click, not a page load (a server-rendered admin page has dozens of them)."""
        timeout = self.options.page_timeout_s
        fresh = False
        for index in range(MAX_CLICKS_PER_PAGE):
            if time.monotonic() >= self._deadline:
                return
            if not fresh:
                if await load_page(page, capture, task.page.url, timeout_s=timeout) is None:
                    return
                fresh = True
            targets = await clickables(page, limit=MAX_CLICKS_PER_PAGE)
            if index >= len(targets):
                return
            target = targets[index]
            key = (task.page.pattern, f"{target.tag}:{target.label}")
            family = (task.page.pattern, target.family)
            if key in self._clicked or self._families[family] >= CLICKS_PER_FAMILY:
                continue
            self._clicked.add(key)
            self._families[family] += 1
            if (reason := click_verdict(target)) is not None:
                self.result.skip(task.page.url, "CLICK", f"{reason}: {target.label!r}")
                continue
            outcome = await click_once(page, capture, target, quiet_s=0.3, cap_s=min(5.0, timeout))
            fresh = not (outcome.fetches or outcome.routes or outcome.document)
            done = [f for f in outcome.fetches if f.status is not None]
            sends = any(f.method != "GET" or f.headers or f.post_data for f in done)
            again = await self._click_again(task.page, target) if sends else []
            self._record_click(task.page, target.label, done, outcome.routes, again)

    @contextlib.asynccontextmanager
    async def _fresh_session(self) -> AsyncIterator[tuple[Page, Capture]]:
        """A fresh context for a second recording, logged in afresh (or from the storage
        state), as a new virtual user would be; TargetError if the login fails."""
        guard = self._guard()
        relogin = self.forms.relogin
        state = None if relogin else self.storage_state
        context = await guarded_context(self.browser, guard, storage_state=state)
        try:
            page = await context.new_page()
            capture = Capture(page, self.scope)
            if relogin is not None:
                await relogin(page, capture, guard)
            yield page, capture
        finally:
            await _close(context)

    async def _click_again(self, visit: PageVisit, target: Clickable) -> list[Exchange]:
        """The second recording: the same click in a fresh session (logged in afresh), for
        clicks whose calls send values of their own (bodies, custom headers, writes)."""
        with contextlib.suppress(TargetError):
            async with self._fresh_session() as (page, capture):
                timeout = self.options.page_timeout_s
                if await load_page(page, capture, visit.url, timeout_s=timeout) is not None:
                    found = await clickables(page, limit=MAX_CLICKS_PER_PAGE)
                    same = next(
                        (c for c in found if (c.tag, c.text) == (target.tag, target.text)), None
                    )
                    if same is not None:
                        outcome = await click_once(page, capture, same, quiet_s=0.3, cap_s=5.0)
                        return [f for f in outcome.fetches if f.status is not None]
        return []

    def _record_click(
        self,
        visit: PageVisit,
        label: str,
        done: list[Exchange],
        routes: list[str],
        again: list[Exchange],
    ) -> None:
        for route in routes:
            if self.scope.contains(route):
                self.result.routes.add(self.budget.pattern(route))
                self._follow(route.split("#")[0], visit, deep_link=True)
        if done or routes:
            dynamic = dynamic_values(done, again)
            self.result.clicks.append(
                ClickRecord(page=visit, label=label, fetches=done, routes=routes, dynamic=dynamic)
            )
            note = f", {len(dynamic)} values differ in a fresh session" if dynamic else ""
            self.progress(f"clicked {label!r} on {_short(visit.url)}: {len(done)} calls{note}")


async def _close(context: BrowserContext) -> None:
    with contextlib.suppress(PlaywrightError):
        await context.close()
