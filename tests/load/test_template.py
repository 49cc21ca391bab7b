import pytest

from loadscout.load.template import MissingVariable, Template, compile_json, json_names, render_json


def test_substitutes_every_occurrence() -> None:
    t = Template("/u/${id}/x?a=${id}&b=${other}")
    assert t.names == {"id", "other"}
    assert t.render({"id": "7", "other": "z"}) == "/u/7/x?a=7&b=z"


def test_constant_template_renders_itself() -> None:
    t = Template("/plain?x=$notvar&y={z}")
    assert t.is_constant
    assert t.render({}) == "/plain?x=$notvar&y={z}"


def test_undefined_variable_names_it() -> None:
    with pytest.raises(MissingVariable) as info:
        Template("a${known}b${unknown}").render({"known": "k"})
    assert info.value.name == "unknown"


def test_json_string_leaves_only() -> None:
    compiled = compile_json({"a": "${x}", "n": 3, "list": ["${y}-1", True, None], "k": {"d": "c"}})
    assert json_names(compiled) == {"x", "y"}
    rendered = render_json(compiled, {"x": "1", "y": "2"})
    assert rendered == {"a": "1", "n": 3, "list": ["2-1", True, None], "k": {"d": "c"}}


def test_relative_dates_count_from_the_day_given() -> None:
    import datetime as dt

    from loadscout.load.template import is_relative_date, relative_date

    day = dt.date(2026, 12, 30)
    assert relative_date("date:+2d", day) == "2027-01-01"
    assert relative_date("date:-30d", day) == "2026-11-30"
    assert relative_date("month:+1m", day) == "2027-01"
    assert relative_date("month:-12m", day) == "2025-12"
    assert relative_date("week:+1w", day) == "2027-W01"  # ISO week-year
    assert is_relative_date("date:+2d") and not is_relative_date("date:+2m")
    t = Template("d=${date:+2d}T10:00&u=${user.name}")
    assert t.names == {"date:+2d", "user.name"}
    assert Template("${date:2d}").is_constant  # no sign: not a template
