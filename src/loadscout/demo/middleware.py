"""ASGI middlewares: count requests per route template; attach the visitor's session."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loadscout.demo.state import ShopSession, ShopState

SESSION_COOKIE = "shop_session"
STATS_PREFIX = "/__stats"
UNMATCHED = "(unmatched)"
CATALOGUE_PREFIX = "/catalogue"


def hit_key(scope: Scope) -> str:
    """``"GET /products/{id}"`` when routed, ``"GET (unmatched)"`` for a 404 without a route;
    a WebSocket connection counts as ``"WS <path>"``."""
    route_path = getattr(scope.get("route"), "path", None)
    return f"{scope.get('method', 'WS')} {route_path or UNMATCHED}"


class HitCounter:
    """Counts when the response starts (a socket: when accepted or refused), so a client that
    has the response also sees the count."""

    def __init__(self, app: ASGIApp, *, shop: ShopState) -> None:
        self.app = app
        self.shop = shop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(STATS_PREFIX):
            await self.app(scope, receive, send)
            return
        counted = False

        async def counting_send(message: Message) -> None:
            nonlocal counted
            if not counted:  # the first message starts the response or answers the handshake
                counted = True
                self.shop.hits[hit_key(scope)] += 1
                if scope["path"].startswith(CATALOGUE_PREFIX):
                    query = scope.get("query_string", b"").decode("latin-1")
                    self.shop.catalogue_urls[scope["path"] + (f"?{query}" if query else "")] += 1
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if not counted:
                self.shop.hits[hit_key(scope)] += 1


def _cookie_value(scope: Scope, name: str) -> str | None:
    for key, value in scope["headers"]:
        if key == b"cookie":
            morsel = SimpleCookie(value.decode("latin-1")).get(name)
            if morsel is not None:
                return morsel.value
    return None


def session_cookie_header(session: ShopSession) -> tuple[bytes, bytes]:
    value = f"{SESSION_COOKIE}={session.id}; Path=/; HttpOnly; SameSite=Lax"
    return b"set-cookie", value.encode("latin-1")


class SessionAttacher:
    """Puts the (maybe new) session in ``request.state.session``; sets the cookie if it changed.

    Routes replace ``request.state.session`` to rotate it (login, logout); the new id is sent then.
    """

    def __init__(self, app: ASGIApp, *, shop: ShopState) -> None:
        self.app = app
        self.shop = shop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(STATS_PREFIX):
            await self.app(scope, receive, send)
            return
        sent_id = _cookie_value(scope, SESSION_COOKIE)
        state = scope.setdefault("state", {})
        state["session"] = self.shop.sessions.get(sent_id) or self.shop.sessions.create()

        async def cookie_send(message: Message) -> None:
            session: ShopSession = state["session"]
            if message["type"] == "http.response.start" and session.id != sent_id:
                message = {
                    **message,
                    "headers": [*message["headers"], session_cookie_header(session)],
                }
            await send(message)

        await self.app(scope, receive, cookie_send)
