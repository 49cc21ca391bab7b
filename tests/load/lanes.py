"""What tests of the callback lane (``load.lane``) share: a spy on what the lanes of a run
did, a plan whose users take the lane, and the check that nothing was left dangling."""

from __future__ import annotations

import gc
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import pytest

from loadscout.load import vuser
from loadscout.load.client import HttpResponse
from loadscout.load.h1_client import Connection, H1Client, Pending
from loadscout.load.journey import Session, Todo, Walker, drive
from loadscout.load.lane import CallbackLane, LaneUser
from loadscout.load.state import RunState
from loadscout.plan.profiles import LoadPlan
from tests.load.flows import plan


@dataclass
class LaneSpy:
    """What the callback lanes of a run did."""

    lanes: int = 0  # users that took the lane
    answered: int = 0  # responses judged in a connection's callback
    escalated: list[int] = field(default_factory=list)  # statuses handed over (0: no answer)
    abandoned: int = 0  # requests in flight dropped when the run stopped
    # where the coroutine took a journey's session over: a page (a new connection, a
    # redirect, a failure), a Pause or a Transaction
    journeys: list[Todo] = field(default_factory=list)

    def handed(self, kind: type) -> int:
        """How many of the sessions handed over were handed at a ``kind`` (Pause, tuple...)."""
        return sum(1 for todo in self.journeys if type(todo) is kind)


def spy_on_lanes(monkeypatch: pytest.MonkeyPatch) -> LaneSpy:
    spy = LaneSpy()
    init, answered, escalated = CallbackLane.__init__, CallbackLane.answered, CallbackLane.escalated
    abandon = H1Client.abandon

    def made(self: CallbackLane, user: LaneUser, client: H1Client, state: RunState) -> None:
        spy.lanes += 1
        init(self, user, client, state)

    def took(self: CallbackLane, response: HttpResponse) -> None:
        spy.answered += 1
        answered(self, response)

    def handed(self: CallbackLane, pending: Pending) -> None:
        spy.escalated.append(pending.conn.status)
        escalated(self, pending)

    def dropped(self: H1Client, conn: Connection) -> None:
        spy.abandoned += 1
        abandon(self, conn)

    def taken_over(
        walking: Session,
        todo: Todo,
        user: Walker,
        scope: dict[str, str],
        sent: tuple[Coroutine[Any, Any, HttpResponse], int] | None = None,
    ) -> Coroutine[Any, Any, bool]:
        spy.journeys.append(todo)  # vuser calls drive only for a session the lane handed over
        return drive(walking, todo, user, scope, sent)

    monkeypatch.setattr(CallbackLane, "__init__", made)
    monkeypatch.setattr(CallbackLane, "answered", took)
    monkeypatch.setattr(CallbackLane, "escalated", handed)
    monkeypatch.setattr(H1Client, "abandon", dropped)
    monkeypatch.setattr(vuser, "drive", taken_over)
    return spy


def assert_nothing_left_dangling(
    recwarn: pytest.WarningsRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    """No coroutine was left unawaited, no future's exception unretrieved (both say so when
    they are collected)."""
    gc.collect()
    assert [str(w.message) for w in recwarn if issubclass(w.category, RuntimeWarning)] == []
    assert [r.getMessage() for r in caplog.records if "never retrieved" in r.getMessage()] == []


def lane_plan(
    *, users: int = 1, duration_s: float = 1.0, timeout_s: float = 5.0, workers: int = 0
) -> LoadPlan:
    """A closed model without pauses: its users take the lane."""
    return plan(
        users=users, duration_s=duration_s, timeout_s=timeout_s, workers=workers, recorded=False
    )
