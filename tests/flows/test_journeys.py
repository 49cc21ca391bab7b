"""The journey model: what a flows file may say, and the clear errors for what it may not."""

from __future__ import annotations

from typing import Any

import pytest

from loadscout.errors import FlowsFileError
from loadscout.flows.io import dumps_flowset, loads_flowset, parse_flowset
from loadscout.flows.journeys import journey_requests, pattern_regex

STATES: list[dict[str, Any]] = [
    {
        "name": "list",
        "pattern": "/books",
        "url": "/books?page=1",
        "exit": 0.2,
        "transitions": [
            {"to": "book", "probability": 0.6},
            {"to": "results", "probability": 0.2, "form": {"q": "${pool.terms}"}},
        ],
    },
    {"name": "book", "pattern": "/books/{id}/", "back": 0.3, "transitions": []},
    {"name": "results", "pattern": "/search", "url": "/search"},
]


def document(**journey: Any) -> dict[str, Any]:
    base = {"name": "browse", "entry": "list", "states": STATES}
    return {
        "version": 2,
        "target_url": "http://127.0.0.1:9/",
        "journeys": [{**base, **journey}],
        "pools": {"terms": ["dune", "emma"]},
    }


def test_a_journey_round_trips_through_yaml() -> None:
    flowset = parse_flowset(document())
    again = loads_flowset(dumps_flowset(flowset))
    assert again == flowset
    assert [r.name for r in journey_requests(again.journeys[0])] == ["list", "book", "results"]


def test_a_version_1_file_of_flows_still_loads() -> None:
    text = "version: 1\ntarget_url: http://127.0.0.1:9/\nflows: [{name: a, steps: [{url: /}]}]"
    with pytest.raises(FlowsFileError, match=r"flows\.0\.steps\.0\.name"):
        loads_flowset(text)  # read as version 1, with its rules
    assert loads_flowset(text.replace("{url", "{name: s, url")).flows[0].steps[0].url == "/"


def test_placeholders_match_one_path_segment() -> None:
    regex = pattern_regex("/books/{id}/")
    assert regex.match("/books/42/")
    assert not regex.match("/books/42/edit/")
    assert not regex.match("/books//")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"entry": "nowhere"}, "entry 'nowhere' is not a state"),
        ({"entry": "book"}, "entry state 'book' needs a url"),
        (
            {"states": [{**STATES[0], "transitions": [{"to": "cart", "probability": 0.5}]}]},
            "moves to unknown state 'cart'",
        ),
        (
            {"states": [{**STATES[0], "exit": 0.5}, *STATES[1:]]},
            "sum to 1.3, more than 1",
        ),
        (
            {"states": [{**STATES[0], "url": "/authors"}, *STATES[1:]]},
            "never matches its pattern",
        ),
        ({"states": [{**STATES[1], "pattern": "books/{id}"}]}, "must be a URL path"),
        ({"states": [{**STATES[1], "pattern": "/books/{1d}"}]}, "placeholders are"),
    ],
)
def test_bad_journeys_are_refused_with_a_reason(change: dict[str, Any], message: str) -> None:
    with pytest.raises(FlowsFileError, match=message):
        parse_flowset(document(**change))


def test_a_form_needs_its_pool() -> None:
    data = document()
    data["pools"] = {}
    with pytest.raises(FlowsFileError, match="pool 'terms', which is missing or empty"):
        parse_flowset(data)


def with_checkout(move: dict[str, Any], *, weight: float = 0) -> dict[str, Any]:
    """The list state also moves by ``move``; a checkout flow of ``weight`` in the file."""
    list_state = {**STATES[0], "exit": 0.1, "transitions": [*STATES[0]["transitions"], move]}
    doc = document(states=[list_state, *STATES[1:]])
    flow = {"name": "checkout", "weight": weight, "steps": [{"name": "pay", "url": "/pay"}]}
    return {**doc, "flows": [flow]}


def test_a_transition_may_run_a_recorded_flow() -> None:
    doc = with_checkout({"to": "results", "probability": 0.1, "flow": "checkout"})
    flowset = loads_flowset(dumps_flowset(parse_flowset(doc)))
    (move,) = [t for t in flowset.journeys[0].states[0].transitions if t.flow]
    assert move.flow == "checkout" and not move.follows_link
    assert "checkout" not in {
        t.flow
        for s in flowset.journeys[0].without_flows({"checkout"}).states
        for t in s.transitions
    }


@pytest.mark.parametrize(
    ("move", "weight", "message"),
    [
        ({"to": "results", "probability": 0.1, "flow": "pay"}, 1, "runs flow 'pay', which is not"),
        ({"to": "book", "probability": 0.1, "flow": "checkout"}, 1, "enters 'book' by its url"),
        (
            {"to": "results", "probability": 0.1, "flow": "checkout", "form": {"q": "x"}},
            1,
            "both a form and a flow",
        ),
        ({"to": "book", "probability": 0.1}, 0, "weight 0 and no journey runs it"),
    ],
)
def test_bad_flow_moves_are_refused_with_a_reason(
    move: dict[str, Any], weight: float, message: str
) -> None:
    with pytest.raises(FlowsFileError, match=message):
        parse_flowset(with_checkout(move, weight=weight))


def test_journeys_need_version_2() -> None:
    with pytest.raises(FlowsFileError, match="journeys need flows format version 2"):
        parse_flowset({**document(), "version": 1})


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FlowsFileError, match="at least one flow or journey"):
        parse_flowset({"version": 2, "target_url": "http://127.0.0.1:9/"})


def test_typed_placeholders_keep_their_type() -> None:
    assert pattern_regex("/items/{num}").match("/items/42")
    assert not pattern_regex("/items/{num}").match("/items/delete")
    assert pattern_regex("/t/{slug}").match("/t/python")


def test_a_draw_exits_goes_back_or_takes_a_transition() -> None:
    from loadscout.flows.journeys import BACK, draw_move, move_bounds

    bounds = move_bounds(0.1, 0.2, [0.3, 0.3])
    assert draw_move(0.0, bounds) is None  # exit
    assert draw_move(0.05, bounds) is None
    assert draw_move(0.1, bounds) == BACK  # a share ends where the next begins
    assert draw_move(0.15, bounds) == BACK
    assert draw_move(0.35, bounds) == 0
    assert draw_move(0.65, bounds) == 1
    assert draw_move(0.95, bounds) is None  # what is left over exits too


def test_a_move_with_no_share_is_never_drawn() -> None:
    from loadscout.flows.journeys import draw_move, move_bounds

    bounds = move_bounds(0.0, 0.0, [0.0, 0.5, 0.0, 0.5])
    draws = {draw_move(k / 1000, bounds) for k in range(1000)}
    assert draws == {1, 3}


def test_a_header_with_a_line_break_is_refused_in_a_flows_file() -> None:
    text = (
        "version: 2\ntarget_url: http://127.0.0.1:9/\nflows: [{name: f, steps: "
        '[{name: s, url: /, headers: {X-Id: "1\\r\\nX-Evil: yes"}}]}]'
    )
    with pytest.raises(FlowsFileError, match="no line breaks"):
        loads_flowset(text)
