"""/api/v1/runs/{id}/screenshots/{name}: the page thumbnails discovery took for a run.

Only files the run's discovery report lists, inside the run's own artifacts folder, are
served: a name is matched against that list, never joined onto a path, so ``..`` cannot
escape it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, status
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from loadscout.api.deps import ControlDep, RepoDep, RunDep
from loadscout.api.routers.runs import NOT_FOUND
from loadscout.api.schemas import Message
from loadscout.store.records import RunRecord
from loadscout.store.runs import RunRepository

router = APIRouter(prefix="/runs", tags=["runs"])

_PNG: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
        "description": "The PNG thumbnail",
    },
    404: {"model": Message, "description": "No such run, or no screenshot of that name"},
}


async def listed_screenshots(repo: RunRepository, record: RunRecord) -> list[str]:
    """The thumbnail paths of the run's discovery report: from the result once it exists,
    else from the flows discovery stored (the run is loading)."""
    summary = await repo.get_result(record.id)
    if summary is not None and summary.discovery.screenshots:
        return list(summary.discovery.screenshots)
    flowset = await repo.get_flows(record.id)
    if flowset is None or flowset.discovery is None:
        return []
    return list(flowset.discovery.screenshots)


@router.get(
    "/{run_id}/screenshots/{name}",
    response_class=FileResponse,
    responses={**NOT_FOUND, **_PNG},
)
async def get_screenshot(
    record: RunDep,
    repo: RepoDep,
    control: ControlDep,
    name: Annotated[
        str,
        PathParam(
            max_length=200,
            description="A file name from the run's `discovery.screenshots`",
            examples=["products_num.png"],
        ),
    ],
) -> FileResponse:
    """One page thumbnail (PNG) that discovery took for this run, by its file name."""
    folder = control.run_folder(record.id)
    if folder is not None:
        listed = await listed_screenshots(repo, record)
        path = await asyncio.to_thread(_find, listed, folder, name)
        if path is not None:
            return FileResponse(
                path, media_type="image/png", headers={"cache-control": "private, max-age=86400"}
            )
    raise HTTPException(status.HTTP_404_NOT_FOUND, f"run {record.id} has no screenshot {name!r}")


def _find(listed: list[str], folder: Path, name: str) -> Path | None:
    """``folder/screenshots/name`` if the report lists a file of that name and it is there.

    Only the listed base names are accepted (so the artifacts root may move); the final
    check that the file is inside ``folder`` guards against odd names all the same.
    """
    if name not in {Path(entry).name for entry in listed}:
        return None
    inside = folder.resolve()
    path = (inside / "screenshots" / name).resolve()
    return path if path.is_relative_to(inside) and path.is_file() else None
