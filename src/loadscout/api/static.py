"""Serve the built dashboard so deep links such as /runs/42 load the single-page app."""

from __future__ import annotations

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope


class SPAStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except StarletteHTTPException as err:
            last = path.rsplit("/", 1)[-1]
            if err.status_code == 404 and not path.startswith("api/") and "." not in last:
                return await super().get_response("index.html", scope)
            raise
