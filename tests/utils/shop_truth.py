"""What the demo shop really has, read from its own routes and templates: the ground truth
discovery's coverage is measured against.

The third-party-shaped sections of ``routes/cases.py`` (tracker, records, explorer) are not
linked from the shop: they have their own start pages and their own truth (``case_*``).
"""

from __future__ import annotations

import re
from importlib import resources
from types import ModuleType

from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from loadscout.demo.routes import account, api, app_streams, cart, cases, extras, shop, spa

_MODULES = (shop, account, cart, api, extras, spa, app_streams)
_FORM = re.compile(r"<form\b[^>]*\baction=\"([^\"]+)\"", re.IGNORECASE)


def html_page_routes() -> list[str]:
    """Path templates of every GET route of the shop that answers with an HTML page."""
    return _html_routes(_MODULES)


def case_page_routes(prefix: str) -> list[str]:
    """The HTML page routes of one section of ``routes/cases.py`` (``/records``…)."""
    return [p for p in _html_routes((cases,)) if p.startswith(prefix)]


def _html_routes(modules: tuple[ModuleType, ...]) -> list[str]:
    return sorted(
        route.path
        for module in modules
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
        if page.name.endswith(".html") and not page.name.startswith("case_")
        for action in _FORM.findall(page.read_text())
    }
