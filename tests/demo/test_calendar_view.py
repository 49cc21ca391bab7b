import pytest

from loadscout.demo.calendar_view import Month


@pytest.mark.parametrize("raw", ["2025-13", "2025-00", "0000-05", "2025-1", "25-01", "x", ""])
def test_rejects_malformed_months(raw: str) -> None:
    assert Month.parse(raw) is None


def test_shifts_across_year_ends_and_stops_at_the_edges() -> None:
    december = Month.parse("2025-12")
    assert december is not None
    assert str(december.shifted(1)) == "2026-01"
    assert str(december.shifted(-12)) == "2024-12"
    assert Month(year=9999, month=12).shifted(1) is None
    assert Month(year=1, month=1).shifted(-1) is None


def test_weeks_hold_every_day_once() -> None:
    february = Month(year=2024, month=2)
    days = [d for week in february.weeks() for d in week if d]
    assert days == list(range(1, 30))
    assert february.title == "February 2024"
