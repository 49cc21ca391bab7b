"""What virtual users did on their journeys, counted per worker and merged by adding: the raw
material of the realism report (``metrics.realism``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MAX_URLS_PER_STEP = 5_000  # distinct URLs remembered per state and worker; more are counted


@dataclass(slots=True)
class JourneyTally:
    sessions: Counter[str] = field(default_factory=Counter)  # journey -> sessions
    lengths: Counter[tuple[str, int]] = field(default_factory=Counter)  # (journey, pages)
    reached: Counter[tuple[str, str]] = field(default_factory=Counter)  # (journey, state)
    exits: Counter[tuple[str, str]] = field(default_factory=Counter)  # where sessions ended
    urls: dict[int, Counter[str]] = field(default_factory=dict)  # step id -> URL -> requests
    unlisted: Counter[int] = field(default_factory=Counter)  # requests past MAX_URLS_PER_STEP
    searches: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (state, found any)
    thinks: Counter[int] = field(default_factory=Counter)  # think time, tenths of a second

    def __bool__(self) -> bool:
        return bool(self.sessions)

    def url(self, step: int, url: str, count: int = 1) -> None:
        seen = self._seen(step)
        if url in seen or len(seen) < MAX_URLS_PER_STEP:
            seen[url] += count
        else:
            self.unlisted[step] += count

    def pages(
        self, visited: Mapping[int, Sequence[str]], paused: Sequence[float], unpaused: int = 0
    ) -> None:
        """A session's requests (step id -> URLs) and think times (``unpaused``: pauses of
        0 s not listed), counted at its end, in C while a step's URLs are far from the cap."""
        for step, urls in visited.items():
            seen = self._seen(step)
            if len(seen) + len(urls) <= MAX_URLS_PER_STEP:
                seen.update(urls)
            else:
                for url in urls:
                    self.url(step, url)
        if paused:
            self.thinks.update([round(seconds * 10) for seconds in paused])
        if unpaused:
            self.thinks[0] += unpaused

    def _seen(self, step: int) -> Counter[str]:
        seen = self.urls.get(step)
        if seen is None:
            seen = self.urls[step] = Counter()
        return seen

    def session(self, journey: str, states: Iterable[str], last: str, pages: int) -> None:
        self.sessions[journey] += 1
        self.lengths[journey, pages] += 1
        self.exits[journey, last] += 1
        for state in states:
            self.reached[journey, state] += 1

    def merge(self, other: JourneyTally) -> None:
        self.sessions.update(other.sessions)
        self.lengths.update(other.lengths)
        self.reached.update(other.reached)
        self.exits.update(other.exits)
        for step, seen in other.urls.items():
            for url, count in seen.items():
                self.url(step, url, count)
        self.unlisted.update(other.unlisted)
        self.searches.update(other.searches)
        self.thinks.update(other.thinks)
