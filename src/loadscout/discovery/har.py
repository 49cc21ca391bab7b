"""HAR import: a browser's recording of one journey becomes a flow with the same correlation.

Entries on the target's origin become steps (documents, form posts, fetch/XHR, WebSocket and
EventSource streams; static assets and other origins are dropped, redirect hops folded into the
request that started them). A posted value that an earlier HTML response held in an input of
that name is re-read from it; ids from earlier JSON responses, double-submit cookie headers and
id links are correlated as for a crawl (provenance.py). Cookies are never copied from the
recording.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin

from loadscout.discovery.capture import (
    Exchange,
    StreamKind,
    custom_headers,
    exchange_kind,
    http_url,
)
from loadscout.discovery.correlation import template_form
from loadscout.discovery.flow_builder import exchange_step, finish
from loadscout.discovery.patterns import url_pattern
from loadscout.discovery.provenance import Recorded
from loadscout.errors import BadInput
from loadscout.flows.model import DiscoveryReport, Extractor, FlowSet
from loadscout.plan.scope import Scope, origin_of

_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'([a-zA-Z_:-]+)\s*=\s*"([^"]*)"')


def read_har(path: str | Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = document["log"]["entries"]
    except OSError as err:
        raise BadInput(f"cannot read HAR file {path}: {err.strerror or err}") from None
    except (ValueError, KeyError, TypeError):
        raise BadInput(
            f"{path} is not a HAR file (expected JSON with log.entries; export it from the "
            "browser's network panel with 'Save all as HAR')"
        ) from None
    if not isinstance(entries, list) or not entries:
        raise BadInput(f"HAR file {path} has no entries")
    return [e for e in entries if isinstance(e, dict)]


def _headers(items: Any) -> dict[str, str]:
    return {h["name"].lower(): h["value"] for h in items or [] if "name" in h and "value" in h}


def _stream_kind(resource: str, url: str, content_type: str) -> StreamKind | None:
    """Chrome names streams in ``_resourceType``; other exports only by scheme or type."""
    if resource == "websocket" or url.startswith(("ws://", "wss://")):
        return "websocket"
    if resource == "eventsource" or "text/event-stream" in content_type:
        return "eventsource"
    return None


def _stream(entry: dict[str, Any], kind: StreamKind, seq: int) -> Exchange:
    """A WebSocket (with the text frames the page sent, Chrome's ``_webSocketMessages``) or
    an EventSource, as the crawl records one (``Capture``)."""
    url = entry.get("request", {}).get("url", "")
    status = entry.get("response", {}).get("status") or None
    exchange = Exchange(kind="fetch", stream=kind, method="GET", url=url, status=status, seq=seq)
    frames = (entry.get("_webSocketMessages") or []) if kind == "websocket" else []
    for frame in frames if isinstance(frames, list) else []:
        if not isinstance(frame, dict) or frame.get("opcode") not in (1, 2):
            continue  # control frames (ping, close) are the socket's, not the page's
        if frame.get("type") == "send" and frame.get("opcode") == 1:
            exchange.keep_sent(str(frame.get("data", "")))
        elif frame.get("type") == "receive":
            exchange.frames_received += 1
    return exchange


def _exchange(entry: dict[str, Any], seq: int) -> Exchange | None:
    request, response = entry.get("request", {}), entry.get("response", {})
    url, method = request.get("url", ""), request.get("method", "GET")
    resource = entry.get("_resourceType", "")
    content_type = (response.get("content", {}).get("mimeType") or "").lower()
    stream = _stream_kind(resource, url, content_type)
    if stream is not None:
        return _stream(entry, stream, seq)
    if not resource:
        resource = "document" if "html" in content_type else "fetch"
    kind = exchange_kind(resource, url)
    if kind is None:
        return None
    headers = _headers(request.get("headers"))
    post = request.get("postData") or {}
    return Exchange(
        kind=kind,
        method=method,
        url=url,
        post_data=post.get("text"),
        request_type=(post.get("mimeType") or headers.get("content-type", "")).lower(),
        status=response.get("status") or None,
        content_type=content_type,
        seq=seq,
        headers=custom_headers(headers),
        response_body=response.get("content", {}).get("text"),
        location=response.get("redirectURL") or None,
    )


def har_exchanges(entries: list[dict[str, Any]], scope: Scope) -> list[Exchange]:
    """In-scope exchanges in order, each redirect chain folded into its first request."""
    out: list[Exchange] = []
    for entry in entries:
        exchange = _exchange(entry, len(out))
        if exchange is None or not scope.contains(http_url(exchange.url)):
            continue
        last = out[-1] if out else None
        if last is not None and last.location and urljoin(last.url, last.location) == exchange.url:
            last.status = exchange.status
            last.location = exchange.location
            last.content_type = exchange.content_type
            last.response_body = exchange.response_body
            continue
        out.append(exchange)
    return out


def _inputs(html: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if "name" in attrs:
            found.setdefault(attrs["name"], attrs.get("value", ""))
    return found


def _form_recorded(exchange: Exchange, previous: Recorded | None) -> Recorded:
    posted = parse_qsl(exchange.post_data or "", keep_blank_values=True)
    html = previous.exchange.response_body if previous and previous.exchange else None
    inputs = _inputs(html or "")
    extractors: dict[str, Extractor] = {}
    for name, value in posted:
        if name in inputs and inputs[name] == value and value:
            var = re.sub(r"[^A-Za-z0-9]+", "_", f"input_{name}").lower()
            css = f'input[name="{name}"]'
            extractors[name] = Extractor(name=var, source="css", expression=css)
    if previous is not None:
        previous.extract.extend(extractors.values())
    step = exchange_step(exchange).model_copy(
        update={"kind": "form", "form": template_form(posted, extractors=extractors, templates={})}
    )
    return Recorded(step=step, exchange=exchange)


def _recorded_on(entries: list[dict[str, Any]]) -> dt.date | None:
    """The day the browser recorded the HAR: its dates are kept relative to that day."""
    started = str(entries[0].get("startedDateTime", ""))[:10]
    try:
        return dt.date.fromisoformat(started)
    except ValueError:
        return None


def _target(path: str | Path, entries: list[dict[str, Any]]) -> str:
    first = next((e.get("request", {}).get("url", "") for e in entries), "")
    if not str(first).startswith(("http://", "https://")):
        raise BadInput(f"HAR file {path}: cannot tell the target from its first URL {first!r}")
    return origin_of(first) + "/"


def har_target(path: str | Path | None) -> str:
    """The origin the HAR recorded first: the target when no URL is given."""
    if path is None:
        raise BadInput("give a URL to explore, or --har FILE to import a browser recording")
    return _target(path, read_har(path))


def har_flowset(path: str | Path, *, target_url: str | None, duration_s: float) -> FlowSet:
    entries = read_har(path)
    target = target_url or _target(path, entries)
    exchanges = har_exchanges(entries, Scope(target))
    if not exchanges:
        raise BadInput(f"HAR file {path} has no requests to {origin_of(target)}")
    recs: list[Recorded] = []
    for exchange in exchanges:
        is_form = exchange.method != "GET" and "x-www-form-urlencoded" in exchange.request_type
        if is_form:
            previous = next((r for r in reversed(recs) if r.step.kind == "document"), None)
            recs.append(_form_recorded(exchange, previous))
        else:
            recs.append(Recorded(step=exchange_step(exchange), exchange=exchange))
    cookies = {
        c["value"]: c["name"]
        for e in entries
        for c in e.get("request", {}).get("cookies", []) or []
        if isinstance(c, dict) and len(str(c.get("value", ""))) >= 8 and "name" in c
    }
    flow = finish(f"har {Path(path).stem}", 1.0, recs, cookies, recorded_on=_recorded_on(entries))
    report = DiscoveryReport(
        pages=sum(1 for e in exchanges if e.kind == "document"),
        patterns=sorted({url_pattern(e.url) for e in exchanges if e.kind == "document"}),
        api_calls=sum(1 for e in exchanges if e.kind == "fetch"),
        flows=1,
        duration_s=duration_s,
    )
    return FlowSet(target_url=target, flows=[flow], discovery=report)
