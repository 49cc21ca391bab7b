"""The FastAPI application factory: API under /api/v1, the dashboard (when built) at /."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from loadscout import __version__
from loadscout.api.routers import runs
from loadscout.api.static import SPAStaticFiles
from loadscout.orchestrator.control import RunControl
from loadscout.settings import Settings
from loadscout.store.database import make_engine, make_session_factory, upgrade
from loadscout.store.runs import RunRepository

API_PREFIX = "/api/v1"


def create_app(settings: Settings, *, dashboard_dir: Path | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        app.state.repo = RunRepository(make_session_factory(engine))
        app.state.control = RunControl(
            repo=app.state.repo,
            max_concurrent=settings.max_concurrent_runs,
            chromium_path=settings.chromium_path,
        )
        try:
            yield
        finally:
            await app.state.control.shutdown()
            await engine.dispose()

    app = FastAPI(
        title="loadscout",
        version=__version__,
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.include_router(runs.router, prefix=API_PREFIX)

    @app.get("/api/health", tags=["health"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    if dashboard_dir is not None and (dashboard_dir / "index.html").exists():
        app.mount("/", SPAStaticFiles(directory=dashboard_dir, html=True), name="dashboard")
    else:

        @app.get("/", include_in_schema=False)
        async def root() -> RedirectResponse:
            return RedirectResponse("/api/docs")

    return app
