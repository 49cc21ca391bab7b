"""Run the demo shop in the foreground (``loadscout demo-target``)."""

from __future__ import annotations

import uvicorn

from loadscout.demo.app import create_demo_app


def serve_demo(*, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve a fresh shop until interrupted (Ctrl-C)."""
    uvicorn.run(
        create_demo_app(),
        host=host,
        port=port,
        log_level="info",
        ws="websockets-sansio",
        lifespan="off",
    )
