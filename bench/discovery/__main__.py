"""Discovery on real apps: ground truth by plain-HTTP crawl, then ``loadscout discover`` with
default options (and the app's login), one table row per app.

    bash bench/discovery/apps.sh setup     # once: venv, Django project, Datasette db
    python -m bench.discovery              # starts the apps, measures, stops them
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.discovery.truth import Operation, Session, Truth, crawl, operations
from loadscout.flows.io import loads_flowset
from loadscout.flows.model import FlowSet

HERE = Path(__file__).resolve().parent
APPS_DIR = Path(os.environ.get("BENCH_APPS_DIR", "/tmp/loadscout-bench-apps"))
_REQUEST = re.compile(r'"(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+) HTTP')
_SAFE = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True, slots=True)
class App:
    name: str
    start: str
    log: str
    login: tuple[str, str, str] | None = None  # (login url, username, password)
    api_schema: str | None = None  # the OpenAPI schema of the API the app's buttons call


APPS = (
    App(
        name="Django admin",
        start="http://127.0.0.1:8701/admin/",
        log="django.log",
        login=("http://127.0.0.1:8701/admin/login/", "admin", "bench-admin-pw"),
    ),
    App(name="Datasette", start="http://127.0.0.1:8702/", log="datasette.log"),
    App(name="Python docs (static)", start="http://127.0.0.1:8703/", log="docs.log"),
    App(
        name="Roundup",
        start="http://127.0.0.1:8704/tracker/",
        log="roundup.log",
        login=("http://127.0.0.1:8704/tracker/", "admin", "bench-admin-pw"),
    ),
    App(
        name="API explorer (Swagger UI)",
        start="http://127.0.0.1:8705/api/docs/",
        log="api.log",
        api_schema="http://127.0.0.1:8705/api/schema/?format=json",
    ),
)


@dataclass(frozen=True, slots=True)
class Discovered:
    flowset: FlowSet | None
    exit_code: int
    seconds: float
    requests: list[tuple[str, str]]  # (method, path) the app logged during discovery
    error: str = ""


def truth_for(app: App) -> tuple[Truth, list[Operation]]:
    session = Session(app.start)
    if app.login is not None:
        session.login(*app.login)
    ops = operations(session, app.api_schema) if app.api_schema else []
    return crawl(session, app.start), ops


def discover(app: App, out: Path) -> Discovered:
    """``loadscout discover`` with default options (``--force`` keeps flows that fail
    verification so their results are still counted)."""
    log = APPS_DIR / "logs" / app.log
    mark = log.stat().st_size if log.exists() else 0
    command = [sys.executable, "-m", "loadscout", "discover", app.start, "--out", str(out)]
    command.append("--force")
    if app.login is not None:
        url, user, password = app.login
        command += ["--login-url", url, "--username", user, "--password", password]
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = round(time.monotonic() - began, 1)
    with log.open(errors="replace") as handle:
        handle.seek(mark)
        requests = [(m[1], m[2]) for m in _REQUEST.finditer(handle.read())]
    flowset = loads_flowset(out.read_text()) if out.exists() else None
    error = "" if done.returncode == 0 else (done.stderr.strip().splitlines() or [""])[-1]
    return Discovered(flowset, done.returncode, seconds, requests, error)


def _matches(truth_pattern: str, found: str) -> bool:
    """``{id}`` in the truth matches a number or any placeholder; a loadscout placeholder
    (``{num}``, ``{param}``…) matches any segment."""
    want, got = truth_pattern.split("/"), found.split("?")[0].split("/")
    return len(want) == len(got) and all(_segment(w, g) for w, g in zip(want, got, strict=True))


def _segment(want: str, got: str) -> bool:
    if want == got or got.startswith("{"):
        return True
    if "{id}" in want:  # issue{id}: the same word, then a number or a placeholder
        head = want.partition("{id}")[0]
        rest = got[len(head) :] if got.startswith(head) else ""
        return rest.isdigit() or rest.startswith("{")
    return False


def api_cell(ops: list[Operation], run: Discovered) -> str:
    """Operations the app's log shows called during discovery: reads (GET) of all reads, and
    writes, which default options must never send."""
    if not ops:
        return "-"
    called = {o for o in ops for m, p in run.requests if o.matches(m, urlsplit(p).path)}
    reads = [o for o in ops if o.method in _SAFE]
    writes = [o for o in ops if o.method not in _SAFE]
    sent = len(called & set(writes))
    return f"{len(called & set(reads))} / {len(reads)} reads; {sent} of {len(writes)} writes sent"


def row(app: App, truth: Truth, ops: list[Operation], run: Discovered) -> str:
    report = run.flowset.discovery if run.flowset else None
    found = [*(report.patterns if report else []), *(report.routes if report else [])]
    hits = {t for t in truth.patterns if any(_matches(t, f) for f in found)}
    records = {t for t in truth.patterns if "{id}" in t}
    login_path = urlsplit(app.login[0]).path if app.login else None
    writes = [(m, urlsplit(p).path) for m, p in run.requests if m not in _SAFE]
    logins = sum(1 for _, path in writes if path == login_path)
    unsafe = [f"{m} {path}" for m, path in writes if path != login_path]
    verified = report.verification if report else []
    passed = sum(1 for v in verified if v.passed)
    pages = report.pages if report else 0
    per_page = f"{run.seconds / pages:.1f}" if pages else "-"
    cells = [
        app.name,
        f"{len(hits)} / {len(truth.patterns)}",
        f"{len(hits & records)} / {len(records)}",
        f"{report.forms if report else 0} / {len(truth.forms)}",
        str(pages),
        api_cell(ops, run),
        (f"{len(unsafe)} ({', '.join(sorted(set(unsafe)))})" if unsafe else "0")
        + (f" + {logins} logins" if logins else ""),
        f"{run.seconds} s ({per_page} s/page)" + (f", {report.stop_reason}" if report else ""),
        f"{passed} / {len(verified)}",
        str(run.exit_code) + (f": {run.error[:80]}" if run.error else ""),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| app | page patterns found / truth | of which record pages ({id}) | forms found / truth "
    "| pages | API operations called | unsafe requests (besides logging in) "
    "| discovery time, why it stopped | flows verified | exit |"
    "\n|---|---|---|---|---|---|---|---|---|---|"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", action="append", help="only these apps (by name)")
    parser.add_argument("--missed", action="store_true", help="list truth patterns not found")
    args = parser.parse_args()
    apps = [a for a in APPS if not args.app or a.name in args.app]
    subprocess.run(["bash", str(HERE / "apps.sh"), "start"], check=True)
    rows, notes = [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for app in apps:
                truth, ops = truth_for(app)
                run = discover(app, Path(tmp) / (re.sub(r"\W+", "_", app.name) + ".yaml"))
                rows.append(row(app, truth, ops, run))
                report = run.flowset.discovery if run.flowset else None
                found = [*(report.patterns if report else [])]
                missed = sorted(t for t in truth.patterns if not any(_matches(t, f) for f in found))
                shown = ", ".join(missed) if args.missed else str(len(missed))
                failing = [
                    v.detail for v in (report.verification if report else []) if not v.passed
                ]
                if failing and args.missed:
                    shown += "; failing flows: " + " | ".join(d[:160] for d in failing)
                notes.append(
                    f"{app.name}: truth {len(truth.patterns)} patterns from {truth.pages} pages "
                    f"in {truth.seconds} s; missed: {shown}"
                )
    finally:
        subprocess.run(["bash", str(HERE / "apps.sh"), "stop"], check=False)
    print(HEADER)
    print("\n".join(rows))
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
