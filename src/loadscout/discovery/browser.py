"""Chromium launch and guarded browser contexts (the network half of the safety policy)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    Dialog,
    Playwright,
    Request,
    Route,
    StorageState,
)

from loadscout.discovery.safety import SafetyPolicy
from loadscout.discovery.spa import HOOKS_JS
from loadscout.plan.allowed import allowed_host_names, url_allowed
from loadscout.plan.scope import Scope
from loadscout.settings import default_chromium

OnBlocked = Callable[[str, str, str], None]  # (url, method, reason)


def launch_args(
    start_url: str, *, restrict_dns: bool = True, allowed_hosts: frozenset[str] = frozenset()
) -> list[str]:
    """Chromium flags; with ``restrict_dns`` only the target host (and loopback) resolves.

    With a server allow-list, every connection to another host fails (``--host-rules``, which
    holds IP literals too): redirects never reach the guard's route handler, this does."""
    args = ["--disable-gpu"]
    if restrict_dns:
        host = urlsplit(start_url).hostname or "127.0.0.1"
        excludes = dict.fromkeys([host, "127.0.0.1", "localhost"])
        rules = ", ".join(["MAP * ~NOTFOUND", *(f"EXCLUDE {h}" for h in excludes)])
        args.append(f"--host-resolver-rules={rules}")
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
) -> Browser:
    path = chromium_path or default_chromium()
    return await pw.chromium.launch(
        executable_path=path,
        headless=True,
        args=launch_args(start_url, restrict_dns=not widened_scope, allowed_hosts=allowed_hosts),
    )


class NetworkGuard:
    """Aborts requests the policy forbids: out of scope, logout/destructive, unallowed writes.

    ``allowed_writes`` holds (METHOD, url-without-query) pairs the crawler is submitting on purpose.
    """

    def __init__(
        self,
        *,
        scope: Scope,
        policy: SafetyPolicy,
        on_blocked: OnBlocked,
        allowed_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.scope = scope
        self.allowed_hosts = allowed_hosts
        self.policy = policy
        self.on_blocked = on_blocked
        self.allowed_writes: set[tuple[str, str]] = set()

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

    async def handle(self, route: Route, request: Request) -> None:
        reason = self.verdict(request)
        if reason is None:
            await route.continue_()
            return
        if self.scope.contains(request.url):
            self.on_blocked(request.url, request.method.upper(), reason)
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
