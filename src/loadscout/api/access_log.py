"""The access log leaves out what a URL's query carries on the sign-in callback: an OIDC
``code`` and ``state`` are single-use, but still nothing a log should keep."""

from __future__ import annotations

import logging

_QUIET_PATHS = ("/api/v1/auth/oidc/callback",)


class DropSecretQueries(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, _, query = args[2].partition("?")
            if query and path in _QUIET_PATHS:
                record.args = (*args[:2], f"{path}?…", *args[3:])
        return True


def install() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, DropSecretQueries) for f in logger.filters):
        logger.addFilter(DropSecretQueries())
