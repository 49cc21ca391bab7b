"""RunCreate is the API's own flat schema; each of its fields lands in the run options."""

from __future__ import annotations

from loadscout.api.schemas import RunCreate
from loadscout.orchestrator.options import RunOptions


def test_every_api_field_maps_onto_the_run_options() -> None:
    everything = set(RunCreate.model_fields)
    options = RunOptions.from_document({"target_url": "http://h/", "users": 1})
    assert everything - {"flowset"} <= set(options.document())
    body = RunCreate(target_url="http://h/", users=2, max_discovery_s=9, ignore_robots=True)
    mapped = body.to_options()
    assert mapped.load.users == 2 and mapped.load.model_fields_set == {"users"}
    assert mapped.discovery.max_time_s == 9 and mapped.discovery.ignore_robots
