from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from loadscout.load.client import ClientFactory
from loadscout.load.h1_client import H1Client
from tests.load.lanes import LaneSpy, spy_on_lanes
from tests.load.target_app import Target, running_target


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    async with running_target() as t:
        yield t


@pytest.fixture
def make_client() -> ClientFactory:
    """The engine's HTTP client, for tests of what any ``Client`` must do."""
    return lambda: H1Client(timeout_s=5)


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (made with openssl)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "c.pem", folder / "k.pem"
    command = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        str(key),
        "-out",
        str(cert),
    ]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


@pytest.fixture
def lane(monkeypatch: pytest.MonkeyPatch) -> LaneSpy:
    """A spy on what the callback lanes of the test's runs do (``tests.load.lanes``)."""
    return spy_on_lanes(monkeypatch)
