"""The typed messages between the parent and its worker processes (pickled over a pipe).

Parent -> worker: :class:`Start` once every worker is :class:`Ready`, :class:`Stop` to cancel.
Worker -> parent: :class:`Ready`, a :class:`~loadscout.metrics.snapshot.Snapshot` every
interval, then :class:`Done` (or :class:`Failed`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ready:
    worker: int


@dataclass(frozen=True, slots=True)
class Start:
    start_ns: int  # CLOCK_MONOTONIC, shared by every process on the machine


@dataclass(frozen=True, slots=True)
class Stop:
    pass


@dataclass(frozen=True, slots=True)
class Done:
    worker: int
    load_s: float


@dataclass(frozen=True, slots=True)
class Failed:
    worker: int
    error: str
