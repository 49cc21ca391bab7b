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
