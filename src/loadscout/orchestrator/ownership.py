"""Ownership of a target host: a team proves it controls a host before loading it past the free
allowance, and the proof is checked again at every run start (hosts change hands, files vanish).

A team gets one token per host from :func:`new_verification_token`: ``loadscout-verify=`` and 43
url-safe characters (256 random bits). The same string goes in any one of three places:

``file``  ``{scheme}://{host[:port]}/.well-known/loadscout-verify.txt`` answers 2xx and one line
          of its body (UTF-8, whitespace stripped) equals the token; one token per line, so
          several teams can verify one host.
``meta``  the start page (the run's URL) answers 2xx with
          ``<meta name="loadscout-verify" content="TOKEN">`` inside its ``<head>``.
``dns``   a TXT record on the host itself or on ``_loadscout.<host>`` equals the token (a record's
          strings joined, whitespace stripped). No DNS proof for a target given as an IP address.

The three are checked at once; the first to succeed wins. Both HTTP proofs follow at most 3
redirects and only on the same host name (http → https is fine), read at most 64 KiB of a body,
and connect only where the egress guard allows (:class:`GuardedResolver`), so the verifier
reaches what the browser and the load engine may (``loadscout.plan.egress``) and nothing more.
A verified name covers that host only, not its subdomains. Deciding when a proof is needed
(:class:`FreeAllowance`, an admin's allow-list of hosts and CIDRs instead) and keeping tokens per
team belong to the callers. Docs: ``docs/targets.md``.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, urljoin, urlsplit

import aiohttp
import dns.asyncresolver
import dns.exception
import dns.rdtypes.ANY.TXT
import dns.resolver
from selectolax.lexbor import LexborHTMLParser

from loadscout.errors import BadInput, TargetError
from loadscout.files.egress_net import GuardedResolver
from loadscout.plan.egress import (
    EgressPolicy,
    EgressRefused,
    check_literal,
    parse_ip,
)

TOKEN_PREFIX = "loadscout-verify="
WELL_KNOWN_PATH = "/.well-known/loadscout-verify.txt"
META_NAME = "loadscout-verify"
DNS_LABEL = "_loadscout"
BODY_CAP = 64 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "loadscout-verify (+https://github.com/loadscout/loadscout/blob/main/docs/targets.md)"

_TOKEN = re.compile(rf"^{re.escape(TOKEN_PREFIX)}[A-Za-z0-9_-]{{32,}}$")
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

Method = Literal["file", "meta", "dns"]


@dataclass(frozen=True, kw_only=True)
class OwnershipCheck:
    """``detail`` names the proof that held, or why each of the three did not."""

    verified: bool
    method: Method | None
    detail: str


@dataclass(frozen=True, kw_only=True)
class FreeAllowance:
    """Runs this small need no verified target (vendors waive the proof for ≤ 10 users); users
    are counted at the plan's peak, the duration is the plan's whole length."""

    max_users: int = 10
    max_duration_s: float = 60.0

    def __post_init__(self) -> None:
        if self.max_users < 0 or self.max_duration_s < 0:
            raise ValueError("a free allowance cannot be negative")

    def covers(self, *, users: int, duration_s: float) -> bool:
        return users <= self.max_users and duration_s <= self.max_duration_s


@dataclass(frozen=True, kw_only=True)
class Fetched:
    """One HTTP answer, redirects not followed: ``body`` holds at most ``BODY_CAP`` bytes."""

    status: int
    location: str | None = None
    body: bytes = b""
    truncated: bool = False


class FetchFailed(Exception):
    """A fetch got no answer; ``str(err)`` says why (refused by the egress policy, no route…)."""


Fetch = Callable[[str], Awaitable[Fetched]]
"""Fetches one URL without following redirects; raises FetchFailed when there is no answer."""
TxtLookup = Callable[[str], Awaitable[Sequence[str]]]
"""A name's TXT records, each record's strings joined; raises DNSException or OSError."""


def new_verification_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def verify_target(
    url: str,
    token: str,
    *,
    policy: EgressPolicy | None = None,
    fetch: Fetch | None = None,
    txt_lookup: TxtLookup | None = None,
    timeout_s: float = 10.0,
) -> OwnershipCheck:
    """Check the three proofs for ``url``'s host at once. Raises only for bad input (a URL that is
    not http(s) with a host, a malformed token); a network failure is a "not verified" reason.
    ``policy`` is required unless ``fetch`` is given."""
    parts = _parse_target(url)
    if not _TOKEN.match(token):
        raise BadInput(f"not a verification token: expected {TOKEN_PREFIX} and 32+ characters")
    async with AsyncExitStack() as stack:
        if fetch is None:
            if policy is None:
                raise TypeError("verify_target needs an egress policy to fetch with")
            fetch = await stack.enter_async_context(guarded_fetch(policy, timeout_s=timeout_s))
        lookup = txt_lookup or _default_lookup(timeout_s)
        host = parts.hostname or ""
        proofs: dict[Method, Awaitable[str | None]] = {
            "file": _file_proof(fetch, _well_known_url(parts), token),
            "meta": _meta_proof(fetch, parts.geturl(), token),
            "dns": _dns_proof(lookup, host, token),
        }
        return await _first_verified(proofs, timeout_s)


def _parse_target(url: str) -> SplitResult:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError as exc:
        raise TargetError(f"{url!r} is not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise TargetError(f"{url!r} is not an http(s) URL with a host, e.g. https://example.com/")
    return parts


def _well_known_url(parts: SplitResult) -> str:
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return f"{parts.scheme.lower()}://{netloc}{WELL_KNOWN_PATH}"


@dataclass(frozen=True)
class _Outcome:
    method: Method
    reason: str | None  # None: verified


async def _first_verified(
    proofs: dict[Method, Awaitable[str | None]], timeout_s: float
) -> OwnershipCheck:
    tasks = [asyncio.ensure_future(_attempt(m, p, timeout_s)) for m, p in proofs.items()]
    try:
        for next_done in asyncio.as_completed(tasks):
            outcome = await next_done
            if outcome.reason is None:
                return OwnershipCheck(
                    verified=True, method=outcome.method, detail=_HELD[outcome.method]
                )
        reasons = "; ".join(f"{t.result().method}: {t.result().reason}" for t in tasks)
        return OwnershipCheck(verified=False, method=None, detail=reasons)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


_HELD: dict[Method, str] = {
    "file": f"file: {WELL_KNOWN_PATH} holds the token",
    "meta": f"meta: the page's <meta name={META_NAME}> holds the token",
    "dns": "dns: a TXT record holds the token",
}


async def _attempt(method: Method, proof: Awaitable[str | None], timeout_s: float) -> _Outcome:
    try:
        async with asyncio.timeout(timeout_s):
            return _Outcome(method, await proof)
    except TimeoutError:
        return _Outcome(method, f"no answer within {timeout_s:g} s")
    except (FetchFailed, _NotFollowed) as exc:
        return _Outcome(method, str(exc))
    except (OSError, aiohttp.ClientError, dns.exception.DNSException) as exc:
        return _Outcome(method, f"{type(exc).__name__}: {exc}")


class _NotFollowed(Exception):
    """A redirect the verifier refuses to follow."""


async def _follow(fetch: Fetch, url: str) -> Fetched:
    """Fetch ``url``, following up to MAX_REDIRECTS redirects on the same host name."""
    host = urlsplit(url).hostname
    for _ in range(MAX_REDIRECTS):
        got = await fetch(url)
        if got.status not in _REDIRECT_STATUSES or not got.location:
            return got
        target = urljoin(url, got.location)
        parts = urlsplit(target)
        if parts.scheme.lower() not in ("http", "https") or parts.hostname != host:
            raise _NotFollowed(
                f"{urlsplit(url).path or '/'} redirects to {target}, another host; "
                f"only redirects on {host} are followed"
            )
        url = target
    got = await fetch(url)
    if got.status in _REDIRECT_STATUSES and got.location:
        raise _NotFollowed(f"more than {MAX_REDIRECTS} redirects")
    return got


def _capped(got: Fetched) -> str:
    return f" in its first {BODY_CAP // 1024} KiB" if got.truncated else ""


async def _file_proof(fetch: Fetch, url: str, token: str) -> str | None:
    got = await _follow(fetch, url)
    if not 200 <= got.status < 300:
        return f"{WELL_KNOWN_PATH} answered {got.status}"
    text = got.body.decode("utf-8", "replace").lstrip("\ufeff")
    if token in {line.strip() for line in text.splitlines()}:
        return None
    return f"{WELL_KNOWN_PATH} has no line equal to the token{_capped(got)}"


async def _meta_proof(fetch: Fetch, url: str, token: str) -> str | None:
    got = await _follow(fetch, url)
    if not 200 <= got.status < 300:
        return f"the page answered {got.status}"
    tree = LexborHTMLParser(got.body.decode("utf-8", "replace"))
    in_head = _meta_contents(tree, "head meta")
    if token in in_head:
        return None
    if in_head:
        return f"the page's <meta name={META_NAME}> holds another token"
    if _meta_contents(tree, "meta"):
        return f"<meta name={META_NAME}> is in the page's body; it must be in the <head>"
    return f"no <meta name={META_NAME}> on the page{_capped(got)}"


def _meta_contents(tree: LexborHTMLParser, selector: str) -> set[str]:
    return {
        (node.attributes.get("content") or "").strip()
        for node in tree.css(selector)
        if (node.attributes.get("name") or "").strip().lower() == META_NAME
    }


async def _dns_proof(lookup: TxtLookup, host: str, token: str) -> str | None:
    host = host.rstrip(".")
    if parse_ip(host) is not None:
        return "the target is an IP address: no name to hold a TXT record"
    names = (host, f"{DNS_LABEL}.{host}")
    answers = await asyncio.gather(*(lookup(name) for name in names), return_exceptions=True)
    problems: list[str] = []
    others = 0
    for name, answer in zip(names, answers, strict=True):
        if isinstance(answer, BaseException):
            if not isinstance(answer, (dns.exception.DNSException, OSError)):
                raise answer
            problems.append(f"{name} {_dns_problem(answer)}")
            continue
        if token in {record.strip() for record in answer}:
            return None
        others += len(answer)
    notes = [f"{others} other TXT records"] if others else []
    notes += problems
    return "no TXT record holds the token" + (f" ({', '.join(notes)})" if notes else "")


def _dns_problem(exc: BaseException) -> str:
    if isinstance(exc, dns.resolver.NXDOMAIN):
        return "does not exist"
    if isinstance(exc, dns.resolver.NoAnswer):
        return "has no TXT record"
    if isinstance(exc, dns.exception.Timeout):
        return "did not answer in time"
    return f"could not be looked up ({type(exc).__name__}: {exc})"


def _default_lookup(timeout_s: float) -> TxtLookup:
    async def lookup(name: str) -> Sequence[str]:
        return await dns_txt_lookup(name, timeout_s=timeout_s)

    return lookup


async def dns_txt_lookup(name: str, *, timeout_s: float = 10.0) -> list[str]:
    """The default TxtLookup: the system's DNS resolver, within ``timeout_s``."""
    answer = await dns.asyncresolver.Resolver().resolve(name, "TXT", lifetime=timeout_s)
    return [
        b"".join(rdata.strings).decode("utf-8", "replace")
        for rdata in answer
        if isinstance(rdata, dns.rdtypes.ANY.TXT.TXT)
    ]


@asynccontextmanager
async def guarded_fetch(policy: EgressPolicy, *, timeout_s: float = 10.0) -> AsyncIterator[Fetch]:
    """The default Fetch: aiohttp, every connection checked by the egress guard, no proxy from
    the environment, no redirects followed, at most BODY_CAP bytes read."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(policy), use_dns_cache=False)
    async with aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout_s),
        headers={"User-Agent": USER_AGENT},
    ) as session:

        async def fetch(url: str) -> Fetched:
            try:
                return await _fetch_once(session, policy, url)
            except EgressRefused as exc:
                raise FetchFailed(f"refused by the egress policy: {exc}") from exc
            except aiohttp.ClientError as exc:
                raise FetchFailed(f"{urlsplit(url).path or '/'} failed: {exc!s}") from exc
            except TimeoutError as exc:
                raise FetchFailed(f"no answer within {timeout_s:g} s") from exc

        yield fetch


async def _fetch_once(session: aiohttp.ClientSession, policy: EgressPolicy, url: str) -> Fetched:
    check_literal(policy, urlsplit(url).hostname or "")  # aiohttp resolves no IP literal
    async with session.get(url, allow_redirects=False) as response:
        body = bytearray()
        while len(body) <= BODY_CAP:
            chunk = await response.content.read(BODY_CAP + 1 - len(body))
            if not chunk:
                break
            body += chunk
        return Fetched(
            status=response.status,
            location=response.headers.get("Location"),
            body=bytes(body[:BODY_CAP]),
            truncated=len(body) > BODY_CAP,
        )
