"""The benchmark of issue 4: requests per load-generator CPU-second against nginx.

nginx (Debian's, one worker pinned to core 0) serves a 1 KB file on 127.0.0.1; each generator
runs pinned to core 1 with 50 keep-alive connections. Requests are counted by nginx itself
(stub_status) and CPU is the generator's own (user+sys of its whole process tree from /proc),
both over the same steady window after a warm-up, so start-up costs count for nobody.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    name: str
    requests: int
    cpu_s: float
    wall_s: float

    @property
    def per_cpu_s(self) -> float:
        return self.requests / self.cpu_s if self.cpu_s else 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.wall_s


def start_nginx(port: int) -> tuple[subprocess.Popen[bytes], Path]:
    work = Path(tempfile.mkdtemp(prefix="loadscout-bench-"))
    work.chmod(0o755)  # nginx's workers run as www-data
    (work / "www").mkdir(mode=0o755)
    (work / "www" / "1k.txt").write_bytes(b"x" * 1024)
    (work / "www" / "1k.txt").chmod(0o644)
    conf = (HERE / "nginx.conf.in").read_text().replace("@DIR@", str(work))
    (work / "nginx.conf").write_text(conf.replace("@PORT@", str(port)))
    proc = subprocess.Popen(
        [
            "taskset",
            "-c",
            "0",
            "nginx",
            "-c",
            str(work / "nginx.conf"),
            "-e",
            str(work / "error.log"),
        ]
    )
    for _ in range(50):
        try:
            nginx_requests(port)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/1k.txt", timeout=5) as r:
                if r.status != 200 or len(r.read()) != 1024:
                    raise SystemExit("nginx does not serve the 1 KB file")
            return proc, work
        except OSError:
            time.sleep(0.1)
    raise SystemExit("nginx did not start")


def nginx_requests(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/nginx_status", timeout=5) as r:
        text = r.read().decode()
    return int(text.splitlines()[2].split()[2])  # "accepts handled requests"


@dataclass(frozen=True)
class Proc:
    pid: int
    parent: int
    ticks: int  # user+sys CPU, in clock ticks
    started: str  # start time, in ticks after boot: with the pid, names one process


def processes() -> list[Proc]:
    """Every live process, read from /proc/PID/stat."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])
        found.append(Proc(int(entry), int(fields[1]), ticks, fields[19]))
    return found


def tree_cpu_s(pid: int) -> float:
    """user+sys seconds of ``pid`` and all its live descendants."""
    procs = processes()
    family = {pid}
    grew = True
    while grew:
        grew = False
        for proc in procs:
            if proc.parent in family and proc.pid not in family:
                family.add(proc.pid)
                grew = True
    return sum(p.ticks for p in procs if p.pid in family) / TICK


def measure(
    name: str, cmd: list[str], port: int, warmup: float, window: float, cpus: str = "1"
) -> Result:
    proc = subprocess.Popen(
        ["taskset", "-c", cpus, *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    try:
        time.sleep(warmup)
        r0, c0, t0 = nginx_requests(port), tree_cpu_s(proc.pid), time.monotonic()
        time.sleep(window)
        r1, c1, t1 = nginx_requests(port), tree_cpu_s(proc.pid), time.monotonic()
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    if r1 - r0 <= 2:  # the status requests themselves
        raise SystemExit(f"{name} sent nothing: {err.decode()[-2000:]}")
    return Result(name, r1 - r0 - 1, c1 - c0, t1 - t0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=18480)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--locust", default=str(HERE / ".venv" / "bin" / "locust"))
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--only", action="append", help="run only this generator (repeatable; e.g. wrk, loadscout)"
    )
    args = parser.parse_args()
    if shutil.which("nginx") is None or shutil.which("wrk") is None:
        raise SystemExit("needs nginx and wrk: apt-get install -y nginx-light wrk")
    nginx, work = start_nginx(args.port)
    url = f"http://127.0.0.1:{args.port}/1k.txt"
    total = args.warmup + args.window + 5
    py = sys.executable
    gen = [
        py,
        str(HERE / "loadscout_gen.py"),
        "--url",
        url,
        "--users",
        "50",
        "--duration",
        str(total),
    ]
    runs = {
        "wrk": ["wrk", "-t1", "-c50", f"-d{int(total)}s", url],
        "locust FastHttpUser": [
            args.locust,
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "-u",
            "50",
            "-r",
            "50",
            "-t",
            f"{int(total)}s",
            "-H",
            f"http://127.0.0.1:{args.port}",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        "bare httptools + uvloop": [
            py,
            str(HERE / "bare_client.py"),
            "--url",
            url,
            "--duration",
            str(total),
        ],
        "loadscout": gen,
        "loadscout (aiohttp client)": [*gen, "--client", "aiohttp"],
    }
    results: dict[str, Result] = {}
    try:
        for name, cmd in runs.items():
            if args.only and name not in args.only:
                continue
            if name.startswith("locust") and not Path(cmd[0]).exists():
                print(f"skipping {name}: {cmd[0]} missing (bench/run.sh installs it)")
                continue
            results[name] = measure(name, cmd, args.port, args.warmup, args.window)
            print(f"  {name}: {results[name].per_cpu_s:,.0f} req/CPU-s", flush=True)
        for workers in (1, 2):
            if args.only and not any(o.startswith("loadscout --workers") for o in args.only):
                break
            name = f"loadscout --workers {workers}"
            results[name] = measure(
                name,
                [*gen, "--workers", str(workers)],
                args.port,
                args.warmup + 1.5,
                args.window,
                cpus="0,1",
            )
    finally:
        nginx.terminate()
        nginx.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    report(results, args.json)


def report(results: dict[str, Result], json_path: Path | None) -> None:
    print(f"\n{'generator':<30} {'req/s':>10} {'CPU s':>7} {'req per CPU-s':>14}")
    for r in results.values():
        print(f"{r.name:<30} {r.rps:>10,.0f} {r.cpu_s:>7.2f} {r.per_cpu_s:>14,.0f}")
    ls = results.get("loadscout")
    if ls is not None:
        for other in ("wrk", "bare httptools + uvloop", "locust FastHttpUser"):
            if other in results:
                ratio = ls.per_cpu_s / results[other].per_cpu_s
                print(f"loadscout / {other}: {ratio:.2f}x (req per CPU-s)")
    one, two = results.get("loadscout --workers 1"), results.get("loadscout --workers 2")
    if one and two:
        print(f"scaling 1 -> 2 workers (nginx shares the 2 cores): {two.rps / one.rps:.2f}x req/s")
    if json_path is not None:
        json_path.write_text(json.dumps({k: vars(v) for k, v in results.items()}, indent=2))


if __name__ == "__main__":
    main()
