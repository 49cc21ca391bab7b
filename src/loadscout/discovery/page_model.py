"""What a loaded page offers: links and forms, read from the live DOM in one JS call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Page

from loadscout.discovery.patterns import path_pattern

_READ_PAGE_JS = """
() => {
  const text = (e) => (e.innerText || e.value || e.getAttribute('aria-label') || '')
    .trim().slice(0, 80);
  const links = [...document.querySelectorAll('a[href]')]
    .filter(a => typeof a.href === 'string').map(a => ({  // an SVG <a> has an object href
    href: a.href, raw: a.getAttribute('href') || '', text: text(a),
    download: a.hasAttribute('download'),
    nav: !!a.closest('header, nav, aside, footer, [role=navigation], [role=banner]'),
  }));
  // A control named "action" or "id" shadows the form's own property (DOM clobbering):
  // read them through the prototype and attributes, never as f.action / f.id.
  const actionOf = Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, 'action').get;
  const forms = [...document.forms].map((f, index) => ({
    index, action_attr: f.getAttribute('action'), action: actionOf.call(f),
    id: f.getAttribute('id'),
    method: (f.getAttribute('method') || 'get').toLowerCase(),
    submits: [...f.querySelectorAll('button, input[type=submit], input[type=image]')]
      .filter(b => (b.type || '').toLowerCase() === 'submit' || b.type === 'image').map(text),
    fields: [...f.elements].filter(e => e.name && !['submit', 'button', 'reset', 'image']
      .includes((e.type || '').toLowerCase())).map(e => ({
      name: e.name, tag: e.tagName.toLowerCase(), type: (e.type || e.tagName).toLowerCase(),
      value: e.value || '', required: !!e.required, checked: !!e.checked,
      min: e.getAttribute('min'), max: e.getAttribute('max'), step: e.getAttribute('step'),
      minlength: e.minLength > 0 ? e.minLength : null,
      maxlength: e.maxLength > 0 ? e.maxLength : null,
      pattern: e.getAttribute('pattern'), placeholder: e.getAttribute('placeholder'),
      autocomplete: e.getAttribute('autocomplete'),
      options: e.tagName === 'SELECT' ? [...e.options].map(o => ({
        value: o.value, text: o.text.trim(), selected: o.selected})) : [],
    })),
  }));
  const shape = [...document.querySelectorAll('body *')].slice(0, 3000)
    .map(e => e.tagName + (e.id ? '#' + e.id : '')).join(',');
  return {url: location.href, title: document.title, links, forms, shape};
}
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Option:
    value: str
    text: str = ""
    selected: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldSpec:
    name: str
    type: str = "text"
    tag: str = "input"
    value: str = ""
    required: bool = False
    checked: bool = False
    min: str | None = None
    max: str | None = None
    step: str | None = None
    minlength: int | None = None
    maxlength: int | None = None
    pattern: str | None = None
    placeholder: str | None = None
    autocomplete: str | None = None
    options: tuple[Option, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class FormSpec:
    """``action_attr`` is the raw attribute (for CSS selectors); ``action`` the resolved URL."""

    index: int
    action: str
    method: str = "get"
    action_attr: str | None = None
    id: str | None = None
    submits: tuple[str, ...] = ()
    fields: tuple[FieldSpec, ...] = ()

    @property
    def field_names(self) -> list[str]:
        """Each field name once, in page order: with the method, what identifies the form
        among others sharing its action (a GET search and a POST login on one URL)."""
        return list(dict.fromkeys(f.name for f in self.fields))

    @property
    def signature(self) -> str:
        """Identity across pages: method, action and field names (Black Widow's fuzzy_eq)."""
        names = ",".join(sorted({f.name for f in self.fields}))
        return f"{self.method.upper()} {self.action.split('#')[0]} [{names}]"

    @property
    def identity(self) -> tuple[str, str, tuple[str, ...]]:
        """Method, action path (no query) and field names: the signature less what a fresh
        session may change in the action (``?next=``, a token)."""
        names = tuple(sorted(set(self.field_names)))
        return (self.method, self.action.split("#")[0].split("?")[0], names)

    @property
    def pattern_signature(self) -> str:
        """The same form on every page of a pattern (``/products/{num}``): what coverage counts."""
        names = ",".join(sorted({f.name for f in self.fields}))
        return f"{self.method.upper()} {path_pattern(self.action)} {names}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    href: str
    raw: str = ""
    text: str = ""
    download: bool = False
    nav: bool = False  # in the page's navigation (header, nav, aside, footer), not its content


@dataclass(frozen=True, kw_only=True, slots=True)
class PageModel:
    url: str
    title: str = ""
    links: tuple[Link, ...] = ()
    forms: tuple[FormSpec, ...] = field(default=())
    shape: str = ""  # tag structure without text: the DOM-state dedup key


def same_form(forms: tuple[FormSpec, ...], wanted: FormSpec) -> FormSpec | None:
    """The form among ``forms`` that is ``wanted`` (a fresh rendering of its page): same
    method, action and field names; its position on the page only breaks a tie."""
    matches = [f for f in forms if f.signature == wanted.signature] or [
        f
        for f in forms
        if f.identity == wanted.identity  # a per-session query in its action
    ]
    return min(matches, key=lambda f: abs(f.index - wanted.index), default=None)


def _text(value: Any) -> str | None:
    """A string from the page, or None for anything else (an object leaking through)."""
    return value if isinstance(value, str) else None


def _field(raw: dict[str, Any]) -> FieldSpec:
    options = tuple(Option(**o) for o in raw.pop("options", []))
    return FieldSpec(options=options, **raw)


def parse_page_model(raw: dict[str, Any]) -> PageModel:
    """Build the typed model from the JS result (pure; tested without a browser)."""
    forms = tuple(
        FormSpec(
            index=f["index"],
            action=_text(f["action"]) or raw["url"],
            method=f["method"] if f["method"] in ("get", "post") else "get",
            action_attr=_text(f["action_attr"]),
            id=_text(f.get("id")),
            submits=tuple(s for s in f["submits"] if s),
            fields=tuple(_field(dict(x)) for x in f["fields"]),
        )
        for f in raw.get("forms", [])
    )
    links = tuple(Link(**link) for link in raw.get("links", []) if _text(link.get("href")))
    return PageModel(
        url=raw["url"],
        title=raw.get("title", ""),
        links=links,
        forms=forms,
        shape=raw.get("shape", ""),
    )


async def read_page(page: Page) -> PageModel:
    return parse_page_model(await page.evaluate(_READ_PAGE_JS))
