"""Turn what the crawl observed into a FlowSet the load engine can replay.

One ``browse`` flow per distinct page pattern (the link path from the start page, each hop a
document step plus its fetch/XHR calls), one ``submit form`` flow per submitted form (any
prerequisite write first, then the form's page with its form extractors and the submission
with ``${var}`` values) and one ``click`` flow per click that called the server.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from loadscout.discovery.capture import Exchange
from loadscout.discovery.correlation import leaked, session_secrets, template_form
from loadscout.discovery.dates import relative_dates
from loadscout.discovery.journey_builder import derive_journey
from loadscout.discovery.patterns import path_pattern, url_pattern
from loadscout.discovery.provenance import (
    Recorded,
    correlate_cookie_headers,
    correlate_json_ids,
    correlate_links,
    correlate_locations,
    correlate_page_values,
    correlate_url_values,
    unbound_values,
)
from loadscout.discovery.records import ClickRecord, CrawlResult, FormSubmission, PageVisit
from loadscout.flows.journeys import Journey
from loadscout.flows.model import (
    DiscoveryReport,
    Extractor,
    Flow,
    FlowSet,
    HttpMethod,
    PatternCoverage,
    Step,
)

MAX_BROWSE_FLOWS = 20
_PAGES = ("document", "form")  # what a journey requests itself
JOURNEY_SHARE = 0.7  # of iterations: sessions over the site; the rest replay recorded flows
_METHODS: tuple[HttpMethod, ...] = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def relative(url: str) -> str:
    """Path and query: the load engine resolves it against FlowSet.target_url."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def step_method(method: str) -> HttpMethod:
    upper = method.upper()
    return next((m for m in _METHODS if m == upper), "GET")


def _body(exchange: Exchange) -> dict[str, object]:
    """Request body fields for a step: form, JSON or raw text, by the request's content type."""
    data = exchange.post_data
    if data is None:
        return {}
    if "x-www-form-urlencoded" in exchange.request_type:
        return {"form": parse_qsl(data, keep_blank_values=True)}
    if "json" in exchange.request_type:
        try:
            return {"json_body": json.loads(data)}
        except ValueError:
            pass
    return {"body": data}


def exchange_step(exchange: Exchange, *, extract: list[Extractor] | None = None) -> Step:
    if exchange.stream is not None:
        return stream_step(exchange)
    method = step_method(exchange.method)
    return Step(
        name=f"{method} {url_pattern(exchange.url)}",
        method=method,
        url=relative(exchange.url),
        kind=exchange.kind,
        headers=dict(exchange.headers) if exchange.kind == "fetch" else {},
        extract=extract or [],
        expect_status=exchange.status,
        **_body(exchange),
    )


_STREAM_LABELS = {"websocket": "WS", "eventsource": "SSE"}


def stream_step(exchange: Exchange) -> Step:
    """A WebSocket or EventSource the page opened: replayed with the frames the page sent."""
    kind = exchange.stream or "websocket"
    return Step(
        name=f"{_STREAM_LABELS[kind]} {url_pattern(exchange.url)}",
        url=relative(exchange.url),
        kind=kind,
        messages=list(exchange.frames_sent) or None,
        expect_messages=exchange.expect_messages,
        expect_status=exchange.status,
    )


def _recorded(exchange: Exchange, extract: list[Extractor] | None = None) -> Recorded:
    return Recorded(step=exchange_step(exchange, extract=extract), exchange=exchange)


def path_to(visit: PageVisit) -> list[PageVisit]:
    chain: list[PageVisit] = []
    node: PageVisit | None = visit
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain[::-1]


def _weight(visit: PageVisit, inlinks: dict[str, int]) -> float:
    """Shallow, often-linked pages are visited more by real users."""
    links = max(1, inlinks.get(visit.pattern, 1))
    return round((1 + math.log2(links)) / (1 + visit.depth), 3)


def _page_steps(visit: PageVisit) -> list[Recorded]:
    """The document, then each distinct call the page made (a polling page repeats one)."""
    steps = [_recorded(visit.document)]
    seen: set[tuple[str, str, str | None]] = set()
    for fetch in visit.fetches:
        key = (fetch.method, fetch.url, fetch.post_data)
        if fetch.status is not None and key not in seen:
            seen.add(key)
            steps.append(_recorded(fetch))
    return steps


def finish(
    name: str,
    weight: float,
    recs: list[Recorded],
    cookies: dict[str, str],
    dynamic: frozenset[str] = frozenset(),
    recorded_on: dt.date | None = None,
) -> Flow:
    """Correlate the flow's steps (links, JSON ids, double-submit cookies) and build it;
    dates near ``recorded_on`` (today) become relative to the day of replay."""
    correlate_links(recs)
    correlate_locations(recs)
    correlate_json_ids(recs)
    correlate_cookie_headers(recs, cookies)
    correlate_url_values(recs, dynamic)
    correlate_page_values(recs, dynamic)
    today = recorded_on or dt.date.today()
    return Flow(
        name=name, weight=weight, steps=[relative_dates(r.done(), today=today) for r in recs]
    )


def browse_flow(
    visit: PageVisit, inlinks: dict[str, int], cookies: dict[str, str] | None = None
) -> Flow:
    recs = [r for hop in path_to(visit) for r in _page_steps(hop)]
    name, weight = f"browse {visit.pattern}", _weight(visit, inlinks)
    return finish(name, weight, recs, cookies or {}, visit.dynamic)


def _unbound_notes(visits: list[PageVisit], flows: list[Flow]) -> list[str]:
    """A verification note per browse flow still sending a value that changes per session."""
    by_name = {f.name: f for f in flows}
    notes = []
    for visit in visits:
        flow = by_name.get(f"browse {visit.pattern}")
        count = len(unbound_values(flow, visit.dynamic)) if flow and visit.dynamic else 0
        if flow is not None and count:
            notes.append(
                f"flow {flow.name!r}: {count} value(s) change between fresh sessions and no "
                "earlier response holds them; it may fail verification"
            )
    return notes


def _submit_step(sub: FormSubmission) -> Step:
    submit = sub.submit
    method = step_method(submit.method)
    name = f"{method} {url_pattern(submit.url)}"
    form = None
    if submit.post_data is not None and "x-www-form-urlencoded" in submit.request_type:
        posted = parse_qsl(submit.post_data, keep_blank_values=True)
        form = template_form(posted, extractors=sub.extractors, templates=sub.templates)
    url = relative(submit.url)
    if method == "GET" and "?" in url and (sub.extractors or sub.templates):
        path, _, query = url.partition("?")
        pairs = parse_qsl(query, keep_blank_values=True)
        values = template_form(pairs, extractors=sub.extractors, templates=sub.templates)
        url = path + "?" + "&".join(f"{quote(k)}={_quote_value(v)}" for k, v in values)
    step = Step(
        name=name, method=method, url=url, kind="form", form=form, expect_status=submit.status
    )
    months = frozenset(f.name for f in sub.form.fields if f.type == "month")
    return relative_dates(step, today=dt.date.today(), month_fields=months)


def _quote_value(value: str) -> str:
    """URL-encode a query value but keep ``${var}`` templates intact for the load engine."""
    parts = re.split(r"(\$\{[^}]+\})", value)
    return "".join(p if p.startswith("${") else quote(p) for p in parts)


def _form_steps(sub: FormSubmission) -> list[Recorded]:
    before = _form_steps(sub.prerequisite) if sub.prerequisite is not None else []
    page = _recorded(sub.page_document, extract=list(sub.extractors.values()))
    steps = [*before, page, Recorded(step=_submit_step(sub), exchange=sub.submit)]
    steps.extend(_recorded(f) for f in sub.fetches if f.status is not None)
    return steps


def form_flow(sub: FormSubmission, cookies: dict[str, str] | None = None) -> Flow:
    action = urlsplit(sub.form.action).path or "/"
    weight = 1.0 if sub.kind in ("search", "login") else 0.5
    return finish(f"submit form {action}", weight, _form_steps(sub), cookies or {})


def click_flow(click: ClickRecord, cookies: dict[str, str]) -> Flow:
    recs = [*_page_steps(click.page), *(_recorded(f) for f in click.fetches)]
    name = f"click {click.label[:40]} on {click.page.pattern}"
    return finish(name, 0.5, recs, cookies, click.dynamic)


def _unique_names(flows: list[Flow]) -> list[Flow]:
    seen: dict[str, int] = {}
    out = []
    for flow in flows:
        seen[flow.name] = seen.get(flow.name, 0) + 1
        count = seen[flow.name]
        out.append(
            flow if count == 1 else flow.model_copy(update={"name": f"{flow.name} ({count})"})
        )
    return out


def first_visits(visits: list[PageVisit]) -> dict[str, PageVisit]:
    """The shallowest successful visit of each pattern: the pages browse flows lead to."""
    first_by_pattern: dict[str, PageVisit] = {}
    for visit in sorted(visits, key=lambda v: v.depth):
        if visit.document.status is not None and visit.document.status < 400:
            first_by_pattern.setdefault(visit.pattern, visit)
    return first_by_pattern


def build_flows(result: CrawlResult) -> list[Flow]:
    first_by_pattern = first_visits(result.visits)
    cookies = result.cookies
    browse = sorted(
        (browse_flow(v, result.inlinks, cookies) for v in first_by_pattern.values()),
        key=lambda f: -f.weight,
    )[:MAX_BROWSE_FLOWS]
    result.warnings.extend(_unbound_notes(list(first_by_pattern.values()), browse))
    forms = [form_flow(s, cookies) for s in result.submissions]
    clicks = [click_flow(c, cookies) for c in result.clicks if c.fetches]
    flows = _drop_leaks(_unique_names(browse + forms + clicks), result)
    if not flows and result.visits:
        flows = [browse_flow(result.visits[0], result.inlinks)]
    return flows


def _drop_leaks(flows: list[Flow], result: CrawlResult) -> list[Flow]:
    """Last line of defence: a flow still holding a recorded cookie or token is left out."""
    forms = [form for visit in result.visits for form in visit.forms]
    secrets = session_secrets(result.cookies, forms)
    kept = []
    for flow in flows:
        if leaked(flow.model_dump_json(), secrets) is None:
            kept.append(flow)
        else:
            reason = "flow left out: it would replay a recorded session cookie or token"
            result.skip(flow.steps[-1].url, flow.steps[-1].method, reason)
    return kept


def _reached_pages(result: CrawlResult, setup: list[Step]) -> set[str]:
    """Pages a user lands on without a link: after a form's redirect, and the login page."""
    landed = {
        path_pattern(urljoin(s.submit.url, s.submit.location))
        for s in result.submissions
        if s.submit.location and (s.submit.status or 0) < 400
    }
    return landed | {path_pattern(s.url) for s in setup if s.method == "GET"}


def crawl_report(
    result: CrawlResult, flows: list[Flow], duration_s: float, setup: list[Step] | None = None
) -> DiscoveryReport:
    api_calls = {
        f"{f.method} {url_pattern(f.url)}"
        for v in result.visits
        for f in v.fetches
        if f.status is not None and f.stream is None  # streams count once, below
    }
    api_calls |= {
        f"{f.method} {url_pattern(f.url)}" for c in result.clicks for f in c.fetches if not f.stream
    }
    api_calls |= {f"STREAM {url_pattern(u)}" for u in result.streams}
    return DiscoveryReport(
        pages=len(result.visits),
        patterns=sorted({v.pattern for v in result.visits} | _reached_pages(result, setup or [])),
        forms=len(result.forms_seen),
        api_calls=len(api_calls),
        flows=len(flows),
        skipped=list(result.skipped.values()),
        duration_s=round(duration_s, 3),
        screenshots=list(result.screenshots),
        routes=sorted(result.routes),
        warnings=list(result.warnings),
        stop_reason=result.stop_reason,
        coverage=_coverage(result.visits),
    )


def _coverage(visits: list[PageVisit]) -> list[PatternCoverage]:
    """Per pattern: pages visited (over plain HTTP among them) and time, the costliest first."""
    pages: Counter[str] = Counter(v.pattern for v in visits)
    plain: Counter[str] = Counter(v.pattern for v in visits if v.plain)
    seconds: dict[str, float] = {}
    for v in visits:
        seconds[v.pattern] = seconds.get(v.pattern, 0.0) + v.seconds
    rows = [
        PatternCoverage(pattern=p, pages=n, seconds=round(seconds[p], 3), plain_pages=plain[p])
        for p, n in pages.items()
    ]
    return sorted(rows, key=lambda r: (-r.seconds, r.pattern))


def build_flowset(
    result: CrawlResult,
    *,
    target_url: str,
    duration_s: float,
    setup: list[Step] | None = None,
    user_data: list[dict[str, str]] | None = None,
    user_data_file: str | None = None,
    journeys: bool = True,
) -> FlowSet:
    flows = build_flows(result)
    derived = derive_journey(result) if journeys else None
    if derived is not None:
        flows = _not_walked(flows, derived.journey)
    report = crawl_report(result, flows, duration_s, setup)
    walked = [] if derived is None else [_with_share(derived.journey, flows)]
    return FlowSet(
        target_url=target_url,
        setup=setup or [],
        user_data=user_data or [],
        user_data_file=user_data_file,
        flows=flows,
        journeys=walked,
        pools=derived.pools if derived else {},
        discovery=report,
    )


def _not_walked(flows: list[Flow], journey: Journey) -> list[Flow]:
    """The flows less the browse flows to pages the journey walks to and the searches it
    fills from pools: those would request one recorded URL again and again (a cache
    benchmark). Writes, clicks, and pages that call APIs (a journey requests documents only)
    stay."""
    walked = {f"browse {s.pattern}" for s in journey.states}
    walked |= {
        f"submit form {t.url}"
        for s in journey.states
        for t in s.transitions
        if t.form is not None and t.method == "GET"
    }
    return [
        f
        for f in flows
        if f.name.partition("?")[0] not in walked or any(s.kind not in _PAGES for s in f.steps)
    ]


def _with_share(journey: Journey, flows: list[Flow]) -> Journey:
    """Weight the journey so it starts JOURNEY_SHARE of all iterations beside the flows."""
    others = sum(f.weight for f in flows)
    weight = JOURNEY_SHARE / (1 - JOURNEY_SHARE) * others if others else 1.0
    return journey.model_copy(update={"weight": round(weight, 3)})
