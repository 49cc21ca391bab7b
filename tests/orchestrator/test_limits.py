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


PLAIN = FlowSet(
    target_url="http://127.0.0.1:1/", flows=[Flow(name="f", steps=[Step(name="s", url="/")])]
)


@pytest.mark.parametrize(
    ("load", "flows_load", "field", "peak"),
    [
        ({"users": 5, "stages": "4s:30"}, None, "stages", 30),
        ({"users": 1, "arrival_rate": "10", "max_users": 1000}, None, "arrival_rate", 1000),
        ({}, {"stages": "5s:60"}, "flowset.load", 60),
    ],
)
def test_users_are_limited_at_the_plans_peak_however_they_are_given(
    load: dict[str, object], flows_load: dict[str, object] | None, field: str, peak: int
) -> None:
    flowset = PLAIN.model_copy(update={"load": LoadOptions(**flows_load) if flows_load else None})
    options = RunOptions(target_url=PLAIN.target_url, load=LoadOptions(**load), flowset=flowset)
    assert options.plan().profile.users == peak
    with pytest.raises(OptionRejected, match=f"peaks at {peak} users") as err:
        Limits(max_users_per_run=5).check(options)
    assert err.value.field == field


def test_more_worker_processes_than_users_is_refused() -> None:
    options = RunOptions(target_url=PLAIN.target_url, load=LoadOptions(users=1, workers=256))
    with pytest.raises(OptionRejected, match="256 worker processes for at most 1 users") as err:
        Limits().check(options)
    assert err.value.field == "workers"
    Limits().check(RunOptions(target_url=PLAIN.target_url, load=LoadOptions(users=4, workers=4)))
