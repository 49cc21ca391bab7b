"""schemathesis against the published OpenAPI document: no request may get a 5xx.

Safety: the server under test may only target the tiny local target (``ALLOWED_TARGETS``),
with at most 2 users for at most 1 s, and no browser (discovery fails fast), so whatever
schemathesis generates, load goes nowhere but 127.0.0.1 and stays small.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.openapi import from_url

from tests.api.conftest import BACKENDS
from tests.api.serve import Served, call, fresh_database, serving
from tests.orchestrator.tiny_target import TinyTarget

EXAMPLES = 50


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture(scope="module")
def fuzzed(
    backend: str, tiny: TinyTarget, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    host = tiny.url.split("/")[2]
    env = {
        "LOADSCOUT_ALLOWED_TARGETS": host,
        "LOADSCOUT_MAX_USERS_PER_RUN": "2",
        "LOADSCOUT_MAX_DURATION_S": "1",
        "LOADSCOUT_CHROMIUM_PATH": str(folder / "no-browser-here"),
        "LOADSCOUT_MAX_ATTEMPTS": "1",
        "LOADSCOUT_MAX_CONCURRENT_RUNS": "1",
    }
    with fresh_database(backend, folder) as url, serving(url, folder, **env) as served:
        for duration in (0.2, 1.0):  # runs to find: one finished, one (maybe) still going
            status, _ = call("POST", f"{served.api}/runs", tiny.run_body(duration_s=duration))
            assert status == 201
        yield served


def test_valid_requests_get_no_server_error(fuzzed: Served) -> None:
    statuses = _fuzz(fuzzed, GenerationMode.POSITIVE)
    assert any(code < 300 for code in statuses), statuses  # some requests got through


def test_invalid_requests_get_no_server_error(fuzzed: Served, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("invalid requests stop at validation, before the database: once is enough")
    statuses = _fuzz(fuzzed, GenerationMode.NEGATIVE, examples=30)  # slow to generate
    assert statuses[422] > 0, statuses  # validation was exercised


def _fuzz(fuzzed: Served, mode: GenerationMode, examples: int = EXAMPLES) -> Counter[int]:
    """Requests spread over every operation of the spec; none may get a 5xx."""
    schema = from_url(f"{fuzzed.api}/openapi.json")
    statuses: Counter[int] = Counter()

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Case) -> None:
        with requests.Session() as session:
            session.headers["authorization"] = f"Bearer {fuzzed.token}"  # the team's admin
            response = case.call(base_url=fuzzed.base, session=session, timeout=30)
        statuses[response.status_code] += 1
        detail: Any = response.text[:500]
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {detail}"

    check()
    assert sum(statuses.values()) >= examples
    return statuses
