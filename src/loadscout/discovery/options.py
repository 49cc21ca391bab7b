"""What discovery is told: the options a user sets (:class:`DiscoveryOptions`, shared by the
CLI, the API and the orchestrator), and the engine's full configuration for one discovery
(:class:`DiscoveryConfig`: those options plus the start page and what the server chooses)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from loadscout.errors import BadInput
from loadscout.plan.egress import EgressPolicy

_LOGIN_URL = re.compile(r"https?://[^/\s]+[^\s]*$", re.IGNORECASE)


class DiscoveryOptions(BaseModel):
    """What to explore and how far, as a user sets it; each default lives here only."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    # The budget is time: a page costs from milliseconds to seconds, so a page count says
    # little about how long discovery takes; exploring plus verification fits in 2 minutes.
    max_pages: int = Field(default=1000, gt=0, le=10_000, description="Most pages to visit")
    max_depth: int = Field(default=4, ge=0, le=50, description="Most links from the start page")
    max_time_s: float = Field(default=90.0, gt=0, le=3_600, description="Time budget for exploring")
    allow_writes: bool = Field(default=False, description="Let discovery submit non-GET forms")
    login_url: str | None = Field(default=None, description="Discovery: page with the login form")
    username: str | None = Field(default=None, description="Discovery: account to log in with")
    password: SecretStr | None = Field(default=None, description="Password (never stored)")
    credentials_file: str | None = Field(
        default=None, description="CSV of username,password: one account per virtual user"
    )
    storage_state_file: str | None = Field(
        default=None, description="Playwright storage state of a logged-in browser"
    )
    data_file: str | None = Field(default=None, description="Form values (JSON/YAML/CSV)")
    har_file: str | None = Field(default=None, description="Build flows from this HAR export")
    force: bool = Field(default=False, description="Keep flows that fail verification")
    ignore_robots: bool = Field(
        default=False, description="Discovery also visits what robots.txt disallows"
    )
    screenshots_dir: str | None = Field(
        default=None, description="Folder for one PNG thumbnail per page pattern"
    )
    journeys: bool = Field(
        default=True,
        description="Derive a journey (sessions over the site's pages, docs/flows.md) in place "
        "of one browse flow per page",
    )

    @property
    def password_text(self) -> str | None:
        return self.password.get_secret_value() if self.password is not None else None


class DiscoveryConfig(DiscoveryOptions):
    """One discovery as the engine runs it: the user's options, the start page and what the
    process running it decides; ``chromium_path=None`` means settings.default_chromium()."""

    start_url: str
    scope: str | None = None  # regex of further URLs to visit (the run's asset scope too)
    chromium_path: str | None = None
    concurrency: int = 4
    page_timeout_s: float = 15
    verify: bool = True  # replay each flow over HTTP in two fresh sessions before load
    explore_clicks: bool = True  # click elements with listeners (single-page apps)
    plain_http: bool = True  # pages no script changes read over plain HTTP (discovery.lane)
    allowed_hosts: frozenset[str] = frozenset()  # the server's allow-list (empty: any)
    egress: EgressPolicy = Field(default_factory=EgressPolicy.local)  # addresses it may reach

    @model_validator(mode="before")
    @classmethod
    def _usable(cls, data: Any) -> Any:
        """Every problem in one BadInput (before the field checks, which stop at the first)."""
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields

        def value(name: str) -> Any:
            return data.get(name, fields[name].default)

        problems = [
            f"{name} must be at least {low}"
            for name, low in (("max_pages", 1), ("max_depth", 0), ("concurrency", 1))
            if isinstance(value(name), int | float) and value(name) < low
        ]
        problems += [
            f"{name} must be positive"
            for name in ("max_time_s", "page_timeout_s")
            if isinstance(value(name), int | float) and value(name) <= 0
        ]
        has_login = value("username") is not None or value("password") is not None
        if has_login and (value("username") is None or value("password") is None):
            problems.append("give both --username and --password")
        if (has_login or value("credentials_file")) and not value("login_url"):
            problems.append("--username/--password and --credentials need --login-url")
        login_url = value("login_url")
        if isinstance(login_url, str) and not _LOGIN_URL.match(login_url):
            problems.append(f"--login-url {login_url!r}: give the login page's http(s) URL")
        if has_login and value("credentials_file"):
            problems.append("give either --username/--password or --credentials, not both")
        if problems:
            raise BadInput("invalid discovery options: " + "; ".join(problems))
        return data
