"""Flows files on disk: read with an error that names the file, written without secrets."""

from __future__ import annotations

from pathlib import Path

from loadscout.errors import FlowsFileError
from loadscout.flows.io import dumps_flowset, loads_flowset
from loadscout.flows.model import FlowSet

MAX_FLOWS_FILE_BYTES = 20 * 1024 * 1024  # hundreds of flows fit in far less


def load_flowset(path: Path) -> FlowSet:
    try:
        size = path.stat().st_size
        if size > MAX_FLOWS_FILE_BYTES:
            raise FlowsFileError(
                f"flows file {path} is {size / 1e6:,.0f} MB; the limit is "
                f"{MAX_FLOWS_FILE_BYTES / 1e6:,.0f} MB"
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise FlowsFileError(
            f"cannot read flows file {path}: {err.__class__.__name__}: "
            f"{getattr(err, 'strerror', None) or err}"
        ) from None
    return loads_flowset(text, source=str(path))


def save_flowset(flowset: FlowSet, path: Path) -> None:
    path.write_text(dumps_flowset(flowset), encoding="utf-8")
