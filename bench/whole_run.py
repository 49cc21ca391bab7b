"""What a whole `loadscout run` costs beyond its workers: start-up, the parent process,
aggregation, the live view, the report and storing the run (issue 16: <= 10% above the
workers' own CPU).

nginx (core 0) serves the 1 KB file; the real CLI (`loadscout run --flows`, one worker
process, a fresh SQLite database) runs pinned to core 1 for the whole run. The process tree's
CPU is exact: this script is its parent and reads what the kernel reports of its waited-for
children when the run is over. A worker's own CPU is read from /proc every 20 ms while it
lives: its last reading misses at most the worker's final 20 ms, so the overhead printed errs
high, never low. Requests are counted by nginx.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml
from measure import ROOT, TICK, nginx_requests, processes, start_nginx

SAMPLE_S = 0.02


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=18487)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load")
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("nginx") is None:
        raise SystemExit("needs nginx: apt-get install -y nginx-light")
    nginx, work = start_nginx(args.port)
    try:
        index = work / "www" / "index.html"  # the run's preflight loads the target's page
        index.write_text("<!doctype html><title>bench</title>")
        index.chmod(0o644)
        flows = work / "flows.yaml"
        flows.write_text(
            yaml.safe_dump(
                {
                    "version": 2,
                    "target_url": f"http://127.0.0.1:{args.port}/",
                    "flows": [{"name": "get", "steps": [{"name": "get", "url": "/1k.txt"}]}],
                }
            )
        )
        _run(args, flows, work)
    finally:
        nginx.terminate()
        nginx.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, flows: Path, work: Path) -> None:
    cli = Path(sys.executable).with_name("loadscout")
    cmd = [
        *("taskset", "-c", "1", str(cli), "run", "--flows", str(flows)),
        *("--users", str(args.users), "--duration", f"{args.duration}s"),
        *("--think-time", "0", "--workers", "1"),
    ]
    env = {
        **os.environ,
        "LOADSCOUT_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'runs.db'}",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests0 = nginx_requests(args.port)
    began = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    workers: dict[tuple[int, str], int] = {}  # (pid, start time) -> last CPU ticks read
    while proc.poll() is None:
        for key, ticks in _workers_of(proc.pid).items():
            workers[key] = ticks
        time.sleep(SAMPLE_S)
    wall = time.monotonic() - began
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):  # 1: a threshold failed; none is set here
        raise SystemExit(f"loadscout run exited {proc.returncode}: {err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests = nginx_requests(args.port) - requests0 - 1
    tree = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    own = sum(workers.values()) / TICK
    if not workers or own <= 0:
        raise SystemExit("no worker process was seen")
    print(f"loadscout run, {args.users} users, {args.duration} s of load, 1 worker process")
    print(f"  wall time of the run        {wall:8.2f} s")
    print(f"  requests (nginx's count)    {requests:8,d}")
    print(f"  CPU of the process tree     {tree:8.2f} s  ({requests / tree:,.0f} req per CPU-s)")
    print(f"  CPU of the worker           {own:8.2f} s  ({requests / own:,.0f} req per CPU-s)")
    print(f"whole run costs {tree / own - 1:+.1%} CPU above the worker's own (bar: <= +10%)")


def _workers_of(pid: int) -> dict[tuple[int, str], int]:
    """CPU ticks (user+sys) of the worker processes below ``pid``: the processes the CLI
    spawned to generate load (multiprocessing's own helpers excluded)."""
    found: dict[tuple[int, str], int] = {}
    for proc in processes():
        if proc.parent != pid:
            continue
        try:
            cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:
            found[proc.pid, proc.started] = proc.ticks
    return found


if __name__ == "__main__":
    main()
