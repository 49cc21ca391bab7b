"""The realism report's shape: did the load look like the journeys said, and like users?

Per page pattern: its share of the journey's requests against the model's, how many distinct
URLs it got and the busiest one's share (one URL getting most is a cache benchmark); per
journey a funnel, session lengths and how often searches found something; think times; and
the patterns discovery found that got no load (built by ``metrics.realism_report``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PatternLoad(_Model):
    journey: str
    name: str
    pattern: str
    requests: int
    errors: int
    share: float  # of the journey's requests
    model_share: float
    distinct_urls: int
    top_url: str = ""
    top_url_share: float = 0.0
    p50_ms: float | None = None
    p95_ms: float | None = None
    off_model: bool = False


class FunnelStep(_Model):
    state: str
    sessions: int  # sessions that reached it
    reached: float  # of all the journey's sessions
    exits: int  # sessions that ended there


class JourneyRealism(_Model):
    name: str
    sessions: int
    median_pages: float
    mean_pages: float
    model_mean_pages: float
    lengths: list[tuple[int, int]]  # (pages, sessions)
    funnel: list[FunnelStep]
    searches: int = 0  # form submissions of the journey whose results a state links
    searches_found: int = 0  # ... whose results page listed something
    search_hit_rate: float | None = None


class RealismReport(_Model):
    patterns: list[PatternLoad]
    journeys: list[JourneyRealism]
    think_mean_s: float | None = None
    think_histogram: list[tuple[float, int]] = []  # (seconds, pauses) in 0.1 s steps
    unloaded_patterns: list[str] = []  # found by discovery, never requested
    warnings: list[str] = []
