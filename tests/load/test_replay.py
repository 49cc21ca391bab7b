"""replay_flow: one flow, once, in a fresh session, against a real local server."""

from __future__ import annotations

from loadscout.flows.model import Extractor, FlowSet, Step
from loadscout.flows.replay import ReplayedPage
from loadscout.load.replay import replay_flow
from tests.load.flows import flow, flowset, step
from tests.load.target_app import Target

CSRF = Extractor(name="csrf", source="form", expression="form", attribute="csrf_token")


def _login_flowset(target: Target) -> FlowSet:
    setup = [
        step("login page", "/login", extract=[CSRF]),
        step(
            "login",
            "/login",
            method="POST",
            kind="form",
            form={"csrf_token": "${csrf}", "username": "${user.name}"},
        ),
    ]
    sid = Extractor(name="sid", source="json", expression="sid")
    home = flow(
        "home",
        step("home", "/home", extract=[sid]),
        step("echo", "/echo?s=${sid}", method="POST", body="vu=${vu} ${unique}"),
    )
    base = flowset(target.url, home)
    rows = [{"name": "ann"}, {"name": "bob"}]
    return base.model_copy(update={"setup": setup, "user_data": rows})


async def test_setup_user_row_and_extractors_carry_through(target: Target) -> None:
    fs = _login_flowset(target)
    outcome = await replay_flow(fs, fs.flows[0], vu=2, timeout_s=5)
    assert outcome.ok and outcome.passed == 2, outcome
    assert target.state.logins == ["bob"]
    body = target.state.bodies[0]
    assert isinstance(body, str) and body.startswith("vu=2 v")
    assert target.count("POST", "/echo") == 1


async def test_a_failing_step_is_named_with_its_reason(target: Target) -> None:
    fs = flowset(target.url, flow("f", step("ok", "/a"), step("boom", "/status/500")))
    outcome = await replay_flow(fs, fs.flows[0], vu=1, timeout_s=5)
    assert (outcome.passed, outcome.failed_step, outcome.reason) == (1, "boom", "HTTP 500")
    missing = flowset(target.url, flow("f", step("x", "/a?t=${nope}")))
    outcome = await replay_flow(missing, missing.flows[0], vu=1, timeout_s=5)
    assert outcome.failed_step == "x" and "${nope} is not defined" in outcome.reason


async def test_a_failed_setup_fails_before_the_flow(target: Target) -> None:
    fs = _login_flowset(target)
    broken = fs.model_copy(update={"setup": [fs.setup[1]]})  # no csrf extracted
    outcome = await replay_flow(broken, broken.flows[0], vu=1, timeout_s=5)
    assert (outcome.passed, outcome.failed_step) == (0, "set-up: login")
    assert target.count("GET", "/home") == 0


async def test_the_check_sees_each_page_and_can_fail_a_step(target: Target) -> None:
    fs = _login_flowset(target)
    seen: list[tuple[str, bool, int]] = []

    def check(step: Step, page: ReplayedPage, *, setup: bool) -> str | None:
        seen.append((step.name, setup, page.status))
        return "no echo wanted" if step.name == "echo" else None

    outcome = await replay_flow(fs, fs.flows[0], vu=1, timeout_s=5, check=check)
    assert seen == [
        ("login page", True, 200),
        ("login", True, 200),
        ("home", False, 200),
        ("echo", False, 200),
    ]
    assert (outcome.passed, outcome.failed_step, outcome.reason) == (1, "echo", "no echo wanted")


async def test_a_connection_error_is_a_reason_not_an_exception() -> None:
    fs = flowset("http://127.0.0.1:9/", flow("f", step("down", "/")))
    outcome = await replay_flow(fs, fs.flows[0], vu=1, timeout_s=2)
    assert outcome.failed_step == "down" and outcome.reason.startswith("connection_refused")
