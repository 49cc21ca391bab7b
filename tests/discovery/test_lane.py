"""The plain-HTTP lane in real Chromium: a pattern of static pages is read without the browser
after its first page, so is a family of one-page patterns after two, a pattern whose DOM a
script changes (links added, an API called on load) never is, a page the lane cannot take (a
redirect) goes back to the browser, and a logged-in context's cookies go with the lane's
requests."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiohttp import web
from playwright.async_api import Browser

from loadscout.discovery.crawler import Crawler
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.records import CrawlResult
from tests.discovery.site import HITS, running_site

pytestmark = pytest.mark.browser

DOCS = 3  # what the per-pattern budget visits of /docs/{num}
GUIDES = ("intro", "setup", "usage", "moved", "faq", "tips", "about", "glossary")
SCRIPTED = ("alpha", "beta", "gamma", "delta")
COOKIES = web.AppKey("cookies", list[str])


def _page(body: str) -> web.Response:
    html = f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"
    return web.Response(text=html, content_type="text/html")


async def home(_: web.Request) -> web.Response:
    docs = "".join(f'<a href="/docs/{n}">doc {n}</a> ' for n in range(1, 6))
    guides = "".join(f'<a href="/guide/{g}.html">{g}</a> ' for g in GUIDES)
    scripted = "".join(f'<a href="/app/{name}">{name}</a> ' for name in SCRIPTED)
    feeds = "".join(f'<a href="/feed/{n}">feed {n}</a> ' for n in range(1, 5))
    main = f"{guides}{scripted}{feeds}<a href='/logout'>Log out</a>"
    return _page(f"<nav>{docs}</nav><main>{main}</main>")


async def doc(request: web.Request) -> web.Response:
    request.app[COOKIES].append(request.cookies.get("session", ""))
    table = "<table><tr><td>cell</td></tr></table>"  # lexbor adds tbody, as the browser does
    return _page(f"<h1>Doc {request.match_info['n']}</h1>{table}")


async def guide(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name == "moved":  # the lane does not follow redirects: the browser takes this one
        raise web.HTTPFound("/moved-here")
    return _page(f'<h1>{name}</h1><form action="/search"><input name="q"></form>')


async def scripted(request: web.Request) -> web.Response:
    n = request.match_info["n"]
    script = (
        "<script>const a = document.createElement('a');"
        f"a.href = '/hidden/{n}'; a.textContent = 'more'; document.body.append(a);</script>"
    )
    return _page(f"<h1>App {n}</h1>{script}")


async def feed(request: web.Request) -> web.Response:
    n = request.match_info["n"]
    return _page(f"<h1>Feed {n}</h1><script>fetch('/api/feed/{n}')</script>")


def build_app(cookies: list[str]) -> web.Application:
    """The lane's site; ``cookies`` gathers the session cookie each /docs page was sent."""
    app = web.Application()
    app[HITS] = Counter()
    app[COOKIES] = cookies

    @web.middleware
    async def count(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        app[HITS][request.path] += 1
        return await handler(request)

    app.middlewares.append(count)
    app.router.add_get("/", home)
    app.router.add_get(r"/docs/{n:\d+}", doc)
    app.router.add_get("/guide/{name}.html", guide)
    app.router.add_get("/moved-here", _text_page("moved here"))
    app.router.add_get("/search", _text_page("results"))
    app.router.add_get("/app/{n}", scripted)
    app.router.add_get("/hidden/{n}", _text_page("hidden"))
    app.router.add_get(r"/feed/{n:\d+}", feed)
    app.router.add_get(r"/api/feed/{n:\d+}", _json)
    app.router.add_get("/logout", _text_page("bye"))
    return app


def _text_page(text: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(_: web.Request) -> web.Response:
        return _page(f"<p>{text}</p>")

    return handler


async def _json(_: web.Request) -> web.Response:
    return web.json_response({"items": [1, 2]})


@dataclass(frozen=True, slots=True)
class Crawled:
    result: CrawlResult
    hits: Counter[str]
    cookies: list[str]


@pytest.fixture(scope="module")
async def crawled(browser: Browser) -> AsyncIterator[Crawled]:
    cookies: list[str] = []
    async with running_site(lambda: build_app(cookies)) as site:
        options = DiscoveryConfig(
            start_url=site.url, max_pages=60, max_time_s=40, concurrency=2, page_timeout_s=10
        )
        jar = [{"name": "session", "value": "s3cret", "url": site.url}]
        state = {"cookies": jar, "origins": []}
        result = await Crawler(options, browser, lambda _: None, storage_state=state).run()
        yield Crawled(result, site.hits, cookies)


def _visits(crawled: Crawled, prefix: str) -> list[tuple[str, bool]]:
    return [(v.url, v.plain) for v in crawled.result.visits if f"/{prefix}/" in v.url]


def test_a_static_pattern_is_read_over_plain_http_after_its_first_page(crawled: Crawled) -> None:
    docs = sorted(_visits(crawled, "docs"))
    assert len(docs) == DOCS
    assert sum(plain for _, plain in docs) == DOCS - 1, docs


def test_a_family_of_one_page_patterns_is_after_two(crawled: Crawled) -> None:
    guides = dict(_visits(crawled, "guide"))
    assert {u.rsplit("/", 1)[-1] for u in guides} == {f"{g}.html" for g in GUIDES}
    plain = {u.rsplit("/", 1)[-1] for u, p in guides.items() if p}
    assert len(plain) >= len(GUIDES) - 3, guides  # two judged, and the redirect
    assert "moved.html" not in plain  # the redirect went to the browser, which followed it
    assert crawled.hits["/moved-here"] >= 1


def test_pages_a_script_changes_stay_in_the_browser(crawled: Crawled) -> None:
    for prefix in ("app", "feed"):
        visits = _visits(crawled, prefix)
        assert len(visits) >= 3, visits
        assert not any(p for _, p in visits), visits
    hidden = {v.url.rsplit("/", 1)[-1] for v in crawled.result.visits if "/hidden/" in v.url}
    assert hidden == set(SCRIPTED)  # links only the script made
    fetched = {f.url for v in crawled.result.visits for f in v.fetches}
    assert any("/api/feed/" in u for u in fetched)


def test_a_page_read_on_the_lane_keeps_its_body_for_correlation(crawled: Crawled) -> None:
    plain = [v for v in crawled.result.visits if v.plain]
    assert plain
    for visit in plain:
        assert visit.document.response_body and "<body>" in visit.document.response_body
        assert visit.document.content_type.startswith("text/html")


def test_the_lane_carries_the_session_and_keeps_the_safety_rules(crawled: Crawled) -> None:
    assert crawled.cookies and set(crawled.cookies) == {"s3cret"}
    assert crawled.hits["/logout"] == 0
    assert crawled.hits["/docs/3"] <= 2  # a page is read once (its pattern's first: judged too)
