"""Timeouts and retries of a run, and the helper that runs one phase under them.

A phase stops for three reasons: it finished, the user cancelled (checked within the event loop
at once, so cancel takes effect in well under 2 s), or its time ran out. Only transient
failures of discovery (a browser crash, a page or network timeout) are retried; bad input and
failures loadscout itself reports are not, unless raised as TransientFailure. Load is never
retried: its requests reached the target.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TypeVar

from playwright.async_api import Error as PlaywrightError

from loadscout.errors import LoadscoutError, RunFailed, TransientFailure

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class RunPolicy:
    """Limits of one run; ``None`` means no limit of that kind."""

    discovery_timeout_s: float | None = None
    load_timeout_s: float | None = None
    run_timeout_s: float | None = None
    max_attempts: int = 1
    retry_delay_s: float = 0.5

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")


class PhaseTimeout(RunFailed):
    """A phase, or the whole run, took longer than its policy allows."""


class PhaseStopped(Exception):
    """The user cancelled while the phase ran (internal: becomes RunStatus.CANCELLED)."""


def is_transient(err: BaseException) -> bool:
    """Worth another attempt: the environment failed, not the user's input or loadscout."""
    if isinstance(err, TransientFailure):
        return True
    if isinstance(err, LoadscoutError):
        return False
    return isinstance(err, PlaywrightError | TimeoutError | OSError | BrokenProcessPool)


async def run_phase(
    work: Awaitable[T], *, stop: asyncio.Event, timeout_s: float | None, what: str
) -> T:
    """Await ``work`` unless ``stop`` is set or ``timeout_s`` passes first; then cancel it.

    Cancelling the work's task runs its cleanup (a browser closes through ``async with``).
    """
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait(
            {task, waiter}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        waiter.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    if task in done:
        return task.result()
    if stop.is_set():
        raise PhaseStopped(what)
    raise PhaseTimeout(f"{what} did not finish within its {timeout_s:g} s timeout")


async def set_after(stop: asyncio.Event, source: asyncio.Event, timeout_s: float | None) -> bool:
    """Set ``stop`` when ``source`` is set or ``timeout_s`` passes; True means it timed out."""
    try:
        await asyncio.wait_for(source.wait(), timeout_s)
    except TimeoutError:
        stop.set()
        return True
    stop.set()
    return False
