"""Who may call what, as data: (method, path) -> the least a caller needs. The tests in
test_authz_http.py are generated from it, and fail when a route has no row here."""

from __future__ import annotations

from typing import Literal

Need = Literal["public", "signed_in", "viewer", "runner", "admin", "instance_admin"]

MATRIX: dict[tuple[str, str], Need] = {
    ("GET", "/healthz"): "public",
    ("GET", "/readyz"): "public",
    ("GET", "/metrics"): "viewer",
    ("GET", "/api/v1/auth/setup"): "public",
    ("POST", "/api/v1/auth/setup"): "public",
    ("POST", "/api/v1/auth/login"): "public",
    ("GET", "/api/v1/auth/oidc"): "public",
    ("POST", "/api/v1/auth/logout"): "signed_in",
    ("GET", "/api/v1/auth/me"): "signed_in",
    ("POST", "/api/v1/auth/team"): "signed_in",
    ("GET", "/api/v1/users"): "instance_admin",
    ("POST", "/api/v1/users"): "instance_admin",
    ("GET", "/api/v1/teams"): "signed_in",
    ("POST", "/api/v1/teams"): "instance_admin",
    ("PUT", "/api/v1/teams/{team_id}/quotas"): "instance_admin",
    ("PUT", "/api/v1/teams/{team_id}/members"): "instance_admin",
    ("GET", "/api/v1/team"): "viewer",
    ("GET", "/api/v1/team/members"): "viewer",
    ("PUT", "/api/v1/team/members"): "admin",
    ("DELETE", "/api/v1/team/members/{user_id}"): "admin",
    ("GET", "/api/v1/tokens"): "admin",
    ("POST", "/api/v1/tokens"): "admin",
    ("DELETE", "/api/v1/tokens/{token_id}"): "admin",
    ("GET", "/api/v1/audit"): "admin",
    ("GET", "/api/v1/targets"): "viewer",
    ("POST", "/api/v1/targets"): "admin",
    ("POST", "/api/v1/targets/{target_id}/check"): "admin",
    ("DELETE", "/api/v1/targets/{target_id}"): "admin",
    ("POST", "/api/v1/runs"): "runner",
    ("GET", "/api/v1/runs"): "viewer",
    ("GET", "/api/v1/runs/{run_id}"): "viewer",
    ("DELETE", "/api/v1/runs/{run_id}"): "admin",
    ("POST", "/api/v1/runs/{run_id}/cancel"): "runner",
    ("POST", "/api/v1/runs/{run_id}/rerun"): "runner",
    ("GET", "/api/v1/runs/{run_id}/result"): "viewer",
    ("GET", "/api/v1/runs/{run_id}/flows"): "viewer",
    ("PUT", "/api/v1/runs/{run_id}/flows"): "runner",
    ("GET", "/api/v1/runs/{run_id}/events"): "viewer",
    ("GET", "/api/v1/runs/{run_id}/metrics"): "viewer",
    ("GET", "/api/v1/runs/{run_id}/screenshots/{name}"): "viewer",
    ("GET", "/api/v1/runs/{run_id}/report.{fmt}"): "viewer",
    ("POST", "/api/v1/shapes/preview"): "viewer",
    ("POST", "/api/v1/profiles/preview"): "viewer",
    ("POST", "/api/v1/thresholds/check"): "viewer",
}

_RANK = {"viewer": 0, "runner": 1, "admin": 2}


def allowed(need: Need, *, role: str | None, instance_admin: bool) -> bool:
    """Whether a caller (role None: anonymous; "none": signed in, in no team) passes."""
    if need == "public":
        return True
    if role is None:
        return False
    if need == "signed_in":
        return True
    if need == "instance_admin":
        return instance_admin
    return role in _RANK and _RANK[role] >= _RANK[need]
