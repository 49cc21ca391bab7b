"""Instructions per request, counted by callgrind: a figure that stays put on a busy machine,
where CPU time does not (issue 16's hot-path work was judged by it).

Each generator runs twice under ``valgrind --tool=callgrind``, for two numbers of requests
(``hotpath.py``: nothing in it depends on time, so a run slowed down by valgrind does the same
work); the difference in instructions over the difference in requests is the cost of one
request in steady state (start-up, imports and the end of the run cancel out).
``--instant``: loadscout in-process against ``instant_client.InstantClient`` (the engine's
own Python: users, steps, checks, recorder; no socket or parser). Otherwise against nginx
on 127.0.0.1 with 50 users: the whole user-space path (uvloop, httptools, the engine), and
the bare client for scale.
Kernel time (the loopback's own) is not counted by callgrind.

    python bench/callgrind_cost.py --instant --only recorded --only journey
    python bench/callgrind_cost.py --only get --only bare
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from journeys_cost import JOURNEY, RECORDED, write_site
from measure import HERE, ROOT, start_nginx

GET = {
    "version": 2,
    "target_url": "http://127.0.0.1/",
    "flows": [{"name": "get", "steps": [{"name": "get", "url": "/1k.txt"}]}],
}
FLOWS = {"get": GET, "recorded": RECORDED, "journey": JOURNEY}
_COLLECTED = re.compile(r"Collected : (\d+)")


def counted(cmd: list[str], out: Path) -> tuple[int, int]:
    """(instructions, requests) of one run of ``cmd`` under callgrind."""
    proc = subprocess.run(
        [
            *("valgrind", "--tool=callgrind", "--collect-atstart=no"),
            *("--toggle-collect=uv_run", f"--callgrind-out-file={out}", *cmd),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    found = _COLLECTED.search(proc.stderr)
    if proc.returncode or found is None:
        raise SystemExit(f"{cmd} failed: {proc.stderr[-3000:]}")
    requests = json.loads(proc.stdout.strip().splitlines()[-1])["requests"]
    return int(found.group(1)), requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instant", action="store_true", help="in-process, no socket")
    parser.add_argument("--only", action="append", help="get, recorded, journey, bare")
    parser.add_argument("--short", type=int, default=3000, help="requests of the short run")
    parser.add_argument("--long", type=int, default=13000, help="requests of the long run")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--port", type=int, default=18489)
    parser.add_argument("--keep", type=Path, help="keep the long runs' callgrind files here")
    args = parser.parse_args()
    names = args.only or ["get", "recorded", "journey", *([] if args.instant else ["bare"])]
    nginx, work = start_nginx(args.port)
    files = Path(tempfile.mkdtemp(prefix="loadscout-callgrind-"))
    try:
        write_site(work / "www")
        write_site(files / "www")  # the instant client's copy, read in its process
        (files / "www" / "1k.txt").write_bytes(b"x" * 1024)
        url = f"http://127.0.0.1:{args.port}/"
        for name in names:
            runs = []
            for amount in (args.short, args.long):
                out = (args.keep or files) / f"callgrind.{name}.{amount}"
                out.parent.mkdir(parents=True, exist_ok=True)
                runs.append(counted(_command(name, args, url, files, amount), out))
            (i1, r1), (i2, r2) = runs
            per = (i2 - i1) / (r2 - r1)
            where = "instant client" if args.instant else "nginx"
            print(f"{name:<10} {where:<15} {per:>10,.0f} instructions/request ({r1} / {r2})")
    finally:
        nginx.terminate()
        nginx.wait(10)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(files, ignore_errors=True)


def _command(name: str, args: argparse.Namespace, url: str, files: Path, amount: int) -> list[str]:
    py = sys.executable
    if name == "bare":  # the bare client runs for a time: about 1,000 requests a second here
        duration = f"{amount / 1000:g}"
        return [py, str(HERE / "bare_client.py"), "--url", f"{url}1k.txt", "--duration", duration]
    flows = files / f"{name}.yaml"
    flows.write_text(yaml.safe_dump(FLOWS[name]))
    cmd = [py, str(HERE / "hotpath.py"), "--url", url, "--flows", str(flows)]
    cmd += ["--users", str(args.users), "--requests", str(amount)]
    if args.instant:
        cmd += ["--www", str(files / "www")]
    return cmd


if __name__ == "__main__":
    main()
