"""Files a run leaves beside the database (thumbnails), removed together with the run."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from loadscout.orchestrator.options import run_artifacts_dir


async def remove_run_artifacts(root: Path | None, run_id: int) -> None:
    if root is None:
        return
    await asyncio.to_thread(shutil.rmtree, run_artifacts_dir(root, run_id), ignore_errors=True)
