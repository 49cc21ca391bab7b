from loadscout.metrics.recorder import NS_PER_S, Recorder

MS = 1_000_000


class Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def test_records_steps_seconds_and_errors() -> None:
    clock = Clock()
    rec = Recorder(start_ns=0, clock=clock)
    rec.user_started()
    rec.response(0, 0, 5 * MS)
    rec.response(0, 10 * MS, 30 * MS, "http_500", "GET /x: HTTP 500")
    rec.response(1, NS_PER_S, NS_PER_S + 2 * MS)
    clock.now = NS_PER_S + 500 * MS
    rec.failure(1, "connection_refused", "GET /y: refused")
    rec.failure(1, "connection_refused", "GET /z: refused")

    snap = rec.snapshot()
    s0, s1 = snap.steps
    assert (s0.step, s0.requests, s0.errors) == (0, 2, 1)
    assert (s1.step, s1.requests, s1.errors) == (1, 3, 2)
    (refused,) = s1.error_kinds
    assert (refused.kind, refused.count, refused.example) == (
        "connection_refused",
        2,
        "GET /y: refused",
    )
    sec0, sec1 = snap.seconds
    assert (sec0.t, sec0.requests, sec0.errors, sec0.active_max) == (0, 2, 1, 1)
    assert (sec1.t, sec1.requests, sec1.errors) == (1, 3, 2)


def test_snapshot_drains() -> None:
    clock = Clock()
    rec = Recorder(start_ns=0, clock=clock)
    rec.response(0, 0, MS)
    assert rec.snapshot().steps[0].requests == 1
    again = rec.snapshot()
    assert again.steps == ()
    assert [s.requests for s in again.seconds] == [0]  # only the active-users observation


def test_active_users_max_and_last_per_second() -> None:
    clock = Clock()
    rec = Recorder(start_ns=0, clock=clock)
    for _ in range(3):
        rec.user_started()
    rec.user_stopped()
    (sec,) = rec.snapshot().seconds
    assert (sec.active_max, sec.active_last) == (3, 2)
    assert rec.active_users == 2
