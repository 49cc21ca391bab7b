from __future__ import annotations

import pytest
from pydantic import ValidationError

from loadscout.discovery.options import DiscoveryConfig
from loadscout.errors import BadInput


def test_defaults_and_frozen() -> None:
    options = DiscoveryConfig(start_url="http://127.0.0.1:8000/")
    assert (options.max_pages, options.max_depth, options.concurrency) == (1000, 4, 4)
    assert options.allow_writes is False
    with pytest.raises(ValidationError, match="frozen"):
        options.max_pages = 3  # type: ignore[misc]


def test_keyword_only() -> None:
    with pytest.raises(TypeError):
        DiscoveryConfig("http://127.0.0.1:8000/")  # type: ignore[call-arg]


def test_all_problems_reported_at_once() -> None:
    with pytest.raises(
        BadInput, match=r"max_pages must be at least 1; .*max_time_s must be positive"
    ):
        DiscoveryConfig(start_url="http://x/", max_pages=0, max_time_s=0)
