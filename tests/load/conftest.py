from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from loadscout.load.curl_client import CurlClient, CurlEngine
from loadscout.load.h1_client import H1Client
from loadscout.load.http_client import HttpClient
from loadscout.load.vuser import ClientFactory
from tests.load.target_app import Target, running_target


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    async with running_target() as t:
        yield t


@pytest.fixture(params=["h1", "aiohttp", "curl"])
async def make_client(request: pytest.FixtureRequest) -> AsyncIterator[ClientFactory]:
    """Each of the three HTTP clients, for tests every client must pass."""
    if request.param == "curl":
        engine = CurlEngine()
        yield lambda: CurlClient(engine, timeout_s=5)
        engine.close()
    elif request.param == "aiohttp":
        yield lambda: HttpClient(timeout_s=5)
    else:
        yield lambda: H1Client(timeout_s=5)
