"""Jinja2 templates with the context every page needs (session, cart size, categories)."""

from __future__ import annotations

from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from loadscout.demo.state import ShopSession, ShopState


def money(cents: int) -> str:
    return f"€{cents // 100}.{cents % 100:02d}"


def _common_context(request: Request) -> dict[str, Any]:
    shop: ShopState = request.app.state.shop
    session: ShopSession = request.state.session
    return {
        "session": session,
        "csrf_token": session.csrf_token,
        "user": session.username,
        "categories": shop.catalog.categories,
    }


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("loadscout.demo", "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["money"] = money
    return Jinja2Templates(env=env, context_processors=[_common_context])


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)
