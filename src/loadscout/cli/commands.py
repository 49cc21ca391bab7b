"""The commands; each is thin and hands off to the orchestrator, discovery or the server."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from loadscout.cli import load_options as lo
from loadscout.cli import report
from loadscout.cli.errors import EXIT_RUN_FAILED, EXIT_THRESHOLDS, user_errors
from loadscout.cli.parsing import seconds
from loadscout.cli.runner import discover_to_file, run_once
from loadscout.discovery.har import har_target
from loadscout.errors import BadInput
from loadscout.flows.io import load_flowset
from loadscout.orchestrator.options import RunOptions
from loadscout.settings import Settings
from loadscout.status import RunStatus

app = typer.Typer(
    name="loadscout",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Discover how people use a web app in a real browser, then replay it as load.",
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.command("report")(report.report)
console = Console()

MaxPages = Annotated[int, typer.Option(help="Discovery: most pages to visit.", min=1)]
MaxDepth = Annotated[
    int, typer.Option(help="Discovery: most links away from the start page.", min=0)
]
MaxTime = Annotated[str, typer.Option("--max-time", help="Discovery: time budget, e.g. 60s.")]
AllowWrites = Annotated[bool, typer.Option(help="Discovery may submit forms that change data.")]
Scope = Annotated[
    str | None,
    typer.Option(help="Regex of further URLs discovery may visit and --assets may fetch."),
]
LoginUrl = Annotated[str | None, typer.Option(help="Discovery: page with the login form.")]
Username = Annotated[str | None, typer.Option(help="Discovery: account to log in with.")]
Password = Annotated[str | None, typer.Option(help="Password of --username.")]
Credentials = Annotated[
    Path | None, typer.Option(help="CSV username,password: each virtual user logs in as its own.")
]
StorageState = Annotated[
    Path | None, typer.Option(help="Playwright storage-state file of a logged-in browser.")
]
DataFile = Annotated[
    Path | None, typer.Option("--data", help="Form values: field name -> value(s), JSON/YAML/CSV.")
]
Force = Annotated[bool, typer.Option(help="Keep flows that fail verification.")]
Screenshots = Annotated[
    Path | None, typer.Option(help="Folder for a PNG thumbnail per page pattern.")
]
IgnoreRobots = Annotated[
    bool, typer.Option(help="Discovery: also visit pages robots.txt disallows.")
]


def _discovery_fields(params: Mapping[str, Any]) -> dict[str, object]:
    """The discovery options ``discover`` and ``run`` share, from that command's ``locals()``."""

    def path(name: str) -> str | None:
        value = params[name]
        return str(value) if value else None

    return {
        "max_pages": params["max_pages"],
        "max_depth": params["max_depth"],
        "max_discovery_s": seconds(params["max_time"], "--max-time"),
        "allow_writes": params["allow_writes"],
        "scope": params["scope"],
        "login_url": params["login_url"],
        "username": params["username"],
        "password": params["password"],
        "credentials_file": path("credentials"),
        "storage_state_file": path("storage_state"),
        "data_file": path("data"),
        "force": params["force"],
        "screenshots_dir": path("screenshots"),
        "ignore_robots": params["ignore_robots"],
    }


def _settings() -> Settings:
    return Settings()


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Start the API, the dashboard and the orchestrator."""
    import uvicorn

    from loadscout.api.app import create_app
    from loadscout.api.dashboard import dashboard_dir

    settings = _settings()
    console.print(f"loadscout serving on http://{host}:{port}/ (database {settings.database_url})")
    uvicorn.run(
        create_app(settings, dashboard_dir=dashboard_dir()), host=host, port=port, log_level="info"
    )


@app.command()
@user_errors
def discover(
    url: Annotated[str | None, typer.Argument(help="Start page; omit with --har.")] = None,
    out: Annotated[Path, typer.Option(help="Where to write the flows.")] = Path("flows.yaml"),
    max_pages: MaxPages = 40,
    max_depth: MaxDepth = 4,
    max_time: MaxTime = "60s",
    allow_writes: AllowWrites = False,
    scope: Scope = None,
    har: Annotated[
        Path | None, typer.Option(help="Build flows from this HAR export instead of crawling.")
    ] = None,
    login_url: LoginUrl = None,
    username: Username = None,
    password: Password = None,
    credentials: Credentials = None,
    storage_state: StorageState = None,
    data: DataFile = None,
    force: Force = False,
    screenshots: Screenshots = None,
    ignore_robots: IgnoreRobots = False,
) -> None:
    """Explore URL in headless Chromium (or read a HAR) and write the verified flows."""
    if url is None and har is None:
        raise BadInput("give a URL to explore, or --har FILE to import a browser recording")
    options = RunOptions.model_validate(
        {
            "target_url": url or har_target(har),
            "users": 1,
            "har_file": str(har) if har else None,
            **_discovery_fields(locals()),
        }
    )
    asyncio.run(discover_to_file(options, out, settings=_settings(), console=console))


@app.command()
@user_errors
def run(
    url: Annotated[str | None, typer.Argument(help="Start page; omit with --flows.")] = None,
    flows: Annotated[
        Path | None, typer.Option(help="Replay this flows file; skip discovery.")
    ] = None,
    users: lo.Users = None,
    duration: lo.Duration = None,
    ramp_up: lo.RampUp = None,
    think_time_: lo.ThinkTimeOpt = None,
    stages: lo.Stages = None,
    arrival_rate: lo.ArrivalRate = None,
    max_users: lo.MaxUsers = None,
    shape: lo.Shape = None,
    threshold: lo.Thresholds = None,
    abort_on_fail: lo.AbortOnFail = False,
    workers: lo.Workers = None,
    pacing: lo.Pacing = None,
    assets: lo.Assets = False,
    json_out: Annotated[Path | None, typer.Option(help="Write the result JSON here.")] = None,
    max_pages: MaxPages = 40,
    max_depth: MaxDepth = 4,
    max_time: MaxTime = "60s",
    allow_writes: AllowWrites = False,
    scope: Scope = None,
    login_url: LoginUrl = None,
    username: Username = None,
    password: Password = None,
    credentials: Credentials = None,
    storage_state: StorageState = None,
    data: DataFile = None,
    force: Force = False,
    screenshots: Screenshots = None,
    ignore_robots: IgnoreRobots = False,
) -> None:
    """Discover flows (or read them with --flows), replay them as load, report and store the run."""
    flowset = load_flowset(flows) if flows is not None else None
    target = url or (flowset.target_url if flowset else None)
    if target is None:
        raise BadInput("give a URL to discover, or --flows FILE to replay")
    load = lo.load_fields(users=users, duration=duration, ramp_up=ramp_up, think=think_time_,
                          stages=stages, arrival_rate=arrival_rate, max_users=max_users,
                          shape=shape, thresholds=threshold, abort_on_fail=abort_on_fail,
                          workers=workers, pacing=pacing, assets=assets)  # fmt: skip
    load.setdefault("users", ((flowset.load or {}) if flowset else {}).get("users", 10))
    options = RunOptions.model_validate(
        {
            "target_url": target,
            **load,
            "flowset": flowset,
            **_discovery_fields(locals()),
        }
    )
    if options.flowset is not None:  # a password the flows file needs is missing: fail now
        options.resolved_flowset(options.flowset)
    summary = asyncio.run(
        run_once(options, settings=_settings(), console=console, json_out=json_out)
    )
    if summary.status != RunStatus.COMPLETED:
        raise typer.Exit(EXIT_RUN_FAILED)
    if any(not t.passed for t in summary.thresholds):
        raise typer.Exit(EXIT_THRESHOLDS)


@app.command("demo-target")
@user_errors
def demo_target(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8001,
) -> None:
    """Serve the sample shop loadscout is demonstrated and tested on."""
    from loadscout.demo.server import serve_demo

    console.print(f"demo shop on http://{host}:{port}/")
    serve_demo(host=host, port=port)


@db_app.command("upgrade")
@user_errors
def db_upgrade() -> None:
    """Apply database migrations up to the newest schema."""
    from loadscout.store.database import upgrade

    settings = _settings()
    asyncio.run(upgrade(settings.database_url))
    console.print(f"database at the newest schema: {settings.database_url}")
