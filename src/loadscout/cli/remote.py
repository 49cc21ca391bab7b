"""``run --server URL``: start the run on a loadscout server, follow it with the local run's
console output, and end with the same summary, files and exit code as a run here.

Exit codes stay those of ``run``: a refusal (bad token, option over a limit, unreachable target)
is bad input (2), a server that cannot be reached or fails is a failed run (3)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from pydantic import BaseModel, ValidationError
from rich.console import Console

from loadscout.api.schemas import LivePublic
from loadscout.cli.console_observer import ConsoleObserver
from loadscout.cli.errors import err_console
from loadscout.cli.remote_body import run_body
from loadscout.cli.runner import ctrl_c_cancels, show_result
from loadscout.errors import BadInput, LoadscoutError, RunFailed
from loadscout.flows.model import FlowSet
from loadscout.metrics.live import LiveStats
from loadscout.metrics.summary import RunSummary
from loadscout.orchestrator.options import RunOptions
from loadscout.status import RunStatus

TOKEN_ENV = "LOADSCOUT_TOKEN"
POLL_EVERY_S = 1.0
PATIENCE_S = 30.0  # how long polling rides out a server that stopped answering
REQUEST_TIMEOUT_S = 30.0
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class ServerUnreachable(RunFailed):
    """No answer from the server (refused, reset, timed out): worth retrying while polling."""


class RunState(BaseModel):
    """What following a run reads of ``GET /api/v1/runs/{id}`` (other fields are ignored, so a
    newer server's additions do not break an older client)."""

    id: int
    status: RunStatus
    target_url: str
    users: int
    duration_s: float
    reason: str = ""
    live: LivePublic | None = None
    discovery_message: str = ""


def server_base(text: str) -> str:
    """``--server`` as the base of the server's URLs: scheme and host, any path kept, no
    trailing ``/`` and no ``/api/v1`` (both are accepted)."""
    base = text.strip().rstrip("/").removesuffix("/api/v1")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(
            f"--server {text!r} is not a server address; give it like https://loadscout.example.com"
        )
    return base


def detail_text(payload: Any) -> str:
    """The reason in an error answer: FastAPI's ``detail`` (a sentence, or each invalid field
    and why), else the start of the body."""
    detail = payload.get("detail", payload) if isinstance(payload, dict) else payload
    if isinstance(detail, list):
        return "; ".join(
            f"{d.get('field') or d.get('loc', '')}: {d.get('reason') or d.get('msg', '')}"
            if isinstance(d, dict)
            else str(d)
            for d in detail
        )
    return " ".join(str(detail).split())[:300]


def refusal(
    status: int, detail: str, *, what: str, server: str, token_sent: bool
) -> LoadscoutError:
    """The error for an answer that is not a success, in ``run``'s terms: the caller's to fix
    (BadInput, exit 2) or the server's failure (RunFailed, exit 3)."""
    if status == 401 and token_sent:
        return BadInput(
            f"the server refused the token (expired, revoked or wrong): {detail}; "
            f"set {TOKEN_ENV} to a valid API token"
        )
    if status == 401:
        return BadInput(f"{server} needs an API token: set {TOKEN_ENV} to one ({detail})")
    if status == 403:
        return BadInput(f"the server does not let this token {what}: {detail}")
    if status == 404:
        return BadInput(
            f"{server} answered 404 Not Found when asked to {what} ({detail}); "
            "check that --server is the address of a loadscout server"
        )
    if 300 <= status < 400:
        where = detail or "another address"
        return BadInput(f"{server} redirects to {where}; give that address as --server")
    if status == 429:  # a quota of the token's team: nothing to fix in the command
        return RunFailed(f"the server will not {what} now: {detail}")
    if status < 500:
        return BadInput(f"the server refused to {what}: {detail}")
    return RunFailed(f"the server failed to {what}: HTTP {status} {detail}")


class ServerClient:
    """The calls ``run --server`` makes, over one aiohttp session; redirects are not followed,
    so the token goes to the address given and nowhere else."""

    def __init__(self, session: aiohttp.ClientSession, *, server: str, token: str) -> None:
        self._session = session
        self.server = server
        self._api = f"{server}/api/v1"
        self._headers = {"authorization": f"Bearer {token}"} if token else {}

    async def create(self, body: dict[str, Any]) -> RunState:
        return self._state(await self._call("POST", "/runs", "start the run", body))

    async def run(self, run_id: int) -> RunState:
        return self._state(await self._call("GET", f"/runs/{run_id}", f"read run {run_id}"))

    async def cancel(self, run_id: int) -> None:
        """Cancel the run; one that already finished (409) is left as it ended."""
        status, payload = await self._request("POST", f"/runs/{run_id}/cancel")
        if status != 409:
            self._check(status, payload, f"cancel run {run_id}")

    async def flows(self, run_id: int) -> FlowSet:
        return FlowSet.model_validate(
            await self._call("GET", f"/runs/{run_id}/flows", f"read the flows of run {run_id}")
        )

    async def result(self, run_id: int) -> RunSummary | None:
        """The finished run's result; None when it ended without one (cancelled while queued)."""
        status, payload = await self._request("GET", f"/runs/{run_id}/result")
        if status == 409:
            return None
        self._check(status, payload, f"read the result of run {run_id}")
        return RunSummary.model_validate(payload)

    async def _call(self, method: str, path: str, what: str, body: Any = None) -> Any:
        status, payload = await self._request(method, path, body)
        self._check(status, payload, what)
        return payload

    async def _request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        try:
            async with self._session.request(
                method, self._api + path, json=body, headers=self._headers, allow_redirects=False
            ) as resp:
                if 300 <= resp.status < 400:
                    return resp.status, resp.headers.get("location", "")
                text = await resp.text()
        except (aiohttp.ClientError, TimeoutError) as err:
            raise ServerUnreachable(
                f"cannot reach the loadscout server at {self.server}: {err or type(err).__name__}; "
                "check --server and that the server is running"
            ) from None
        try:
            return resp.status, json.loads(text) if text else None
        except ValueError:
            return resp.status, text

    def _check(self, status: int, payload: Any, what: str) -> None:
        if not 200 <= status < 300:
            token_sent = bool(self._headers)
            raise refusal(
                status, detail_text(payload), what=what, server=self.server, token_sent=token_sent
            )

    def _state(self, payload: Any) -> RunState:
        try:
            return RunState.model_validate(payload)
        except ValidationError:
            raise BadInput(
                f"{self.server} does not answer like a loadscout server; check --server"
            ) from None


class _Follower:
    """Polls one run and tells the local console observer what changed, so a run on a
    server prints what the same run prints here."""

    def __init__(self, client: ServerClient, observer: ConsoleObserver, every_s: float) -> None:
        self._client = client
        self._observer = observer
        self._every_s = every_s
        self._status: RunStatus | None = None
        self._message = ""
        self._live: LivePublic | None = None

    async def follow(self, run_id: int, cancel: asyncio.Event) -> RunState:
        """Until the run is final; once ``cancel`` is set, ask the server to cancel it, once."""
        cancelled = False
        while True:
            run = await self._poll(run_id)
            await self._show(run)
            if run.status.is_final:
                return run
            if cancel.is_set() and not cancelled:
                await self._client.cancel(run_id)
                cancelled = True
            if cancelled:
                await asyncio.sleep(self._every_s)
            else:  # a Ctrl-C is acted on at once, not at the next poll
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(cancel.wait(), self._every_s)

    async def _poll(self, run_id: int) -> RunState:
        """The run; a server that stops answering is retried for PATIENCE_S (a restart)."""
        lost_at: float | None = None
        while True:
            try:
                return await self._client.run(run_id)
            except ServerUnreachable:
                now = time.monotonic()
                if lost_at is None:
                    lost_at = now
                    err_console.print("[yellow]the server does not answer; retrying…[/]")
                elif now - lost_at > PATIENCE_S:
                    raise
                await asyncio.sleep(self._every_s)

    async def _show(self, run: RunState) -> None:
        if run.status is not self._status:
            self._status = run.status
            await self._observer.on_status(run.status, run.reason if run.status.is_final else "")
            if run.status is RunStatus.LOADING:
                await self._show_flows(run.id)
        if run.discovery_message and run.discovery_message != self._message:
            self._message = run.discovery_message
            self._observer.on_discovery_progress(run.discovery_message)
        if run.live is not None and run.live != self._live:
            self._live = run.live
            stats = LiveStats(duration_s=run.duration_s, **run.live.model_dump())
            self._observer.on_load_progress(stats)

    async def _show_flows(self, run_id: int) -> None:
        """What the run replays, as a run here lists it; only a nicety, so never fatal."""
        with contextlib.suppress(LoadscoutError, ValidationError):
            await self._observer.on_flows(await self._client.flows(run_id))


def token_from(environ: Mapping[str, str]) -> str:
    return environ.get(TOKEN_ENV, "").strip()


def _warn_plain_http(server: str, token: str) -> None:
    parts = urlsplit(server)
    if token and parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        err_console.print(
            f"[yellow]warning: {TOKEN_ENV} goes to {server} unencrypted; use https://[/]"
        )


async def _run_remote(
    body: dict[str, Any],
    *,
    server: str,
    token: str,
    console: Console,
    every_s: float,
) -> RunSummary:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        client = ServerClient(session, server=server, token=token)
        run = await client.create(body)
        console.print(
            f"run {run.id} on {server} against {run.target_url} "
            f"({run.users} users, {run.duration_s:g}s): {server}/runs/{run.id}"
        )
        cancel = asyncio.Event()
        stopping = f"cancelling run {run.id} on the server (Ctrl-C again to stop waiting)"
        with ctrl_c_cancels(cancel, console, stopping):
            follower = _Follower(client, ConsoleObserver(console), every_s)
            final = await follower.follow(run.id, cancel)
        summary = await client.result(run.id)
    if summary is None:
        reason = f": {final.reason}" if final.reason else ""
        raise RunFailed(f"run {run.id} is {final.status} on the server, without a result{reason}")
    return summary


def run_remote(
    options: RunOptions,
    *,
    server: str,
    console: Console,
    json_out: Path | None,
    junit_out: Path | None,
    environ: Mapping[str, str] = os.environ,
    every_s: float = POLL_EVERY_S,
) -> RunSummary:
    """Run ``options`` on the server at ``server`` and show the result as a run here does."""
    base = server_base(server)
    body = run_body(options)
    token = token_from(environ)
    _warn_plain_http(base, token)
    summary = asyncio.run(
        _run_remote(body, server=base, token=token, console=console, every_s=every_s)
    )
    show_result(summary, console=console, json_out=json_out, junit_out=junit_out)
    return summary
