"""The demo shop's app factory: every call builds an independent shop with its own state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from loadscout.demo.catalog import build_catalog
from loadscout.demo.middleware import HitCounter, SessionAttacher
from loadscout.demo.rendering import make_templates, render
from loadscout.demo.routes import (
    account,
    api,
    app_streams,
    cart,
    cases,
    catalogue,
    extras,
    shop,
    spa,
)
from loadscout.demo.state import ShopState

_TITLES = {400: "Bad request", 403: "Forbidden", 404: "Page not found", 405: "Method not allowed"}


async def _http_error(request: Request, exc: Exception) -> Response:
    """JSON under /api/, an HTML page everywhere else."""
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    detail = exc.detail if isinstance(exc, HTTPException) else "The request was not valid."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail}, status_code=status)
    title = _TITLES.get(status, "Error")
    return render(request, "message.html", status_code=status, title=title, message=detail)


def create_demo_app(*, today: Callable[[], date] = date.today) -> FastAPI:
    """Build a fresh shop; ``today`` is the clock for checkout dates and the calendar.

    Request counts live in ``app.state.hits`` (a ``Counter[str]`` keyed ``"GET /products/{id}"``;
    WebSocket connections as ``"WS /app/ws/ticker"``).
    """
    app = FastAPI(title="loadscout demo shop", docs_url=None, redoc_url=None, openapi_url=None)
    state = ShopState(catalog=build_catalog(), today=today)
    app.state.shop = state
    app.state.hits = state.hits
    app.state.templates = make_templates()
    for module in (
        shop,
        account,
        cart,
        api,
        extras,
        app_streams,
        cases,
        catalogue,
        spa,
    ):  # spa: catch-all /app
        app.include_router(module.router)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _http_error)
    app.add_middleware(SessionAttacher, shop=state)
    app.add_middleware(HitCounter, shop=state)  # added last = outermost: sees every request
    return app
