"""What a discovered flow set sends load to, whether as a recorded flow or a journey."""

from __future__ import annotations

from loadscout.flows.model import FlowSet


def walked(flowset: FlowSet) -> set[str]:
    """Page patterns reached: by a browse flow, or as a journey state."""
    browsed = {f.name.removeprefix("browse ").partition("?")[0] for f in flowset.flows}
    states = {s.pattern for j in flowset.journeys for s in j.states}
    return {p for p in browsed if p.startswith("/")} | states


def submitted(flowset: FlowSet) -> set[str]:
    """Form actions sent: by a recorded form flow, or filled by a journey from pools."""
    recorded = {f.name.removeprefix("submit form ") for f in flowset.flows}
    filled = {t.url for j in flowset.journeys for s in j.states for t in s.transitions if t.form}
    return {a for a in recorded if a.startswith("/")} | {u for u in filled if u}
