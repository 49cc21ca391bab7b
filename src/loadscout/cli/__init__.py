"""The ``loadscout`` command line (Typer). Exit codes: 0 ok, 1 the run's verdict is not
passed (thresholds failed, or errors above the level; metrics/verdict.py), 2 bad input,
3 run failed, 4 partial results (a load process was lost mid-run; the result is kept)."""

from loadscout.cli.commands import app


def main() -> None:
    app()
