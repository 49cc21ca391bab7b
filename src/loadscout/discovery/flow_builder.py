"""Turn what the crawl observed into a FlowSet the load engine can replay.

One ``browse`` flow per distinct page pattern (the link path from the start page, each hop a
document step plus its fetch/XHR calls) and one ``submit form`` flow per submitted form (the
form's page with its token extractors, then the submission with ``${var}`` values).
"""

from __future__ import annotations

import json
import math
from urllib.parse import parse_qsl, urlsplit

from loadscout.discovery.capture import Exchange
from loadscout.discovery.correlation import template_form
from loadscout.discovery.patterns import url_pattern
from loadscout.discovery.records import CrawlResult, FormSubmission, PageVisit
from loadscout.flows.model import DiscoveryReport, Extractor, Flow, FlowSet, HttpMethod, Step

MAX_BROWSE_FLOWS = 20
_METHODS: tuple[HttpMethod, ...] = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def relative(url: str) -> str:
    """Path and query: the load engine resolves it against FlowSet.target_url."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _method(method: str) -> HttpMethod:
    upper = method.upper()
    return next((m for m in _METHODS if m == upper), "GET")


def _body(exchange: Exchange) -> dict[str, object]:
    """Request body fields for a step: form, JSON or raw text, by the request's content type."""
    data = exchange.post_data
    if data is None:
        return {}
    if "x-www-form-urlencoded" in exchange.request_type:
        return {"form": dict(parse_qsl(data, keep_blank_values=True))}
    if "json" in exchange.request_type:
        try:
            return {"json_body": json.loads(data)}
        except ValueError:
            pass
    return {"body": data}


def exchange_step(exchange: Exchange, *, extract: list[Extractor] | None = None) -> Step:
    method = _method(exchange.method)
    return Step(
        name=f"{method} {url_pattern(exchange.url)}",
        method=method,
        url=relative(exchange.url),
        kind=exchange.kind,
        extract=extract or [],
        expect_status=exchange.status,
        **_body(exchange),
    )


def _path_to(visit: PageVisit) -> list[PageVisit]:
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


def browse_flow(visit: PageVisit, inlinks: dict[str, int]) -> Flow:
    steps: list[Step] = []
    for hop in _path_to(visit):
        steps.append(exchange_step(hop.document))
        steps.extend(exchange_step(f) for f in hop.fetches if f.status is not None)
    return Flow(name=f"browse {visit.pattern}", weight=_weight(visit, inlinks), steps=steps)


def _submit_step(sub: FormSubmission) -> Step:
    submit = sub.submit
    method = _method(submit.method)
    name = f"{method} {url_pattern(submit.url)}"
    form = None
    if submit.post_data is not None and "x-www-form-urlencoded" in submit.request_type:
        posted = parse_qsl(submit.post_data, keep_blank_values=True)
        form = template_form(posted, extractors=sub.extractors, templates=sub.templates)
    return Step(
        name=name,
        method=method,
        url=relative(submit.url),
        kind="form",
        form=form,
        expect_status=submit.status,
    )


def form_flow(sub: FormSubmission) -> Flow:
    page_step = exchange_step(sub.page_document, extract=list(sub.extractors.values()))
    steps = [page_step, _submit_step(sub)]
    steps.extend(exchange_step(f) for f in sub.fetches if f.status is not None)
    action = urlsplit(sub.form.action).path or "/"
    weight = 1.0 if sub.kind in ("search", "login") else 0.5
    return Flow(name=f"submit form {action}", weight=weight, steps=steps)


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


def build_flowset(result: CrawlResult, *, target_url: str, duration_s: float) -> FlowSet:
    first_by_pattern: dict[str, PageVisit] = {}
    for visit in sorted(result.visits, key=lambda v: v.depth):
        if visit.document.status is not None and visit.document.status < 400:
            first_by_pattern.setdefault(visit.pattern, visit)
    browse = sorted(
        (browse_flow(v, result.inlinks) for v in first_by_pattern.values()), key=lambda f: -f.weight
    )[:MAX_BROWSE_FLOWS]
    flows = _unique_names(browse + [form_flow(s) for s in result.submissions])
    if not flows:
        flows = [browse_flow(result.visits[0], result.inlinks)]
    api_calls = {
        f"{f.method} {url_pattern(f.url)}"
        for v in result.visits
        for f in v.fetches
        if f.status is not None
    }
    report = DiscoveryReport(
        pages=len(result.visits),
        patterns=sorted({v.pattern for v in result.visits}),
        forms=len(result.forms_seen),
        api_calls=len(api_calls),
        flows=len(flows),
        skipped=list(result.skipped.values()),
        duration_s=round(duration_s, 3),
    )
    return FlowSet(target_url=target_url, flows=flows, discovery=report)
