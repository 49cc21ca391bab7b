"""The commands; each is thin and hands off to the orchestrator or the server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.console import Console

import loadscout.cli.load_options as lo
import loadscout.cli.report as report
from loadscout.cli.accounts import tokens_app, users_app
from loadscout.cli.errors import exit_code, user_errors
from loadscout.cli.parsing import seconds
from loadscout.cli.remote import run_remote
from loadscout.cli.runner import discover_to_file, run_once
from loadscout.errors import BadInput
from loadscout.files.flows_file import load_flowset
from loadscout.orchestrator.options import (
    DiscoveryOptions,
    LoadOptions,
    RunOptions,
    discovery_target,
)
from loadscout.settings import Settings

app = typer.Typer(
    name="loadscout",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Discover how people use a web app in a real browser, then replay it as load.",
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.command("report")(report.report)
console = Console()
_DISCOVERY = DiscoveryOptions()  # the defaults the options below show

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
Journeys = Annotated[
    bool,
    typer.Option(
        help="Discovery: derive a journey (sessions that follow live links over the site's "
        "data) instead of one recorded browse flow per page."
    ),
]


def _discovery_options(
    *,
    max_pages: int,
    max_depth: int,
    max_time: str,
    allow_writes: bool,
    login_url: str | None,
    username: str | None,
    password: str | None,
    credentials: Path | None,
    storage_state: Path | None,
    data: Path | None,
    har: Path | None = None,
    force: bool,
    screenshots: Path | None,
    ignore_robots: bool,
    journeys: bool = True,
) -> DiscoveryOptions:
    """The discovery options ``discover`` and ``run`` share, from their command-line values."""

    def path(value: Path | None) -> str | None:
        return str(value) if value else None

    return DiscoveryOptions(
        max_pages=max_pages,
        max_depth=max_depth,
        max_time_s=seconds(max_time, "--max-time"),
        allow_writes=allow_writes,
        login_url=login_url,
        username=username,
        password=SecretStr(password) if password is not None else None,
        credentials_file=path(credentials),
        storage_state_file=path(storage_state),
        data_file=path(data),
        har_file=path(har),
        force=force,
        screenshots_dir=path(screenshots),
        ignore_robots=ignore_robots,
        journeys=journeys,
    )


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
    from loadscout.store.database import masked_url

    database = masked_url(settings.database_url)
    console.print(f"loadscout serving on http://{host}:{port}/ (database {database})")
    shown = f"[{host}]" if ":" in host else host
    app_ = create_app(settings, dashboard_dir=dashboard_dir(), public_url=f"http://{shown}:{port}")
    uvicorn.run(app_, host=host, port=port, log_level="info")


@app.command()
@user_errors
def discover(
    url: Annotated[str | None, typer.Argument(help="Start page; omit with --har.")] = None,
    out: Annotated[Path, typer.Option(help="Where to write the flows.")] = Path("flows.yaml"),
    max_pages: MaxPages = _DISCOVERY.max_pages,
    max_depth: MaxDepth = _DISCOVERY.max_depth,
    max_time: MaxTime = f"{_DISCOVERY.max_time_s:g}s",
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
    journeys: Journeys = True,
) -> None:
    """Explore URL in headless Chromium (or read a HAR) and write the verified flows."""
    options = RunOptions(
        target_url=discovery_target(url, har),
        load=LoadOptions(users=1, scope=scope),
        discovery=_discovery_options(
            max_pages=max_pages,
            max_depth=max_depth,
            max_time=max_time,
            allow_writes=allow_writes,
            login_url=login_url,
            username=username,
            password=password,
            credentials=credentials,
            storage_state=storage_state,
            data=data,
            har=har,
            force=force,
            screenshots=screenshots,
            ignore_robots=ignore_robots,
            journeys=journeys,
        ),
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
    junit_out: Annotated[
        Path | None, typer.Option(help="Write a JUnit XML report here (for CI).")
    ] = None,
    max_pages: MaxPages = _DISCOVERY.max_pages,
    max_depth: MaxDepth = _DISCOVERY.max_depth,
    max_time: MaxTime = f"{_DISCOVERY.max_time_s:g}s",
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
    journeys: Journeys = True,
    server: Annotated[
        str | None,
        typer.Option(help="Run on this loadscout server (token from $LOADSCOUT_TOKEN), not here."),
    ] = None,
    ray_address: lo.RayAddress = None,
    ray_nodes: lo.RayNodes = None,
    allow_partial: lo.AllowPartial = False,
) -> None:
    """Discover flows (or read them with --flows), replay them as load, report and store the run."""
    flowset = load_flowset(flows) if flows is not None else None
    target = url or (flowset.target_url if flowset else None)
    if target is None:
        raise BadInput("give a URL to discover, or --flows FILE to replay")
    load = lo.load_options(
        users=users,
        duration=duration,
        ramp_up=ramp_up,
        think=think_time_,
        stages=stages,
        arrival_rate=arrival_rate,
        max_users=max_users,
        shape=shape,
        thresholds=threshold,
        abort_on_fail=abort_on_fail,
        workers=workers,
        pacing=pacing,
        assets=assets,
        scope=scope,
    )
    options = RunOptions(
        target_url=target,
        load=load,
        flowset=flowset,
        ray_address=ray_address,
        ray_nodes=ray_nodes,
        discovery=_discovery_options(
            max_pages=max_pages,
            max_depth=max_depth,
            max_time=max_time,
            allow_writes=allow_writes,
            login_url=login_url,
            username=username,
            password=password,
            credentials=credentials,
            storage_state=storage_state,
            data=data,
            force=force,
            screenshots=screenshots,
            ignore_robots=ignore_robots,
            journeys=journeys,
        ),
    )
    if server is not None:
        summary = run_remote(
            options, server=server, console=console, json_out=json_out, junit_out=junit_out
        )
    else:
        if options.flowset is not None:  # a password the flows file needs is missing: fail now
            options.resolved_flowset(options.flowset)
        summary = asyncio.run(
            run_once(
                options,
                settings=_settings(),
                console=console,
                json_out=json_out,
                junit_out=junit_out,
            )
        )
    if code := exit_code(summary, allow_partial=allow_partial):
        raise typer.Exit(code)


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
    from loadscout.store.database import masked_url, upgrade

    settings = _settings()
    asyncio.run(upgrade(settings.database_url))
    console.print(f"database at the newest schema: {masked_url(settings.database_url)}")
