"""``run --server``: the run's options as the body of ``POST /api/v1/runs`` (the API's
RunCreate), so a run on a server is the run the same command would start here."""

from __future__ import annotations

from typing import Any

from loadscout.api.schemas import RunCreate
from loadscout.errors import BadInput
from loadscout.orchestrator.options import RunOptions

LOCAL_FILE_OPTIONS = {
    "credentials_file": "--credentials",
    "storage_state_file": "--storage-state",
    "data_file": "--data",
    "screenshots_dir": "--screenshots",
    "har_file": "--har",
}
"""Options naming a file or folder on this machine, which a server cannot read or write."""


def run_body(options: RunOptions) -> dict[str, Any]:
    """The JSON body that creates ``options``' run on a server: only what the user gave, the
    flowset uploaded, the password in clear (the server keeps it in memory only). BadInput names
    an option a server cannot take."""
    for field, flag in LOCAL_FILE_OPTIONS.items():
        if getattr(options.discovery, field) is not None:
            raise BadInput(
                f"{flag} names a file on this machine, which the server cannot read; "
                "run without --server, or put the value in the flows file or --password"
            )
    body = {
        name: value
        for name, value in options.document(secrets=True, given_only=True).items()
        if value is not None  # an unset discovery option: the server's default is the same
    }
    # RunCreate needs users; the one the run will have keeps a flows file's ``load:`` in charge
    body["users"] = options.load.over(options.flowset.load if options.flowset else None).users
    if options.flowset is not None:
        body["flowset"] = options.flowset.model_dump(mode="json")
    RunCreate.model_validate(body)  # what the server will check first, so it cannot drift
    return body
