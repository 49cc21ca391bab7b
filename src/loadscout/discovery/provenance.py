"""Correlation across the steps of one flow: where does each value a request sends come from?

Resolved in this order (DESIGN.md): the cookie jar (a header echoing a cookie — the
double-submit pattern — becomes a ``cookie`` extractor), an earlier response (an id in a URL
that an earlier JSON response held becomes a ``json`` extractor, a URL an earlier response named
in ``Location`` a ``header`` extractor; a link path with an id that
the previous page linked to becomes a ``regex`` extractor), else a constant.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, unquote_plus, urljoin, urlsplit

from loadscout.discovery.capture import Exchange
from loadscout.discovery.patterns import generalise
from loadscout.flows.model import Extractor, Flow, Step

_ID_LIKE = re.compile(r"^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", re.I)
_PLACEHOLDER_REGEX = {
    "{num}": r"\d+",
    "{uuid}": r"[0-9a-fA-F-]{36}",
    "{hex}": r"[0-9a-fA-F]{8,}",
    "{date}": r"[0-9-]{8,10}",
}


@dataclass(slots=True)
class Recorded:
    """A step being built with the exchange it came from (the exchange keeps the bodies)."""

    step: Step
    exchange: Exchange | None = None
    extract: list[Extractor] = field(default_factory=list)

    def done(self) -> Step:
        if not self.extract:
            return self.step
        names = {e.name for e in self.step.extract}
        extra = [e for e in self.extract if e.name not in names]
        return self.step.model_copy(update={"extract": [*self.step.extract, *extra]})


def json_leaves(document: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted path, scalar as text) for every leaf, lists indexed by position."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from json_leaves(value, f"{prefix}{key}.")
    elif isinstance(document, list):
        for index, value in enumerate(document[:200]):
            yield from json_leaves(value, f"{prefix}{index}.")
    elif document is not None and not isinstance(document, bool):
        yield prefix[:-1], document if isinstance(document, str) else json.dumps(document)


def _json_index(exchange: Exchange) -> dict[str, str]:
    """Leaf value -> the first path holding it, for one JSON response."""
    if not exchange.response_body:
        return {}
    try:
        document = json.loads(exchange.response_body)
    except ValueError:
        return {}
    index: dict[str, str] = {}
    for path, value in json_leaves(document):
        if path:
            index.setdefault(value, path)
    return index


def _var(prefix: str, text: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", f"{prefix}_{text}").strip("_").lower()
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def correlate_json_ids(flow: list[Recorded]) -> None:
    """A fetch URL segment holding an id an earlier JSON response returned is templated."""
    taken: set[str] = set()
    for i, rec in enumerate(flow):
        if rec.step.kind != "fetch" or "${" in rec.step.url:
            continue
        path, _, query = rec.step.url.partition("?")
        segments = path.split("/")
        for s_index, segment in enumerate(segments):
            if not _ID_LIKE.match(segment):
                continue
            for earlier in reversed(flow[:i]):
                if earlier.exchange is None:
                    continue
                json_path = _json_index(earlier.exchange).get(segment)
                if json_path is None:
                    continue
                name = _var("json", json_path, taken)
                earlier.extract.append(Extractor(name=name, source="json", expression=json_path))
                segments[s_index] = "${" + name + "}"
                break
        url = "/".join(segments) + (f"?{query}" if query else "")
        if url != rec.step.url:
            rec.step = rec.step.model_copy(update={"url": url})


def correlate_cookie_headers(flow: list[Recorded], cookies: dict[str, str]) -> None:
    """A request header echoing a cookie's value (double-submit CSRF) reads the jar at replay."""
    taken: set[str] = set()
    for i, rec in enumerate(flow):
        headers = dict(rec.step.headers)
        for key, value in rec.step.headers.items():
            name = cookies.get(value)
            if name is None or i == 0:
                continue
            var = _var("cookie", name, taken)
            flow[i - 1].extract.append(Extractor(name=var, source="cookie", expression=name))
            headers[key] = "${" + var + "}"
        if headers != rec.step.headers:
            rec.step = rec.step.model_copy(update={"headers": headers})


def correlate_locations(flow: list[Recorded]) -> None:
    """A later step requesting the URL an earlier response named in ``Location`` (201 Created
    with the new resource's address) takes it from that header at replay."""
    taken: set[str] = set()
    for i, rec in enumerate(flow):
        if "${" in rec.step.url:
            continue
        for earlier in reversed(flow[:i]):
            exchange = earlier.exchange
            if exchange is None or not exchange.location or not exchange.status:
                continue
            if 300 <= exchange.status < 400:  # a redirect the client follows: not readable
                continue
            target = urljoin(exchange.url, exchange.location)
            if _relative(target) != rec.step.url:
                continue
            name = _var("location", generalise_path(target), taken)
            earlier.extract.append(Extractor(name=name, source="header", expression="Location"))
            rec.step = rec.step.model_copy(update={"url": "${" + name + "}"})
            break


def _relative(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


_TAG = re.compile(r"<(meta|input)\b[^>]*>", re.I)
_ATTR = re.compile(r"([a-zA-Z_:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
MIN_TOKEN_LENGTH = 8


def html_sources(html: str) -> dict[str, tuple[str, str]]:
    """Value -> (css selector, attribute) for meta tags' content and named inputs' value."""
    found: dict[str, tuple[str, str]] = {}
    for match in _TAG.finditer(html):
        attrs = {k.lower(): a or b for k, a, b in _ATTR.findall(match.group(0))}
        key = attrs.get("name") or attrs.get("property")
        if key is None or '"' in key:
            continue
        if match.group(1).lower() == "meta" and attrs.get("content"):
            attr = "name" if "name" in attrs else "property"
            found.setdefault(attrs["content"], (f'meta[{attr}="{key}"]', "content"))
        elif match.group(1).lower() == "input" and attrs.get("value"):
            found.setdefault(attrs["value"], (f'input[name="{key}"]', "value"))
    return found


def _source(earlier: Recorded, value: str, *, in_links: bool = False) -> Extractor | None:
    """An extractor reading ``value`` out of ``earlier``'s response, or None; ``in_links``
    also looks inside the page's URLs (a per-session token in a link's query string)."""
    body = earlier.exchange.response_body if earlier.exchange else None
    if not body:
        return None
    if "html" in (earlier.exchange.content_type if earlier.exchange else ""):
        hit = html_sources(body).get(value)
        if hit is not None:
            return Extractor(name="v", source="css", expression=hit[0], attribute=hit[1])
        regex = url_value_regex(body, value) if in_links else None
        return None if regex is None else Extractor(name="v", source="regex", expression=regex)
    path = _json_index(earlier.exchange).get(value) if earlier.exchange else None
    return None if path is None else Extractor(name="v", source="json", expression=path)


_URL_CONTEXT = 60


def url_value_regex(html: str, value: str) -> str | None:
    """A regex whose first capture, in ``html``, is ``value`` as it appears inside a URL: keyed
    by the query parameter (``[?&;]token=``) or the path before it (``href="/s/``); None
    unless its first match really is ``value``."""
    for hit in itertools.islice(re.finditer(re.escape(value), html), 5):
        left = re.split(r"[\"'<>\s]", html[max(0, hit.start() - _URL_CONTEXT) : hit.start()])[-1]
        query = max(left.rfind("?"), left.rfind("&"), left.rfind(";"))
        if query >= 0 and left.endswith("="):
            regex = r"[?&;]" + re.escape(left[query + 1 :]) + r"([^\"'&#<>\s]+)"
        elif left.endswith("/") and len(left) > 1:
            regex = r"[\"']" + re.escape(left) + r"([^\"'/?&#<>\s]+)"
        else:
            continue
        match = re.search(regex, html)
        if match is not None and match.group(1) == value:
            return regex
    return None


def correlate_url_values(flow: list[Recorded], dynamic: frozenset[str]) -> None:
    """Query values and path segments a second recording showed change between sessions are
    read from the most recent earlier response holding them (the link a page gave)."""
    taken: set[str] = set()
    for i, rec in enumerate(flow):
        if not dynamic or "${" in rec.step.url:
            continue
        path, _, query = rec.step.url.partition("?")
        segments = [_bound(flow[:i], s, dynamic, taken) for s in path.split("/")]
        pairs = [p.partition("=") for p in query.split("&")] if query else []
        params = [k + eq + _bound(flow[:i], v, dynamic, taken, raw=v) for k, eq, v in pairs]
        url = "/".join(segments) + ("?" + "&".join(params) if params else "")
        if url != rec.step.url:
            rec.step = rec.step.model_copy(update={"url": url})


def _bound(
    earlier: list[Recorded],
    text: str,
    dynamic: frozenset[str],
    taken: set[str],
    *,
    raw: str | None = None,
) -> str:
    """``${var}`` for a dynamic URL part with a source in ``earlier``, else ``text``."""
    value = unquote_plus(raw) if raw is not None else unquote(text)
    if value not in dynamic:
        return text
    for rec in reversed(earlier):
        found = _source(rec, value, in_links=True)
        if found is not None:
            name = _var("page", found.expression[:24], taken)
            rec.extract.append(found.model_copy(update={"name": name}))
            return "${" + name + "}"
    return text


def unbound_values(flow: Flow, dynamic: frozenset[str]) -> list[str]:
    """Dynamic values still sent literally: no earlier response was found to hold them."""
    sent = [s.url for s in flow.steps] + [v for s in flow.steps for v in s.headers.values()]
    return sorted(v for v in dynamic if any(v in text or quote(v) in text for text in sent))


def _templated(value: Any, resolve: Any) -> Any:
    """``value`` with every long string leaf passed through ``resolve`` (JSON bodies)."""
    if isinstance(value, str):
        return resolve(value)
    if isinstance(value, dict):
        return {k: _templated(v, resolve) for k, v in value.items()}
    if isinstance(value, list):
        return [_templated(v, resolve) for v in value]
    return value


def request_values(exchange: Exchange) -> list[str]:
    """Every value a request sends, in a stable order: path segments, query and form values,
    custom headers, JSON leaves (the units two recordings are compared by)."""
    parts = urlsplit(exchange.url)
    values = [s for s in parts.path.split("/") if s]
    values += [v for _, v in parse_qsl(parts.query, keep_blank_values=True)]
    values += [exchange.headers[k] for k in sorted(exchange.headers)]
    body = exchange.post_data or ""
    if "json" in exchange.request_type:
        try:
            values += [v for _, v in json_leaves(json.loads(body))]
        except ValueError:
            values.append(body)
    elif "x-www-form-urlencoded" in exchange.request_type:
        values += [v for _, v in parse_qsl(body, keep_blank_values=True)]
    return values


def dynamic_values(first: list[Exchange], second: list[Exchange]) -> frozenset[str]:
    """Values of the first recording that the second, in a fresh session, sent differently."""
    changed: set[str] = set()
    for a, b in zip(first, second, strict=False):
        if (a.method, generalise_path(a.url)) != (b.method, generalise_path(b.url)):
            break
        va, vb = request_values(a), request_values(b)
        if len(va) == len(vb):
            changed |= {x for x, y in zip(va, vb, strict=True) if x != y}
    return frozenset(changed)


def correlate_page_values(flow: list[Recorded], dynamic: frozenset[str] = frozenset()) -> None:
    """Header values and JSON-body strings a script copied from an earlier page (a
    ``<meta name=csrf-token>``, a hidden input) or JSON response are re-read at replay; long
    values always, short ones when a second recording showed they change (``dynamic``)."""
    taken: set[str] = set()
    for i, rec in enumerate(flow):
        if rec.step.kind != "fetch":
            continue

        def resolve(value: str, index: int = i) -> str:
            if (len(value) < MIN_TOKEN_LENGTH and value not in dynamic) or "${" in value:
                return value
            for earlier in reversed(flow[:index]):
                found = _source(earlier, value)
                if found is not None:
                    name = _var("page", found.expression, taken)
                    earlier.extract.append(found.model_copy(update={"name": name}))
                    return "${" + name + "}"
            return value

        headers = {k: resolve(v) for k, v in rec.step.headers.items()}
        body = None if rec.step.json_body is None else _templated(rec.step.json_body, resolve)
        update: dict[str, Any] = {}
        if headers != rec.step.headers:
            update["headers"] = headers
        if body != rec.step.json_body:
            update["json_body"] = body
        if update:
            rec.step = rec.step.model_copy(update=update)


def link_regex(url: str) -> tuple[str, str] | None:
    """A regex capturing a link like ``url`` (same path template), and the path the captured
    part follows; None without ids. The part from the first id-bearing segment on is captured
    whether the page writes the link absolute, from the root or relative to that folder
    (Roundup's ``href="issue300"`` on ``/tracker/``)."""
    parts = urlsplit(url)
    if parts.query:
        return None
    segments = parts.path.split("/")
    general = [generalise(s) if s else s for s in segments]
    first = next((i for i, (s, g) in enumerate(zip(segments, general, strict=True)) if s != g), 0)
    if not first:
        return None
    prefix = "/".join(segments[:first]) + "/"
    tail = "/".join(
        _segment_regex(s, g) for s, g in zip(segments[first:], general[first:], strict=True)
    )
    return r'href="(?:(?:https?://[^/"]+)?' + re.escape(prefix) + ")?(" + tail + ')"', prefix


def _segment_regex(segment: str, general: str) -> str:
    """A segment's regex: its placeholder's (``issue{num}``: ``issue`` then digits), or itself."""
    if general in _PLACEHOLDER_REGEX:
        return _PLACEHOLDER_REGEX[general]
    if general != segment and general.endswith("{num}"):
        return re.escape(general.removesuffix("{num}")) + r"\d+"
    return re.escape(segment)


def correlate_links(flow: list[Recorded]) -> None:
    """A document hop to an id-bearing path takes the id from the link on the page before it,
    so each user follows a link its own page shows (its own order, a product that exists)."""
    taken: set[str] = set()
    for i in range(1, len(flow)):
        rec = flow[i]
        if rec.step.kind != "document" or rec.step.method != "GET":
            continue
        previous = next((r for r in reversed(flow[:i]) if r.step.kind == "document"), None)
        found = link_regex(rec.step.url)
        if previous is None or found is None:
            continue
        regex, prefix = found
        body = previous.exchange.response_body if previous.exchange else None
        if body is not None and re.search(regex, body) is None:
            continue  # a link a script made (from an API's JSON): the recorded URL stays
        name = _var("link", generalise_path(rec.step.url), taken)
        previous.extract.append(Extractor(name=name, source="regex", expression=regex))
        rec.step = rec.step.model_copy(update={"url": prefix + "${" + name + "}"})


def generalise_path(url: str) -> str:
    return "/".join(generalise(s) if s else s for s in urlsplit(url).path.split("/"))
