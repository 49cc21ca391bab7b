"""Step validation of the websocket and eventsource kinds (flows/model.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from loadscout.flows.io import dumps_flowset, loads_flowset
from loadscout.flows.model import Flow, FlowSet, Step


def _step(**kwargs: Any) -> Step:
    return Step(name="s", url="/live", **kwargs)


def test_a_websocket_step_round_trips_through_yaml() -> None:
    ws = _step(kind="websocket", messages=["hi ${vu}"], expect_messages=2, hold_s=5)
    plain = _step()
    flowset = FlowSet(target_url="http://x/", flows=[Flow(name="f", steps=[plain, ws])])
    text = dumps_flowset(flowset)
    assert "messages" in text and text.count("expect_messages") == 1  # plain steps stay terse
    assert loads_flowset(text) == flowset


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"kind": "websocket", "method": "POST"}, "method must be GET"),
        ({"kind": "eventsource", "body": "x"}, "it takes no form, json_body or body"),
        ({"kind": "websocket", "form": {"a": "b"}}, "it takes no form, json_body or body"),
        ({"kind": "eventsource", "expect_body": "x"}, "it takes no expect_body"),
        ({"kind": "eventsource", "messages": ["x"]}, "only a websocket sends messages"),
        ({"kind": "fetch", "messages": ["x"]}, "messages need kind websocket or eventsource"),
        ({"kind": "document", "hold_s": 1}, "hold_s need kind websocket or eventsource"),
        ({"kind": "websocket", "expect_messages": -1}, "greater than or equal to 0"),
    ],
)
def test_stream_steps_are_bodyless_gets(kwargs: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        _step(**kwargs)


def test_a_stream_step_extracts_from_the_jar_only() -> None:
    cookie = {"name": "v", "source": "cookie", "expression": "sid"}
    Step.model_validate({"name": "s", "url": "/e", "kind": "eventsource", "extract": [cookie]})
    regex = {"name": "v", "source": "regex", "expression": "(x)"}
    with pytest.raises(ValidationError, match="its extractors may read cookies only"):
        Step.model_validate({"name": "s", "url": "/e", "kind": "websocket", "extract": [regex]})
