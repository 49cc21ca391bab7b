import pytest
from pydantic import ValidationError

from loadscout.plan.durations import parse_duration
from loadscout.plan.profiles import ConstantUsers, ThinkTime


def test_ramp_up_spreads_starts_evenly() -> None:
    profile = ConstantUsers(users=4, duration_s=10, ramp_up_s=2)
    assert profile.start_offsets() == [0.0, 0.5, 1.0, 1.5]
    assert [profile.users_at(t) for t in (0, 0.6, 1.0, 5, 10)] == [1, 2, 3, 4, 0]


def test_no_ramp_starts_everyone_at_once() -> None:
    assert ConstantUsers(users=3, duration_s=5).start_offsets() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"users": 0, "duration_s": 1},
        {"users": 1, "duration_s": 0},
        {"users": 2, "duration_s": 5, "ramp_up_s": 6},
    ],
)
def test_invalid_profiles_are_rejected(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        ConstantUsers(**kwargs)  # type: ignore[arg-type]


def test_think_time_range_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="below its min"):
        ThinkTime(min_s=2, max_s=1)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("20s", 20), ("90", 90), ("1m30s", 90), ("2h", 7200), ("250ms", 0.25), (" 1.5s ", 1.5)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "10x", "s", "1m-2s"])
def test_parse_duration_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read duration"):
        parse_duration(text)
