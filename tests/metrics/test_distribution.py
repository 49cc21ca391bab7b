"""The response-time distribution: a 1-2-5 ms scale holding every response exactly once."""

from __future__ import annotations

import random

from loadscout.metrics.histogram import LatencyHistogram


def test_every_response_is_in_one_bucket_on_a_1_2_5_scale() -> None:
    rng = random.Random(9)
    hist = LatencyHistogram()
    values = [rng.randrange(100, 3_000_000) for _ in range(5_000)]
    for us in values:
        hist.record_us(us)
    buckets = hist.distribution()
    assert sum(n for _, n in buckets) == hist.count == 5_000
    bounds = [b for b, _ in buckets]
    assert bounds[:7] == [1, 2, 5, 10, 20, 50, 100]
    assert bounds[-1] >= hist.max_ms() > bounds[-2]
    # each bucket holds what a direct count gives (HDR precision aside: 3 significant digits)
    by_bound = dict(buckets)
    direct_le_10 = sum(1 for us in values if us <= 10_000)
    assert abs(sum(n for b, n in buckets if b <= 10) - direct_le_10) <= 5
    assert by_bound[1] == sum(1 for us in values if us <= 1_000)


def test_an_empty_histogram_has_no_buckets_and_a_fast_one_has_one() -> None:
    assert LatencyHistogram().distribution() == []
    quick = LatencyHistogram()
    quick.record_us(400)
    assert quick.distribution() == [(1.0, 1)]
