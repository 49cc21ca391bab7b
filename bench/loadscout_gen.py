"""loadscout as a load generator for the benchmark: a one-step flow, closed model, no think
time, in this process on uvloop (``--workers 0``) or in N worker processes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import uvloop

from loadscout.files.flows_file import load_flowset
from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.runner import run_load
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime


async def main(args: argparse.Namespace) -> None:
    base, _, path = args.url.partition("://")[2].partition("/")
    flowset = FlowSet(
        target_url=f"http://{base}",
        flows=[Flow(name="get", steps=[Step(name="get", url=f"/{path}")])],
    )
    if args.flows:  # a flows file (recorded flows or journeys) against the same server
        flowset = load_flowset(Path(args.flows)).model_copy(
            update={"target_url": flowset.target_url}
        )
    think = ThinkTime(min_s=args.think, max_s=args.think, recorded=False)
    profile = ConstantUsers(users=args.users, duration_s=args.duration, ramp_up_s=args.ramp_up)
    plan = LoadPlan(
        profile=profile,
        think_time=think,
        workers=args.workers,
        request_timeout_s=60,
    )
    make_client = None
    if args.client == "aiohttp":
        from aiohttp_client import AiohttpClient  # bench/ itself: this file runs as a script

        def make_client() -> AiohttpClient:
            return AiohttpClient(timeout_s=60)

    elif args.client == "instant":  # callgrind_cost.py: the engine's own cost, no socket
        from instant_client import InstantClient, pages_of

        pages = pages_of(Path(args.www))

        def make_client() -> InstantClient:
            return InstantClient(pages)

    outcome = await run_load(flowset, plan, make_client=make_client, seed=args.seed)
    totals = outcome.totals
    print(
        json.dumps(
            {
                "requests": totals.requests,
                "errors": totals.errors,
                "rps": totals.rps,
                "p50_ms": totals.latency_ms.p50,
                "p99_ms": totals.latency_ms.p99,
            }
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=12.0)
    parser.add_argument("--ramp-up", type=float, default=0.0)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--client", choices=["h1", "aiohttp", "instant"], default="h1")
    parser.add_argument("--www", help="--client instant: serve the files of this folder")
    parser.add_argument("--seed", type=int, help="repeatable flow picks and journeys")
    parser.add_argument("--flows", help="replay this flows file instead of one GET of --url")
    uvloop.run(main(parser.parse_args()))
