"""aiohttp held to the egress policy (``loadscout.plan.egress``): a resolver that connects only
to checked addresses, and a connector built on it.

It sits in the I/O layer beneath discovery, load and the orchestrator, which all open aiohttp
sessions to a target (robots.txt and sitemaps, stream steps, ownership proofs); the policy
itself stays pure in ``plan``.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import aiohttp
from aiohttp import ClientHandlerType, ClientMiddlewareType, ClientRequest, ClientResponse
from aiohttp.abc import AbstractResolver, ResolveResult

from loadscout.plan.egress import EgressPolicy, Resolver, check_literal, resolve_checked


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver through the egress guard: a connection goes only to an address the
    policy checked, resolved once (no rebinding between the check and the connect). aiohttp
    never asks a resolver about IP literals: check those with :func:`check_target`."""

    def __init__(self, policy: EgressPolicy, resolver: Resolver | None = None) -> None:
        self._policy = policy
        self._resolver = resolver

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await resolve_checked(self._policy, host, port, self._resolver)
        results = [
            ResolveResult(
                hostname=host,
                host=ip,
                port=port,
                family=socket.AF_INET6 if ":" in ip else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for ip in addresses
        ]
        wanted = [r for r in results if family in (socket.AF_UNSPEC, r["family"])]
        if not wanted:
            raise OSError(f"{host} has no {family.name} address the egress policy allows")
        return wanted

    async def close(self) -> None:
        pass


def guarded_connector(
    policy: EgressPolicy, resolver: Resolver | None = None, *, cache_s: int | None = 0
) -> aiohttp.TCPConnector:
    """A connector whose every connection goes through :class:`GuardedResolver`. ``cache_s``:
    how long aiohttp keeps checked answers (0: a lookup per connection; None: the session's
    life, so a name cannot be rebound under it)."""
    return aiohttp.TCPConnector(
        resolver=GuardedResolver(policy, resolver),
        use_dns_cache=cache_s != 0,
        ttl_dns_cache=cache_s,
    )


def check_target(policy: EgressPolicy, url: str) -> None:
    """Raise EgressRefused when ``url``'s host is an IP literal the policy refuses: aiohttp
    connects to literals without asking its resolver."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return  # aiohttp refuses it itself
    check_literal(policy, host)


def literal_guard(policy: EgressPolicy) -> ClientMiddlewareType:
    """A client middleware that checks each request's IP-literal host, redirect hops
    included (aiohttp calls middlewares once per hop, before it connects)."""

    async def guard(request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        check_literal(policy, request.url.raw_host or "")
        return await handler(request)

    return guard
