"""What a recorder hands to the aggregator: plain, picklable deltas with encoded histograms.

A snapshot holds only what was recorded since the previous one, so the aggregator merges by
adding; the same shape will cross process boundaries when workers run one per core.
"""

from __future__ import annotations

from dataclasses import dataclass

from loadscout.metrics.histogram import LatencyHistogram
from loadscout.metrics.journey_tally import JourneyTally


@dataclass(frozen=True, slots=True)
class ErrorCount:
    kind: str
    count: int
    example: str


@dataclass(frozen=True, slots=True)
class StepDelta:
    """One step's requests since the last snapshot; ``histogram`` holds latencies of responses."""

    step: int
    requests: int
    errors: int
    histogram: bytes
    error_kinds: tuple[ErrorCount, ...] = ()
    histogram_uncorrected: bytes = b""  # open model: latencies from the actual send
    histogram_ttfb: bytes = b""  # time to first byte, where the client measures it
    histogram_connect: bytes = b""  # new connections only: TCP connect
    histogram_tls: bytes = b""  # new https connections only: the TLS handshake
    retried: int = 0  # of ``requests``: attempts lost with a dropped connection, sent again
    redirects: int = 0  # of ``requests``: redirect hops followed on the way to a response


@dataclass(frozen=True, slots=True)
class SecondDelta:
    """One wall-clock second (``t`` seconds after the run start), across all steps.

    ``active_max`` is the most users seen running during the second, ``active_last`` the count
    at the last observation (what carries forward into seconds with no observation).
    """

    t: int
    requests: int
    errors: int
    histogram: bytes
    active_max: int
    active_last: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    worker: int
    steps: tuple[StepDelta, ...]
    seconds: tuple[SecondDelta, ...]
    dropped_iterations: int = 0
    assets_skipped: int = 0  # off-scope page assets not fetched
    final: bool = False  # the worker's last snapshot, taken after its users stopped
    # load-clock seconds when it was taken: every second below floor(covered_s) is complete
    # for this worker, which is how the live view knows which second it may show
    covered_s: float = 0.0
    journeys: JourneyTally | None = None  # the final snapshot's: what journeys did, in total


WORKER_LOST = "worker_lost"


def lost_snapshot(worker: int, missing: list[int], t: int) -> Snapshot:
    """Requests a lost worker sent but never reported (``missing`` per step id): failed,
    with no latency, in second ``t``; so the result still counts every request sent."""
    empty = LatencyHistogram().encode()
    example = "sent by a worker process that was then lost; its response was never recorded"
    steps = tuple(
        StepDelta(
            step=i,
            requests=m,
            errors=m,
            histogram=empty,
            error_kinds=(ErrorCount(kind=WORKER_LOST, count=m, example=example),),
        )
        for i, m in enumerate(missing)
        if m > 0
    )
    total = sum(s.requests for s in steps)
    second = SecondDelta(
        t=t, requests=total, errors=total, histogram=empty, active_max=0, active_last=0
    )
    return Snapshot(worker=worker, steps=steps, seconds=(second,))
