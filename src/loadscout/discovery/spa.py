"""Single-page apps: hooks installed at document start, and clicks on elements with listeners.

The hooks record every ``history.pushState/replaceState`` route, every element that received a
click-like listener, and WebSocket/EventSource URLs. ``explore_clicks`` then clicks those
elements one at a time (reloading the page in between), capturing the fetch/XHR calls and the
client-side routes each click triggers; buttons outside forms are clicked too, as their listener
may sit on an ancestor (delegation). Clicks whose text says logout/delete are never made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from loadscout.discovery.capture import Capture, Exchange
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
  const all = [...document.querySelectorAll('body *')];
  const picked = all.filter((e) => {
    if (e.closest('form')) return false;
    const tag = e.tagName.toLowerCase();
    if (tag === 'a' && e.getAttribute('href') && !e.getAttribute('href').startsWith('#')
        && !(ls && ls.listeners.has(e))) return false;
    // A button outside any form exists to be clicked, even when its listener sits on an
    // ancestor (delegation, as React and jQuery apps do) and so was never seen on it.
    const button = (tag === 'button' || e.getAttribute('role') === 'button')
      && !e.hasAttribute('form') && !e.disabled;
    return (ls && ls.listeners.has(e)) || e.hasAttribute('onclick') || button;
  }).slice(0, limit);
  return picked.map((e, i) => {
    e.setAttribute('data-ls-click', String(i));
    return {index: i, tag: e.tagName.toLowerCase(), kind: e.className || e.id || '',
            text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 60)};
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

_STATE_JS = "() => window.__ls ? {routes: window.__ls.routes, sockets: window.__ls.sockets} : {}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Clickable:
    index: int
    tag: str
    text: str
    kind: str = ""  # class (or id): list items of one kind do the same thing

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
        Clickable(index=r["index"], tag=r["tag"], text=r["text"], kind=str(r["kind"])[:60])
        for r in raw
    ]


async def hook_state(page: Page) -> tuple[list[str], list[str]]:
    """(pushState routes, WebSocket/EventSource URLs) the page recorded so far."""
    try:
        state: dict[str, list[str]] = await page.evaluate(_STATE_JS)
    except PlaywrightError:
        return [], []
    return list(state.get("routes", [])), list(state.get("sockets", []))


def click_verdict(target: Clickable) -> str | None:
    """Why a click must not be made (its text says logout or destroy), or None."""
    risk = classify(text=target.text)
    if risk is Risk.LOGOUT:
        return "logout control (would end the session)"
    if risk is Risk.DESTRUCTIVE:
        return "destructive control"
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
    except PlaywrightError:
        clicked = False  # the click navigated away and destroyed the context
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
