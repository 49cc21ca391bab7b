"""More URLs than links give: robots.txt (its Sitemap lines and plain Allow paths) and
sitemap.xml (``<loc>`` entries, one level of sitemap index). Bounded in count and bytes.

robots.txt also says where not to go: :class:`Robots` answers for our agent (``loadscout``,
else ``*``) with the stdlib parser, so its first-matching-rule semantics are Python's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

import aiohttp

from loadscout.files.egress_net import check_target, guarded_connector
from loadscout.plan.egress import EgressPolicy, EgressRefused, Resolver
from loadscout.plan.scope import Scope

AGENT = "loadscout"
DISALLOWED = "robots.txt disallows"
MAX_URLS = 200
MAX_BYTES = 1_000_000
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)


def robots_urls(text: str, base: str) -> tuple[list[str], list[str]]:
    """(sitemap URLs, page URLs) from a robots.txt; wildcard rules are not URLs."""
    sitemaps: list[str] = []
    pages: list[str] = []
    for raw in text.splitlines():
        key, _, value = raw.partition("#")[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "sitemap" and value:
            sitemaps.append(urljoin(base, value))
        elif key == "allow" and value.startswith("/") and not re.search(r"[*$]", value):
            pages.extend([urljoin(base, value)] if value != "/" else [])
    return sitemaps, pages


class Robots:
    """The Allow/Disallow rules of one robots.txt; ``ignore`` (``--ignore-robots``) allows all."""

    def __init__(self, text: str = "", *, ignore: bool = False) -> None:
        self._parser = RobotFileParser()
        self._parser.parse(text.splitlines())
        self._ignore = ignore

    def allows(self, url: str) -> bool:
        return self._ignore or self._parser.can_fetch(AGENT, url)


@dataclass(frozen=True, slots=True)
class Sources:
    """What robots.txt and the sitemaps gave: seed URLs (allowed ones only) and the rules."""

    urls: tuple[str, ...] = ()
    robots: Robots = field(default_factory=Robots)
    disallowed: tuple[str, ...] = ()  # listed in a sitemap or Allow line, but disallowed


def sitemap_locs(xml: str) -> list[str]:
    return _LOC.findall(xml)[:MAX_URLS]


async def _get(session: aiohttp.ClientSession, url: str, policy: EgressPolicy) -> str | None:
    """The body of ``url``, None on failure or refusal (a source is a hint, not a
    requirement). Redirects are followed here, each hop held to ``policy``: aiohttp would
    connect to an IP literal in a Location without asking the guard's resolver."""
    try:
        for _ in range(MAX_REDIRECTS + 1):
            check_target(policy, url)
            async with session.get(url, allow_redirects=False) as response:
                location = response.headers.get("Location")
                if response.status in _REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                if response.status >= 400:
                    return None
                body = await response.content.read(MAX_BYTES)
                return body.decode(response.charset or "utf-8", errors="replace")
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError, EgressRefused):
        return None
    return None


async def seed_urls(
    start_url: str,
    scope: Scope,
    *,
    timeout_s: float = 5,
    ignore_robots: bool = False,
    egress: EgressPolicy | None = None,
    resolver: Resolver | None = None,
) -> Sources:
    """In-scope page URLs from robots.txt and the sitemaps (it names, or /sitemap.xml), and
    robots.txt's rules (all allowed with ``ignore_robots``). Every fetch is held to the
    ``egress`` policy: a refused one counts as a missing file."""
    policy = egress or EgressPolicy.local()
    base = scope.origin + "/"
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    jar = aiohttp.DummyCookieJar()
    connector = guarded_connector(policy, resolver)
    session = aiohttp.ClientSession(timeout=timeout, cookie_jar=jar, connector=connector)
    async with session:
        robots = await _get(session, urljoin(base, "/robots.txt"), policy) or ""
        sitemaps, pages = robots_urls(robots, base)
        queue = [s for s in sitemaps if scope.contains(s)] or [urljoin(base, "/sitemap.xml")]
        index = 0
        while index < min(len(queue), 5):
            sitemap, index = queue[index], index + 1
            for loc in sitemap_locs(await _get(session, sitemap, policy) or ""):
                if loc.endswith(".xml") and len(queue) < 5:
                    queue.append(loc)  # a sitemap index
                else:
                    pages.append(loc)
    rules = Robots(robots, ignore=ignore_robots)
    seen = list(dict.fromkeys(p for p in pages if scope.contains(p) and p != start_url))
    return Sources(
        urls=tuple(u for u in seen if rules.allows(u))[:MAX_URLS],
        robots=rules,
        disallowed=tuple(u for u in seen if not rules.allows(u)),
    )
