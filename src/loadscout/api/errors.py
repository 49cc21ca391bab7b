"""Error answers: every 422 names the field and the reason, whatever rejected the request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from loadscout.orchestrator.limits import OptionRejected

_WHERE = {"body", "query", "path", "header", "cookie"}


def issue(loc: Sequence[str | int], reason: str, kind: str) -> dict[str, Any]:
    """One problem, in FastAPI's shape (loc, msg, type) plus ``field`` and ``reason``."""
    path = [str(part) for part in loc if part not in _WHERE] or [str(p) for p in loc]
    return {
        "field": ".".join(path),
        "reason": reason,
        "loc": list(loc),
        "msg": reason,
        "type": kind,
    }


def unprocessable(issues: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"detail": issues}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _validation(_: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, RequestValidationError)
    return unprocessable([issue(e["loc"], e["msg"], e["type"]) for e in err.errors()])


async def _rejected(_: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, OptionRejected)
    return unprocessable([issue(["body", err.field], err.reason, "limit")])


async def _data_error(_: Request, err: Exception) -> JSONResponse:
    # The database refused a value (a NUL character, a number out of range): the client's input.
    reason = str(getattr(err, "orig", err)).splitlines()[0]
    return unprocessable([issue(["body"], f"value cannot be stored: {reason}", "data_error")])


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(OptionRejected, _rejected)
    app.add_exception_handler(DataError, _data_error)
