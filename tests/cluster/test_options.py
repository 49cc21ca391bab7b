"""``ray_address`` as an option: checked at the edge, with a clear word when Ray is missing."""

from __future__ import annotations

import importlib.util

import pytest
from pydantic import ValidationError

from loadscout.orchestrator.limits import Limits, OptionRejected
from loadscout.orchestrator.options import RunOptions


@pytest.mark.parametrize(
    "address", ["auto", "10.0.0.5:6379", "ray://head.example:10001", "[::1]:6379"]
)
def test_addresses_ray_takes(address: str) -> None:
    assert RunOptions(target_url="http://x/", ray_address=address).ray_address == address


@pytest.mark.parametrize("address", ["", "head", "http://head:6379", "ray://head", "a b:1"])
def test_malformed_addresses_are_refused(address: str) -> None:
    with pytest.raises(ValidationError, match="ray_address"):
        RunOptions(target_url="http://x/", ray_address=address)


def test_without_the_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "ray" else real(name, *a)
    )
    with pytest.raises(ValidationError, match=r"pip install 'loadscout\[ray\]'"):
        RunOptions(target_url="http://x/", ray_address="auto")


def test_ray_nodes_needs_an_address() -> None:
    with pytest.raises(ValidationError, match="ray_nodes needs ray_address"):
        RunOptions(target_url="http://x/", ray_nodes=2)


def test_a_server_takes_only_its_own_cluster_from_api_callers() -> None:
    mine = RunOptions(target_url="http://x/", ray_address="10.0.0.5:6379")
    Limits(ray_address="10.0.0.5:6379").check(mine)
    with pytest.raises(OptionRejected, match="LOADSCOUT_RAY_ADDRESS"):
        Limits(ray_address=None).check(mine)
    Limits(allow_file_options=True).check(mine)
