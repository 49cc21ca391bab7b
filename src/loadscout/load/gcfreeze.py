"""The garbage collector during a run: everything that exists at the start is frozen.

A load generator allocates short-lived containers (coroutines, futures, responses) at tens of
thousands per second, so the collector runs often, and each older-generation pass used to
walk every long-lived object too (modules, pydantic models, the compiled flows). Frozen, they
are skipped: the largest single gain in requests per CPU-second on the benchmark (about a
quarter in interleaved runs against nginx; bench/README.md).
Nested runs in one process share the freeze; the last one to end lifts it.
"""

from __future__ import annotations

import gc


class _Holds:
    count = 0


def hold() -> None:
    """Freeze the heap (``gc.freeze``) for a run; pair every call with :func:`release`."""
    if _Holds.count == 0:
        gc.freeze()
    _Holds.count += 1


def release() -> None:
    _Holds.count -= 1
    if _Holds.count == 0:
        gc.unfreeze()
