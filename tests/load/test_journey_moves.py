"""A compiled journey draws its moves by a table: it must answer as ``draw_move`` does."""

from __future__ import annotations

from bisect import bisect_right

from loadscout.flows.io import parse_flowset
from loadscout.flows.journeys import BACK, draw_move
from loadscout.load.journey import CompiledTransition, compile_journeys

DOCUMENT = {
    "version": 2,
    "target_url": "http://127.0.0.1:9/",
    "journeys": [
        {
            "name": "browse",
            "entry": "list",
            "states": [
                {
                    "name": "list",
                    "pattern": "/list/{num}/",
                    "url": "/list/1/",
                    "exit": 0.1,
                    "transitions": [
                        {"to": "item", "probability": 0.5},
                        {
                            "to": "list",
                            "probability": 0.2,
                            "form": {"q": "${pool.terms}"},
                            "url": "/list/1/",
                        },
                    ],
                },
                {
                    "name": "item",
                    "pattern": "/items/{num}/",
                    "exit": 0.2,
                    "back": 0.3,
                    "transitions": [{"to": "item", "probability": 0.4}],
                },
            ],
        }
    ],
    "pools": {"terms": ["a"]},
}


def test_the_move_table_answers_as_draw_move_does() -> None:
    (journey,) = compile_journeys(parse_flowset(DOCUMENT), first_id=0)
    for state in journey.states:
        for k in range(1000):
            r = k / 1000
            drawn = draw_move(r, state.bounds)
            move = state.moves[bisect_right(state.bounds, r)]
            if drawn is None or drawn == BACK:
                assert move == drawn, (state.name, r)
            else:
                assert move is state.transitions[drawn], (state.name, r)


def test_only_a_plain_link_transition_follows_a_link() -> None:
    (journey,) = compile_journeys(parse_flowset(DOCUMENT), first_id=0)
    link, search = journey.states[0].transitions
    assert isinstance(link, CompiledTransition)
    assert link.follows
    assert not search.follows  # a GET form: its URL comes from the pools
