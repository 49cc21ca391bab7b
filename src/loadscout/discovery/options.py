"""Options for one discovery run, as a frozen keyword-only value object."""

from __future__ import annotations

from dataclasses import dataclass

from loadscout.errors import BadInput


@dataclass(frozen=True, kw_only=True, slots=True)
class DiscoveryOptions:
    """What to explore and how far; ``chromium_path=None`` means settings.default_chromium()."""

    start_url: str
    max_pages: int = 40
    max_depth: int = 4
    max_time_s: float = 60
    concurrency: int = 4
    allow_writes: bool = False
    scope: str | None = None
    chromium_path: str | None = None
    page_timeout_s: float = 15

    def __post_init__(self) -> None:
        problems = [
            f"{name} must be at least {low}"
            for name, value, low in (
                ("max_pages", self.max_pages, 1),
                ("max_depth", self.max_depth, 0),
                ("concurrency", self.concurrency, 1),
            )
            if value < low
        ]
        problems += [
            f"{name} must be positive"
            for name, value in (
                ("max_time_s", self.max_time_s),
                ("page_timeout_s", self.page_timeout_s),
            )
            if value <= 0
        ]
        if problems:
            raise BadInput("invalid discovery options: " + "; ".join(problems))
