"""The admission probe under the egress policy: a redirect to a refused address is refused
before aiohttp dials it (only 127.0.0.1 is ever connected to)."""

from __future__ import annotations

import pytest
from aiohttp import web

from loadscout.orchestrator.pipeline import check_target
from loadscout.plan.egress import EgressPolicy, EgressRefused


async def test_the_admission_probe_refuses_a_redirect_to_a_refused_address() -> None:
    async def away(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    app = web.Application()
    app.router.add_get("/", away)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/"
    try:
        with pytest.raises(EgressRefused, match=r"redirects to .*cloud metadata"):
            await check_target(url, egress=EgressPolicy.team(allow="127.0.0.1/32"))
    finally:
        await runner.cleanup()
