"""Fixtures for the API tests: a tiny local target and servers on each database backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.serve import Served, fresh_database, serving
from tests.orchestrator.tiny_target import TinyTarget, tiny_target

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def tiny() -> Iterator[TinyTarget]:
    with tiny_target() as target:
        yield target


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture(scope="module")
def service(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server per backend for a module: one run at a time, short leases."""
    folder: Path = tmp_path_factory.mktemp("service")
    with (
        fresh_database(backend, folder) as url,
        serving(url, folder, LOADSCOUT_MAX_CONCURRENT_RUNS="1") as served,
    ):
        yield served
        print(served.log.read_text())  # shown when a test of the module failed
