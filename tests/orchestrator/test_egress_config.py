"""The server's egress policy comes from LOADSCOUT_MODE and LOADSCOUT_EGRESS_ALLOW."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from loadscout.errors import BadInput
from loadscout.orchestrator.control_config import ControlConfig
from loadscout.plan.egress import EgressPolicy
from loadscout.settings import Settings


def test_local_is_the_default_and_team_reads_the_allow_list() -> None:
    assert ControlConfig.from_settings(Settings()).egress == EgressPolicy.local()
    team = ControlConfig.from_settings(
        Settings(mode="team", egress_allow="127.0.0.1/32,intranet.example")
    ).egress
    assert not team.allow_private
    assert team.allowed_networks == (ip_network("127.0.0.1/32"),)
    assert team.allowed_hosts == frozenset({"intranet.example"})


def test_a_bad_allow_list_entry_is_a_clear_error() -> None:
    with pytest.raises(BadInput, match="LOADSCOUT_EGRESS_ALLOW: 'intranet:8080'"):
        ControlConfig.from_settings(Settings(mode="team", egress_allow="intranet:8080"))
