"""A tiny aiohttp site with every trap discovery must handle, served on 127.0.0.1 port 0."""

from __future__ import annotations

import asyncio
import functools
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

CSRF = secrets.token_hex(16)
Handler = Callable[[web.Request], Awaitable[web.Response]]
HITS = web.AppKey("hits", Counter[str])
HOME = f"""<!doctype html><html><head><title>Home</title></head><body>
<a href="/about">About us</a> <a href="/items/1">Item 1</a> <a href="/items/2">Item 2</a>
<a href="/items/3">Item 3</a> <a href="/items/4">Item 4</a> <a href="/items/5">Item 5</a>
<a href="/logout">Log out</a> <a href="/settings/reset">Start over</a>
<a href="mailto:a@example.com">mail</a> <a href="javascript:void(0)">js</a> <a href="#top">top</a>
<a href="tel:+15555550100">call</a> <a href="https://other.example/">elsewhere</a>
<a href="/files/report.pdf">report</a> <a href="/export" download>export</a>
<a href="/a/a">deep</a> <a href="/cal?month=2026-01">calendar</a> <a href="/dialog">dialog</a>
<a href="/broken">broken</a> <a href="/live">live</a> <a href="/busy">busy</a>
<form action="/find" method="get"><input name="q" required><button>Search</button></form>
<form action="/signin" method="post"><input type="hidden" name="csrf_token" value="{CSRF}">
 <input name="username" required><input type="password" name="password" required>
 <button type="submit">Sign in</button></form>
<form action="/account/delete" method="post"><input type="hidden" name="csrf_token" value="{CSRF}">
 <button type="submit">Delete my account</button></form>
<form action="/comments" method="post"><textarea name="comment"></textarea>
 <button>Post</button></form>
</body></html>"""
ABOUT = """<!doctype html><html><body><p id="info"></p><a href="/">home</a>
<script>fetch('/api/info').then(r => r.json()).then(d => info.textContent = d.name);
fetch('/api/track', {method: 'POST', body: 'x'}).catch(() => {});</script></body></html>"""
DIALOG = """<!doctype html><html><body><p id="out"></p>
<script>document.getElementById('out').textContent = confirm('Sure?') ? 'yes' : 'no';</script>
</body></html>"""


LIVE = """<!doctype html><html><body><p id="n">0</p><script>
const events = new EventSource('/events');
events.onmessage = (e) => { document.getElementById('n').textContent = e.data; };
const socket = new WebSocket('ws://' + location.host + '/ws');
</script></body></html>"""


async def events(request: web.Request) -> web.StreamResponse:
    """A server-sent event stream that stays open (bounded): it must not keep a page busy."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for i in range(10):
        await response.write(f"data: {i}\n\n".encode())
        await asyncio.sleep(0.2)
    return response


async def socket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str("hello")
    await asyncio.sleep(1)
    await ws.close()
    return ws


BUSY = """<!doctype html><html><body><p id="n"></p><script>
setInterval(() => fetch('/api/info').then(r => r.json()).then(d => n.textContent = d.name), 100);
</script></body></html>"""


def _page(body: str) -> web.Response:
    return web.Response(
        text=f"<!doctype html><html><body>{body}</body></html>", content_type="text/html"
    )


async def home(_: web.Request) -> web.Response:
    return web.Response(text=HOME, content_type="text/html")


async def about(_: web.Request) -> web.Response:
    return web.Response(text=ABOUT, content_type="text/html")


async def item(request: web.Request) -> web.Response:
    n = int(request.match_info["n"])
    return _page(f'<h1>Item {n}</h1><a href="/items/{n + 1}">next</a>')


async def deep(request: web.Request) -> web.Response:
    return _page(f'<a href="{request.path}/a">deeper</a>')


async def calendar(request: web.Request) -> web.Response:
    year, month = map(int, request.query.get("month", "2026-01").split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _page(f'<a href="/cal?month={year:04d}-{month:02d}">next month</a>')


async def signin(request: web.Request) -> web.Response:
    data = await request.post()
    if data.get("csrf_token") != CSRF:
        return web.Response(status=403, text="bad token")
    raise web.HTTPSeeOther("/welcome")


def build_app() -> web.Application:
    app = web.Application()
    hits: Counter[str] = Counter()
    app[HITS] = hits

    @web.middleware
    async def count(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        resource = request.match_info.route.resource
        hits[f"{request.method} {resource.canonical if resource else request.path}"] += 1
        return await handler(request)

    app.middlewares.append(count)
    text = {
        "/welcome": "<h1>Welcome</h1>",
        "/find": "<p>results</p>",
        "/logout": "bye",
        "/settings/reset": "reset!",
    }
    for path, body in text.items():
        app.router.add_get(path, _fixed(functools.partial(_page, body)))
    app.router.add_get("/", home)
    app.router.add_get("/about", about)
    app.router.add_get(
        "/dialog", _fixed(lambda: web.Response(text=DIALOG, content_type="text/html"))
    )
    app.router.add_get("/api/info", _fixed(lambda: web.json_response({"name": "demo"})))
    app.router.add_post("/api/track", _fixed(lambda: web.json_response({})))
    app.router.add_get("/broken", _fixed(lambda: web.Response(status=500, text="boom")))
    app.router.add_get(r"/items/{n:\d+}", item)
    app.router.add_get(r"/a{rest:(/a)*}", deep)
    app.router.add_get("/cal", calendar)
    app.router.add_get("/live", _fixed(lambda: web.Response(text=LIVE, content_type="text/html")))
    app.router.add_get("/events", events)
    app.router.add_get("/busy", _fixed(lambda: web.Response(text=BUSY, content_type="text/html")))
    app.router.add_get("/ws", socket)
    app.router.add_post("/signin", signin)
    app.router.add_post("/account/delete", _fixed(lambda: _page("deleted")))
    app.router.add_post("/comments", _fixed(lambda: _page("thanks")))
    app.router.add_get("/json", _fixed(lambda: web.json_response({"a": 1})))
    png = _fixed(lambda: web.Response(body=b"\x89PNG", content_type="image/png"))
    app.router.add_get("/image.png", png)
    return app


def _fixed(make: Callable[[], web.Response]) -> Handler:
    async def handler(_: web.Request) -> web.Response:
        return make()

    return handler


@dataclass(frozen=True, slots=True)
class Site:
    url: str
    hits: Counter[str]
    tokens: dict[str, str] = field(default_factory=dict)  # token site: session id -> token

    def url_for(self, path: str) -> str:
        return self.url.rstrip("/") + path


TOKENS = web.AppKey("tokens", dict[str, str])


async def token_home(request: web.Request) -> web.Response:
    """Links /next with a token made for this session (cookie ``sid``), and /r with a nonce a
    script makes up (no response holds it)."""
    tokens = request.app[TOKENS]
    sid = request.cookies.get("sid") or secrets.token_hex(8)
    tokens.setdefault(sid, f"s{secrets.token_hex(10)}7")
    script = "<script>r.href = '/r?nonce=' + crypto.randomUUID();</script>"
    response = _page(f'<a href="/next?token={tokens[sid]}">next</a> <a id="r">r</a>{script}')
    response.set_cookie("sid", sid)
    return response


async def token_next(request: web.Request) -> web.Response:
    """Only the token this session's home page gave is accepted."""
    expected = request.app[TOKENS].get(request.cookies.get("sid", ""))
    if expected is None or request.query.get("token") != expected:
        return web.Response(status=403, text="stale or foreign token")
    return _page("<h1>Next</h1>")


def build_token_app() -> web.Application:
    """A site whose link carries a per-session token the server checks."""
    app = web.Application()
    app[HITS] = Counter()
    app[TOKENS] = {}
    app.router.add_get("/", token_home)
    app.router.add_get("/next", token_next)
    app.router.add_get("/r", _fixed(lambda: _page("<h1>R</h1>")))
    return app


@asynccontextmanager
async def running_site(
    make_app: Callable[[], web.Application] = build_app,
) -> AsyncIterator[Site]:
    app = make_app()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        yield Site(url=f"http://127.0.0.1:{port}/", hits=app[HITS], tokens=app.get(TOKENS, {}))
    finally:
        await runner.cleanup()
