"""Single-page apps: hooks installed at document start, and clicks on elements with listeners.

The hooks record every ``history.pushState/replaceState`` route, every element that received a
click-like listener, and WebSocket/EventSource URLs. ``explore_clicks`` then clicks those
elements one at a time (reloading the page in between), capturing the fetch/XHR calls and the
client-side routes each click triggers; buttons outside forms are clicked too, as their listener
may sit on an ancestor (delegation). Clicks whose text says logout/delete are never made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from loadscout.discovery.capture import Capture, Exchange
from loadscout.discovery.form_fill import fill_field
from loadscout.discovery.page_model import FieldSpec
from loadscout.discovery.safety import Risk, classify

HOOKS_JS = """
(() => {
  if (window.__ls) return;
  const ls = window.__ls = {routes: [], sockets: [], listeners: new WeakSet()};
  for (const fn of ['pushState', 'replaceState']) {
    const original = history[fn];
    history[fn] = function (state, title, url) {
      const out = original.apply(this, arguments);
      try { if (url != null) ls.routes.push(new URL(url, location.href).href); } catch (e) {}
      return out;
    };
  }
  const kinds = new Set(['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup',
    'touchstart']);
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (kinds.has(type) && this instanceof Element) ls.listeners.add(this);
    return add.call(this, type, listener, options);
  };
  for (const name of ['WebSocket', 'EventSource']) {
    const Original = window[name];
    if (!Original) continue;
    const Wrapped = function (url, arg) {
      try { ls.sockets.push(new URL(url, location.href).href); } catch (e) {}
      return arg === undefined ? new Original(url) : new Original(url, arg);
    };
    Wrapped.prototype = Original.prototype;
    Object.assign(Wrapped, Original);
    window[name] = Wrapped;
  }
})();
"""

_MARK_JS = """
(limit) => {
  const ls = window.__ls;
  for (const old of document.querySelectorAll('[data-ls-click]')) {
    old.removeAttribute('data-ls-click');
  }
  const all = [...document.querySelectorAll('body *')];
  const picked = all.filter((e) => {
    if (e.closest('form')) return false;
    const tag = e.tagName.toLowerCase();
    if (tag === 'a' && e.getAttribute('href') && !e.getAttribute('href').startsWith('#')
        && !(ls && ls.listeners.has(e))) return false;
    // A button outside any form exists to be clicked, even when its listener sits on an
    // ancestor (delegation, as React and jQuery apps do) and so was never seen on it.
    const role = e.getAttribute('role');
    const button = (tag === 'button' || tag === 'summary' || role === 'button' || role === 'tab')
      && !e.hasAttribute('form') && !e.disabled;
    // open already (a disclosure, a <details>, the selected tab): a click would only close it
    if (e.getAttribute('aria-expanded') === 'true' || e.getAttribute('aria-selected') === 'true'
        || (tag === 'summary' && e.parentElement && e.parentElement.open)) return false;
    return (ls && ls.listeners.has(e)) || e.hasAttribute('onclick') || button;
  }).slice(0, limit);
  const seen = {};
  return picked.map((e, i) => {
    e.setAttribute('data-ls-click', String(i));
    const tag = e.tagName.toLowerCase();
    const kind = typeof e.className === 'string' ? e.className : (e.id || '');
    const text = (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 60);
    // Which control this is across re-renders: where it sits (child ranks up to the closest
    // ancestor with an id: an operation, a panel), what it looks like and says. A container
    // of other controls is known by its place alone: its text changes as they open.
    const place = [];
    for (let n = e; n && n !== document.body; n = n.parentElement) {
      if (n !== e && n.id) { place.push('#' + n.id); break; }
      place.push(n.parentElement ? [...n.parentElement.children].indexOf(n) : 0);
    }
    const own = e.querySelector('a, button, input, select, textarea, [role=button]') ? '' : text;
    const base = [place.reverse().join('/'), tag, kind, own].join('|');
    seen[base] = (seen[base] || 0) + 1;
    return {index: i, tag, kind, text, key: `${base}|${seen[base]}`};
  });
}
"""

# Empty text fields outside forms that the page says it needs: required, or flagged invalid
# after a click that did nothing (an API explorer's "Execute" with a blank required id).
_NEEDED_JS = """
() => {
  for (const old of document.querySelectorAll('[data-ls-fill]')) {
    old.removeAttribute('data-ls-fill');
  }
  const texts = new Set(['text', 'search', 'number', 'email', 'tel', 'url']);
  const needed = [...document.querySelectorAll('input, textarea')].filter((e) => {
    if (e.closest('form') || e.disabled || e.readOnly || e.value) return false;
    if (e.tagName === 'INPUT' && !texts.has((e.getAttribute('type') || 'text').toLowerCase())) {
      return false;
    }
    if (!e.getClientRects().length) return false;
    const flagged = e.getAttribute("aria-invalid") === "true" || e.classList.contains("invalid");
    return e.required || e.getAttribute('aria-required') === 'true' || flagged;
  });
  return needed.map((e, i) => {
    e.setAttribute('data-ls-fill', String(i));
    return {index: i, type: (e.getAttribute('type') || 'text').toLowerCase(),
            name: e.name || e.getAttribute('placeholder') || e.getAttribute('aria-label') || e.id,
            min: e.getAttribute('min'), max: e.getAttribute('max')};
  });
}
"""

_CLICK_JS = """
(index) => {
  const e = document.querySelector(`[data-ls-click="${index}"]`);
  if (!e) return false;
  e.click();
  return true;
}
"""

_SETTLED_JS = """
() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(
  () => setTimeout(done, 0))))
"""

_STATE_JS = "() => window.__ls ? {routes: window.__ls.routes, sockets: window.__ls.sockets} : {}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Clickable:
    index: int
    tag: str
    text: str
    kind: str = ""  # class (or id): list items of one kind do the same thing
    key: str = ""  # the same control after the page re-renders (see _MARK_JS)

    @property
    def family(self) -> str:
        return f"{self.tag}.{self.kind}"

    @property
    def label(self) -> str:
        return self.text or f"<{self.tag}>"


@dataclass(kw_only=True, slots=True)
class ClickOutcome:
    target: Clickable
    fetches: list[Exchange] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    document: Exchange | None = None  # a full navigation the click caused


async def clickables(page: Page, *, limit: int = 12) -> list[Clickable]:
    try:
        raw: list[dict[str, Any]] = await page.evaluate(_MARK_JS, limit)
    except PlaywrightError:
        return []
    return [
        Clickable(
            index=r["index"], tag=r["tag"], text=r["text"], kind=str(r["kind"])[:60], key=r["key"]
        )
        for r in raw
    ]


async def fill_needed(page: Page) -> int:
    """Types a value into each empty field the page marks required or invalid (outside
    forms, which the form runner fills); how many it filled."""
    try:
        needed: list[dict[str, Any]] = await page.evaluate(_NEEDED_JS)
        for field_info in needed:
            spec = FieldSpec(
                name=str(field_info["name"] or ""),
                type=field_info["type"],
                min=field_info["min"],
                max=field_info["max"],
                required=True,
            )
            value = fill_field(spec, kind="read", unique="1").value or "1"
            locator = page.locator(f'[data-ls-fill="{field_info["index"]}"]')
            await locator.fill(value, timeout=2000)
            # and leave the field, as a person does: an input that reports its value only
            # after a pause in typing (debounced) reports it on blur
            await locator.blur(timeout=2000)
    except PlaywrightError:
        return 0
    return len(needed)


async def hook_state(page: Page) -> tuple[list[str], list[str]]:
    """(pushState routes, WebSocket/EventSource URLs) the page recorded so far."""
    try:
        state: dict[str, list[str]] = await page.evaluate(_STATE_JS)
    except PlaywrightError:
        return [], []
    return list(state.get("routes", [])), list(state.get("sockets", []))


_IDLE = re.compile(
    r"^(cancel|close|clear|reset|dismiss|hide|collapse( all)?|back|undo|discard)$|^copy\b"
    r"|clipboard",
    re.I,
)


def redrawn(target: Clickable, controls: list[Clickable]) -> Clickable | None:
    """``target`` among ``controls`` read after the page drew it again: the same key, else
    the one that looks and reads the same under the same anchor (it moved within it)."""
    anchor = target.key.split("/", 1)[0]
    same = [
        c for c in controls if (c.tag, c.kind, c.text) == (target.tag, target.kind, target.text)
    ]
    return next((c for c in same if c.key == target.key), None) or next(
        (c for c in same if c.key.split("/", 1)[0] == anchor), None
    )


def idle_control(target: Clickable) -> bool:
    """A control that puts back what the clicks before it opened (Cancel, Close, Clear), or
    copies text: a person exploring does not click it, and clicking it would hide the next
    step or ask the server nothing."""
    return bool(_IDLE.search(target.text.strip()))


# an API explorer's operation: "POST /api/authors/", "patch /api/books/{id}/"
_WRITE_OPERATION = re.compile(r"^(post|put|patch)\s+/", re.I)


def click_verdict(target: Clickable, *, allow_writes: bool = False) -> str | None:
    """Why a click must not be made (its text says logout or destroy, or names a write
    operation while writes are not allowed), or None."""
    risk = classify(text=target.text)
    if risk is Risk.LOGOUT:
        return "logout control (would end the session)"
    if risk is Risk.DESTRUCTIVE:
        return "destructive control"
    if not allow_writes and _WRITE_OPERATION.match(target.text.replace("\u200b", "")):
        return "write operation (non-GET) not allowed; pass allow_writes to run it"
    return None


async def click_once(
    page: Page, capture: Capture, target: Clickable, *, quiet_s: float, cap_s: float
) -> ClickOutcome:
    """Click ``target`` (marked by ``clickables``) and collect what it caused."""
    routes_before, _ = await hook_state(page)
    mark = capture.mark()
    capture.touch()
    try:
        clicked = await page.evaluate(_CLICK_JS, target.index)
        # A framework renders after the click and fetches from the effects of that render:
        # on a heavy page that is later than the quiet window. Two frames let it happen.
        await page.evaluate(_SETTLED_JS)
    except PlaywrightError:
        clicked = False  # the click navigated away and destroyed the context
    capture.touch()
    await capture.wait_quiet(quiet_s=quiet_s, cap_s=cap_s)
    outcome = ClickOutcome(target=target)
    for exchange in capture.since(mark):
        if exchange.kind == "document":
            outcome.document = outcome.document or exchange
        else:
            outcome.fetches.append(exchange)
    if clicked and outcome.document is None:
        routes, _ = await hook_state(page)
        outcome.routes = routes[len(routes_before) :]
    return outcome
