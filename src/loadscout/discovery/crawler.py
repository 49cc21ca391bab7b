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
from loadscout.discovery.click_tree import ClickTree, Families
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
from loadscout.discovery.spa import (
    Clickable,
    ClickOutcome,
    click_once,
    click_verdict,
    clickables,
    fill_needed,
    idle_control,
    redrawn,
)
from loadscout.errors import RunFailed, TargetError
from loadscout.plan.scope import Scope

Progress = Callable[[str], None]
_DOWNLOAD_EXT = (".pdf", ".zip", ".gz", ".tar", ".exe", ".dmg", ".csv", ".xlsx", ".docx", ".mp4")
NEAR_DUPLICATE_BUDGET = 8  # pages with one DOM shape whose links are followed
MAX_CLICKS_PER_PAGE = 8  # clicks on a page that find nothing new before it is left
CLICKS_PER_FIND = 12  # and more for each click that found a new call or route
CLICKS_PER_LOAD = 12  # a page that has this many clicks open is loaded again after a find
MARK_LIMIT = 400  # controls read per page (an API explorer has a few per operation)
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
        self._called: set[tuple[str, str]] = set()  # (method, pattern) clicks have called
        self._click_families = Families()
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
            egress=self.options.egress,
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
        if self.options.explore_clicks and new_pattern and await self._worth_clicking(page):
            self._click_patterns.add(visit.pattern)
            self._frontier.push(ClickTask(visit))

    async def _worth_clicking(self, page: Page) -> bool:
        """The page has a control of a family that has not stopped finding things."""
        found = await clickables(page, limit=MARK_LIMIT)
        return any(not self._click_families.exhausted(c.family) for c in found)

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
        if outcome.script_calls:  # the page's script sent it: its calls, as a click's
            calls = list(outcome.script_calls)
            label = f"form {task.form.method.upper()} {action}"
            self.result.clicks.append(ClickRecord(page=task.page, label=label, fetches=calls))
            self._called |= {(f.method, self.budget.pattern(f.url)) for f in calls}
            self.progress(f"submitted form {action} (sent by its script): {len(calls)} calls")
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
        """The page's controls, clicked in the order a ClickTree picks (what a click opens
        first). The page is loaded again only after a click that navigated away; a menu or
        an operation that opens costs a click, not a page load."""
        timeout = self.options.page_timeout_s
        if await load_page(page, capture, task.page.url, timeout_s=timeout) is None:
            return
        tree, clicks, finds, since_load = ClickTree(self._click_families), 0, 0, 0
        found = await clickables(page, limit=MARK_LIMIT)
        while clicks < MAX_CLICKS_PER_PAGE + CLICKS_PER_FIND * finds:
            if time.monotonic() >= self._deadline or (target := tree.next(found)) is None:
                return
            tree.start(target)  # clicked or not, never picked again
            if idle_control(target):
                continue
            if (reason := click_verdict(target, allow_writes=self.policy.allow_writes)) is not None:
                self.result.skip(task.page.url, "CLICK", f"{reason}: {target.label!r}")
                continue
            clicks += 1
            since_load += 1
            outcome = await self._click(page, capture, target, tree)
            novel = await self._record_click(task.page, target, outcome, tree)
            finds += novel
            # what opened stays open: after a find, a page grown heavy is loaded afresh
            heavy = novel and since_load >= CLICKS_PER_LOAD
            if heavy or outcome.document is not None or _leaves(outcome.routes, task.page.url):
                since_load = 0
                tree.finish(target, found=novel, revealed=())
                tree.forget_reveals()
                if await load_page(page, capture, task.page.url, timeout_s=timeout) is None:
                    return
                found = await clickables(page, limit=MARK_LIMIT)
                continue
            before = {c.key for c in found}
            found = await clickables(page, limit=MARK_LIMIT)
            revealed = [c for c in found if c.key not in before]
            tree.finish(target, found=novel, revealed=revealed)

    async def _click(
        self, page: Page, capture: Capture, target: Clickable, tree: ClickTree | None = None
    ) -> ClickOutcome:
        """One click, after typing into the fields the page says it needs; a click that did
        nothing but flag fields invalid is made once more with them filled (on the control
        as the page drew it again: it may have moved)."""
        cap = min(5.0, self.options.page_timeout_s)
        await fill_needed(page)
        outcome = await click_once(page, capture, target, quiet_s=0.3, cap_s=cap)
        marked = outcome.fetches or outcome.routes or outcome.document
        if not marked and await fill_needed(page):
            again = redrawn(target, await clickables(page, limit=MARK_LIMIT))
            if again is not None:
                if tree is not None:
                    tree.done.add(again.key)
                outcome = await click_once(page, capture, again, quiet_s=0.3, cap_s=cap)
        return outcome

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

    async def _click_again(self, visit: PageVisit, path: list[str]) -> list[Exchange]:
        """The second recording: the same clicks in a fresh session (logged in afresh), for
        clicks whose calls send values of their own (bodies, custom headers, writes).
        ``path``: the keys of the controls clicked to reach the one recorded, itself last."""
        with contextlib.suppress(TargetError):
            async with self._fresh_session() as (page, capture):
                timeout = self.options.page_timeout_s
                if await load_page(page, capture, visit.url, timeout_s=timeout) is None:
                    return []
                outcome: ClickOutcome | None = None
                for key in path:
                    found = await clickables(page, limit=MARK_LIMIT)
                    same = next((c for c in found if c.key == key), None)
                    if same is None:
                        return []
                    outcome = await self._click(page, capture, same)
                if outcome is not None:
                    return [f for f in outcome.fetches if f.status is not None]
        return []

    async def _record_click(
        self, visit: PageVisit, target: Clickable, outcome: ClickOutcome, tree: ClickTree
    ) -> bool:
        """Keeps what the click called and where it routed; whether any of it was new (a call,
        sent or blocked, or a route of a pattern not seen before)."""
        done = [f for f in outcome.fetches if f.status is not None]
        # a write the safety policy blocked is still an operation found
        calls = {(f.method, self.budget.pattern(f.url)) for f in outcome.fetches}
        # a route to the page itself (a new #hash: a deep link to what opened) is no place
        routes = [r for r in outcome.routes if self.scope.contains(r) and _leaves([r], visit.url)]
        places = {self.budget.pattern(r) for r in routes}
        novel = bool(calls - self._called or places - self.result.routes)
        self._called |= calls
        for route in routes:
            self.result.routes.add(self.budget.pattern(route))
            self._follow(route.split("#")[0], visit, deep_link=True)
        if done or routes:
            sends = any(f.method != "GET" or f.headers or f.post_data for f in done)
            again = await self._click_again(visit, tree.path(target)) if sends else []
            dynamic = dynamic_values(done, again)
            label = target.label
            self.result.clicks.append(
                ClickRecord(page=visit, label=label, fetches=done, routes=routes, dynamic=dynamic)
            )
            note = f", {len(dynamic)} values differ in a fresh session" if dynamic else ""
            self.progress(f"clicked {label!r} on {_short(visit.url)}: {len(done)} calls{note}")
        return novel


async def _close(context: BrowserContext) -> None:
    with contextlib.suppress(PlaywrightError):
        await context.close()


def _leaves(routes: list[str], page_url: str) -> bool:
    """A client-side route to another path (not the page's own, with only a new #hash)."""
    here = urlsplit(page_url)
    return any(urlsplit(r)[:4] != here[:4] for r in routes)
