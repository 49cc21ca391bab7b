"""Memory per virtual user: RSS with 10,000 users minus RSS with 1,000, over 9,000.

Each user has its own cookie jar and connection and sends one request a second (think time
1 s) to nginx; RSS is read in the steady state, after every user has started. Each count runs
in a fresh process so one measurement cannot inflate the other.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def one(url: str, users: int) -> dict[str, float]:
    from loadscout.flows.model import Flow, FlowSet, Step
    from loadscout.load.runner import run_load
    from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime

    base, _, path = url.partition("://")[2].partition("/")
    flowset = FlowSet(
        target_url=f"http://{base}",
        flows=[Flow(name="get", steps=[Step(name="get", url=f"/{path}")])],
    )
    plan = LoadPlan(
        profile=ConstantUsers(users=users, duration_s=9, ramp_up_s=4),
        think_time=ThinkTime(min_s=1, max_s=1, recorded=False),
    )
    samples: list[int] = []

    def on_progress(stats: object) -> None:
        samples.append(rss_kb())

    outcome = await run_load(flowset, plan, on_progress=on_progress)
    steady = samples[6:8] or samples[-2:]
    return {
        "users": users,
        "rss_kb": max(steady),
        "requests": outcome.totals.requests,
        "errors": outcome.totals.errors,
        "kinds": [e.example for e in outcome.errors],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--users", type=int)
    args = parser.parse_args()
    if args.users:
        import uvloop

        print(json.dumps(uvloop.run(one(args.url, args.users))))
        return
    from measure import start_nginx  # type: ignore[import-not-found]

    port = 18481
    nginx, _ = start_nginx(port)
    try:
        results = []
        for users in (1000, 10_000):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--url",
                    f"http://127.0.0.1:{port}/1k.txt",
                    "--users",
                    str(users),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(
                f"  {users:>6} users: RSS {results[-1]['rss_kb'] / 1024:.1f} MiB, "
                f"{results[-1]['requests']} requests, {results[-1]['errors']} errors "
                f"{results[-1]['kinds'][:1]}"
            )
    finally:
        nginx.terminate()
        nginx.wait(10)
    per_user = (results[1]["rss_kb"] - results[0]["rss_kb"]) / 9000
    print(f"memory per virtual user: {per_user:.1f} KB (bar: <= Locust FastHttpUser, ~24 KB)")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
