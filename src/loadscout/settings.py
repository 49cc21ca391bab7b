"""Settings from the environment (``LOADSCOUT_*``), built once and passed down."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    path = Path.home() / ".local" / "share" / "loadscout" / "loadscout.db"
    return f"sqlite+aiosqlite:///{path}"


def default_chromium() -> str | None:
    """Debian's chromium when present; None lets Playwright use its own downloaded browser."""
    for candidate in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOADSCOUT_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    chromium_path: str | None = Field(default_factory=default_chromium)
    max_concurrent_runs: int = Field(default=2, ge=1)
    # Service limits and lifecycle (`loadscout serve`); see docs/deployment.md.
    max_users_per_run: int = Field(default=10_000, ge=1)
    max_duration_s: float = Field(default=86_400.0, gt=0)
    max_browser_pages: int = Field(default=4, ge=1)
    trusted_hosts: str = Field(
        default="",
        description="Comma-separated Host names the server answers (default: loopback names; "
        "add the name people use on a LAN; * for any)",
    )
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        description="Largest request body the API reads (a flows file included); larger: 413",
    )
    load_workers: int | None = Field(
        default=None, ge=0, le=256, description="Load processes per run; 0 = in the server"
    )
    ray_address: str | None = Field(
        default=None,
        description="Ray cluster that runs go to unless they name one (auto, HOST:PORT, "
        "ray://HOST:PORT; docs/cluster.md)",
    )
    allowed_targets: str = Field(
        default="", description="Comma-separated host or host:port a run may target; empty = any"
    )
    mode: Literal["local", "team"] = Field(
        default="local",
        description="local = single-user install, loopback/private targets allowed; team = "
        "shared deployment, special addresses (loopback, private, link-local...) refused unless "
        "allowed",
    )
    egress_allow: str = Field(
        default="",
        description="Comma-separated CIDRs, addresses or host names reachable even in team mode",
    )
    allow_file_options: bool = Field(
        default=False, description="Let API callers name files on the server (data_file, ...)"
    )
    free_users: int = Field(
        default=10, ge=0, description="Team mode: users a run may have without a verified target"
    )
    free_duration_s: float = Field(
        default=60.0, ge=0, description="Team mode: seconds a run may last without one"
    )
    verified_targets: str = Field(
        default="",
        description="Team mode: comma-separated hosts and CIDRs that need no ownership proof",
    )
    cookie_secure: bool = Field(
        default=True,
        description="Mark the session cookie Secure (with the __Host- prefix); false only for a "
        "server reached over plain HTTP on a LAN (loopback counts as secure)",
    )
    # Single sign-on (OpenID Connect); see docs/sso.md. Empty issuer: SSO off.
    oidc_issuer: str = Field(
        default="",
        description="The OpenID provider's issuer URL (its /.well-known/openid-configuration is "
        "read from there); empty = no single sign-on",
    )
    oidc_client_id: str = Field(default="", description="This server's client id at the provider")
    oidc_client_secret: SecretStr = Field(
        default=SecretStr(""), description="This server's client secret at the provider"
    )
    oidc_scopes: str = Field(
        default="openid email profile groups",
        description="Scopes asked for, space-separated (drop 'groups' for a provider without it)",
    )
    oidc_groups_claim: str = Field(
        default="groups", description="The ID token / userinfo claim listing the user's groups"
    )
    oidc_role_map: str = Field(
        default="",
        description="Provider group to team and role, comma-separated group=team:role entries, "
        "e.g. 'lt-admins=default:admin,lt-runners=default:runner'; roles: viewer, runner, admin",
    )
    oidc_instance_admin_group: str = Field(
        default="",
        description="Members of this provider group are instance admins (checked at each "
        "sign-in); empty = SSO never grants or removes instance admin",
    )
    oidc_public_url: str = Field(
        default="",
        description="Where browsers reach this server (https://loadscout.example.com); the "
        "redirect URI is <this>/api/v1/auth/oidc/callback; default: the address serve listens on",
    )
    oidc_display_name: str = Field(
        default="SSO", description="The provider's name on the sign-in button"
    )
    oidc_state_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Signs the short-lived sign-in state cookie; set the same value on every "
        "server behind one address (default: random per process)",
    )
    login_limit_per_ip: str = Field(
        default="30/minute", description="Failed sign-ins allowed per client address"
    )
    login_limit_per_account: str = Field(
        default="10/10 minutes", description="Failed sign-ins allowed per account"
    )
    lease_s: float = Field(default=15.0, gt=0, description="A claimed run's lease in the queue")
    queue_poll_s: float = Field(default=0.5, gt=0)
    series_flush_s: float = Field(default=1.0, gt=0, description="Live series write interval")
    run_timeout_s: float = Field(default=6 * 3600.0, gt=0)
    phase_timeout_grace_s: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=2, ge=1, le=10)
    retention_days: float | None = Field(default=None, gt=0)
    artifacts_dir: Path | None = Field(
        default=None,
        description="Files runs produce (page thumbnails); default: beside the SQLite database",
    )

    def artifacts_root(self) -> Path:
        """Where per-run folders go: the setting, else ``artifacts/`` beside a SQLite file,
        else ``~/.local/share/loadscout/artifacts``."""
        if self.artifacts_dir is not None:
            return self.artifacts_dir
        prefix = "sqlite+aiosqlite:///"
        db = self.database_url.removeprefix(prefix).split("?")[0]
        if self.database_url.startswith(prefix) and db and db != ":memory:":
            return Path(db).expanduser().parent / "artifacts"
        return Path.home() / ".local" / "share" / "loadscout" / "artifacts"

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, v: str) -> str:
        if not v.startswith(
            ("sqlite+aiosqlite://", "postgresql+asyncpg://", "postgresql+psycopg://")
        ):
            raise ValueError(
                "LOADSCOUT_DATABASE_URL must start with sqlite+aiosqlite://, "
                "postgresql+asyncpg:// or postgresql+psycopg://"
            )
        return v
