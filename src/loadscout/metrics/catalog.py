"""Steps numbered once per run, so hot-path records and snapshots carry an int, not names."""

from __future__ import annotations

from dataclasses import dataclass

from loadscout.flows.journeys import journey_requests
from loadscout.flows.model import FlowSet


@dataclass(frozen=True, slots=True)
class StepInfo:
    """What a report shows for one step; its index in the catalog is the step id."""

    flow: str
    name: str
    method: str
    url: str


SETUP_FLOW = "(setup)"
ASSETS = StepInfo(
    flow="(assets)", name="page assets", method="GET", url="(scripts, styles, images)"
)


def step_catalog(flowset: FlowSet, *, assets: bool = False) -> list[StepInfo]:
    """Every (flow, step) in document order, then the setup steps (flow ``(setup)``), then each
    journey's requests (``flows.journeys.journey_requests``), then, when page assets are
    fetched, one entry for all of them: each worker derives the same ids from one file."""
    steps = [
        StepInfo(flow=flow.name, name=step.name, method=step.method, url=step.url)
        for flow in flowset.flows
        for step in flow.steps
    ]
    steps += [
        StepInfo(flow=SETUP_FLOW, name=step.name, method=step.method, url=step.url)
        for step in flowset.setup
    ]
    steps += [
        StepInfo(flow=journey.name, name=r.name, method=r.method, url=r.url)
        for journey in flowset.journeys
        for r in journey_requests(journey)
    ]
    if assets:
        steps.append(ASSETS)
    return steps
