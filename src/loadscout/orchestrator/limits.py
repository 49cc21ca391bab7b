"""Admission: what a server accepts before a run is queued (limits and allowed targets)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from loadscout.errors import BadInput
from loadscout.flows.model import FlowSet
from loadscout.orchestrator.options import RunOptions
from loadscout.plan.allowed import url_allowed


class OptionRejected(BadInput):
    """One option breaks a server limit; ``field`` names it (the API answers 422)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class Limits:
    """``allowed_targets`` holds ``host`` or ``host:port`` entries; empty allows any target."""

    max_users_per_run: int = 10_000
    max_duration_s: float = 86_400.0
    allowed_targets: frozenset[str] = frozenset()
    allow_file_options: bool = False
    ray_address: str | None = None  # the server's own cluster (LOADSCOUT_RAY_ADDRESS)

    @staticmethod
    def parse_targets(text: str) -> frozenset[str]:
        return frozenset(part.strip().lower() for part in text.split(",") if part.strip())

    def check(self, options: RunOptions) -> None:
        """Raise OptionRejected for the first option over a limit. Users are counted at the
        plan's peak, however they are given (users, stages, an arrival rate's cap, a shape,
        the flows file's ``load:`` section)."""
        plan = options.plan()
        users = plan.profile.users
        if users > self.max_users_per_run:
            field = _users_field(options)
            raise OptionRejected(
                field,
                f"the run peaks at {users} users, above this server's limit of "
                f"{self.max_users_per_run}",
            )
        if plan.workers > users:
            raise OptionRejected(
                "workers", f"{plan.workers} worker processes for at most {users} users"
            )
        duration = plan.profile.duration_s
        if duration > self.max_duration_s:
            raise OptionRejected(
                "duration_s",
                f"{duration:g} s is above this server's limit of {self.max_duration_s:g} s",
            )
        if not self.allow_file_options:
            _check_no_server_paths(options)
            self._check_ray_address(options)
        if self.allowed_targets:
            self._check_url("target_url", options.target_url)
        if options.flowset is not None:
            self.check_flowset(options.flowset)

    def check_flowset(self, flowset: FlowSet) -> None:
        """A flowset given at creation or replaced later: its server paths and its targets."""
        if not self.allow_file_options:
            _check_no_credentials_path(flowset)
        if self.allowed_targets:
            for url in _flowset_urls(flowset):
                self._check_url("flowset", url)

    def _check_ray_address(self, options: RunOptions) -> None:
        """Results from a Ray cluster are unpickled here: a caller may only name the cluster
        the operator chose (or any, with LOADSCOUT_ALLOW_FILE_OPTIONS)."""
        wanted = options.ray_address
        if wanted is not None and wanted != self.ray_address:
            raise OptionRejected(
                "ray_address",
                "this server runs load only on its own Ray cluster (LOADSCOUT_RAY_ADDRESS"
                f"={self.ray_address or 'unset'}); leave ray_address out",
            )

    def _check_url(self, field: str, url: str) -> None:
        if not self._allowed(url):
            raise OptionRejected(
                field,
                f"{url} is not an allowed target on this server "
                f"(allowed: {', '.join(sorted(self.allowed_targets))})",
            )

    def _allowed(self, url: str) -> bool:
        return url_allowed(self.allowed_targets, url)


def _users_field(options: RunOptions) -> str:
    """The option that set the peak: the one the user gave, else the flows file's."""
    given = options.load.model_fields_set
    for name in ("shape", "arrival_rate", "stages", "max_users"):
        if name in given and getattr(options.load, name) is not None:
            return name
    if "users" not in given and options.flowset is not None and options.flowset.load:
        return "flowset.load"
    return "users"


def _check_no_server_paths(options: RunOptions) -> None:
    """Options naming files or folders on the server (``*_file``, ``*_dir``) would let an API
    caller read or write the server's disk: refused unless the server allows them."""
    for name in type(options.discovery).model_fields:
        if name.endswith(("_file", "_dir")) and getattr(options.discovery, name) is not None:
            raise OptionRejected(
                name,
                "paths on the server are not accepted over the API (upload the content instead, "
                "e.g. a flowset); set LOADSCOUT_ALLOW_FILE_OPTIONS=true on a trusted server",
            )


def _check_no_credentials_path(flowset: FlowSet) -> None:
    """A flowset's ``user_data_file`` and ``storage_state_file`` are server paths too
    (passwords and sessions would be read from them)."""
    instead = {"user_data_file": "give the 'password' option", "storage_state_file": "log in"}
    for name, hint in instead.items():
        if getattr(flowset, name) is None:
            continue
        raise OptionRejected(
            f"flowset.{name}",
            f"paths on the server are not accepted over the API: remove it and {hint}, "
            "or set LOADSCOUT_ALLOW_FILE_OPTIONS=true on a trusted server",
        )


def _flowset_urls(flowset: FlowSet) -> Iterator[str]:
    """The flowset's own target and every absolute step URL: those are where load goes."""
    yield flowset.target_url
    steps = [*flowset.setup, *(step for flow in flowset.flows for step in flow.steps)]
    urls = [step.url for step in steps]
    for journey in flowset.journeys:
        for state in journey.states:
            urls += [u for u in (state.url, *(t.url for t in state.transitions)) if u]
    for url in urls:
        if "://" in url or url.startswith("//"):
            yield url
