"""Compiled steps: every form pair rendered in order, relative dates on the day of replay."""

from __future__ import annotations

import datetime as dt

from loadscout.flows.model import Step
from loadscout.load.client import encode_request
from loadscout.load.compiled import builtin_values, compile_step


def test_repeated_form_fields_are_all_sent_in_order() -> None:
    step = Step(
        name="filter",
        method="POST",
        url="/filter",
        form=[("tags", "a"), ("csrf", "${csrf}"), ("tags", "b c")],
    )
    compiled = compile_step(step, 0, "http://127.0.0.1:1/")
    request = compiled.render({"csrf": "T"})
    assert request.form == [("tags", "a"), ("csrf", "T"), ("tags", "b c")]
    headers, payload = encode_request(None, request.form, None, None)
    assert payload == b"tags=a&csrf=T&tags=b+c"
    assert headers == {"Content-Type": "application/x-www-form-urlencoded"}


def test_a_recorded_date_replays_relative_to_the_day_of_replay() -> None:
    step = Step(
        name="order",
        method="POST",
        url="/cal?day=${date:-1d}",
        form=[("delivery", "${date:+2d}"), ("slot", "${date:+2d}T09:00")],
    )
    compiled = compile_step(step, 0, "http://127.0.0.1:1/")
    assert compiled.fixed is None and compiled.builtins == {"date:+2d", "date:-1d"}
    for today in (dt.date(2026, 11, 26), dt.date(2027, 3, 1)):
        values = builtin_values(
            compiled.builtins, vu=1, iteration=1, unique=lambda: "u", today=today
        )
        request = compiled.render(values)
        later = (today + dt.timedelta(days=2)).isoformat()
        assert request.form == [("delivery", later), ("slot", f"{later}T09:00")]
        assert request.url.endswith(f"?day={(today - dt.timedelta(days=1)).isoformat()}")
