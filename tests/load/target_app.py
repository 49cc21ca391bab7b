"""A tiny aiohttp.web target for load engine tests; it counts every request it serves."""

from __future__ import annotations

import asyncio
import secrets
import ssl
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

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
    given: set[str] = field(default_factory=set)  # tokens /token gave that /use did not take
    hung_up: int = 0  # /hang requests whose client closed the connection before an answer


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

    def session(request: web.Request, token: object) -> str | None:
        """The session's id when its cookie came with the csrf token it was last given."""
        sid = _sid(request)
        return sid if sid is not None and state.tokens.get(sid) == token else None

    async def account(request: web.Request) -> web.Response:
        """With the csrf token in ``X-Csrf``; the session id is then rotated (a new ``sid``
        cookie, the old one void), as after a change of privilege."""
        old_sid = session(request, request.headers.get("X-Csrf"))
        if old_sid is None:
            return web.Response(status=403, text="no session, or not its current token")
        sid = secrets.token_hex(8)
        state.tokens[sid] = state.tokens.pop(old_sid)
        resp = web.json_response({"sid": sid})
        resp.set_cookie("sid", sid)
        return resp

    async def order(request: web.Request) -> web.Response:
        form = await request.post()
        if session(request, form.get("csrf_token")) is None:
            return web.Response(status=403, text="no session, or not its current token")
        state.bodies.append(dict(form))
        return web.Response(text="order=ORD-991;")

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
    _add_misbehaving(app, state)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_get("/account", account)
    app.router.add_post("/order", order)
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


def _add_misbehaving(app: web.Application, state: TargetState) -> None:
    """Routes that misbehave on some requests, numbered as the server counts them: ``/token``
    leaves the token out of every 3rd answer; ``/use`` wants (``X-Token``) a token
    ``/token`` gave and that was not used yet (else 403), and fails every 4th with a 500;
    ``/stall?at=N`` holds the N-th for 3 s; ``/hang?after=N`` holds every one after the
    N-th until its client hangs up (10 s at most)."""

    def nth(request: web.Request) -> int:
        return state.counts[f"{request.method} {request.path}"]

    async def token(request: web.Request) -> web.Response:
        n = nth(request)
        if n % 3 == 0:
            return web.Response(text="no token this time")
        state.given.add(f"tok-{n}")
        return web.Response(text=f"token=tok-{n};")

    async def use(request: web.Request) -> web.Response:
        token = request.headers.get("X-Token", "")
        if token not in state.given:
            return web.Response(status=403, text="not a token given, or used already")
        state.given.discard(token)
        return web.Response(status=500 if nth(request) % 4 == 0 else 200, text="used")

    async def stall(request: web.Request) -> web.Response:
        if nth(request) == int(request.query["at"]):
            await asyncio.sleep(3)
        return web.Response(text="ok")

    async def hang(request: web.Request) -> web.Response:
        if nth(request) > int(request.query["after"]):
            for _ in range(500):
                if request.transport is None:  # the connection is gone
                    state.hung_up += 1
                    break
                await asyncio.sleep(0.02)
        return web.Response(text="ok")

    app.router.add_get("/token", token)
    app.router.add_get("/use", use)
    app.router.add_get("/stall", stall)
    app.router.add_get("/hang", hang)


def server_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    """A server's TLS context for ``cert`` (its certificate and key files)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*cert)
    return context


@asynccontextmanager
async def running_target(context: ssl.SSLContext | None = None) -> AsyncIterator[Target]:
    """Serve the app on 127.0.0.1 on a free port for the duration of the block (over TLS
    with ``context``)."""
    state = TargetState()
    runner = web.AppRunner(make_app(state), access_log=None, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    scheme = "https" if context is not None else "http"
    try:
        port = runner.addresses[0][1]
        yield Target(url=f"{scheme}://127.0.0.1:{port}", state=state)
    finally:
        await runner.cleanup()
