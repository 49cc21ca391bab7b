"""Recorded dates near the recording day become relative to the day of replay."""

from __future__ import annotations

import datetime as dt

import pytest

from loadscout.discovery.dates import relative_dates, relative_value
from loadscout.flows.model import Step

TODAY = dt.date(2026, 11, 26)  # a Thursday, ISO week 48


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-28", "${date:+2d}"),
        ("2026-11-26", "${date:+0d}"),
        ("2026-11-20", "${date:-6d}"),
        ("2027-02-01", "${date:+67d}"),
        ("2026-11-28T14:30", "${date:+2d}T14:30"),
        ("2026-11-28T14:30:05", "${date:+2d}T14:30:05"),
        ("2026-W50", "${week:+2w}"),
        ("2026-W48", "${week:+0w}"),
    ],
)
def test_near_dates_become_relative(value: str, expected: str) -> None:
    assert relative_value(value, today=TODAY) == expected


@pytest.mark.parametrize(
    "value",
    ["1990-05-17", "2028-01-01", "2026-13-01", "2026-11-28x", "shoes", "12:00", "2026-12", ""],
)
def test_other_values_stay_as_recorded(value: str) -> None:
    assert relative_value(value, today=TODAY) is None


def test_a_month_only_from_a_month_input() -> None:
    assert relative_value("2027-01", today=TODAY, month=True) == "${month:+2m}"
    assert relative_value("2026-11", today=TODAY, month=True) == "${month:+0m}"
    assert relative_value("2024-01", today=TODAY, month=True) is None
    assert relative_value("2027-01", today=TODAY) is None


def test_form_pairs_query_and_json_are_templated() -> None:
    step = Step(
        name="s",
        method="POST",
        url="/cal?day=2026-11-27&view=week&when=2026-11-28T09%3A00",
        form=[("delivery", "2026-11-29"), ("month", "2026-12"), ("q", "shoes")],
    )
    done = relative_dates(step, today=TODAY, month_fields=frozenset({"month"}))
    assert done.url == "/cal?day=${date:+1d}&view=week&when=${date:+2d}T09:00"
    assert done.form == [("delivery", "${date:+3d}"), ("month", "${month:+1m}"), ("q", "shoes")]
    fetch = Step(name="f", method="POST", url="/api", json_body={"at": ["2026-11-30"], "n": 3})
    assert relative_dates(fetch, today=TODAY).json_body == {"at": ["${date:+4d}"], "n": 3}


def test_a_step_without_dates_is_unchanged() -> None:
    step = Step(name="s", url="/items?page=2", form=[("id", "${csrf}")])
    assert relative_dates(step, today=TODAY) is step
