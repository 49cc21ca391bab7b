"""Chromium launch and guarded browser contexts (the network half of the safety policy)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    Dialog,
    Playwright,
    ProxySettings,
    Request,
    Route,
    StorageState,
)
from playwright.async_api import Error as PlaywrightError

from loadscout.discovery.egress_proxy import EgressProxy
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
# Chromium bypasses a proxy for localhost and 169.254/16 unless told not to
LOOPBACK_PROXIED = "<-loopback>"
# WebRTC's UDP would not go through the proxy: none but the proxied kind
PROXIED_ARGS = ["--disable-gpu", "--force-webrtc-ip-handling-policy=disable_non_proxied_udp"]


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
    proxy: EgressProxy | None = None,
) -> Browser:
    """Chromium for one discovery; under a policy that refuses anything, the target's name is
    checked first (EgressRefused) and pinned to the checked address. With ``proxy`` (team
    mode) every connection, loopback included, goes through it: Chromium's own, and those
    Playwright makes for the context (``route.fetch``, ``context.request``)."""
    pinned = await start_pins(start_url, egress, resolver)
    path = chromium_path or default_chromium()
    if proxy is None:
        args = launch_args(
            start_url, restrict_dns=not widened_scope, allowed_hosts=allowed_hosts, pinned=pinned
        )
        return await pw.chromium.launch(executable_path=path, headless=True, args=args)
    # Chromium resolves no destination behind a proxy, and its --host-rules would map the
    # proxy's own address: the proxy holds the scope's names and the allow-list instead
    through: ProxySettings = {"server": proxy.url, "bypass": LOOPBACK_PROXIED}
    return await pw.chromium.launch(
        executable_path=path, headless=True, args=PROXIED_ARGS, proxy=through
    )


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


class NetworkGuard:
    """Aborts requests the policy forbids: out of scope, logout/destructive, unallowed writes,
    and (``egress``) addresses this server may not reach.

    ``allowed_writes`` holds (METHOD, url-without-query) pairs the crawler is submitting on purpose.

    Under a policy that refuses anything, each request's host is looked up and checked here
    too, so the crawler sees why (``egress_refusals``). Playwright calls a route handler for
    the first URL of a redirect chain only and never for WebSockets: the egress proxy the
    browser is launched with (:mod:`loadscout.discovery.egress_proxy`) checks every
    connection, redirects and sockets included, and pins it to the checked address.
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
    ) -> None:
        self.scope = scope
        self.allowed_hosts = allowed_hosts
        self.egress = egress or EgressPolicy.local()
        self.resolver = resolver
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
        with contextlib.suppress(PlaywrightError):  # the page may be gone already
            await route.continue_()

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
