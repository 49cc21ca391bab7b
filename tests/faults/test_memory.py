"""Bounded memory: 40 users each downloading a 50 MB body keep at most the kept size of each
(1 MB by default), so the load process running them stays well under 200 MB at its peak.

The users run in one worker process, as in any real run; its peak is measured. (A fresh
interpreter started from a long test session was seen at twice its usual size before any load,
so the process that only merges snapshots is printed, not judged.)"""

from __future__ import annotations

import asyncio
import sys

from tests.faults.fault_server import running_fault_server

PEAK_LIMIT_MB = 200
LOAD = """
import asyncio, resource, sys
from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.runner import run_load
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime

big = Flow(name="big", steps=[Step(name="big", url="/huge50")])
flows = FlowSet(target_url=sys.argv[1], flows=[big])
plan = LoadPlan(profile=ConstantUsers(users=40, duration_s=3), workers=1,
                think_time=ThinkTime(min_s=0, max_s=0), request_timeout_s=30)
outcome = asyncio.run(run_load(flows, plan, seed=1))
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(outcome.totals.requests, worker, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


async def test_forty_users_on_a_50_mb_body_stay_under_200_mb() -> None:
    async with running_fault_server() as server:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", LOAD, server.url, stdout=asyncio.subprocess.PIPE
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 120)
        received = server.received["/huge50"]
    requests, peak_kb, parent_kb = map(int, out.split())
    peak, parent = peak_kb / 1024, parent_kb / 1024
    print(f"{requests} responses of 50 MB: worker peak {peak:.0f} MB, parent {parent:.0f} MB")
    assert requests == received >= 40
    assert peak < PEAK_LIMIT_MB
