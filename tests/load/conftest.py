from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.load.target_app import Target, running_target


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    async with running_target() as t:
        yield t
