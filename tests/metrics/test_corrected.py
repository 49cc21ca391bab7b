"""Coordinated-omission bookkeeping, dropped iterations and fast percentiles."""

import random

from hdrh.histogram import HdrHistogram

from loadscout.metrics.aggregate import Aggregator
from loadscout.metrics.catalog import StepInfo
from loadscout.metrics.histogram import LatencyHistogram
from loadscout.metrics.recorder import Recorder

MS = 1_000_000


def test_open_model_keeps_corrected_and_uncorrected_latency() -> None:
    rec = Recorder(start_ns=0, clock=lambda: 0, corrected=True)
    rec.response(0, 100 * MS, 110 * MS, intended_ns=0)  # sent 100 ms late, took 10 ms
    rec.response(0, 200 * MS, 210 * MS, intended_ns=200 * MS)
    rec.response(0, 300 * MS, 310 * MS, intended_ns=305 * MS)  # sent early: never flattered
    rec.dropped(3)
    agg = Aggregator([StepInfo(flow="f", name="s", method="GET", url="/")])
    agg.add(rec.snapshot())
    outcome = agg.outcome(duration_s=1)

    corrected, raw = outcome.totals.latency_ms, outcome.totals.latency_uncorrected_ms
    assert raw is not None
    assert corrected.max == 110.015 and raw.max == 10.007  # HDR bucket upper bounds
    assert corrected.p50 == raw.p50 == 10.007
    assert outcome.totals.dropped_iterations == 3
    assert outcome.steps[0].latency_uncorrected_ms == raw


def test_closed_model_has_no_uncorrected_figure() -> None:
    rec = Recorder(start_ns=0, clock=lambda: 0)
    rec.response(0, 0, 5 * MS, intended_ns=0)
    agg = Aggregator([StepInfo(flow="f", name="s", method="GET", url="/")])
    agg.add(rec.snapshot())
    assert agg.outcome(duration_s=1).totals.latency_uncorrected_ms is None


def test_live_view_lists_the_busiest_steps() -> None:
    rec = Recorder(start_ns=0, clock=lambda: 0)
    for _ in range(3):
        rec.response(1, 0, 2 * MS)
    rec.response(0, 0, 9 * MS, "http_500", "x")
    catalog = [StepInfo(flow="f", name=n, method="GET", url="/") for n in ("a", "b")]
    agg = Aggregator(catalog)
    agg.add(rec.snapshot())
    live = agg.live(elapsed_s=1.0, duration_s=2.0)
    assert [(s.name, s.requests, s.errors) for s in live.steps] == [("b", 3, 0), ("a", 1, 1)]
    assert live.p99_ms == 9.007


def test_percentiles_match_hdrhistogram_exactly() -> None:
    rng = random.Random(4)
    ours = LatencyHistogram()
    ref = HdrHistogram(1, 60_000_000, 3)
    for _ in range(5000):
        v = int(rng.lognormvariate(8, 1.5)) + 1
        ours.record_us(v)
        ref.record_value(v)
    ps = (1, 25, 50, 90, 99, 99.9, 100)
    assert ours.percentiles_ms(ps) == [ref.get_value_at_percentile(p) / 1000 for p in ps]
    assert abs(ours.mean_ms() - ref.get_mean_value() / 1000) < 0.001 * ours.mean_ms()
