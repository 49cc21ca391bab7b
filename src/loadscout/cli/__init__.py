"""The ``loadscout`` command line (Typer). Exit codes: 0 ok, 1 thresholds failed, 2 bad input,
3 run failed."""

from loadscout.cli.commands import app


def main() -> None:
    app()
