"""The FastAPI application factory: API under /api/v1, the dashboard (when built) at /."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import RedirectResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from loadscout import __version__
from loadscout.api import access_log, errors
from loadscout.api.auth import need
from loadscout.api.body_limit import BodyLimit
from loadscout.api.login_limits import LoginLimits
from loadscout.api.oidc import install_sso
from loadscout.api.routers import (
    artifacts,
    audit,
    auth,
    oidc,
    profiles,
    reports,
    run_data,
    runs,
    shapes,
    targets,
    teams,
    thresholds,
    tokens,
    users,
)
from loadscout.api.routers import health as probes
from loadscout.api.same_origin import SameOriginWrites
from loadscout.api.static import SPAStaticFiles
from loadscout.orchestrator.control import RunControl
from loadscout.orchestrator.control_config import ControlConfig
from loadscout.principals import Role
from loadscout.settings import Settings
from loadscout.store.accounts import AccountRepository
from loadscout.store.audit import AuditLog
from loadscout.store.database import open_database
from loadscout.store.queue import RunQueue
from loadscout.store.runs import RunRepository
from loadscout.store.secrets import new_session_secret
from loadscout.store.series import SeriesRepository
from loadscout.store.targets import TargetRepository
from loadscout.store.teams import TeamRepository
from loadscout.store.tokens import TokenRepository

API_PREFIX = "/api/v1"
DESCRIPTION = (
    "Start, queue, watch and keep load-test runs. Runs wait in a queue in the database and "
    "are claimed by any `loadscout serve` sharing it; `/healthz`, `/readyz` and `/metrics` "
    "(Prometheus) sit outside `/api/v1`."
)


def trusted_hosts(setting: str) -> list[str]:
    """The Host names the server answers: the setting's, else this machine's loopback names
    (``*`` answers any, for a server behind a proxy that checks)."""
    given = [h.strip() for h in setting.split(",") if h.strip()]
    return given or ["localhost", "127.0.0.1", "[::1]", "::1"]


def create_app(
    settings: Settings,
    *,
    dashboard_dir: Path | None = None,
    config: ControlConfig | None = None,
    public_url: str = "http://127.0.0.1:8000",
) -> FastAPI:
    """The app; ``config`` overrides how the queue runs (tests), else it comes from settings.
    ``public_url`` is where people reach it, for the first admin's set-up link."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_database(settings.database_url) as sessions:
            app.state.repo = RunRepository(sessions)
            app.state.series = SeriesRepository(sessions)
            app.state.accounts = AccountRepository(sessions)
            app.state.teams = TeamRepository(sessions)
            app.state.tokens = TokenRepository(sessions)
            app.state.audit = AuditLog(sessions)
            app.state.targets = TargetRepository(sessions)
            app.state.setup_secret = await _setup_link(app.state.accounts, public_url)
            app.state.control = RunControl(
                repo=app.state.repo,
                queue=RunQueue(sessions),
                series=app.state.series,
                config=config or ControlConfig.from_settings(settings),
                targets=app.state.targets,
            )
            await app.state.control.start()
            try:
                yield
            finally:
                await app.state.control.shutdown()

    app = FastAPI(
        title="loadscout",
        description=DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.cookie_secure = settings.cookie_secure
    app.state.setup_secret = None
    app.state.login_limits = LoginLimits(
        per_ip=settings.login_limit_per_ip, per_account=settings.login_limit_per_account
    )
    signed_in = [Depends(need(Role.VIEWER))]
    app.include_router(auth.router, prefix=API_PREFIX)
    app.include_router(oidc.router, prefix=API_PREFIX)
    app.include_router(users.router, prefix=API_PREFIX)
    app.include_router(teams.router, prefix=API_PREFIX)
    app.include_router(tokens.router, prefix=API_PREFIX)
    app.include_router(audit.router, prefix=API_PREFIX)
    app.include_router(targets.router, prefix=API_PREFIX)
    app.include_router(runs.router, prefix=API_PREFIX)
    app.include_router(run_data.router, prefix=API_PREFIX)
    app.include_router(artifacts.router, prefix=API_PREFIX)
    app.include_router(reports.router, prefix=API_PREFIX)
    app.include_router(shapes.router, prefix=API_PREFIX, dependencies=signed_in)
    app.include_router(profiles.router, prefix=API_PREFIX, dependencies=signed_in)
    app.include_router(thresholds.router, prefix=API_PREFIX, dependencies=signed_in)
    app.include_router(probes.router)
    errors.install(app)
    access_log.install()
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SameOriginWrites)
    install_sso(app, settings, public_url=public_url)
    hosts = trusted_hosts(settings.trusted_hosts)
    if hosts != ["*"]:  # a foreign Host header: DNS rebinding, or a misdirected request
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)

    if dashboard_dir is not None and (dashboard_dir / "index.html").exists():
        app.mount("/", SPAStaticFiles(directory=dashboard_dir, html=True), name="dashboard")
    else:

        @app.get("/", include_in_schema=False)
        async def root() -> RedirectResponse:
            return RedirectResponse("/api/docs")

    return app


async def _setup_link(accounts: AccountRepository, public_url: str) -> str | None:
    """With no account yet, a one-time secret for the first admin, printed as a link (its
    fragment never reaches a server log); None once someone can sign in."""
    if await accounts.count_users() > 0:
        return None
    secret = new_session_secret()
    link = f"{public_url.rstrip('/')}/setup#token={secret}"
    print(
        "\nNo account exists yet. Open this one-time link to choose the first admin's "
        f"password:\n\n    {link}\n\n(or, without a browser: loadscout users create --admin)\n",
        flush=True,
    )
    return secret
