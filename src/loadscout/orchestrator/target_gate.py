"""Whether a team may load a target this hard: small runs are free; bigger ones need a host
the team has proved it owns, proved again now (a file or record can vanish), or a host the
server's admin exempted (``LOADSCOUT_VERIFIED_TARGETS``). Applied in team mode only: a
single-user install loads what its one user points it at."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from loadscout.errors import BadInput
from loadscout.orchestrator.ownership import FreeAllowance, OwnershipCheck, verify_target
from loadscout.plan.egress import EgressPolicy, normalise_host, parse_allow, parse_ip
from loadscout.store.targets import TargetRepository


class TargetNotVerified(BadInput):
    """The run is over the free allowance and its host is not proved the team's."""


@dataclass(frozen=True, kw_only=True)
class TargetGate:
    allowance: FreeAllowance = field(default_factory=FreeAllowance)
    exempt: str = ""  # comma-separated hosts and CIDRs that need no proof
    egress: EgressPolicy = field(default_factory=EgressPolicy.local)

    def is_exempt(self, host: str) -> bool:
        networks, names = parse_allow(self.exempt.split(","))
        ip = parse_ip(host)
        if ip is not None:
            return any(ip in net for net in networks if net.version == ip.version)
        return host in names

    async def check(
        self,
        targets: TargetRepository,
        *,
        team_id: int,
        url: str,
        users: int,
        duration_s: float,
    ) -> OwnershipCheck | None:
        """None when no proof is needed; else the fresh check (stored on the target), or
        TargetNotVerified with what to do."""
        if self.allowance.covers(users=users, duration_s=duration_s):
            return None
        host = target_host(url)
        if self.is_exempt(host):
            return None
        free = (
            f"runs up to {self.allowance.max_users} users and "
            f"{self.allowance.max_duration_s:g} s need no proof"
        )
        target = await targets.by_host(team_id, host)
        if target is None:
            raise TargetNotVerified(
                f"{host} is not one of your team's verified targets ({free}): add it under "
                "Targets and publish its token (docs/targets.md)"
            )
        found = await verify_target(url, target.token, policy=self.egress)
        await targets.record_check(
            target.id, verified=found.verified, method=found.method, detail=found.detail
        )
        if not found.verified:
            raise TargetNotVerified(
                f"{host} could not be verified just now ({free}): {found.detail}"
            )
        return found


def target_host(url: str) -> str:
    """The host a proof covers: the URL's host name, normalised, without port."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host:
        raise BadInput(f"{url!r} is not a URL with a host")
    return normalise_host(host)
