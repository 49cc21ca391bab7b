"""The load engine against a real aiohttp server on 127.0.0.1 (see target_app.py)."""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections import defaultdict

from loadscout.flows.model import Extractor
from loadscout.load.runner import run_load
from loadscout.metrics.live import LiveStats
from tests.load.flows import flow, flowset, plan, step
from tests.load.outcomes import assert_consistent, errors_by_kind
from tests.load.target_app import Target

LOGIN_FLOW = flow(
    "login",
    step(
        "login page",
        "/login",
        headers={"X-VU": "${vu}"},
        extract=[
            Extractor(
                name="csrf", source="css", expression='form[action="/login"] input[name=csrf_token]'
            ),
            Extractor(name="sid_cookie", source="cookie", expression="sid"),
            Extractor(name="greeting", source="css", expression="p.greeting", attribute="text"),
        ],
    ),
    step(
        "sign in",
        "/login",
        method="POST",
        kind="form",
        expect_status=200,
        headers={"X-VU": "${vu}"},
        form={"csrf_token": "${csrf}", "username": "u${vu}"},
        extract=[
            Extractor(name="home_sid", source="json", expression="sid"),
            Extractor(name="item", source="json", expression="items.1.id"),
        ],
    ),
    step(
        "report",
        "/echo",
        method="POST",
        kind="fetch",
        headers={"X-VU": "${vu}"},
        json_body={
            "vu": "${vu}",
            "cookie": "${sid_cookie}",
            "home": ["${home_sid}"],
            "item": "${item}",
            "greeting": "${greeting}",
            "n": 3,
        },
    ),
)


async def test_login_flow_isolates_cookies_and_replays_the_csrf_token(target: Target) -> None:
    outcome = await run_load(flowset(target.url, LOGIN_FLOW), plan(users=3, duration_s=1.5))

    assert outcome.totals.errors == 0, outcome.errors
    # the redirect the sign-in follows is a request the server served: counted, in its step
    redirects = target.count("GET", "/home")
    assert redirects == target.count("POST", "/login")
    assert outcome.totals.requests == target.total
    sign_in = next(s for s in outcome.steps if s.name == "sign in")
    assert sign_in.requests == target.count("POST", "/login") + redirects > 6
    assert_consistent(outcome)
    sids_by_vu: dict[str, set[str]] = defaultdict(set)
    for seen in target.state.seen:
        if seen.sid is not None and seen.vu is not None:
            sids_by_vu[seen.vu].add(seen.sid)
    assert sorted(sids_by_vu) == ["1", "2", "3"]
    assert all(len(sids) == 1 for sids in sids_by_vu.values())  # one jar per user, kept
    assert len(set.union(*sids_by_vu.values())) == 3  # and never shared
    for body in target.state.bodies:
        assert isinstance(body, dict)
        assert body["home"] == [body["cookie"]]
        assert sids_by_vu[body["vu"]] == {body["cookie"]}
        assert body["item"] == "8"
        assert body["greeting"] == "Hello, visitor"
        assert body["n"] == 3


async def test_regex_header_and_builtin_variables(target: Target) -> None:
    fs = flowset(
        target.url,
        flow(
            "order",
            step(
                "items",
                "/api/items",
                kind="fetch",
                extract=[
                    Extractor(name="rid", source="header", expression="x-request-id"),
                    Extractor(name="first", source="json", expression="data.items.0.name"),
                ],
            ),
            step(
                "order",
                "/echo",
                method="POST",
                kind="form",
                form={"rid": "${rid}", "first": "${first}", "ref": "${unique}", "id": "${uuid}"},
                extract=[Extractor(name="order", source="regex", expression=r"order=(ORD-\d+);")],
            ),
            step(
                "raw",
                "/echo",
                method="POST",
                body="order ${order} it ${iteration}",
                headers={"Content-Type": "text/plain"},
            ),
        ),
    )
    outcome = await run_load(fs, plan(duration_s=1.0, think=(0.05, 0.05)))

    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == target.total
    forms = [b for b in target.state.bodies if isinstance(b, dict)]
    raws = [b for b in target.state.bodies if isinstance(b, str)]
    assert len(forms) >= 2
    assert all(f["rid"] == "req-123" and f["first"] == "a" for f in forms)
    assert len({f["ref"] for f in forms}) == len(forms)  # ${unique} never repeats
    assert len({f["id"] for f in forms}) == len(forms)
    assert raws[:2] == ["order ORD-991 it 1", "order ORD-991 it 2"]


async def test_error_kinds_are_counted_per_step_with_an_example(target: Target) -> None:
    fs = flowset(
        target.url,
        flow("boom", step("fails", "/status/500")),
        flow(
            "missing",
            step(
                "no match",
                "/a",
                extract=[Extractor(name="x", source="regex", expression=r"nothing-(\d+)")],
            ),
        ),
        flow("undefined", step("bad template", "/b?q=${nope}")),
        flow("wrong class", step("expects redirect", "/a", expect_status=302)),
    )
    outcome = await run_load(fs, plan(users=2, duration_s=1.0, think=(0.02, 0.02)), seed=3)

    kinds = errors_by_kind(outcome)
    assert set(kinds) == {"http_500", "extraction_failed", "http_200"}
    by_step = {s.name: s for s in outcome.steps}
    assert all(s.requests > 0 and s.errors == s.requests for s in by_step.values())
    assert kinds["http_500"] == target.count("GET", "/status/500")
    assert target.count("GET", "/b") == 0  # an undefined variable stops the request
    # the engine counts the unsendable attempt too; everything else reached the server
    assert outcome.totals.requests == target.total + by_step["bad template"].requests
    examples = {e.kind: e.example for e in outcome.errors}
    assert f"GET {target.url}/status/500: HTTP 500" in examples["http_500"]
    assert target.url in examples["http_200"]
    assert "expected 302" in examples["http_200"]
    assert_consistent(outcome)


async def test_timeout_is_an_error_and_does_not_stall_the_run(target: Target) -> None:
    fs = flowset(target.url, flow("slow", step("slow", "/delay?s=2")))
    began = time.monotonic()
    outcome = await run_load(fs, plan(users=2, duration_s=1.0, timeout_s=0.3))

    assert time.monotonic() - began < 2.0
    assert errors_by_kind(outcome) == {"timeout": outcome.totals.requests}
    assert outcome.totals.requests >= 4  # 2 users x ~3 attempts in 1 s
    assert outcome.totals.requests == target.count("GET", "/delay")
    assert "/delay?s=2" in outcome.errors[0].example


async def test_connection_refused_against_a_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    fs = flowset(f"http://127.0.0.1:{port}", flow("dead", step("home", "/")))
    outcome = await run_load(fs, plan(duration_s=0.5, think=(0.05, 0.05)))

    assert errors_by_kind(outcome) == {"connection_refused": outcome.totals.requests}
    assert outcome.totals.requests >= 3
    assert f"127.0.0.1:{port}" in outcome.errors[0].example
    assert outcome.totals.latency_ms.p50 is None  # no response, no latency sample (not 0 ms)
    assert outcome.errors[0].step == "home" and "Error" not in outcome.errors[0].message


async def test_ramp_up_starts_users_progressively(target: Target) -> None:
    fs = flowset(target.url, flow("a", step("a", "/a", headers={"X-VU": "${vu}"})))
    outcome = await run_load(fs, plan(users=4, duration_s=2.5, ramp_up_s=2.0, think=(0.1, 0.1)))

    first: dict[str, float] = {}
    for seen in target.state.seen:
        first.setdefault(seen.vu or "", seen.at)
    t0 = first["1"]
    starts = [first[str(n)] - t0 for n in range(1, 5)]
    for n, started in enumerate(starts):
        assert abs(started - n * 0.5) < 0.25, starts
    users = [p.active_users for p in outcome.timeseries]
    assert users == [2, 4, 4]
    assert outcome.totals.requests == target.total


async def test_think_time_spaces_requests(target: Target) -> None:
    fs = flowset(target.url, flow("a", step("a", "/a"), step("b", "/b", think_time_s=0.0)))
    outcome = await run_load(fs, plan(duration_s=1.3, think=(0.25, 0.25)))

    times = [(s.path, s.at) for s in target.state.seen]
    a_times = [at for path, at in times if path == "/a"]
    gaps = [b - a for a, b in itertools.pairwise(a_times)]
    assert 4 <= len(a_times) <= 6, a_times  # one /a every 0.25 s (+ ~0 for /b)
    assert min(gaps) >= 0.24
    # /b follows /a after 0.25 s; the next /a follows /b at once (its think time is 0)
    assert times[0][0] == "/a"
    assert times[1][0] == "/b"
    assert times[2][0] == "/a"
    assert times[2][1] - times[1][1] < 0.1 < times[1][1] - times[0][1]
    assert outcome.totals.requests == target.total


async def test_cancel_stops_within_two_seconds_and_counts_in_flight(target: Target) -> None:
    fs = flowset(target.url, flow("slow", step("slow", "/delay?s=10")))
    cancel = asyncio.Event()
    asyncio.get_running_loop().call_later(0.5, cancel.set)
    began = time.monotonic()
    outcome = await run_load(fs, plan(users=2, duration_s=30, timeout_s=30), cancel=cancel)

    assert time.monotonic() - began < 2.0
    assert outcome.duration_s < 2.0
    assert outcome.totals.requests == 2 == target.count("GET", "/delay")
    assert errors_by_kind(outcome) == {"timeout": 2}
    assert "aborted" in outcome.errors[0].example


async def test_weights_and_live_progress(target: Target) -> None:
    fs = flowset(target.url, flow("A", step("a", "/a"), weight=3), flow("B", step("b", "/b")))
    ticks: list[LiveStats] = []
    outcome = await run_load(
        fs, plan(users=2, duration_s=2.0), on_progress=ticks.append, progress_interval_s=0.5, seed=7
    )

    a, b = target.count("GET", "/a"), target.count("GET", "/b")
    assert a + b == outcome.totals.requests > 200
    assert 0.68 < a / (a + b) < 0.82
    # one tick per 0.5 s of load; a busy machine may merge two late ones, never add any
    assert 2 <= len(ticks) <= 4
    assert [t.requests for t in ticks] == sorted(t.requests for t in ticks)
    assert ticks[-1].active_users == 2
    assert ticks[-1].rps > 0
    assert ticks[-1].p95_ms > 0
    assert ticks[-1].duration_s == 2.0
    assert 1.4 < ticks[-1].elapsed_s < 2.1
    assert len(outcome.timeseries) == 2
    assert outcome.totals.rps > 100
    assert_consistent(outcome)


async def test_every_flow_gets_load_even_with_tiny_weights(target: Target) -> None:
    fs = flowset(
        target.url,
        flow("heavy", step("a", "/a"), weight=1000),
        flow("light", step("b", "/b"), weight=0.001),
        flow("lighter", step("c", "/c"), weight=0.001),
    )
    await run_load(fs, plan(users=1, duration_s=0.5, think=(0.1, 0.1)), seed=1)
    assert target.count("GET", "/b") >= 1
    assert target.count("GET", "/c") >= 1
