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
    login_url: str | None = None
    username: str | None = None
    password: str | None = None
    credentials_file: str | None = None  # CSV with a header; one row per virtual user
    storage_state_file: str | None = None  # a Playwright storage state (already logged in)
    data_file: str | None = None  # JSON/YAML: field name or form signature -> value(s)
    har_file: str | None = None  # build flows from this HAR instead of crawling
    verify: bool = True  # replay each flow over HTTP in two fresh sessions before load
    force: bool = False  # keep flows that fail verification
    screenshots_dir: str | None = None  # PNG thumbnail per distinct page pattern
    explore_clicks: bool = True  # click elements with listeners (single-page apps)
    ignore_robots: bool = False  # visit what robots.txt disallows too

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
        has_login = self.username is not None or self.password is not None
        if has_login and (self.username is None or self.password is None):
            problems.append("give both --username and --password")
        if (has_login or self.credentials_file) and not self.login_url:
            problems.append("--username/--password and --credentials need --login-url")
        if has_login and self.credentials_file:
            problems.append("give either --username/--password or --credentials, not both")
        if problems:
            raise BadInput("invalid discovery options: " + "; ".join(problems))
