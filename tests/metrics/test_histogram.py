import random

import pytest

from loadscout.metrics.histogram import HIGHEST_US, LatencyHistogram


def test_percentiles_in_milliseconds_within_a_tenth_of_a_percent() -> None:
    h = LatencyHistogram()
    for us in range(1, 10_001):  # 1 µs .. 10 ms, uniform
        h.record_us(us)
    assert h.count == 10_000
    assert h.percentile_ms(50) == pytest.approx(5.0, rel=1e-3)
    assert h.percentile_ms(99) == pytest.approx(9.9, rel=1e-3)
    assert h.max_ms() == pytest.approx(10.0, rel=1e-3)
    assert h.mean_ms() == pytest.approx(5.0, rel=1e-3)


def test_out_of_range_values_are_clamped_not_dropped() -> None:
    h = LatencyHistogram()
    h.record_us(0)
    h.record_us(HIGHEST_US * 10)
    assert h.count == 2
    assert h.max_ms() == pytest.approx(60_000, rel=1e-3)


def test_merge_and_encode_round_trip() -> None:
    a, b, both = LatencyHistogram(), LatencyHistogram(), LatencyHistogram()
    for us in (100, 2_000, 30_000):
        a.record_us(us)
        both.record_us(us)
    for us in (5, 700_000):
        b.record_us(us)
        both.record_us(us)
    merged = LatencyHistogram.decode(a.encode())
    merged.merge(LatencyHistogram.decode(b.encode()))
    assert merged.summary() == both.summary()
    assert merged.count == 5


def test_empty_histogram_reports_nothing_measured() -> None:
    h = LatencyHistogram.decode(LatencyHistogram().encode())
    assert h.count == 0
    assert h.summary().p99 is None  # missing, not 0 ms
    assert h.summary().max is None
    assert h.percentile_ms(99) == 0.0


def test_a_batch_lands_in_the_same_buckets_as_one_by_one() -> None:
    rng = random.Random(7)
    edges = [0, 1, 999, 2047, 2048, 2049, 123_456, 59_999_999, 61_000_000]
    values = [rng.choice(edges) for _ in range(200)]
    values += [rng.randrange(1, 5_000_000) for _ in range(5_000)]
    one, batch = LatencyHistogram(), LatencyHistogram()
    for v in values:
        one.record_us(v)
    batch.record_values(values)
    batch.record_values([])
    assert batch.encode() == one.encode()
    assert batch.count == one.count == len(values)
    assert batch.max_ms() == one.max_ms() and batch.summary() == one.summary()
    assert batch._h.get_min_value() == one._h.get_min_value()


@pytest.mark.parametrize("seed", range(8))
def test_percentiles_and_mean_agree_with_hdr_itself(seed: int) -> None:
    """Read from the counts in C, the figures are HdrHistogram's own, bucket for bucket."""
    rng = random.Random(seed)
    hist = LatencyHistogram()
    hist.record_values(
        [
            max(1, int(rng.lognormvariate(rng.uniform(3, 11), rng.uniform(0.1, 2))))
            for _ in range(500)
        ]
    )
    hdr = hist._h
    percentiles = (0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 100.0)
    expected = [hdr.get_value_at_percentile(p) / 1000.0 for p in percentiles]
    assert hist.percentiles_ms(percentiles) == expected
    assert hist.mean_ms() == pytest.approx(hdr.get_mean_value() / 1000.0, rel=1e-3)
