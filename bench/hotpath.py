"""A fixed amount of work for callgrind (``callgrind_cost.py``): ``--requests`` requests by 50
virtual users in this process, then stop. No part of it depends on time: the recorder takes a
snapshot every ``--per-snapshot`` requests (as once a second at that rate), so a slow run
under valgrind counts the same work as a fast one."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import uvloop

from loadscout.files.flows_file import load_flowset
from loadscout.load.client import Client
from loadscout.load.h1_client import H1Client
from loadscout.load.local import WorkerPart, _user_maker
from loadscout.load.state import RunState
from loadscout.metrics.catalog import step_catalog
from loadscout.metrics.recorder import Recorder
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime


async def main(args: argparse.Namespace) -> None:
    flowset = load_flowset(Path(args.flows)).model_copy(update={"target_url": args.url})
    plan = LoadPlan(
        profile=ConstantUsers(users=args.users, duration_s=3600),
        think_time=ThinkTime(min_s=0, max_s=0, recorded=False),
        request_timeout_s=60,
    )
    loop = asyncio.get_running_loop()
    start_ns = time.perf_counter_ns()
    recorder = Recorder(start_ns=start_ns)
    state = RunState(deadline=loop.time() + 3600, clock=loop.time)
    ledger = state.ledger = [0] * len(step_catalog(flowset))  # as a worker process has
    if args.www:
        from instant_client import InstantClient, pages_of  # bench/ itself: run as a script

        pages = pages_of(Path(args.www))

        def make_client() -> Client:
            return InstantClient(pages)
    else:

        def make_client() -> Client:
            return H1Client(timeout_s=60)

    part = WorkerPart(start_ns=start_ns, run_tag="bench", seed=1)
    make = _user_maker(flowset, plan, part, recorder, state, make_client)
    users = [asyncio.ensure_future(make(n + 1).run()) for n in range(args.users)]
    snapped = 0
    while (sent := sum(ledger)) < args.requests:
        if sent - snapped >= args.per_snapshot:
            recorder.snapshot()
            snapped += args.per_snapshot
        await asyncio.sleep(0.05)  # rarely: each look costs instructions, per wall second
    state.stopping = True
    await asyncio.gather(*users)
    snapshot = recorder.snapshot(final=True)
    print(json.dumps({"requests": sum(ledger), "steps": len(snapshot.steps)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--flows", required=True)
    parser.add_argument("--requests", type=int, required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-snapshot", type=int, default=10_000)
    parser.add_argument("--www", help="answer from this folder's files (InstantClient)")
    uvloop.run(main(parser.parse_args()))
