"""Settings from the environment (``LOADSCOUT_*``), built once and passed down."""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import Field, field_validator
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
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    chromium_path: str | None = Field(default_factory=default_chromium)
    max_concurrent_runs: int = Field(default=2, ge=1)

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
