"""Where the built dashboard lives (``web/dist`` in a source checkout)."""

from __future__ import annotations

import os
from pathlib import Path


def dashboard_dir() -> Path | None:
    configured = os.environ.get("LOADSCOUT_DASHBOARD_DIR")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(__file__).resolve().parents[3] / "web" / "dist")
    for candidate in candidates:
        if (candidate / "index.html").exists():
            return candidate
    return None
