"""Steps numbered once per run, so hot-path records and snapshots carry an int, not names."""

from __future__ import annotations

from dataclasses import dataclass

from loadscout.flows.model import FlowSet


@dataclass(frozen=True, slots=True)
class StepInfo:
    """What a report shows for one step; its index in the catalog is the step id."""

    flow: str
    name: str
    method: str
    url: str


def step_catalog(flowset: FlowSet) -> list[StepInfo]:
    """Every (flow, step) in document order: each worker derives the same ids from one file."""
    return [
        StepInfo(flow=flow.name, name=step.name, method=step.method, url=step.url)
        for flow in flowset.flows
        for step in flow.steps
    ]
