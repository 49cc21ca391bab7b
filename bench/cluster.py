"""One load test on 1 node, then on 3 simulated nodes of a Ray cluster on this machine, against
a counting server on 127.0.0.1: total requests = the server's own count, and each node's share.

    python -m bench.cluster [--users 6] [--duration 3]

Bounded: a few users for a few seconds per run, one cluster (a head with no CPU, up to three
1-CPU nodes) started and shut down here. On one machine the nodes share its cores, so this
shows accounting and shares, not scaling.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from ray.cluster_utils import Cluster

from bench.counting_server import CountingServer
from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.runner import run_load
from loadscout.metrics.summary import LoadOutcome
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime


def _run(address: str, nodes: int, users: int, duration_s: float) -> tuple[LoadOutcome, int, float]:
    with CountingServer() as server:
        flowset = FlowSet(
            target_url=server.url,
            flows=[Flow(name="page", steps=[Step(name="page", url="/page")])],
        )
        plan = LoadPlan(
            profile=ConstantUsers(users=users, duration_s=duration_s),
            think_time=ThinkTime(min_s=0.01, max_s=0.01),
        )
        began = time.monotonic()
        outcome = asyncio.run(run_load(flowset, plan, ray_address=address, ray_nodes=nodes))
        return outcome, server.requests, time.monotonic() - began


def _report(nodes: int, outcome: LoadOutcome, counted: int, wall_s: float) -> None:
    total = outcome.totals.requests
    same = "=" if total == counted else "≠"
    print(
        f"\n{nodes} node(s): {total:,} requests merged {same} {counted:,} counted by the server"
        f"  ({outcome.totals.rps:,.0f} req/s over {outcome.duration_s:g} s of load,"
        f" {wall_s:.1f} s wall with start-up)"
    )
    print(f"  {'node':>4}  {'CPUs':>4}  {'share':<16} {'requests':>9} {'errors':>6} {'CPU s':>6}")
    for n in outcome.nodes:
        print(
            f"  {n.node:>4}  {n.cpus:>4}  {n.share:<16} {n.requests:>9,} {n.errors:>6,}"
            f" {n.cpu_s:>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--duration", type=float, default=3.0)
    args = parser.parse_args()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    try:
        for _ in range(3):
            cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        ok = True
        for nodes in (1, 3):
            outcome, counted, wall_s = _run(cluster.address, nodes, args.users, args.duration)
            _report(nodes, outcome, counted, wall_s)
            ok = ok and outcome.totals.requests == counted and not outcome.partial
    finally:
        cluster.shutdown()
    print("\nevery request accounted for" if ok else "\nMISMATCH: see above")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
