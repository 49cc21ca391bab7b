"""What the demo shop really has, read from its own routes and templates: the ground truth
discovery's coverage is measured against."""

from __future__ import annotations

import re
from importlib import resources

from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from loadscout.demo.routes import account, api, app_streams, cart, extras, shop, spa

_MODULES = (shop, account, cart, api, extras, spa, app_streams)
_FORM = re.compile(r"<form\b[^>]*\baction=\"([^\"]+)\"", re.IGNORECASE)


def html_page_routes() -> list[str]:
    """Path templates of every GET route that answers with an HTML page."""
    return sorted(
        route.path
        for module in _MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute)
        and "GET" in route.methods
        and route.response_class is HTMLResponse
    )


def route_regex(path: str) -> re.Pattern[str]:
    """``/products/{id}`` matches ``/products/17`` and discovery's ``/products/{num}``."""
    parts = re.split(r"(\{[^}]+\})", path)
    body = "".join(
        (".+" if part.endswith(":path}") else "[^/]+") if part.startswith("{") else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{body}$")


def form_actions() -> set[str]:
    """The ``action`` of every ``<form>`` in the shop's templates."""
    templates = resources.files("loadscout.demo") / "templates"
    return {
        action
        for page in templates.iterdir()
        if page.name.endswith(".html")
        for action in _FORM.findall(page.read_text())
    }
