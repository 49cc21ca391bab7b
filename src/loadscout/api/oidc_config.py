"""Single sign-on settings, checked once at start-up, and the pure rules of a sign-in: which
team roles a provider's groups grant, and where the browser may go afterwards.

``LOADSCOUT_OIDC_ROLE_MAP`` reads ``group=team:role`` entries, comma-separated; a group may
appear more than once (one entry per team), and when several of a user's groups map to one
team the highest role wins. Only the teams named in the map are managed by sign-in.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from loadscout.errors import BadInput
from loadscout.principals import Role
from loadscout.settings import Settings

CALLBACK_PATH = "/api/v1/auth/oidc/callback"
_ROLES = ", ".join(r.value for r in Role)


@dataclass(frozen=True, kw_only=True)
class Grant:
    """One role-map entry: members of ``group`` get ``role`` in team ``team``."""

    group: str
    team: str
    role: Role


@dataclass(frozen=True, kw_only=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    groups_claim: str
    grants: tuple[Grant, ...]
    admin_group: str | None
    redirect_uri: str
    display_name: str

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"

    @property
    def mapped_teams(self) -> frozenset[str]:
        """The teams whose membership sign-in decides; others are left as they are."""
        return frozenset(g.team for g in self.grants)

    @classmethod
    def from_settings(cls, settings: Settings, *, public_url: str) -> OidcConfig | None:
        """None when SSO is off; BadInput naming every wrong setting at once."""
        issuer = settings.oidc_issuer.strip()
        if not issuer:
            return None
        problems: list[str] = []
        problems += _url_problems("LOADSCOUT_OIDC_ISSUER", issuer)
        base = (settings.oidc_public_url.strip() or public_url).rstrip("/")
        # plain http for browsers only where the operator already chose it for the session cookie
        problems += _url_problems(
            "LOADSCOUT_OIDC_PUBLIC_URL", base, allow_http=not settings.cookie_secure
        )
        client_id = settings.oidc_client_id.strip()
        if not client_id:
            problems.append(
                "LOADSCOUT_OIDC_CLIENT_ID is empty: set the client id the provider gave"
            )
        secret = settings.oidc_client_secret.get_secret_value()
        if not secret:
            problems.append(
                "LOADSCOUT_OIDC_CLIENT_SECRET is empty: set the client secret the provider gave"
            )
        scopes = settings.oidc_scopes.split()
        if "openid" not in scopes:
            problems.append("LOADSCOUT_OIDC_SCOPES must include 'openid'")
        if not settings.oidc_groups_claim.strip():
            problems.append("LOADSCOUT_OIDC_GROUPS_CLAIM is empty: name the groups claim")
        grants, map_problems = parse_role_map(settings.oidc_role_map)
        problems += map_problems
        if problems:
            raise BadInput("single sign-on is misconfigured:\n  " + "\n  ".join(problems))
        return cls(
            issuer=issuer,
            client_id=client_id,
            client_secret=secret,
            scopes=" ".join(scopes),
            groups_claim=settings.oidc_groups_claim.strip(),
            grants=grants,
            admin_group=settings.oidc_instance_admin_group.strip() or None,
            redirect_uri=base + CALLBACK_PATH,
            display_name=settings.oidc_display_name.strip() or "SSO",
        )


def parse_role_map(text: str) -> tuple[tuple[Grant, ...], list[str]]:
    """The entries of ``group=team:role,...`` and one problem per malformed entry."""
    grants: list[Grant] = []
    problems: list[str] = []
    for raw in text.split(","):
        entry = raw.strip()
        if not entry:
            continue
        group, eq, rest = entry.partition("=")
        team, colon, role = rest.rpartition(":")
        where = f"LOADSCOUT_OIDC_ROLE_MAP entry {entry!r}"
        if not eq or not colon or not group.strip() or not team.strip():
            problems.append(f"{where} is not group=team:role (e.g. lt-runners=default:runner)")
        elif role.strip() not in Role.__members__.values():
            problems.append(f"{where}: unknown role {role.strip()!r} (roles: {_ROLES})")
        else:
            grants.append(Grant(group=group.strip(), team=team.strip(), role=Role(role.strip())))
    return tuple(grants), problems


def team_roles(grants: tuple[Grant, ...], groups: list[str]) -> dict[str, Role]:
    """The role in each mapped team that these groups grant (the highest when several do)."""
    roles: dict[str, Role] = {}
    mine = set(groups)
    for grant in grants:
        held = roles.get(grant.team)
        if grant.group in mine and (held is None or grant.role.allows(held)):
            roles[grant.team] = grant.role
    return roles


def groups_of(claims: dict[str, object], claim: str) -> list[str]:
    """The groups a claim lists; a single string counts as one group, anything else as none."""
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [g for g in value if isinstance(g, str)]
    return []


def safe_next(target: str | None) -> str:
    """A path on this server to go to after signing in; anything else (another origin, a
    scheme, ``//host``, a backslash trick) becomes ``/``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 0x20 for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _url_problems(name: str, url: str, *, allow_http: bool = False) -> list[str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [f"{name} {url!r} is not an http(s) URL"]
    if parts.scheme == "http" and not allow_http and not _loopback(parts.hostname):
        return [f"{name} {url!r} must use https (plain http only on a loopback address)"]
    return []


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
