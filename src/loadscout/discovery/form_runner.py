"""Submit one form in a fresh browser context, detect a rejection, and describe what happened.

The form's page is loaded again in the fresh context: comparing its fields with the crawl's
copy is the second recording that tells per-session values from constants. A write the server
rejects (error status, or the same form back with error markers) is retried by the crawler once
with other values, then once after a prerequisite write (e.g. add-to-cart before checkout).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, StorageState
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.actions import load_page, submit_form
from loadscout.discovery.browser import NetworkGuard, guarded_context
from loadscout.discovery.capture import Capture, Exchange
from loadscout.discovery.correlation import changed_fields, token_extractors
from loadscout.discovery.form_fill import DataValues, fill_form, form_kind
from loadscout.discovery.frontier import FormTask
from loadscout.discovery.page_model import FormSpec, Link, PageModel, read_page, same_form
from loadscout.discovery.records import FormSubmission
from loadscout.errors import TargetError

Relogin = Callable[[Page, Capture, NetworkGuard], Awaitable[object]]
_ERROR_MARKERS_JS = """
(sig) => {
  const markers = '[role=alert], .error, .errors, .invalid, .is-invalid, [aria-invalid=true], '
    + '.field-error, .alert-danger, .form-error';
  const actionOf = Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, 'action').get;
  const same = [...document.forms].some((f) => actionOf.call(f).split('#')[0] === sig.action
    && (f.getAttribute('method') || 'get').toLowerCase() === sig.method
    && sig.fields.every((n) => [...f.elements].some((e) => e.name === n)));
  const errors = [...document.querySelectorAll(markers)].some((e) => e.textContent.trim());
  return same && errors;
}
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class FormOutcome:
    submission: FormSubmission | None = None
    rejected: str | None = None  # why the server did not accept it
    failed: str | None = None  # why it could not be tried at all
    links: tuple[Link, ...] = ()  # links on the page the accepted submission led to
    script_calls: tuple[Exchange, ...] = ()  # a form its page's script sends: the calls made


@dataclass(frozen=True, kw_only=True, slots=True)
class FormRunner:
    browser: Browser
    storage_state: StorageState | str | None
    timeout_s: float
    data: DataValues | None = None
    relogin: Relogin | None = None  # logs a fresh context in (its own session), when logged in

    async def run(self, task: FormTask, guard: NetworkGuard) -> FormOutcome:
        for form in (task.form, task.prerequisite.form if task.prerequisite else None):
            if form is not None and form.method != "get":
                guard.allowed_writes.add((form.method.upper(), form.action.split("?")[0]))
        context = await guarded_context(self.browser, guard, storage_state=self.storage_state)
        try:
            page = await context.new_page()
            capture = Capture(page, guard.scope)
            if self.relogin is not None:
                try:
                    await self.relogin(page, capture, guard)
                except TargetError as err:
                    return FormOutcome(failed=f"could not log in a fresh session: {err}")
            if task.prerequisite is not None and not await self._redo(
                task.prerequisite, page, capture
            ):
                return FormOutcome(failed="its prerequisite form could not be submitted again")
            return await self._submit(task, page, capture)
        finally:
            await _close(context)

    async def _load_form(
        self, url: str, wanted: FormSpec, page: Page, capture: Capture
    ) -> tuple[Exchange, FormSpec] | None:
        loaded = await load_page(page, capture, url, timeout_s=self.timeout_s)
        form = _same_form(loaded.model if loaded else None, wanted)
        if loaded is None or form is None:
            return None
        return loaded.document, form

    async def _redo(self, sub: FormSubmission, page: Page, capture: Capture) -> bool:
        found = await self._load_form(sub.page.url, sub.form, page, capture)
        if found is None:
            return False
        fills = fill_form(found[1], data=self.data)
        done, _ = await submit_form(page, capture, found[1], fills, timeout_s=self.timeout_s)
        return done is not None and done.status is not None and done.status < 400

    async def _submit(self, task: FormTask, page: Page, capture: Capture) -> FormOutcome:
        found = await self._load_form(task.page.url, task.form, page, capture)
        if found is None:
            return FormOutcome(failed="the form was not on its page in a fresh session")
        document, form = found
        dynamic = changed_fields(task.form, form)
        fills = fill_form(form, data=self.data, variant=int(task.attempt == 1))
        submitted, fetches = await submit_form(page, capture, form, fills, timeout_s=self.timeout_s)
        if submitted is None and any(f.status is not None for f in fetches):
            return FormOutcome(script_calls=tuple(f for f in fetches if f.status is not None))
        if submitted is None or submitted.status is None:
            return FormOutcome(failed="it did not submit (blocked or no response)")
        checks = form_kind(form) not in ("login", "search")  # a failed login is still a flow
        reason = await _rejection(page, submitted, form) if checks else None
        if reason is not None:
            return FormOutcome(rejected=reason)
        templates = {
            s.name: f.template for s, f in zip(form.fields, fills, strict=True) if f.template
        }
        links: tuple[Link, ...] = ()
        if submitted.is_html:
            with contextlib.suppress(PlaywrightError):
                links = (await read_page(page)).links
        return FormOutcome(
            links=links,
            submission=FormSubmission(
                page=task.page,
                form=form,
                kind=form_kind(form),
                page_document=document,
                submit=submitted,
                extractors=token_extractors(form, changed=dynamic),
                templates=templates,
                fetches=fetches,
                prerequisite=task.prerequisite,
                dynamic=dynamic,
            ),
        )


async def _rejection(page: Page, submitted: Exchange, form: FormSpec) -> str | None:
    """Why the server rejected the submission (error status, or the form back with errors)."""
    status = submitted.status or 0
    if status >= 400:
        return f"HTTP {status}"
    if not submitted.is_html:
        return None
    signature = {
        "action": form.action.split("#")[0],
        "method": form.method,
        "fields": form.field_names,
    }
    try:
        again = await page.evaluate(_ERROR_MARKERS_JS, signature)
    except PlaywrightError:
        return None
    if again:
        return f"the form came back with error messages at {urlsplit(page.url).path}"
    return None


def _same_form(model: PageModel | None, wanted: FormSpec) -> FormSpec | None:
    """The live form matching ``wanted`` (fresh hidden values), by method, action and fields."""
    return None if model is None else same_form(model.forms, wanted)


async def _close(context: BrowserContext) -> None:
    with contextlib.suppress(PlaywrightError):
        await context.close()
