"""How a server runs the queue, from its settings."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from loadscout.orchestrator.limits import Limits
from loadscout.orchestrator.ownership import FreeAllowance
from loadscout.orchestrator.target_gate import TargetGate
from loadscout.plan.egress import EgressPolicy, policy_for
from loadscout.settings import Settings


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True, kw_only=True)
class ControlConfig:
    """How this server runs the queue; ``from_settings`` is the usual way to build one."""

    worker_id: str = field(default_factory=worker_name)
    max_concurrent: int = 2
    chromium_path: str | None = None
    max_browser_pages: int = 4
    load_workers: int | None = None  # overrides each run's worker processes; 0 = in-process
    ray_address: str | None = None  # runs that name no Ray cluster go to this one
    limits: Limits = field(default_factory=Limits)
    egress: EgressPolicy = field(default_factory=EgressPolicy.local)  # LOADSCOUT_MODE and _ALLOW
    target_gate: TargetGate | None = None  # team mode: big runs need a verified target
    lease_s: float = 15.0
    poll_s: float = 0.5
    series_flush_s: float = 1.0
    run_timeout_s: float | None = None
    phase_timeout_grace_s: float = 60.0
    max_attempts: int = 2
    retention: timedelta | None = None
    artifacts_dir: Path | None = None  # per-run files (page thumbnails) go under runs/{id}/

    @classmethod
    def from_settings(cls, settings: Settings) -> ControlConfig:
        return cls(
            max_concurrent=settings.max_concurrent_runs,
            chromium_path=settings.chromium_path,
            max_browser_pages=settings.max_browser_pages,
            load_workers=settings.load_workers,
            ray_address=settings.ray_address,
            limits=Limits(
                ray_address=settings.ray_address,
                max_users_per_run=settings.max_users_per_run,
                max_duration_s=settings.max_duration_s,
                allowed_targets=Limits.parse_targets(settings.allowed_targets),
                allow_file_options=settings.allow_file_options,
            ),
            egress=policy_for(settings.mode, settings.egress_allow),
            target_gate=_target_gate(settings),
            lease_s=settings.lease_s,
            poll_s=settings.queue_poll_s,
            series_flush_s=settings.series_flush_s,
            run_timeout_s=settings.run_timeout_s,
            phase_timeout_grace_s=settings.phase_timeout_grace_s,
            max_attempts=settings.max_attempts,
            retention=None
            if settings.retention_days is None
            else timedelta(days=settings.retention_days),
            artifacts_dir=settings.artifacts_root(),
        )

    @property
    def heartbeat_s(self) -> float:
        """Often enough that a cancel sent to another server lands within about a second."""
        return min(self.lease_s / 3, 1.0)


def _target_gate(settings: Settings) -> TargetGate | None:
    if settings.mode != "team":
        return None
    return TargetGate(
        allowance=FreeAllowance(
            max_users=settings.free_users, max_duration_s=settings.free_duration_s
        ),
        exempt=settings.verified_targets,
        egress=policy_for(settings.mode, settings.egress_allow),
    )
