from rich.console import Console

from loadscout.reports.console import summary_renderable
from tests.utils.factories import make_run_summary


def _render(width: int = 80) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(summary_renderable(make_run_summary()))
    return console.export_text()


def test_summary_shows_totals_steps_and_errors() -> None:
    text = _render()
    summary = make_run_summary()
    assert f"requests {summary.totals.requests:,}" in text
    for step in summary.steps:
        assert step.flow in text
        assert step.name in text
    for error in summary.errors:
        assert error.kind in text


def test_fits_a_narrow_terminal() -> None:
    assert max(len(line) for line in _render(80).splitlines()) <= 80
