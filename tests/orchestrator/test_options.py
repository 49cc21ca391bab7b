"""RunOptions composes LoadOptions and DiscoveryOptions; its flat document is what the API
takes and the store keeps."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.orchestrator.options import DiscoveryOptions, LoadOptions, RunOptions

FLOWSET = FlowSet(
    target_url="http://127.0.0.1:9/",
    flows=[Flow(name="f", steps=[Step(name="s", url="/")])],
    load=LoadOptions(users=3, duration_s=1.5, workers=1),
)


def test_given_options_win_over_the_flows_file_which_wins_over_defaults() -> None:
    options = RunOptions(
        target_url=FLOWSET.target_url, load=LoadOptions(users=2, pacing_s=1), flowset=FLOWSET
    )
    plan = options.plan()
    assert (plan.profile.users, plan.profile.duration_s, plan.workers) == (2, 1.5, 1)
    assert plan.pacing_s == 1 and plan.think_time.min_s == 0.5
    file_only = RunOptions(target_url=FLOWSET.target_url, flowset=FLOWSET).plan()
    assert file_only.profile.users == 3


def test_the_flat_document_round_trips_what_was_given() -> None:
    document = {
        "target_url": "http://h/",
        "users": 4,
        "max_discovery_s": 30,
        "login_url": "http://h/login",
        "username": "u",
        "password": "s3cret",
        "scope": "^http://cdn/",
    }
    options = RunOptions.from_document(document)
    assert options.load.model_fields_set == {"users", "scope"}
    assert options.discovery == DiscoveryOptions(
        max_time_s=30, login_url="http://h/login", username="u", password="s3cret"
    )
    assert options.document(secrets=True, given_only=True) == {**document, "max_discovery_s": 30.0}
    assert options.document()["password"] == "**********"
    assert options.document()["max_pages"] == 1000


def test_an_unknown_document_key_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as err:
        RunOptions.from_document({"target_url": "http://h/", "duraton_s": 5})
    assert [e["loc"] for e in err.value.errors()] == [("duraton_s",)]
