"""Turn every failure into one clear line and the documented exit code — never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from loadscout.errors import BadInput, LoadscoutError, RunFailed
from loadscout.metrics.summary import RunSummary
from loadscout.status import RunStatus

EXIT_OK, EXIT_THRESHOLDS, EXIT_BAD_INPUT, EXIT_RUN_FAILED, EXIT_PARTIAL = 0, 1, 2, 3, 4

P = ParamSpec("P")
R = TypeVar("R")

err_console = Console(stderr=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def exit_code(summary: RunSummary, *, allow_partial: bool = False) -> int:
    """``run``'s exit code from a finished run's result, whether it ran here or on a server.
    ``allow_partial``: a run that lost a load process or node is judged on its thresholds."""
    if summary.status != RunStatus.COMPLETED:
        return EXIT_RUN_FAILED
    if summary.partial and not allow_partial:  # a load process was lost: kept, not whole
        return EXIT_PARTIAL
    if summary.partial:
        failed = any(not t.passed for t in summary.thresholds)
        return EXIT_THRESHOLDS if failed else EXIT_OK
    if summary.verdict is not None and not summary.verdict.ok:  # thresholds or errors failed
        return EXIT_THRESHOLDS
    return EXIT_OK


def describe_validation(err: ValidationError) -> str:
    problems = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"])
        problems.append(f"{where}: {e['msg']}" if where else str(e["msg"]))
    return "; ".join(problems)


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Map loadscout's exceptions to messages and exit codes for one command."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except BadInput as e:
            fail(str(e), EXIT_BAD_INPUT)
        except ValidationError as e:
            fail(describe_validation(e), EXIT_BAD_INPUT)
        except RunFailed as e:
            fail(str(e), EXIT_RUN_FAILED)
        except LoadscoutError as e:
            fail(str(e), EXIT_RUN_FAILED)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_RUN_FAILED)

    return wrapper
