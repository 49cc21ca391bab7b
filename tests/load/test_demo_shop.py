"""Replay a hand-written login flow against the sample shop (tests/utils/demo_server.py)."""

from __future__ import annotations

from loadscout.flows.model import Extractor
from loadscout.load.runner import run_load
from tests.load.flows import flow, flowset, plan, step
from tests.utils.demo_server import DemoServer

CSRF = 'form[action="/login"] input[name=csrf_token]'


async def test_login_flow_against_the_demo_shop(demo_shop: DemoServer) -> None:
    fs = flowset(
        demo_shop.url,
        flow(
            "log in",
            step(
                "login form",
                "/login",
                expect_status=200,
                extract=[Extractor(name="csrf_token", source="css", expression=CSRF)],
            ),
            step(
                "log in",
                "/login",
                method="POST",
                kind="form",
                expect_status=200,
                form={
                    "csrf_token": "${csrf_token}",
                    "next": "/account",
                    "username": "user8100${vu}",
                    "password": "password8100${vu}",
                },
                extract=[Extractor(name="who", source="regex", expression=r"Hello, (user8100\d)")],
            ),
        ),
    )
    outcome = await run_load(fs, plan(users=3, duration_s=1.5, think=(0.05, 0.1)))

    assert outcome.totals.errors == 0, outcome.errors
    form_step, login_step = outcome.steps
    assert login_step.requests >= 3
    # the login's redirect to /account is followed, and counted: every request the shop served
    assert demo_shop.hits["POST /login"] + demo_shop.hits["GET /account"] == login_step.requests
    assert demo_shop.hits["GET /login"] == form_step.requests
