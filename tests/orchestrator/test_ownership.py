"""Ownership proofs: real HTTP on 127.0.0.1 through the egress guard, stubbed DNS, the allowance.

No test opens a socket to anything but loopback: redirects to other hosts point at ``localhost``
(which would hold the token, to show the verifier refuses to go there, not that it failed)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import dns.resolver
import pytest
from aiohttp import web

from loadscout.errors import BadInput, TargetError
from loadscout.orchestrator.ownership import (
    BODY_CAP,
    TOKEN_PREFIX,
    WELL_KNOWN_PATH,
    Fetched,
    FreeAllowance,
    GuardedResolver,
    OwnershipCheck,
    new_verification_token,
    verify_target,
)
from loadscout.plan.egress import EgressPolicy, EgressRefused

TOKEN = new_verification_token()
OTHER = new_verification_token()
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def local_policy() -> EgressPolicy:
    """Local mode: loopback is the user's own machine, so it may be reached."""
    return EgressPolicy.local()


def team_policy() -> EgressPolicy:
    """Team mode, no admin allow-list: private and loopback addresses are refused."""
    return EgressPolicy.team()


@dataclass
class Served:
    url: str
    port: int
    hits: Counter[str]


@asynccontextmanager
async def serve(routes: Mapping[str, Handler]) -> AsyncIterator[Served]:
    """An aiohttp server on 127.0.0.1 answering ``routes`` (404 elsewhere), counting hits."""
    hits: Counter[str] = Counter()

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        hits[request.path] += 1
        return await handler(request)

    app = web.Application(middlewares=[count])
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        yield Served(url=f"http://127.0.0.1:{port}/", port=port, hits=hits)
    finally:
        await runner.cleanup()


def text(body: str, content_type: str = "text/plain") -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(text=body, content_type=content_type)

    return handler


def page(head: str = "", body: str = "") -> Handler:
    html = f"<!doctype html><html><head><title>t</title>{head}</head><body>{body}</body></html>"
    return text(html, "text/html")


def redirect(location: str) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        raise web.HTTPFound(location)

    return handler


def meta(token: str) -> str:
    return f'<meta name="loadscout-verify" content="{token}">'


async def no_dns(_name: str) -> Sequence[str]:
    raise dns.resolver.NXDOMAIN


async def check(
    url: str, *, policy: EgressPolicy | None = None, timeout_s: float = 10.0
) -> OwnershipCheck:
    return await verify_target(
        url, TOKEN, policy=policy or local_policy(), txt_lookup=no_dns, timeout_s=timeout_s
    )


# --- the token -----------------------------------------------------------------------------


def test_tokens_are_prefixed_url_safe_and_unique() -> None:
    tokens = {new_verification_token() for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert token.startswith(TOKEN_PREFIX)
        rest = token.removeprefix(TOKEN_PREFIX)
        assert len(rest) >= 32
        assert set(rest) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize("token", ["", "loadscout-verify=short", "abc" * 20, f"{TOKEN} x"])
async def test_a_malformed_token_is_bad_input(token: str) -> None:
    with pytest.raises(BadInput, match="verification token"):
        await verify_target("http://127.0.0.1:9/", token, policy=local_policy())


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "example.com", "http:///path", "http://host:99999/"]
)
async def test_a_url_without_an_http_host_is_a_target_error(url: str) -> None:
    with pytest.raises(TargetError):
        await verify_target(url, TOKEN, policy=local_policy())


# --- file -----------------------------------------------------------------------------------


async def test_the_file_proof_holds_with_the_token_on_one_of_several_lines() -> None:
    body = f"\ufeff{OTHER}\r\n  {TOKEN}  \r\n\n"
    async with serve({WELL_KNOWN_PATH: text(body)}) as site:
        result = await check(site.url + "some/page?x=1")
    assert result.verified
    assert result.method == "file"
    assert result.detail == f"file: {WELL_KNOWN_PATH} holds the token"


async def test_a_file_with_another_token_does_not_verify() -> None:
    async with serve({WELL_KNOWN_PATH: text(f"{OTHER}\n{TOKEN}-and-more\n")}) as site:
        result = await check(site.url)
    assert not result.verified
    assert result.method is None
    assert f"file: {WELL_KNOWN_PATH} has no line equal to the token" in result.detail


async def test_every_proof_failing_names_each_reason() -> None:
    async with serve({"/": page()}) as site:
        result = await check(site.url)
    assert not result.verified
    assert result.detail == (
        f"file: {WELL_KNOWN_PATH} answered 404; "
        "meta: no <meta name=loadscout-verify> on the page; "
        "dns: the target is an IP address: no name to hold a TXT record"
    )


async def test_a_same_host_redirect_is_followed() -> None:
    routes = {WELL_KNOWN_PATH: redirect("/moved.txt"), "/moved.txt": text(TOKEN)}
    async with serve(routes) as site:
        result = await check(site.url)
    assert (result.verified, result.method) == (True, "file")


async def test_a_redirect_to_another_host_is_not_followed() -> None:
    async with serve({"/token.txt": text(TOKEN), "/": page()}) as site:
        elsewhere = f"http://localhost:{site.port}/token.txt"
        site_routes = {WELL_KNOWN_PATH: redirect(elsewhere), "/": page()}
        async with serve(site_routes) as target:
            result = await check(target.url)
        assert site.hits["/token.txt"] == 0
    assert not result.verified
    assert (
        f"file: {WELL_KNOWN_PATH} redirects to {elsewhere}, another host; "
        "only redirects on 127.0.0.1 are followed"
    ) in result.detail


async def test_more_than_three_redirects_are_not_followed() -> None:
    routes = {
        WELL_KNOWN_PATH: redirect("/1"),
        "/1": redirect("/2"),
        "/2": redirect("/3"),
        "/3": redirect("/4"),
        "/4": text(TOKEN),
    }
    async with serve(routes) as site:
        result = await check(site.url)
        assert site.hits["/4"] == 0
    assert not result.verified
    assert "file: more than 3 redirects" in result.detail


async def test_only_the_first_64_kib_of_a_huge_body_is_read() -> None:
    sent = [0]

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        await response.prepare(request)
        chunk = b"x" * 65536 + b"\n"
        try:
            for _ in range(16 * 1024):  # 1 GiB if nobody hangs up
                await response.write(chunk)
                sent[0] += len(chunk)
            await response.write(TOKEN.encode())
        except (ConnectionError, RuntimeError):
            pass
        return response

    async with serve({WELL_KNOWN_PATH: huge, "/": page()}) as site:
        started = time.monotonic()
        result = await check(site.url)
        elapsed = time.monotonic() - started
    assert not result.verified
    assert f"has no line equal to the token in its first {BODY_CAP // 1024} KiB" in result.detail
    assert elapsed < 5
    assert sent[0] < 64 * 1024 * 1024


async def test_a_closed_port_is_a_reason_not_an_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await check(f"http://127.0.0.1:{port}/")
    assert not result.verified
    assert result.detail.startswith(f"file: {WELL_KNOWN_PATH} failed: Cannot connect to host")


async def test_a_server_that_never_answers_times_out_with_a_reason() -> None:
    released = asyncio.Event()

    async def stall(_request: web.Request) -> web.Response:
        await released.wait()
        return web.Response(text="late")

    async with serve({WELL_KNOWN_PATH: stall, "/": stall}) as site:
        result = await check(site.url, timeout_s=0.3)
        released.set()
    assert not result.verified
    assert "file: " in result.detail
    assert "no answer within 0.3 s" in result.detail


# --- meta -----------------------------------------------------------------------------------


async def test_the_meta_proof_holds_on_the_start_page() -> None:
    async with serve({"/app/": page(head=meta(OTHER) + meta(TOKEN))}) as site:
        result = await check(site.url + "app/")
    assert (result.verified, result.method) == (True, "meta")
    assert result.detail == "meta: the page's <meta name=loadscout-verify> holds the token"


async def test_the_meta_name_is_case_insensitive() -> None:
    tag = f'<META NAME="LoadScout-Verify" CONTENT=" {TOKEN} ">'
    async with serve({"/": page(head=tag)}) as site:
        result = await check(site.url)
    assert (result.verified, result.method) == (True, "meta")


async def test_a_meta_with_another_token_does_not_verify() -> None:
    async with serve({"/": page(head=meta(OTHER))}) as site:
        result = await check(site.url)
    assert not result.verified
    assert "meta: the page's <meta name=loadscout-verify> holds another token" in result.detail


async def test_a_meta_in_the_body_does_not_verify() -> None:
    async with serve({"/": page(body=f"<p>hi</p>{meta(TOKEN)}")}) as site:
        result = await check(site.url)
    assert not result.verified
    assert "meta: <meta name=loadscout-verify> is in the page's body" in result.detail


async def test_a_start_page_that_fails_is_named() -> None:
    async def broken(_request: web.Request) -> web.Response:
        raise web.HTTPInternalServerError

    async with serve({"/": broken}) as site:
        result = await check(site.url)
    assert "meta: the page answered 500" in result.detail


# --- the egress guard -----------------------------------------------------------------------


async def test_team_mode_refuses_loopback_before_any_connection() -> None:
    async with serve({WELL_KNOWN_PATH: text(TOKEN), "/": page(head=meta(TOKEN))}) as site:
        result = await check(site.url, policy=team_policy())
        assert sum(site.hits.values()) == 0
    assert not result.verified
    refused = (
        "refused by the egress policy: 127.0.0.1 is a loopback address; this server refuses it"
    )
    assert result.detail.startswith(f"file: {refused}")
    assert f"; meta: {refused}" in result.detail


async def test_team_mode_refuses_a_name_that_resolves_to_loopback() -> None:
    async with serve({WELL_KNOWN_PATH: text(TOKEN), "/": page(head=meta(TOKEN))}) as site:
        result = await check(f"http://localhost:{site.port}/", policy=team_policy())
        assert sum(site.hits.values()) == 0
    assert not result.verified
    assert result.detail.startswith("file: refused by the egress policy: ")


async def test_the_guarded_resolver_answers_checked_addresses() -> None:
    resolver = GuardedResolver(local_policy())
    answers = await resolver.resolve("localhost", 8080, socket.AF_INET)
    assert answers
    assert {a["host"] for a in answers} == {"127.0.0.1"}
    assert {a["port"] for a in answers} == {8080}
    assert {a["hostname"] for a in answers} == {"localhost"}
    await resolver.close()


# --- dns --------------------------------------------------------------------------------------


async def http_404(_url: str) -> Fetched:
    return Fetched(status=404)


def txt(
    records: Mapping[str, Sequence[str] | BaseException],
) -> Callable[[str], Awaitable[Sequence[str]]]:
    async def lookup(name: str) -> Sequence[str]:
        answer = records.get(name, dns.resolver.NXDOMAIN())
        if isinstance(answer, BaseException):
            raise answer
        return answer

    return lookup


async def check_dns(records: Mapping[str, Sequence[str] | BaseException]) -> OwnershipCheck:
    return await verify_target(
        "https://shop.example.com/", TOKEN, fetch=http_404, txt_lookup=txt(records)
    )


@pytest.mark.parametrize("name", ["shop.example.com", "_loadscout.shop.example.com"])
async def test_a_txt_record_on_the_host_or_its_label_verifies(name: str) -> None:
    result = await check_dns({name: ["v=spf1 -all", f"  {TOKEN} "]})
    assert (result.verified, result.method) == (True, "dns")
    assert result.detail == "dns: a TXT record holds the token"


async def test_other_txt_records_do_not_verify() -> None:
    result = await check_dns(
        {"shop.example.com": ["v=spf1 -all", OTHER], "_loadscout.shop.example.com": [TOKEN[:-1]]}
    )
    assert not result.verified
    assert result.detail.endswith("dns: no TXT record holds the token (3 other TXT records)")


async def test_dns_failures_are_reasons() -> None:
    result = await check_dns(
        {
            "shop.example.com": dns.resolver.NoAnswer(),
            "_loadscout.shop.example.com": dns.resolver.LifetimeTimeout(timeout=1.0, errors={}),
        }
    )
    assert not result.verified
    assert result.detail.endswith(
        "dns: no TXT record holds the token (shop.example.com has no TXT record, "
        "_loadscout.shop.example.com did not answer in time)"
    )


async def test_a_missing_name_is_a_reason() -> None:
    result = await check_dns({})
    assert result.detail == (
        f"file: {WELL_KNOWN_PATH} answered 404; meta: the page answered 404; "
        "dns: no TXT record holds the token (shop.example.com does not exist, "
        "_loadscout.shop.example.com does not exist)"
    )


async def test_a_hanging_lookup_times_out() -> None:
    async def hang(_name: str) -> Sequence[str]:
        await asyncio.sleep(30)
        return []

    result = await verify_target(
        "https://shop.example.com/", TOKEN, fetch=http_404, txt_lookup=hang, timeout_s=0.2
    )
    assert result.detail.endswith("dns: no answer within 0.2 s")


async def test_the_first_proof_to_hold_wins_without_waiting_for_the_others() -> None:
    async def hang(_name: str) -> Sequence[str]:
        await asyncio.sleep(30)
        return []

    async def fetch(url: str) -> Fetched:
        return (
            Fetched(status=200, body=TOKEN.encode())
            if url.endswith(".txt")
            else Fetched(status=404)
        )

    started = time.monotonic()
    result = await verify_target("https://shop.example.com/", TOKEN, fetch=fetch, txt_lookup=hang)
    assert (result.verified, result.method) == (True, "file")
    assert time.monotonic() - started < 2


# --- the free allowance -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("users", "duration_s", "covered"),
    [
        (1, 1.0, True),
        (10, 60.0, True),
        (11, 60.0, False),
        (10, 60.001, False),
        (100, 1.0, False),
        (0, 0.0, True),
    ],
)
def test_the_default_free_allowance_is_10_users_for_60_s(
    users: int, duration_s: float, covered: bool
) -> None:
    assert FreeAllowance().covers(users=users, duration_s=duration_s) is covered


def test_a_free_allowance_can_be_changed_but_not_negative() -> None:
    none = FreeAllowance(max_users=0, max_duration_s=0)
    assert not none.covers(users=1, duration_s=0)
    assert FreeAllowance(max_users=50, max_duration_s=300).covers(users=50, duration_s=300)
    with pytest.raises(ValueError, match="negative"):
        FreeAllowance(max_users=-1)


async def test_the_guarded_resolver_raises_the_guards_refusal() -> None:
    with pytest.raises(EgressRefused, match=r"localhost resolves to .*loopback"):
        await GuardedResolver(team_policy()).resolve("localhost", 80, socket.AF_UNSPEC)
