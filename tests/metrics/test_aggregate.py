import random

from loadscout.metrics.aggregate import Aggregator
from loadscout.metrics.catalog import StepInfo
from loadscout.metrics.recorder import NS_PER_S, Recorder
from loadscout.metrics.snapshot import Snapshot

CATALOG = [
    StepInfo(flow="f", name="home", method="GET", url="/"),
    StepInfo(flow="f", name="buy", method="POST", url="/buy"),
]


class Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def feed(events: list[tuple[int, int, int, str | None]], *recorders: Recorder) -> None:
    """Record (step, start_ns, end_ns, error kind) events round-robin over the recorders."""
    for i, (step, start, end, kind) in enumerate(events):
        rec = recorders[i % len(recorders)]
        if kind == "timeout":
            rec.failure(step, kind, f"POST /buy: {i}", end_ns=end)
        else:
            rec.response(step, start, end, kind, f"GET /: {i}")


def random_events(n: int) -> list[tuple[int, int, int, str | None]]:
    rng = random.Random(5)
    events: list[tuple[int, int, int, str | None]] = []
    for _ in range(n):
        start = rng.randrange(0, 3 * NS_PER_S)
        end = start + rng.randrange(100_000, 400_000_000)
        kind = rng.choice([None, None, None, "http_500", "timeout"])
        events.append((rng.randrange(2), start, end, kind))
    return events


def aggregate(*snapshots: Snapshot) -> Aggregator:
    agg = Aggregator(CATALOG)
    for snap in snapshots:
        agg.add(snap)
    return agg


def test_two_workers_merge_to_what_one_recorder_sees() -> None:
    events = random_events(2_000)
    clock = Clock()
    one = Recorder(start_ns=0, clock=clock)
    feed(events, one)
    a, b = (Recorder(start_ns=0, worker=w, clock=clock) for w in (1, 2))
    feed(events[:700], a, b)
    early = [a.snapshot(), b.snapshot()]  # deltas: drained mid-run, then again at the end
    feed(events[700:], a, b)

    single = aggregate(one.snapshot()).outcome(duration_s=3.5)
    merged = aggregate(*early, a.snapshot(), b.snapshot()).outcome(duration_s=3.5)
    # any first example per kind will do; everything else must be identical
    assert merged.model_copy(update={"errors": []}) == single.model_copy(update={"errors": []})
    assert [(e.kind, e.count) for e in merged.errors] == [(e.kind, e.count) for e in single.errors]
    assert single.totals.requests == 2_000
    assert {e.kind for e in single.errors} == {"http_500", "timeout"}
    assert single.totals.errors == sum(e.count for e in single.errors)
    assert len(single.timeseries) == 4


def test_outcome_shapes_totals_steps_and_timeseries() -> None:
    clock = Clock()
    rec = Recorder(start_ns=0, clock=clock)
    rec.user_started()
    rec.response(0, 0, 10_000_000)  # 10 ms in second 0
    rec.response(1, 0, 20_000_000, "http_503", "POST /buy: HTTP 503")
    clock.now = 2 * NS_PER_S + 1  # second 1 is silent, second 2 has a user more
    rec.user_started()
    rec.response(0, clock.now, clock.now + 30_000_000)
    outcome = aggregate(rec.snapshot()).outcome(duration_s=2.6, load_s=2.5)

    assert outcome.totals.requests == 3
    assert outcome.totals.error_rate == 1 / 3
    assert outcome.totals.rps == round(3 / 2.6, 3)
    assert abs(outcome.totals.latency_ms.max - 30) < 0.1
    home, buy = outcome.steps
    assert (home.name, home.requests, home.errors, buy.errors) == ("home", 2, 0, 1)
    assert [(e.kind, e.count, e.example) for e in outcome.errors] == [
        ("http_503", 1, "POST /buy: HTTP 503")
    ]
    assert [p.t for p in outcome.timeseries] == [0, 1, 2]
    assert [p.active_users for p in outcome.timeseries] == [1, 1, 2]
    assert [p.rps for p in outcome.timeseries] == [2.0, 0.0, 2.0]  # last second is half long
    assert outcome.timeseries[1].p95_ms is None  # no response that second: a gap, not 0 ms


def test_late_responses_fold_into_the_last_second_and_live_view() -> None:
    clock = Clock()
    rec = Recorder(start_ns=0, clock=clock)
    rec.user_started()
    rec.response(0, 0, NS_PER_S // 2)
    rec.response(0, NS_PER_S, 3 * NS_PER_S)  # answered 1 s after a 2 s run stopped
    clock.now = 3 * NS_PER_S + 1  # the snapshot is taken after it
    agg = aggregate(rec.snapshot())
    outcome = agg.outcome(duration_s=3.0, load_s=2.0)
    assert [p.rps for p in outcome.timeseries] == [1.0, 1.0]
    assert outcome == agg.outcome(duration_s=3.0, load_s=2.0)  # folding leaves state alone
    live = agg.live(elapsed_s=1.2, duration_s=2.0)
    assert (live.requests, live.rps, live.active_users) == (2, 1.0, 1)


def test_connect_tls_and_skipped_assets_reach_the_outcome_per_step() -> None:
    clock = Clock()
    a, b = (Recorder(start_ns=0, worker=w, clock=clock) for w in (1, 2))
    a.response(0, 0, 9_000_000, ttfb_ns=5_000_000, connect_ns=1_000_000, tls_ns=3_000_000)
    b.response(0, 0, 9_000_000, ttfb_ns=5_000_000, connect_ns=1_000_000, tls_ns=4_000_000)
    a.response(0, 0, 2_000_000)  # a kept-alive connection: neither connect nor TLS
    b.response(1, 0, 2_000_000, connect_ns=500_000)  # plain http: no TLS
    a.assets_skipped(3)
    b.assets_skipped(2)
    outcome = aggregate(a.snapshot(), b.snapshot()).outcome(duration_s=1)

    home, buy = outcome.steps
    assert home.tls_ms is not None  # HDR buckets: within 0.1 %
    assert (round(home.tls_ms.p50), round(home.tls_ms.max)) == (3, 4)
    assert home.connect_ms is not None and round(home.connect_ms.max) == 1
    assert buy.tls_ms is None and buy.connect_ms is not None and buy.connect_ms.max == 0.5
    assert outcome.totals.tls_ms == home.tls_ms
    assert outcome.totals.assets_skipped == 5
    assert aggregate(a.snapshot()).outcome(duration_s=1).totals.tls_ms is None  # drained


def test_live_rate_is_the_latest_second_every_worker_completed() -> None:
    clock = Clock()
    a = Recorder(start_ns=0, worker=0, clock=clock)
    b = Recorder(start_ns=0, worker=1, clock=clock)
    agg = Aggregator(CATALOG, workers=2)
    for t in range(3):  # 3 requests a second from each worker
        for k in range(3):
            end = t * NS_PER_S + (k + 1) * NS_PER_S // 4
            a.response(0, end - 1000, end)
            b.response(0, end - 1000, end)
    clock.now = 2 * NS_PER_S + 10_000_000  # a has reported up to 2.01 s, b not at all yet
    agg.add(a.snapshot())
    assert agg.live(elapsed_s=2.01, duration_s=5).point is None  # b's share of second 1 unknown
    clock.now = NS_PER_S + 10_000_000  # b's snapshot covers 1.01 s: second 0 is complete
    agg.add(b.snapshot())
    live = agg.live(elapsed_s=2.02, duration_s=5)
    assert live.point is not None and (live.point.t, live.rps) == (0, 6.0)
    assert live.point.p50_ms is not None


def test_errors_group_by_step_and_kind_with_message_and_url() -> None:
    rec = Recorder(start_ns=0, clock=Clock())
    rec.response(1, 0, 1000, "http_503", "POST /buy?id=7: HTTP 503 (expected 2xx)")
    rec.response(1, 0, 1000, "http_503", "POST /buy?id=8: HTTP 503 (expected 2xx)")
    rec.failure(0, "connection_reset", "GET /: the server closed the connection", end_ns=10)
    rec.failure(1, "connection_reset", "POST /buy: the server closed the connection", end_ns=10)
    outcome = aggregate(rec.snapshot()).outcome(duration_s=1)

    got = [(e.step, e.kind, e.count, e.status, e.message, e.url) for e in outcome.errors]
    assert got == [
        ("buy", "http_503", 2, 503, "HTTP 503 (expected 2xx)", "/buy?id=7"),
        ("home", "connection_reset", 1, None, "the server closed the connection", "/"),
        ("buy", "connection_reset", 1, None, "the server closed the connection", "/buy"),
    ]
    home, buy = outcome.steps
    assert home.latency_ms.p95 is None and home.requests == 1  # never answered: no latency
    assert buy.latency_ms.p95 is not None


def test_live_percentiles_are_none_not_zero_before_any_response() -> None:
    """A target that refuses every connection: errors, no latency (the dashboard shows "–")."""
    clock = Clock()
    rec = Recorder(start_ns=0, clock=clock)
    rec.failure(0, "connect", "GET /: refused", end_ns=NS_PER_S // 2)
    clock.now = 2 * NS_PER_S
    agg = Aggregator(CATALOG, workers=1)
    agg.add(rec.snapshot())
    live = agg.live(elapsed_s=2.0, duration_s=5)
    assert live.errors == 1
    assert (live.p50_ms, live.p95_ms, live.p99_ms) == (None, None, None)
    assert [(s.name, s.p50_ms, s.p95_ms) for s in live.steps] == [("home", None, None)]
