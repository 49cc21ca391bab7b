"""Keep a load process from outliving its parent: on a cluster node the agent that started it
can be killed at any moment (a node lost, the driver gone), and a load generator left running
would keep sending requests nobody counts."""

from __future__ import annotations

import ctypes
import os
import signal
import threading

_PR_SET_PDEATHSIG = 1


def guard_orphan(parent_pid: int, deadline_s: float) -> None:
    """Die with SIGKILL when the parent dies (Linux), and exit after ``deadline_s`` whatever
    happens (a backstop where the parent-death signal is unavailable)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the deadline still holds
        pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    timer = threading.Timer(deadline_s, os._exit, args=(1,))
    timer.daemon = True
    timer.start()
