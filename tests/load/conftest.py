from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from loadscout.load.client import ClientFactory
from loadscout.load.h1_client import H1Client
from tests.load.target_app import Target, running_target


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    async with running_target() as t:
        yield t


@pytest.fixture
def make_client() -> ClientFactory:
    """The engine's HTTP client, for tests of what any ``Client`` must do."""
    return lambda: H1Client(timeout_s=5)
