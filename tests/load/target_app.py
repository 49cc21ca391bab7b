"""A tiny aiohttp.web target for load engine tests; it counts every request it serves."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Handler

LOGIN_PAGE = """<!doctype html><html><body>
<form action="/login" method="post">
  <input type="hidden" name="csrf_token" value="{token}">
  <input name="username"><button type="submit">Sign in</button>
</form><p class="greeting">  Hello,   visitor </p></body></html>"""


PAGE = """<!doctype html><html><head><link rel="stylesheet" href="/static/a.css">
<script src="static/b.js"></script></head><body><img src="/static/c.png#top">
<img src="/static/a.css"><img src="/static/missing.png"><img src="data:image/png;base64,AA">
<img src="http://other.invalid/x.png"></body></html>"""


@dataclass
class Seen:
    """One request as the server saw it."""

    at: float
    method: str
    path: str
    vu: str | None
    sid: str | None


@dataclass
class TargetState:
    counts: Counter[str] = field(default_factory=Counter)  # "METHOD /path" -> served
    seen: list[Seen] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # sid -> csrf token issued
    bodies: list[object] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)  # usernames that signed in


@dataclass
class Target:
    url: str
    state: TargetState

    def count(self, method: str, path: str) -> int:
        return self.state.counts[f"{method} {path}"]

    @property
    def total(self) -> int:
        return sum(self.state.counts.values())


def _sid(request: web.Request) -> str | None:
    return request.cookies.get("sid")


def make_app(state: TargetState) -> web.Application:
    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        state.counts[f"{request.method} {request.path}"] += 1
        seen = Seen(
            time.monotonic(),
            request.method,
            request.path,
            request.headers.get("X-VU"),
            _sid(request),
        )
        state.seen.append(seen)
        return await handler(request)

    async def login_page(request: web.Request) -> web.Response:
        sid = _sid(request) or secrets.token_hex(8)
        token = state.tokens[sid] = secrets.token_hex(8)
        resp = web.Response(text=LOGIN_PAGE.format(token=token), content_type="text/html")
        resp.set_cookie("sid", sid)
        return resp

    async def login(request: web.Request) -> web.Response:
        form = await request.post()
        sid = _sid(request)
        if sid is None or state.tokens.get(sid) != form.get("csrf_token"):
            return web.Response(status=403, text="bad csrf token")
        state.logins.append(str(form.get("username")))
        raise web.HTTPFound("/home")

    async def home(request: web.Request) -> web.Response:
        sid = _sid(request)
        if sid is None:
            return web.Response(status=401, text="no session")
        return web.json_response({"sid": sid, "items": [{"id": 7}, {"id": 8}]})

    async def api(request: web.Request) -> web.Response:
        payload = {"data": {"items": [{"id": 41, "name": "a"}, {"id": 42, "name": "b"}]}}
        return web.json_response(payload, headers={"X-Request-Id": "req-123"})

    async def echo(request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            state.bodies.append(await request.json())
        elif request.content_type == "application/x-www-form-urlencoded":
            state.bodies.append(dict(await request.post()))
        else:
            state.bodies.append(await request.text())
        return web.Response(text="order=ORD-991;")

    async def delay(request: web.Request) -> web.Response:
        await asyncio.sleep(float(request.query.get("s", "0.2")))
        return web.Response(text="slept")

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="status")

    async def plain(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def go(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["to"])

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def static(request: web.Request) -> web.Response:
        if request.match_info["name"] == "missing.png":
            return web.Response(status=404, text="no")
        return web.Response(text="/* asset */")

    app = web.Application(middlewares=[count])
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_get("/home", home)
    app.router.add_get("/api/items", api)
    app.router.add_post("/echo", echo)
    app.router.add_get("/delay", delay)
    app.router.add_get("/status/{code}", status)
    app.router.add_get("/page", page)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/a", plain)
    app.router.add_get("/go", go)
    app.router.add_get("/b", plain)
    app.router.add_get("/c", plain)
    return app


@asynccontextmanager
async def running_target() -> AsyncIterator[Target]:
    """Serve the app on 127.0.0.1 on a free port for the duration of the block."""
    state = TargetState()
    runner = web.AppRunner(make_app(state), access_log=None, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        yield Target(url=f"http://127.0.0.1:{port}", state=state)
    finally:
        await runner.cleanup()
