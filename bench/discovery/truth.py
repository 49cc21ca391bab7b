"""Ground truth for an app, independent of loadscout: an exhaustive plain-HTTP crawl (urllib +
selectolax) with a large budget, and this module's own normalisation of URLs to patterns."""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

_NUMBER = re.compile(r"^\d+$")
_NUMBERED = re.compile(r"^([A-Za-z]+)\d+$")
_SKIP = re.compile(r"logout|log-out|signout|sign-out|/delete/?$", re.I)
MAX_PER_PATTERN = 5


def pattern(path: str) -> str:
    """Numbers and long hex ids become ``{id}``, as do the digits closing a word (Roundup's
    ``issue270``: ``issue{id}``); everything else stays literal."""
    return "/".join(_segment(p) for p in path.split("/")) or "/"


def _segment(part: str) -> str:
    if _NUMBER.match(part) or re.match(r"^[0-9a-f]{16,}$", part):
        return "{id}"
    return _NUMBERED.sub(r"\1{id}", part)


@dataclass(frozen=True, slots=True)
class Truth:
    patterns: set[str]
    forms: set[str]  # "METHOD /action/pattern field,names"
    pages: int
    seconds: float


@dataclass
class Session:
    """A cookie-keeping urllib opener, optionally logged in through an HTML form."""

    base: str
    opener: urllib.request.OpenerDirector = field(init=False)

    def __post_init__(self) -> None:
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, url: str) -> tuple[int, str, str]:
        """(status, final url, body text); status 0 when the request failed."""
        try:
            with self.opener.open(url, timeout=10) as response:
                kind = response.headers.get("Content-Type", "")
                body = response.read().decode("utf-8", "replace") if "html" in kind else ""
                return response.status, response.url, body
        except urllib.error.HTTPError as err:
            return err.code, url, ""
        except (urllib.error.URLError, TimeoutError):
            return 0, url, ""

    def login(self, url: str, username: str, password: str) -> None:
        """Post the page's form with a password field: hidden fields as served, the first
        text field the username."""
        _, final, body = self.get(url)
        form = next(
            f for f in LexborHTMLParser(body).css("form") if f.css_first("input[type=password]")
        )
        data: dict[str, str] = {}
        for node in form.css("input"):
            name, kind = node.attributes.get("name"), (node.attributes.get("type") or "text")
            if not name:
                continue
            if kind.lower() == "password":
                data[name] = password
            elif kind.lower() in ("text", "email") and username not in data.values():
                data[name] = username
            else:
                data[name] = node.attributes.get("value") or ""
        action = urllib.parse.urljoin(final, form.attributes.get("action") or final)
        request = urllib.request.Request(
            action, data=urllib.parse.urlencode(data).encode(), headers={"Referer": final}
        )
        with self.opener.open(request, timeout=10):
            pass


def form_key(page_url: str, form: LexborNode) -> str:
    """``METHOD /action/pattern field,names``: this bench's own identity of a form."""
    action = urllib.parse.urljoin(page_url, form.attributes.get("action") or page_url)
    names = sorted(
        {
            name
            for n in form.css("input, select, textarea")
            if (name := n.attributes.get("name"))
            and (n.attributes.get("type") or "").lower() not in ("submit", "button", "image")
        }
    )
    method = (form.attributes.get("method") or "get").upper()
    return f"{method} {pattern(urllib.parse.urlsplit(action).path)} {','.join(names)}"


def crawl(
    session: Session,
    start: str,
    *,
    max_pages: int = 3000,
    max_s: float = 300,
    keep: Callable[[str], bool] = lambda _url: True,
) -> Truth:
    """Breadth-first over same-origin GET links (each path once, at most MAX_PER_PATTERN
    paths per pattern), never following logout or delete links."""
    origin = urllib.parse.urlsplit(start)[:2]
    began = time.monotonic()
    queue, seen_paths, per_pattern = [start], {urllib.parse.urlsplit(start).path}, Counter[str]()
    patterns: set[str] = set()
    forms: set[str] = set()
    pages = 0
    while queue and pages < max_pages and time.monotonic() - began < max_s:
        url = queue.pop(0)
        status, final, body = session.get(url)
        pages += 1
        if status != 200 or urllib.parse.urlsplit(final)[:2] != origin:
            continue
        if not body:  # JSON, CSV…: not a page
            continue
        patterns.add(pattern(urllib.parse.urlsplit(final).path))
        tree = LexborHTMLParser(body)
        forms |= {form_key(final, f) for f in tree.css("form")}
        for a in tree.css("a[href]"):
            target = urllib.parse.urljoin(final, a.attributes.get("href") or "").split("#")[0]
            parts = urllib.parse.urlsplit(target)
            if parts[:2] != origin or _SKIP.search(parts.path) or not keep(target):
                continue
            if parts.path in seen_paths:
                continue
            seen_paths.add(parts.path)
            key = pattern(parts.path)
            if per_pattern[key] >= MAX_PER_PATTERN:
                continue
            per_pattern[key] += 1
            queue.append(target)
    return Truth(patterns, forms, pages, round(time.monotonic() - began, 1))


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of an OpenAPI schema: its method and path template."""

    method: str
    path: str

    def matches(self, method: str, path: str) -> bool:
        if method != self.method:
            return False
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(self.path))
        return re.fullmatch(regex, path) is not None


_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def operations(session: Session, schema_url: str) -> list[Operation]:
    """The operations an OpenAPI (JSON) schema lists: what an API explorer can run."""
    with session.opener.open(schema_url, timeout=10) as response:
        schema = json.loads(response.read())
    return [
        Operation(method.upper(), path)
        for path, item in schema.get("paths", {}).items()
        for method in item
        if method in _METHODS
    ]
