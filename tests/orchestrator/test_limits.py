"""Admission limits: a flowset's credentials path is a server path like any ``*_file``."""

from __future__ import annotations

import pytest

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.orchestrator.limits import Limits, OptionRejected
from loadscout.orchestrator.options import LoadOptions, RunOptions

FLOWSET = FlowSet(
    target_url="http://127.0.0.1:1/",
    user_data=[{"username": "ann", "password": "${secret.password}"}],
    user_data_file="/etc/users.csv",
    flows=[Flow(name="f", steps=[Step(name="s", url="/")])],
)


def test_a_credentials_path_in_a_flowset_is_refused_over_the_api() -> None:
    options = RunOptions(target_url=FLOWSET.target_url, load=LoadOptions(users=1), flowset=FLOWSET)
    with pytest.raises(OptionRejected) as err:
        Limits().check(options)
    assert err.value.field == "flowset.user_data_file"
    with pytest.raises(OptionRejected, match="LOADSCOUT_ALLOW_FILE_OPTIONS"):
        Limits().check_flowset(FLOWSET)
    Limits(allow_file_options=True).check(options)
    Limits(allow_file_options=True).check_flowset(FLOWSET)
