"""Check the target before launching a browser: a typo fails in milliseconds, in one clear line."""

from __future__ import annotations

import errno
from urllib.parse import urljoin, urlsplit

import aiohttp

from loadscout.errors import TargetError
from loadscout.files.egress_net import check_target, guarded_connector
from loadscout.plan.allowed import url_allowed
from loadscout.plan.egress import EgressPolicy, EgressRefused, Resolver


def validate_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetError(f"target URL {url!r} must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        # it would be printed in every progress line, stored with the run and sent nowhere
        raise TargetError(
            "target URL has a user name or password in it; log in with --login-url and "
            "--username/--password (or a credentials file) instead"
        )
    if not parts.hostname:
        raise TargetError(
            f"target URL {url!r} has no host name (expected e.g. http://127.0.0.1:8000/)"
        )
    try:
        _ = parts.port
    except ValueError:
        raise TargetError(f"target URL {url!r} has an invalid port") from None


def _cause(err: BaseException) -> str:
    if isinstance(err, aiohttp.ClientConnectorDNSError):
        return "host name not found (DNS lookup failed)"
    if isinstance(err, aiohttp.ClientConnectorError):
        os_err = err.os_error
        if isinstance(os_err, ConnectionRefusedError) or os_err.errno == errno.ECONNREFUSED:
            return "connection refused (is the server running on that port?)"
        return (os_err.strerror or str(os_err)).lower()
    return str(err) or err.__class__.__name__


MAX_REDIRECTS = 10


async def probe_target(
    url: str,
    *,
    timeout_s: float = 10,
    allowed_hosts: frozenset[str] = frozenset(),
    egress: EgressPolicy | None = None,
    resolver: Resolver | None = None,
) -> None:
    """Raise TargetError unless ``url`` answers below 400 with an HTML page; redirects are
    followed only within the server's allow-list (``allowed_hosts``, empty: any) and the
    egress policy (every hop checked and connected to its checked address; EgressRefused)."""
    validate_url(url)
    policy = egress or EgressPolicy.local()
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    connector = guarded_connector(policy, resolver)
    try:
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            status, content_type = await _get(session, url, allowed_hosts, policy)
    except TimeoutError:
        raise TargetError(f"cannot reach {url}: no answer within {timeout_s:g} s") from None
    except (aiohttp.ClientError, OSError, ValueError) as err:
        raise TargetError(f"cannot reach {url}: {_cause(err)}") from None
    if status >= 400:
        raise TargetError(f"target {url} answered HTTP {status}; give the URL of a page that loads")
    if content_type not in ("text/html", "application/xhtml+xml"):
        raise TargetError(
            f"target {url} is not an HTML page (content-type {content_type or 'missing'}); "
            "give the URL of the app's start page"
        )


async def _get(
    session: aiohttp.ClientSession, url: str, allowed: frozenset[str], policy: EgressPolicy
) -> tuple[int, str]:
    start = url
    for _ in range(MAX_REDIRECTS + 1):
        if not url_allowed(allowed, url):
            raise TargetError(f"{url} is not an allowed target on this server (a redirect)")
        try:
            check_target(policy, url)
            async with session.get(url, allow_redirects=False) as response:
                location = response.headers.get("Location")
                if response.status not in (301, 302, 303, 307, 308) or not location:
                    return response.status, response.content_type
        except EgressRefused as refused:
            if url == start:
                raise
            raise EgressRefused(f"{start} redirects to {url}: {refused.reason}") from None
        url = urljoin(url, location)
    raise TargetError(f"{url}: more than {MAX_REDIRECTS} redirects")


__all__ = ["probe_target", "validate_url"]
