"""What journeys cost the load engine per request, against recorded flows on the same site.

nginx (core 0) serves a static catalogue: 15 list pages of 20 items each and 300 item pages
linking 4 related items. loadscout (core 1) replays, in turn, a recorded flow (list page 1,
then item 7: the same two URLs every iteration) and a journey over the same pages (links
picked from each response, so every request also parses the page it came from). Requests are
counted by nginx, CPU is the generator's process tree, over the same steady window.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from measure import HERE, Result, measure, start_nginx

LISTS, PER_LIST, ITEMS = 15, 20, 300

RECORDED = {
    "version": 2,
    "target_url": "http://127.0.0.1/",
    "flows": [
        {
            "name": "list then item",
            "steps": [{"name": "list", "url": "/list/1/"}, {"name": "item", "url": "/items/7/"}],
        }
    ],
}
JOURNEY = {
    "version": 2,
    "target_url": "http://127.0.0.1/",
    "journeys": [
        {
            "name": "browse",
            "entry": "list",
            "max_pages": 50,
            "states": [
                {
                    "name": "list",
                    "pattern": "/list/{num}/",
                    "url": "/list/1/",
                    "exit": 0.05,
                    "transitions": [
                        {"to": "item", "probability": 0.7},
                        {"to": "list", "probability": 0.25},
                    ],
                },
                {
                    "name": "item",
                    "pattern": "/items/{num}/",
                    "exit": 0.05,
                    "transitions": [
                        {"to": "item", "probability": 0.6},
                        {"to": "list", "probability": 0.35},
                    ],
                },
            ],
        }
    ],
}


def _page(body: str) -> str:
    return f"<!doctype html><html><head><title>Shop</title></head><body>{body}</body></html>"


def write_site(www: Path) -> None:
    nav = "".join(f'<a href="/list/{n}/">{n}</a> ' for n in range(1, LISTS + 1))
    for n in range(1, LISTS + 1):
        first = (n - 1) * PER_LIST + 1
        items = "".join(
            f'<li><a href="/items/{i}/">Item number {i}</a> <p>A fine thing.</p></li>'
            for i in range(first, first + PER_LIST)
        )
        _write(www / "list" / str(n) / "index.html", _page(f"<ul>{items}</ul><nav>{nav}</nav>"))
    for i in range(1, ITEMS + 1):
        related = "".join(
            f'<a href="/items/{(i + k * 37) % ITEMS + 1}/">More</a> ' for k in range(4)
        )
        body = (
            f'<h1>Item {i}</h1><p>{"Words about it. " * 20}</p>{related}<a href="/list/1/">All</a>'
        )
        _write(www / "items" / str(i) / "index.html", _page(body))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    path.write_text(text)
    path.chmod(0o644)
    for parent in path.parents:
        if parent.name == "www":
            break
        parent.chmod(0o755)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=18481)
    parser.add_argument("--window", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=9, help="interleaved; the median counts")
    args = parser.parse_args()
    if shutil.which("nginx") is None:
        raise SystemExit("needs nginx: apt-get install -y nginx-light")
    nginx, work = start_nginx(args.port)
    files = Path(tempfile.mkdtemp(prefix="loadscout-journeys-"))
    rounds: list[dict[str, Result]] = []
    try:
        write_site(work / "www")
        total = args.warmup + args.window + 5
        for _ in range(args.rounds):
            rounds.append(_round(files, args.port, total, args.warmup, args.window))
    finally:
        nginx.terminate()
        nginx.wait(10)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(files, ignore_errors=True)
    print(f"\n{'round':<6} {'replaying':<16} {'req/s':>10} {'CPU s':>7} {'req per CPU-s':>14}")
    extras = []
    for n, results in enumerate(rounds, 1):
        for r in results.values():
            print(f"{n:<6} {r.name:<16} {r.rps:>10,.0f} {r.cpu_s:>7.2f} {r.per_cpu_s:>14,.0f}")
        extras.append(results["recorded flow"].per_cpu_s / results["journey"].per_cpu_s - 1)
    each = ", ".join(f"{e:+.1%}" for e in extras)
    print(
        f"journeys cost {statistics.median(extras):+.1%} CPU per request against recorded flows"
        f" (median of {len(extras)} interleaved rounds: {each}; bar: <= +15%)"
    )
    flows, journeys = ([r[name].per_cpu_s for r in rounds] for name in ("recorded flow", "journey"))
    print(  # a process's noise (a slow round) counts once here, not in both of its ratios
        f"median requests per CPU-s: recorded flow {statistics.median(flows):,.0f},"
        f" journey {statistics.median(journeys):,.0f}:"
        f" {statistics.median(flows) / statistics.median(journeys) - 1:+.1%}"
    )


def _round(files: Path, port: int, total: float, warmup: float, window: float) -> dict[str, Result]:
    results: dict[str, Result] = {}
    for name, document in (("recorded flow", RECORDED), ("journey", JOURNEY)):
        path = files / f"{name.replace(' ', '_')}.yaml"
        path.write_text(yaml.safe_dump(document))
        cmd = [
            sys.executable,
            str(HERE / "loadscout_gen.py"),
            "--url",
            f"http://127.0.0.1:{port}/",
            "--users",
            "50",
            "--duration",
            str(total),
            "--flows",
            str(path),
        ]
        results[name] = measure(name, cmd, port, warmup, window)
    return results


if __name__ == "__main__":
    main()
