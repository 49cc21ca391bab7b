"""Step.form: ordered pairs (a name repeats per value), read from the older mapping too."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from loadscout.flows.io import dumps_flowset, loads_flowset
from loadscout.flows.model import Flow, FlowSet, Step


def _step(form: object) -> Step:
    return Step.model_validate({"name": "s", "method": "POST", "url": "/x", "form": form})


def test_repeated_fields_keep_every_value_in_order() -> None:
    step = _step([["tags", "a"], ["q", "shoes"], ["tags", "b"]])
    assert step.form == [("tags", "a"), ("q", "shoes"), ("tags", "b")]


def test_the_older_mapping_form_still_loads() -> None:
    assert _step({"csrf_token": "${csrf}", "q": "x"}).form == [
        ("csrf_token", "${csrf}"),
        ("q", "x"),
    ]


def test_name_value_objects_load() -> None:
    step = _step([{"name": "tags", "value": "a"}, {"name": "tags", "value": "b"}])
    assert step.form == [("tags", "a"), ("tags", "b")]


@pytest.mark.parametrize("bad", [[["only-a-name"]], [["a", "b", "c"]], "q=x", [{"name": "a"}]])
def test_malformed_pairs_are_rejected(bad: object) -> None:
    with pytest.raises(ValidationError, match="form"):
        _step(bad)


def test_yaml_writes_one_pair_per_line_and_reads_it_back() -> None:
    step = _step([["tags", "a"], ["tags", "b, c"], ["csrf_token", "${csrf}"]])
    flowset = FlowSet(target_url="http://127.0.0.1:1/", flows=[Flow(name="f", steps=[step])])
    text = dumps_flowset(flowset)
    assert "- [tags, a]\n" in text and "- [csrf_token, '${csrf}']\n" in text
    assert loads_flowset(text) == flowset


def test_an_old_flows_file_with_a_form_mapping_loads() -> None:
    text = """
version: 1
target_url: http://127.0.0.1:1/
flows:
  - name: login
    steps:
      - {name: POST /login, method: POST, url: /login, form: {username: alice, csrf: "${t}"}}
"""
    step = loads_flowset(text).flows[0].steps[0]
    assert step.form == [("username", "alice"), ("csrf", "${t}")]


def test_numbers_typed_by_hand_are_sent_as_text() -> None:
    assert _step([["qty", 2], ["price", 1.5]]).form == [("qty", "2"), ("price", "1.5")]
    assert _step({"qty": 3}).form == [("qty", "3")]
