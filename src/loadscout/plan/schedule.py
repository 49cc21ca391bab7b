"""Schedule arithmetic shared by the profiles: piecewise-linear targets, user-count changes
and arrival times. Pure functions of their inputs, so every schedule is testable on a virtual
clock without running anything.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

Point = tuple[float, float]  # (seconds from the start, value)


def ramp_points(start: float, stages: Sequence[tuple[float, float]]) -> list[Point]:
    """Corner points of a piecewise-linear curve starting at ``start``; each stage moves the
    value linearly to its target over its duration (a zero duration is a jump)."""
    points: list[Point] = [(0.0, start)]
    t = 0.0
    for duration, target in stages:
        t += duration
        points.append((t, float(target)))
    return points


def user_changes(points: Sequence[Point]) -> list[tuple[float, int]]:
    """Times at which the wanted number of users changes, and the new number.

    On a rising ramp a user is added when the curve reaches each whole number; on a falling one
    a user leaves when it reaches each whole number below, so every stage ends exactly at its
    target. The first entry is always at t=0.
    """
    events: list[tuple[float, int]] = [(0.0, math.floor(points[0][1]))]
    current = events[0][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(points):
        if v1 > v0:
            for n in range(current + 1, math.floor(v1) + 1):
                events.append((_cross(t0, v0, t1, v1, n), n))
            current = max(current, math.floor(v1))
        elif v1 < v0:
            for n in range(current - 1, math.ceil(v1) - 1, -1):
                events.append((_cross(t0, v0, t1, v1, n), n))
            current = min(current, math.ceil(v1))
    return _squash(events)


def _cross(t0: float, v0: float, t1: float, v1: float, n: float) -> float:
    if t1 == t0:
        return t0
    return t0 + (n - v0) / (v1 - v0) * (t1 - t0)


def _squash(events: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """Keep one entry per instant (the last), dropping ones that change nothing."""
    out: list[tuple[float, int]] = []
    for t, n in events:
        if out and out[-1][0] == t:
            out[-1] = (t, n)
        else:
            out.append((t, n))
    deduped = [out[0]]
    for t, n in out[1:]:
        if n != deduped[-1][1]:
            deduped.append((t, n))
    return deduped


def value_at(events: Sequence[tuple[float, int]], t: float) -> int:
    """The step value in force at ``t`` (events sorted by time)."""
    value = 0
    for at, n in events:
        if at > t:
            break
        value = n
    return value


def arrivals(points: Sequence[Point]) -> Iterator[float]:
    """Start times of iterations for a piecewise-linear rate (per second) curve.

    Arrival k happens when the integral of the rate reaches k, so arrival 0 is at the first
    instant with a positive rate and a constant rate r gives 0, 1/r, 2/r, ...
    """
    done = 0.0  # integral of the rate up to the current segment start
    k = 0
    for (t0, r0), (t1, r1) in itertools.pairwise(points):
        d = t1 - t0
        if d <= 0:
            continue
        a = (r1 - r0) / (2 * d)
        area = r0 * d + a * d * d
        while k <= done + area - 1e-9 * max(1.0, area):
            x = k - done
            s = _solve(a, r0, x)
            if s is None or s > d:
                break
            yield t0 + s
            k += 1
        done += area


def _solve(a: float, b: float, x: float) -> float | None:
    """Smallest s >= 0 with b*s + a*s^2 = x (numerically stable form)."""
    if x <= 0:
        return 0.0 if b > 0 or a > 0 else None
    disc = b * b + 4 * a * x
    if disc < 0:
        return None
    root = b + math.sqrt(disc)
    return 2 * x / root if root > 0 else None
