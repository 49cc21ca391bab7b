"""Verification: the load engine's replayer, injected, run in two fresh concurrent sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.verify import refused_form, rejection, verify_flowset, with_note
from loadscout.flows.model import Extractor, Flow, FlowSet, FlowVerification, Step
from loadscout.flows.replay import ReplayedPage
from loadscout.load.replay import replay_flow

FORM = '<form action="/signup" method="post"><input name="name"></form>'
REFUSED = FORM + '<div role="alert">That  name is taken</div>'


def test_a_form_that_comes_back_with_errors_is_a_rejection() -> None:
    url = "http://h/signup"
    assert rejection(ReplayedPage(status=200, url=url, text=REFUSED)) == (
        "the server rejected the form: That name is taken"
    )
    assert rejection(ReplayedPage(status=200, url=url, text=FORM)) is None
    assert rejection(ReplayedPage(status=200, url="http://h/welcome", text=REFUSED)) is None


def test_a_flows_own_login_attempt_may_be_refused_but_not_the_setup_login() -> None:
    login = Step(name="login", url="/signup", method="POST", kind="form", form={"password": "x"})
    page = ReplayedPage(status=200, url="http://h/signup", text=REFUSED)
    assert refused_form(login, page, setup=False) is None
    assert refused_form(login, page, setup=True) is not None
    assert refused_form(login.model_copy(update={"kind": "fetch"}), page, setup=True) is None


@pytest.fixture
async def shop() -> AsyncIterator[tuple[str, list[str]]]:
    """Sessions by cookie; /token hands each session its own token; /signup refuses names."""
    seen: list[str] = []

    async def token(request: web.Request) -> web.Response:
        sid = f"s{len(seen)}"
        seen.append(sid)
        resp = web.json_response({"token": f"t-{sid}"})
        resp.set_cookie("sid", sid)
        return resp

    async def use(request: web.Request) -> web.Response:
        sid = request.cookies.get("sid", "")
        ok = request.query.get("t") == f"t-{sid}"
        return web.Response(status=200 if ok else 403, text="ok" if ok else "bad token")

    async def signup(request: web.Request) -> web.Response:
        return web.Response(text=REFUSED, content_type="text/html")

    app = web.Application()
    app.router.add_get("/token", token)
    app.router.add_get("/use", use)
    app.router.add_post("/signup", signup)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}", seen
    finally:
        await runner.cleanup()


def _flows(url: str) -> FlowSet:
    tok = Extractor(name="tok", source="json", expression="token")
    good = Flow(
        name="good",
        steps=[
            Step(name="token", url="/token", extract=[tok]),
            Step(name="use", url="/use?t=${tok}"),
        ],
    )
    stale = Flow(
        name="stale", steps=[Step(name="token", url="/token"), Step(name="use", url="/use?t=t-s0")]
    )
    signup = Flow(
        name="signup",
        steps=[
            Step(name="signup", url="/signup", method="POST", kind="form", form={"name": "ann"})
        ],
    )
    return FlowSet(target_url=url, flows=[good, stale, signup])


async def test_each_flow_is_replayed_in_two_fresh_sessions(
    shop: tuple[str, list[str]],
) -> None:
    url, seen = shop
    good, stale, signup = await verify_flowset(_flows(url), replay_flow, timeout_s=5)
    assert good.passed and good.fidelity == 1.0 and good.detail == "ok"
    assert not stale.passed and stale.failed_step == "use"
    assert 0.5 <= stale.fidelity < 1.0  # at most one session owns the token it hard-coded
    assert "HTTP 403" in stale.detail
    assert not signup.passed and signup.fidelity == 0.0
    assert signup.detail == "step 'signup' failed: the server rejected the form: That name is taken"
    assert len(seen) == 4  # two fresh sessions for each of the two flows that fetch a token


async def test_verification_without_a_replayer_is_a_clear_error() -> None:
    options = DiscoveryConfig(start_url="http://127.0.0.1:9/")
    with pytest.raises(ValueError, match=r"replayer=loadscout\.load\.replay\.replay_flow"):
        await discover(options)


def test_a_failing_flow_carries_discoverys_note_about_it() -> None:
    notes = ["flow 'browse /r': 1 value(s) change between fresh sessions", "flow 'x': other"]
    failed = FlowVerification(flow="browse /r", passed=False, detail="step 'GET /r' failed: 403")
    assert with_note(failed, notes).detail == (
        "step 'GET /r' failed: 403 (note: 1 value(s) change between fresh sessions)"
    )
    passed = FlowVerification(flow="browse /r", passed=True, detail="ok")
    assert with_note(passed, notes) == passed
    other = FlowVerification(flow="browse /s", passed=False, detail="boom")
    assert with_note(other, notes) == other
