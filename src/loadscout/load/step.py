"""One step executed: rendered, sent, judged, its values extracted, its outcome reported once.

The virtual user of a load run and the one-off replay that verifies a flow both run steps
through :func:`execute_step`, so a flow that passes verification is one a load run can run.
They differ only in who the user is and where the outcome goes (:class:`StepUser`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from loadscout.load.client import Client, HttpResponse, TransportError, was_never_sent
from loadscout.load.compiled import CompiledStep, RenderedRequest, builtin_values
from loadscout.load.errors import EXTRACTION_FAILED, RETRIED, TIMEOUT, classify, describe
from loadscout.load.extract import ExtractionFailed, extract
from loadscout.load.state import RunState
from loadscout.load.streams import StreamClient, jar_values
from loadscout.load.template import MissingVariable

PageCheck = Callable[[HttpResponse], str | None]
"""An extra check of a response that passed the step's own (verification's): why it fails."""
CHECK_FAILED = "check_failed"


class StepUser(Protocol):
    """Who a step runs as, and where its one outcome goes.

    ``where`` names the request (``GET <url>``), ``detail`` what went wrong, ``kind`` the
    error class reports group by (None: the step passed).
    """

    @property
    def number(self) -> int: ...

    @property
    def iteration(self) -> int: ...

    def unique(self) -> str:
        """A value no other request of the run sends (``${unique}``)."""
        ...

    def streams(self) -> StreamClient:
        """The user's stream connections, opened by its first stream step."""
        ...

    def failure(self, step: CompiledStep, kind: str, where: str, detail: str) -> None:
        """No response: an undefined variable, a transport error, the run stopping."""
        ...

    def response(
        self,
        step: CompiledStep,
        start_ns: int,
        end_ns: int,
        kind: str | None,
        where: str,
        detail: str,
        ttfb_ns: int = 0,
        connect_ns: int = 0,
        tls_ns: int = 0,
    ) -> None:
        """A response (or an opened stream), judged; ``perf_counter_ns`` times."""
        ...

    def resent(self, step: CompiledStep, retried: int, redirects: int) -> None:
        """Of the requests just reported, how many were retries and redirect hops."""
        ...


class PageAssets(Protocol):
    """What fetches a document's page assets after it (``load.assets.AssetCache``)."""

    async def fetch(
        self, client: Client, page: HttpResponse, user: StepUser, run: RunState
    ) -> None: ...


async def execute_step(
    step: CompiledStep,
    scope: dict[str, str],
    client: Client,
    user: StepUser,
    state: RunState,
    assets: PageAssets | None = None,
    check: PageCheck | None = None,
    on_page: Callable[[HttpResponse], None] | None = None,
    request: RenderedRequest | None = None,
    sent: tuple[Awaitable[HttpResponse], int] | None = None,
) -> bool:
    """Run ``step`` as ``user``: its extracted values go into ``scope``; False when it failed
    (later steps depend on it). ``assets``: fetch a document's page assets after it, as a
    browser would; ``check``: judge a passing response once more before extracting;
    ``on_page`` receives a passing response (a journey picks its next link from it);
    ``request``: the step's request, already rendered; ``sent``: the request is already on
    the wire (``load.lane``, whose exchange needs the coroutine after all): its response
    and when it was sent (``state.begin`` called)."""
    req = request or step.fixed or _render(step, scope, user)  # (a non-empty tuple)
    if req is None:
        return False
    if step.stream is not None:
        return await _stream(step, req, scope, client, user, state)
    if sent is None:  # send_request, inlined: one coroutine less per request
        state.begin()
        start = time.perf_counter_ns()
        sending: Awaitable[HttpResponse] = client.send(
            step.method,
            req.url,
            headers=req.headers,
            form=req.form,
            json_body=req.json_body,
            body=req.body,
            want_headers=step.wants_headers,
            on_wire=state.on_wire(step.id),
        )
    else:
        sending, start = sent
    try:
        resp = await sending
    except asyncio.CancelledError as exc:
        unanswered(step, req, exc, start, user, state)
        raise
    except Exception as exc:
        unanswered(step, req, exc, start, user, state)
        return False
    finally:
        state.end()
    if not judged(step, req.url, resp, start, time.perf_counter_ns(), scope, client, user, check):
        return False
    if on_page is not None:
        on_page(resp)
    if assets is not None and step.is_document:
        await assets.fetch(client, resp, user, state)
    return True


def judged(
    step: CompiledStep,
    url: str,
    resp: HttpResponse,
    start: int,
    end: int,
    scope: dict[str, str],
    client: Client,
    user: StepUser,
    check: PageCheck | None = None,
) -> bool:
    """A step's response (sent at ``start``, answered at ``end``) judged, its values extracted
    into ``scope`` and its outcome reported, once: whether it passed. The one verdict of both
    the coroutine path (:func:`execute_step`) and the callback lane (``load.lane``)."""
    if resp.hops or resp.retried:
        start = _hops(step, start, resp.hops, user, url)
        _resent(step, resp.retried, len(resp.hops), user, url)
    kind = step.verdict(resp.status, resp.body)
    if kind is not None:
        why = step.why(kind, resp.status)
        user.response(step, start, end, kind, f"{step.method} {url}", why)
        return False
    if check is not None and (reason := check(resp)) is not None:
        user.response(step, start, end, CHECK_FAILED, f"{step.method} {url}", reason)
        return False
    if step.extractors:
        try:
            found = extract(step.extractors, resp, lambda name: client.cookie(name, resp.url))
        except ExtractionFailed as exc:
            user.response(step, start, end, EXTRACTION_FAILED, f"{step.method} {url}", str(exc))
            return False
        scope.update(found)
    user.response(step, start, end, None, "", "", resp.ttfb_ns, resp.connect_ns, resp.tls_ns)
    return True


def rendered(step: CompiledStep, scope: dict[str, str], user: StepUser) -> RenderedRequest:
    """The request with variables substituted; raises ``MissingVariable``."""
    variables = scope
    if step.builtins:
        builtins = builtin_values(
            step.builtins, vu=user.number, iteration=user.iteration, unique=user.unique
        )
        variables = {**builtins, **scope}
    return step.render(variables)


def _render(step: CompiledStep, scope: dict[str, str], user: StepUser) -> RenderedRequest | None:
    """The request with variables substituted; None when one is undefined (recorded)."""
    try:
        return rendered(step, scope, user)
    except MissingVariable as exc:
        where = f"{step.method} {step.url.source}"
        user.failure(step, EXTRACTION_FAILED, where, f"variable ${{{exc.name}}} is not defined")
        return None


async def send_request(
    step: CompiledStep, req: RenderedRequest, client: Client, user: StepUser, state: RunState
) -> tuple[HttpResponse, int, int] | None:
    """The response and when its (final) request started and ended; None when none came
    (the failure is recorded). Redirects followed on the way are recorded as requests.
    (``execute_step`` does the same inline.)"""
    state.begin()
    start = time.perf_counter_ns()
    try:
        resp = await client.send(
            step.method,
            req.url,
            headers=req.headers,
            form=req.form,
            json_body=req.json_body,
            body=req.body,
            want_headers=step.wants_headers,
            on_wire=state.on_wire(step.id),
        )
    except asyncio.CancelledError as exc:
        unanswered(step, req, exc, start, user, state)
        raise
    except Exception as exc:
        unanswered(step, req, exc, start, user, state)
        return None
    finally:
        state.end()
    end = time.perf_counter_ns()
    if resp.hops or resp.retried:
        start = _hops(step, start, resp.hops, user, req.url)
        _resent(step, resp.retried, len(resp.hops), user, req.url)
    return resp, start, end


def unanswered(
    step: CompiledStep,
    req: RenderedRequest,
    exc: BaseException,
    start: int,
    user: StepUser,
    state: RunState,
) -> None:
    """Record a request that got no response: the run stopping (``CancelledError``) or a
    failure, after the redirects and resends that came before it."""
    if was_never_sent(exc):
        state.count(step.id)
    where = f"{step.method} {req.url}"
    if isinstance(exc, asyncio.CancelledError):
        user.failure(step, TIMEOUT, where, "aborted when the run stopped")
        return
    hops = exc.hops if isinstance(exc, TransportError) else ()
    if hops:
        _hops(step, start, hops, user, req.url)
    retried = getattr(exc, "retried", 0)
    if retried or hops:
        _resent(step, retried, len(hops), user, req.url)
    user.failure(step, classify(exc), where, describe(exc))


def _resent(step: CompiledStep, retried: int, redirects: int, user: StepUser, url: str) -> None:
    """Requests beyond the step's first, counted: redirect hops (recorded as responses by
    :func:`_hops`) and attempts lost with a kept-alive connection that dropped before
    answering, then sent again (each may have reached the server: a request, failed)."""
    for _ in range(retried):
        user.failure(step, RETRIED, f"{step.method} {url}", "the connection dropped; sent again")
    user.resent(step, retried, redirects)


def _hops(step: CompiledStep, start: int, hops: tuple[int, ...], user: StepUser, url: str) -> int:
    """Each redirect answered on the way is a request of this step, timed on its own; the
    time the next one started (the final response's start)."""
    for answered in hops:
        user.response(step, start, answered, None, f"{step.method} {url}", "redirect")
        start = answered
    return start


async def _stream(
    step: CompiledStep,
    req: RenderedRequest,
    scope: dict[str, str],
    client: Client,
    user: StepUser,
    state: RunState,
) -> bool:
    """A WebSocket/EventSource step, sent with the user's cookies."""
    assert step.stream is not None
    streams, where = user.streams(), f"{step.name} {req.url}"
    cookie = client.cookie_header(req.url)
    state.begin()
    state.count(step.id)
    start = time.perf_counter_ns()
    try:
        res = await streams.open(
            step.stream, req.url, headers=req.headers, messages=list(req.messages), cookie=cookie
        )
    except asyncio.CancelledError:
        user.failure(step, TIMEOUT, where, "aborted when the run stopped")
        raise
    except Exception as exc:
        user.failure(step, classify(exc), where, describe(exc))
        return False
    finally:
        state.end()
    kind = step.verdict(res.status, b"")
    detail = step.why(kind, res.status) if kind else ""
    if kind is None and step.extractors:
        try:
            scope.update(jar_values(step.extractors, req.url, client.cookie))
        except ExtractionFailed as exc:
            kind, detail = EXTRACTION_FAILED, str(exc)
    user.response(step, start, res.done_ns, kind, where, detail, ttfb_ns=res.ttfb_ns)
    return kind is None
