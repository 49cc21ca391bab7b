"""A body's charset, read from its Content-Type the same way by the load engine and discovery."""

from __future__ import annotations

from loadscout.flows.content_type import charset_of


def test_the_charset_parameter_is_read_however_it_is_written() -> None:
    assert charset_of("text/html; charset=ISO-8859-1") == "ISO-8859-1"
    assert charset_of('text/html; Charset="utf-8"') == "utf-8"
    assert charset_of("text/html;charset=utf-8 ") == "utf-8"
    assert charset_of("text/html") is None
    assert charset_of("text/html; charset=") is None
