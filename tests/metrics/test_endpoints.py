"""The per-endpoint view: steps of any flow merged per method and URL pattern, exactly."""

from __future__ import annotations

import random

from loadscout.flows.url_patterns import endpoint_key
from loadscout.metrics.aggregate import Aggregator
from loadscout.metrics.catalog import StepInfo
from loadscout.metrics.histogram import LatencyHistogram
from loadscout.metrics.recorder import Recorder
from loadscout.metrics.summary import LOW_SAMPLE

CATALOG = [
    StepInfo(flow="browse", name="item 1", method="GET", url="/items/1"),
    StepInfo(flow="buy", name="item", method="GET", url="/items/${item_id}"),
    StepInfo(flow="buy", name="pay", method="POST", url="/pay"),
    StepInfo(flow="(assets)", name="page assets", method="GET", url="(scripts, styles, images)"),
]


def test_patterns_group_ids_templates_and_queries() -> None:
    assert endpoint_key("get", "/items/17?page=2&utm_source=x") == ("GET", "/items/{id}?page={}")
    assert endpoint_key("GET", "http://127.0.0.1:9/items/${item_id}") == ("GET", "/items/{id}")
    assert endpoint_key("GET", "/journal/2026-12-05") == ("GET", "/journal/{id}")
    assert endpoint_key("GET", "(scripts, styles, images)") == ("GET", "(scripts, styles, images)")


def test_endpoints_merge_histograms_exactly_and_flag_few_samples() -> None:
    rng = random.Random(3)
    recorder = Recorder(start_ns=0, clock=lambda: 10**9)
    truth = LatencyHistogram()
    for _ in range(500):
        step = rng.choice((0, 1))
        micros = rng.randrange(200, 90_000)
        recorder.response(step, 0, micros * 1000, None, "")
        truth.record_us(micros)
    for _ in range(5):
        recorder.response(2, 0, 3_000_000, None, "")
    recorder.failure(2, "timeout", "POST /pay: timed out")
    aggregator = Aggregator(CATALOG)
    aggregator.add(recorder.snapshot(final=True))
    outcome = aggregator.outcome(duration_s=1.0)

    items, pay = outcome.endpoints
    assert (items.method, items.pattern, items.requests) == ("GET", "/items/{id}", 500)
    assert items.latency_ms == truth.summary()  # merged histograms, not averaged percentiles
    assert not items.low_sample and items.samples == 500
    assert (pay.method, pay.pattern, pay.requests, pay.errors) == ("POST", "/pay", 6, 1)
    assert pay.samples == 5 < LOW_SAMPLE and pay.low_sample
    assert sum(e.requests for e in outcome.endpoints) == outcome.totals.requests
