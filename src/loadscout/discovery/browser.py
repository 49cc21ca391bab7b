"""Chromium launch and guarded browser contexts (the network half of the safety policy)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    Dialog,
    Playwright,
    Request,
    Route,
    StorageState,
)
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.safety import SafetyPolicy
from loadscout.discovery.spa import HOOKS_JS
from loadscout.plan.allowed import allowed_host_names, url_allowed
from loadscout.plan.egress import (
    EgressPolicy,
    EgressRefused,
    Resolver,
    check_url,
    normalise_host,
    parse_ip,
    resolve_checked,
)
from loadscout.plan.scope import Scope
from loadscout.settings import default_chromium

OnBlocked = Callable[[str, str, str], None]  # (url, method, reason)


def launch_args(
    start_url: str,
    *,
    restrict_dns: bool = True,
    allowed_hosts: frozenset[str] = frozenset(),
    pinned: dict[str, str] | None = None,
) -> list[str]:
    """Chromium flags; with ``restrict_dns`` only the target host (and loopback) resolves.

    With a server allow-list, every connection to another host fails (``--host-rules``, which
    holds IP literals too): redirects never reach the guard's route handler, this does.
    ``pinned`` names resolve to the address the egress guard checked, never to Chromium's own
    lookup (DNS rebinding)."""
    args = ["--disable-gpu"]
    pins = [f"MAP {name} {_bracketed(ip)}" for name, ip in (pinned or {}).items()]
    if restrict_dns:
        host = urlsplit(start_url).hostname or "127.0.0.1"
        seen = dict.fromkeys([host, "127.0.0.1", "localhost"])
        excludes = [h for h in seen if h not in (pinned or {})]  # an exclusion beats a MAP
        rules = ", ".join([*pins, "MAP * ~NOTFOUND", *(f"EXCLUDE {h}" for h in excludes)])
        args.append(f"--host-resolver-rules={rules}")
    elif pins:
        args.append(f"--host-resolver-rules={', '.join(pins)}")
    if allowed_hosts:
        names = allowed_host_names(allowed_hosts)
        rules = ", ".join(["MAP * ~NOTFOUND", *(f"EXCLUDE {h}" for h in names)])
        args.append(f"--host-rules={rules}")
    return args


async def launch_browser(
    pw: Playwright,
    *,
    start_url: str,
    chromium_path: str | None,
    widened_scope: bool,
    allowed_hosts: frozenset[str] = frozenset(),
    egress: EgressPolicy | None = None,
    resolver: Resolver | None = None,
) -> Browser:
    """Chromium for one discovery; under a policy that refuses anything, the target's name is
    checked first (EgressRefused) and pinned to the checked address."""
    pinned = await start_pins(start_url, egress, resolver)
    args = launch_args(
        start_url, restrict_dns=not widened_scope, allowed_hosts=allowed_hosts, pinned=pinned
    )
    path = chromium_path or default_chromium()
    return await pw.chromium.launch(executable_path=path, headless=True, args=args)


async def start_pins(
    start_url: str, egress: EgressPolicy | None, resolver: Resolver | None = None
) -> dict[str, str]:
    """The start page's host name -> its first checked address (none for a local policy or
    an IP literal). Raises EgressRefused when the policy forbids the target."""
    if egress is None or egress.permits_all:
        return {}
    parts = urlsplit(start_url)
    host = normalise_host(parts.hostname or "")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await resolve_checked(egress, host, port, resolver)
    return {} if parse_ip(host) is not None else {host: addresses[0]}


def _bracketed(ip: str) -> str:
    return f"[{ip}]" if ":" in ip else ip


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# long-lived or ranged responses route.fetch would hold whole: continued, not fetched
_UNBUFFERED = frozenset({"eventsource", "websocket", "media"})


class NetworkGuard:
    """Aborts requests the policy forbids: out of scope, logout/destructive, unallowed writes,
    and (``egress``) addresses this server may not reach.

    ``allowed_writes`` holds (METHOD, url-without-query) pairs the crawler is submitting on purpose.

    Under a policy that refuses anything, each request's host is looked up and checked before
    it leaves, and requests are fetched one hop at a time (``route.fetch(max_redirects=0)``,
    the 3xx handed to the browser with ``route.fulfill``) so each redirect comes back through
    this guard: Playwright calls a route handler for the first URL of a chain only.
    """

    def __init__(
        self,
        *,
        scope: Scope,
        policy: SafetyPolicy,
        on_blocked: OnBlocked,
        allowed_hosts: frozenset[str] = frozenset(),
        egress: EgressPolicy | None = None,
        resolver: Resolver | None = None,
        fetch_timeout_s: float = 30.0,
    ) -> None:
        self.scope = scope
        self.allowed_hosts = allowed_hosts
        self.egress = egress or EgressPolicy.local()
        self.resolver = resolver
        self.fetch_timeout_s = fetch_timeout_s
        self.policy = policy
        self.on_blocked = on_blocked
        self.allowed_writes: set[tuple[str, str]] = set()
        self._egress_verdicts: dict[str, str | None] = {}  # per scheme://host:port

    def verdict(self, request: Request) -> str | None:
        return self.url_verdict(request.method.upper(), request.url)

    def url_verdict(self, method: str, url: str) -> str | None:
        """Why a request of ``method`` to ``url`` may not leave (None: it may): the same rule
        for the browser's requests and the plain-HTTP lane's (``discovery.lane``)."""
        if url.startswith(("data:", "blob:", "about:")):
            return None
        if not self.scope.contains(url):
            return "blocked at network layer: outside the target's scope"
        if not url_allowed(self.allowed_hosts, url):
            return "blocked at network layer: not an allowed target on this server"
        allowed = (method, url.split("?")[0].split("#")[0]) in self.allowed_writes
        return self.policy.request_verdict(method=method, url=url, write_allowed=allowed)

    async def egress_verdict(self, url: str) -> str | None:
        """Why ``url``'s host may not be reached under the egress policy (None: it may). A
        verdict is kept per origin for the guard's life: one lookup per host, not per request."""
        if self.egress.permits_all or url.startswith(("data:", "blob:", "about:")):
            return None
        try:
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.hostname}:{parts.port}"
        except ValueError:
            return "blocked at network layer: not a URL this server can check"
        if origin in self._egress_verdicts:
            return self._egress_verdicts[origin]
        verdict: str | None = None
        try:
            await check_url(self.egress, url, self.resolver)
        except EgressRefused as refused:
            verdict = f"blocked at network layer: {refused.reason}"
        except OSError:  # no answer here: the browser must not find one on its own
            verdict = f"blocked at network layer: {parts.hostname} does not resolve"
        self._egress_verdicts[origin] = verdict
        return verdict

    @property
    def egress_refusals(self) -> dict[str, str]:
        """Origins the egress policy refused, with why (out of scope ones too)."""
        return {origin: why for origin, why in self._egress_verdicts.items() if why is not None}

    async def handle(self, route: Route, request: Request) -> None:
        reason = self.verdict(request) or await self.egress_verdict(request.url)
        if reason is not None:
            await self._refuse(route, request.url, request.method.upper(), reason)
            return
        if self.egress.permits_all or request.resource_type in _UNBUFFERED:
            await route.continue_()
            return
        await self._one_hop(route, request)

    async def _one_hop(self, route: Route, request: Request) -> None:
        """The request without following redirects; a 3xx whose target the egress policy
        refuses is aborted, any other answer goes to the browser (which sends the redirect's
        next request back through :meth:`handle`)."""
        try:
            response = await route.fetch(max_redirects=0, timeout=self.fetch_timeout_s * 1000)
        except PlaywrightError:
            with contextlib.suppress(PlaywrightError):  # the page may be gone already
                await route.abort("failed")
            return
        location = response.headers.get("location")
        if response.status in _REDIRECTS and location:
            target = urljoin(request.url, location)
            reason = await self.egress_verdict(target)
            if reason is not None:
                await self._refuse(route, target, "GET", reason)
                return
        with contextlib.suppress(PlaywrightError):
            await route.fulfill(response=response)

    async def _refuse(self, route: Route, url: str, method: str, reason: str) -> None:
        if self.scope.contains(url):
            self.on_blocked(url, method, reason)
        with contextlib.suppress(PlaywrightError):
            await route.abort("blockedbyclient")


async def _dismiss(dialog: Dialog) -> None:
    await dialog.dismiss()


async def guarded_context(
    browser: Browser, guard: NetworkGuard, *, storage_state: StorageState | str | None = None
) -> BrowserContext:
    """A fresh context (own cookie jar, or a logged-in ``storage_state``) with the guard on
    every request, the single-page-app hooks installed at document start, dialogs dismissed."""
    context = await browser.new_context(
        accept_downloads=False, service_workers="block", storage_state=storage_state
    )
    await context.add_init_script(HOOKS_JS)
    await context.route("**/*", guard.handle)
    context.on("dialog", _dismiss)
    return context
