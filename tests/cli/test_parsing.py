import pytest

from loadscout.cli.parsing import seconds, think_time
from loadscout.errors import BadInput


def test_think_time_forms() -> None:
    assert think_time("0") == (0, 0)
    assert think_time("2s") == (2, 2)
    assert think_time("0.5s-1.5s") == (0.5, 1.5)


def test_think_time_reversed_range() -> None:
    with pytest.raises(BadInput, match="MIN-MAX"):
        think_time("2s-1s")


def test_seconds_names_the_option() -> None:
    with pytest.raises(BadInput, match="--duration: cannot read duration 'soon'"):
        seconds("soon", "--duration")
