"""A catalogue target for journey tests: 300 items, paginated lists, details, a search, and a
checkout that must be taken in order (its start sets a cart cookie and a token the confirmation
must carry), and a review form posted from an item's page.

It counts every URL it serves (path and query), so tests compare the spread of what virtual
users requested against the server's own record, not loadscout's; and it logs each visitor's
requests in order (a ``visitor`` cookie, given with the first answer, tells visitors apart).
"""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Handler

ITEMS = 300
PAGE_SIZE = 20
WORDS = ("amber", "birch", "cobalt", "dune", "ember", "fjord", "garnet", "harbor", "indigo", "jade")


def item_name(n: int) -> str:
    return f"{WORDS[n % len(WORDS)].title()} lamp {n}"


@dataclass
class Catalogue:
    url: str
    served: Counter[str] = field(default_factory=Counter)  # "/path?query" -> count
    search_hits: list[int] = field(default_factory=list)  # results per search
    carts: dict[str, str] = field(default_factory=dict)  # cart cookie -> its token
    orders: int = 0  # confirmations with the right cart and token
    visits: dict[str, list[str]] = field(default_factory=dict)  # visitor -> "METHOD /path?q"
    reviews: list[dict[str, str]] = field(default_factory=list)  # the review forms posted
    hang_after: int | None = None  # requests after this many hang until their client hangs up
    hung_up: int = 0  # hanging requests whose client closed the connection

    def paths(self, prefix: str) -> Counter[str]:
        return Counter({u: n for u, n in self.served.items() if u.startswith(prefix)})


def _page(body: str) -> web.Response:
    return web.Response(
        text=f"<!doctype html><html><body>{body}</body></html>", content_type="text/html"
    )


def _links(ids: range | list[int]) -> str:
    return "".join(f'<li><a href="/items/{n}">{item_name(n)}</a></li>' for n in ids)


async def home(_: web.Request) -> web.Response:
    pages = "".join(f'<a href="/items?page={p}">page {p}</a> ' for p in range(1, 6))
    search = '<form action="/search"><input name="q"><button>Search</button></form>'
    return _page(f'<nav>{pages}</nav>{search}<a href="/logout">Sign out</a>')


async def items(request: web.Request) -> web.Response:
    pages = -(-ITEMS // PAGE_SIZE)
    page = min(max(int(request.query.get("page", "1")), 1), pages)
    first = (page - 1) * PAGE_SIZE + 1
    nav = "".join(f'<a href="/items?page={p}">{p}</a> ' for p in range(1, pages + 1))
    return _page(f'<a href="/">Home</a><ul>{_links(range(first, first + PAGE_SIZE))}</ul>{nav}')


async def item(request: web.Request) -> web.Response:
    n = int(request.match_info["id"])
    if not 1 <= n <= ITEMS:
        raise web.HTTPNotFound()
    related = [(n + k) % ITEMS + 1 for k in (7, 31, 97)]
    return _page(f'<h1>{item_name(n)}</h1><ul>{_links(related)}</ul><a href="/items">All</a>')


def make_app(cat: Catalogue) -> web.Application:
    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        cat.served[request.path_qs] += 1
        visitor = request.cookies.get("visitor")
        known = visitor is not None
        visitor = visitor or str(len(cat.visits) + 1)
        cat.visits.setdefault(visitor, []).append(f"{request.method} {request.path_qs}")
        if cat.hang_after is not None and sum(cat.served.values()) > cat.hang_after:
            await hang(request)
        response = await handler(request)
        if not known:
            response.set_cookie("visitor", visitor)
        return response

    async def hang(request: web.Request) -> None:
        for _ in range(500):  # 10 s at most
            if request.transport is None:  # the connection is gone
                cat.hung_up += 1
                return
            await asyncio.sleep(0.02)

    async def search(request: web.Request) -> web.Response:
        q = request.query.get("q", "").lower()
        found = [n for n in range(1, ITEMS + 1) if q and q in item_name(n).lower()][:PAGE_SIZE]
        cat.search_hits.append(len(found))
        return _page(f"<ul>{_links(found)}</ul>")

    async def checkout_start(_: web.Request) -> web.Response:
        cart, token = secrets.token_hex(8), secrets.token_hex(8)
        cat.carts[cart] = token
        response = _page(f'<form method="post"><input name="token" value="{token}"></form>')
        response.set_cookie("cart", cart)
        return response

    async def checkout_confirm(request: web.Request) -> web.Response:
        form = await request.post()
        cart = request.cookies.get("cart", "")
        if cart not in cat.carts or cat.carts.pop(cart) != form.get("token"):
            raise web.HTTPForbidden(text="no cart, or not its token")
        cat.orders += 1
        return _page("<p>Thank you</p>")

    async def review(request: web.Request) -> web.Response:
        """A review of the items named by its ``word``: the page lists them."""
        form = {k: str(v) for k, v in (await request.post()).items()}
        cat.reviews.append(form)
        word = form.get("word", "").lower()
        named = [n for n in range(1, ITEMS + 1) if word and word in item_name(n).lower()]
        return _page(f"<p>Thanks</p><ul>{_links(named[:5])}</ul>")

    app = web.Application(middlewares=[count])
    app.router.add_get("/checkout", checkout_start)
    app.router.add_post("/checkout", checkout_confirm)
    app.router.add_get("/", home)
    app.router.add_get("/items", items)
    app.router.add_get("/items/{id}", item)
    app.router.add_get("/search", search)
    app.router.add_post("/reviews", review)
    return app


@asynccontextmanager
async def running_catalogue() -> AsyncIterator[Catalogue]:
    cat = Catalogue(url="")
    runner = web.AppRunner(make_app(cat), access_log=None, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        cat.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        yield cat
    finally:
        await runner.cleanup()
