"""Builds the realism report (``metrics.realism``) from what journeys did and the model."""

from __future__ import annotations

import statistics
from collections import Counter

from loadscout.flows.journey_model import JourneyModel, journey_model
from loadscout.flows.journeys import Journey, journey_requests, pattern_regex
from loadscout.flows.model import FlowSet
from loadscout.metrics.catalog import StepInfo
from loadscout.metrics.journey_tally import JourneyTally
from loadscout.metrics.realism import FunnelStep, JourneyRealism, PatternLoad, RealismReport
from loadscout.metrics.summary import StepSummary

OFF_MODEL = 0.2  # relative difference from the model's share that is flagged
SIGNIFICANT_SHARE = 0.05  # patterns below this share are not judged


def realism_report(
    flowset: FlowSet, tally: JourneyTally, steps: list[StepSummary], catalog: list[StepInfo]
) -> RealismReport | None:
    if not flowset.journeys:
        return None
    ids = {(info.flow, info.name): i for i, info in enumerate(catalog)}
    patterns: list[PatternLoad] = []
    journeys: list[JourneyRealism] = []
    for journey in flowset.journeys:
        model = journey_model(journey)  # an analysis of the chain: once per journey
        patterns += _patterns(journey, model, tally, steps, ids)
        journeys.append(_journey(journey, model, tally))
    thinks = tally.thinks
    paused = sum(thinks.values())
    return RealismReport(
        patterns=patterns,
        journeys=journeys,
        think_mean_s=round(sum(k * n for k, n in thinks.items()) / paused / 10, 3)
        if paused
        else None,
        think_histogram=[(k / 10, n) for k, n in sorted(thinks.items())],
        unloaded_patterns=_unloaded(flowset, patterns, steps),
        warnings=_warnings(patterns, journeys),
    )


def _patterns(
    journey: Journey,
    model: JourneyModel,
    tally: JourneyTally,
    steps: list[StepSummary],
    ids: dict[tuple[str, str], int],
) -> list[PatternLoad]:
    rows = []
    requests = {r.name: steps[ids[journey.name, r.name]] for r in journey_requests(journey)}
    total = sum(s.requests for s in requests.values()) or 1
    for request in journey_requests(journey):
        step = requests[request.name]
        urls = tally.urls.get(ids[journey.name, request.name], Counter())
        top, top_n = urls.most_common(1)[0] if urls else ("", 0)
        share, expected = step.requests / total, model.shares.get(request.name, 0.0)
        rows.append(
            PatternLoad(
                journey=journey.name,
                name=request.name,
                pattern=request.url,
                requests=step.requests,
                errors=step.errors,
                share=round(share, 4),
                model_share=round(expected, 4),
                distinct_urls=len(urls)
                + (1 if tally.unlisted.get(ids[journey.name, request.name]) else 0),
                top_url=top,
                top_url_share=round(top_n / step.requests, 4) if step.requests else 0.0,
                p50_ms=step.latency_ms.p50,
                p95_ms=step.latency_ms.p95,
                off_model=expected >= SIGNIFICANT_SHARE
                and abs(share - expected) / expected > OFF_MODEL,
            )
        )
    return rows


def _journey(journey: Journey, model: JourneyModel, tally: JourneyTally) -> JourneyRealism:
    name = journey.name
    sessions = tally.sessions[name]
    lengths = sorted((pages, n) for (j, pages), n in tally.lengths.items() if j == name)
    flat = [pages for pages, n in lengths for _ in range(n)]
    funnel = [
        FunnelStep(
            state=s.name,
            sessions=tally.reached[name, s.name],
            reached=round(tally.reached[name, s.name] / sessions, 4) if sessions else 0.0,
            exits=tally.exits[name, s.name],
        )
        for s in journey.states
    ]
    searched = [(hit, n) for (state, hit), n in tally.searches.items() if _in(journey, state)]
    total, found = sum(n for _, n in searched), sum(n for hit, n in searched if hit)
    return JourneyRealism(
        name=name,
        sessions=sessions,
        median_pages=statistics.median(flat) if flat else 0.0,
        mean_pages=round(statistics.fmean(flat), 3) if flat else 0.0,
        model_mean_pages=round(model.mean_pages, 3),
        lengths=lengths,
        funnel=funnel,
        searches=total,
        searches_found=found,
        search_hit_rate=round(found / total, 4) if total else None,
    )


def _in(journey: Journey, state: str) -> bool:
    return any(s.name == state for s in journey.states)


def _unloaded(flowset: FlowSet, rows: list[PatternLoad], steps: list[StepSummary]) -> list[str]:
    """Patterns discovery found that neither a journey state nor a flow step requested."""
    found = flowset.discovery.patterns if flowset.discovery else []
    loaded = [pattern_regex(r.pattern) for r in rows if r.requests and r.pattern.startswith("/")]
    paths = {s.url.split("?")[0] for s in steps if s.requests}
    return [
        p
        for p in found
        if p.split("?")[0] not in paths and not any(rx.match(p.split("?")[0]) for rx in loaded)
    ]


def _warnings(patterns: list[PatternLoad], journeys: list[JourneyRealism]) -> list[str]:
    notes = [
        f"{p.name}: {p.share:.1%} of requests against the model's {p.model_share:.1%}"
        for p in patterns
        if p.off_model
    ]
    notes += [
        f"{p.name}: one URL took {p.top_url_share:.0%} of {p.requests} requests ({p.top_url})"
        for p in patterns
        if "{" in p.pattern and p.requests >= 20 and p.top_url_share > 0.5
    ]
    notes += [
        f"journey {j.name!r}: only {j.searches_found} of {j.searches} searches found anything"
        for j in journeys
        if j.searches >= 10 and j.searches_found / j.searches < 0.5
    ]
    return notes
