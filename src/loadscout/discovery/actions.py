"""Browser actions with their network capture: load a page, fill and submit a form."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from loadscout.discovery.capture import Capture, Exchange
from loadscout.discovery.form_fill import FieldFill
from loadscout.discovery.page_model import FormSpec, PageModel, read_page

QUIET_S = 0.3
QUIET_CAP_S = 5.0

_SUBMIT_JS = """
([index, fills]) => {
  const f = document.forms[index];
  const els = [...f.elements].filter(e => e.name && !['submit', 'button', 'reset', 'image']
    .includes((e.type || '').toLowerCase()));
  fills.forEach((fill, i) => {
    const e = els[i];
    if (!e) return;
    if (fill.checked !== null) e.checked = fill.checked;
    if (fill.value !== null) e.value = fill.value;
  });
  const submitter = f.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  const invalid = els.filter(e => e.willValidate && !e.checkValidity()).map(e => e.name);
  if (invalid.length === 0 && f.requestSubmit) { f.requestSubmit(submitter || undefined); }
  else { f.submit(); }
  return invalid;
}
"""


@dataclass(kw_only=True, slots=True)
class Loaded:
    """A page load: its main document exchange, fetches made while settling, and the DOM model."""

    document: Exchange
    fetches: list[Exchange]
    model: PageModel | None  # None when the document is not HTML or failed
    quiet: bool = True  # False: in-scope requests never stopped (polling); read anyway


def _split(exchanges: list[Exchange]) -> tuple[Exchange | None, list[Exchange]]:
    documents = [e for e in exchanges if e.kind == "document"]
    fetches = [e for e in exchanges if e.kind == "fetch"]
    return (documents[0] if documents else None), fetches


async def load_page(page: Page, capture: Capture, url: str, *, timeout_s: float) -> Loaded | None:
    """Navigate, wait until quiet, read links and forms; None if the page did not load."""
    await capture.wait_quiet(quiet_s=0.05, cap_s=1.0)  # let the previous page's calls end
    mark = capture.mark()
    try:
        await page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
    except PlaywrightError:
        return None
    quiet = await capture.wait_quiet(quiet_s=QUIET_S, cap_s=min(QUIET_CAP_S, timeout_s))
    document, fetches = _split(capture.since(mark))
    if document is None or document.status is None:
        return None
    model = None
    if document.is_html and document.status < 400:
        try:
            model = await read_page(page)
        except PlaywrightError:
            model = None
    return Loaded(document=document, fetches=fetches, model=model, quiet=quiet)


async def submit_form(
    page: Page, capture: Capture, form: FormSpec, fills: tuple[FieldFill, ...], *, timeout_s: float
) -> tuple[Exchange | None, list[Exchange]]:
    """Fill and submit ``form`` on the current page; returns the submission and the fetches
    after it. The submission is None when no page was requested: a form the page's own script
    handles (its calls are the fetches), found when the page goes quiet, not after waiting a
    whole page timeout for a navigation that never comes."""
    mark = capture.mark()
    payload = [{"value": f.value, "checked": f.checked} for f in fills]
    with contextlib.suppress(PlaywrightError):  # the page navigated away mid-call
        await page.evaluate(_SUBMIT_JS, [form.index, payload])
    capture.touch()
    quiet = await capture.wait_quiet(quiet_s=QUIET_S, cap_s=min(QUIET_CAP_S, timeout_s))
    document, _ = _split(capture.since(mark))
    if document is not None:  # a blocked or failed submission still leaves it (status None)
        if not quiet:  # a slow server: its answer gets the page timeout
            await capture.wait_quiet(quiet_s=QUIET_S, cap_s=timeout_s)
        with contextlib.suppress(PlaywrightError):
            await page.wait_for_load_state("domcontentloaded", timeout=timeout_s * 1000)
    return _split(capture.since(mark))


__all__ = ["Loaded", "load_page", "submit_form"]
