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


def test_retried_and_redirect_columns_appear_when_a_step_has_some() -> None:
    summary = make_run_summary()
    assert "redirects" not in _render()
    steps = [summary.steps[0].model_copy(update={"retried": 3, "redirects": 7}), *summary.steps[1:]]
    console = Console(width=120, record=True, color_system=None)
    console.print(summary_renderable(summary.model_copy(update={"steps": steps})))
    text = console.export_text()
    row = next(line for line in text.splitlines() if summary.steps[0].name in line)
    assert "retried" in text and " 3 " in row and " 7 " in row
