"""Log in once in the browser before exploring, and turn that login into each user's set-up.

Discovery then explores as the logged-in user (every context starts from the login's storage
state); at replay each virtual user runs the recorded login itself (GET the page, re-read the
live form's hidden fields, POST its own ``${user.*}`` credentials) — cookies are never shared.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from playwright.async_api import Browser, Page, StorageState
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.actions import load_page, submit_form
from loadscout.discovery.browser import NetworkGuard, guarded_context
from loadscout.discovery.capture import Capture, Exchange
from loadscout.discovery.correlation import template_form, token_extractors
from loadscout.discovery.flow_builder import exchange_step, relative, step_method
from loadscout.discovery.form_fill import FieldFill, fill_form
from loadscout.discovery.page_model import FieldSpec, FormSpec, read_page
from loadscout.errors import TargetError
from loadscout.flows.forms import FormPairs
from loadscout.flows.model import Step

_USER_FIELD = re.compile(r"user|e-?mail|login|account|ident", re.I)
_TEXTUAL = ("text", "email", "tel", "")


@dataclass(frozen=True, kw_only=True, slots=True)
class Credentials:
    """The account discovery logs in with, and what the recorded login sends at replay."""

    username: str
    password: str
    username_template: str = "${user.username}"
    password_template: str = "${user.password}"


@dataclass(kw_only=True, slots=True)
class LoggedIn:
    storage_state: StorageState
    setup: list[Step] = field(default_factory=list)
    form_signature: str = ""


def login_form(forms: tuple[FormSpec, ...]) -> FormSpec | None:
    """The form with exactly one password field (the first such form)."""
    for form in forms:
        if sum(1 for f in form.fields if f.type == "password") == 1:
            return form
    return None


def username_field(form: FormSpec) -> FieldSpec | None:
    candidates = [f for f in form.fields if f.tag == "input" and f.type in _TEXTUAL]
    named = [f for f in candidates if _USER_FIELD.search(f"{f.name} {f.autocomplete or ''}")]
    pool = named or candidates
    return pool[0] if pool else None


def login_fills(form: FormSpec, creds: Credentials) -> tuple[FieldFill, ...]:
    user = username_field(form)
    fills = list(fill_form(form))
    for i, spec in enumerate(form.fields):
        if spec.type == "password":
            fills[i] = FieldFill(value=creds.password)
        elif user is not None and spec.name == user.name:
            fills[i] = FieldFill(value=creds.username)
    return tuple(fills)


def _setup_form(posted: str, form: FormSpec, creds: Credentials) -> FormPairs:
    """The login's form body: tokens re-read, the account as ``${user.*}`` (never the
    password itself), other fields as recorded."""
    user = username_field(form)
    passwords = {f.name for f in form.fields if f.type == "password"}
    templates = {name: creds.password_template for name in passwords}
    if user is not None:
        templates[user.name] = creds.username_template
    posted_pairs = parse_qsl(posted, keep_blank_values=True)
    return template_form(posted_pairs, extractors=token_extractors(form), templates=templates)


async def log_in(
    browser: Browser, guard: NetworkGuard, *, url: str, creds: Credentials, timeout_s: float
) -> LoggedIn:
    """Log in at ``url``; raise TargetError naming what went wrong (no form, rejected, …)."""
    context = await guarded_context(browser, guard)
    try:
        page = await context.new_page()
        capture = Capture(page, guard.scope)
        document, form, submitted = await browser_login(
            page, capture, guard, url=url, creds=creds, timeout_s=timeout_s
        )
        state = await context.storage_state()
        setup = [
            exchange_step(document, extract=list(token_extractors(form).values())),
            Step(
                name=f"{step_method(submitted.method)} {urlsplit(submitted.url).path} (login)",
                method=step_method(submitted.method),
                url=relative(submitted.url),
                kind="form",
                form=_setup_form(submitted.post_data or "", form, creds)
                if form.method == "post"
                else None,
                expect_status=submitted.status,
            ),
        ]
        return LoggedIn(storage_state=state, setup=setup, form_signature=form.pattern_signature)
    finally:
        with contextlib.suppress(PlaywrightError):
            await context.close()


async def browser_login(
    page: Page,
    capture: Capture,
    guard: NetworkGuard,
    *,
    url: str,
    creds: Credentials,
    timeout_s: float,
) -> tuple[Exchange, FormSpec, Exchange]:
    """Log ``page`` in: (login page document, its form, the submission) or TargetError."""
    loaded = await load_page(page, capture, url, timeout_s=timeout_s)
    if loaded is None or loaded.model is None:
        raise TargetError(f"login page {url} did not load as an HTML page")
    form = login_form(loaded.model.forms)
    if form is None:
        raise TargetError(f"no login form (a form with one password field) on {url}")
    guard.allowed_writes.add((form.method.upper(), form.action.split("?")[0]))
    fills = login_fills(form, creds)
    submitted, _ = await submit_form(page, capture, form, fills, timeout_s=timeout_s)
    if submitted is None or submitted.status is None:
        raise TargetError(f"the login form on {url} did not submit")
    await _check_logged_in(page_url=page.url, status=submitted.status, login_url=url, page=page)
    return loaded.document, form, submitted


async def _check_logged_in(*, page_url: str, status: int, login_url: str, page: Page) -> None:
    """A login that answers an error, or shows the login form again, failed."""
    if status >= 400:
        raise TargetError(f"login at {login_url} failed: HTTP {status}")
    try:
        model = await read_page(page)
    except PlaywrightError:
        return
    same_page = urlsplit(page_url).path == urlsplit(login_url).path
    if same_page and login_form(model.forms) is not None:
        raise TargetError(
            f"login at {login_url} failed: the login form came back (wrong username or password?)"
        )
