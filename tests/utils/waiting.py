"""Wait for a condition instead of a fixed sleep: fast when the machine is, patient when not."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def eventually(
    check: Callable[[], Awaitable[bool]], *, what: str, timeout_s: float = 30.0
) -> None:
    """Poll ``check`` until it holds; AssertionError naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {timeout_s} s")
        await asyncio.sleep(0.05)
