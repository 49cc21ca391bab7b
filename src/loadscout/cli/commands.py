"""The commands; each is thin and hands off to the orchestrator, discovery or the server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from loadscout.cli.errors import EXIT_RUN_FAILED, user_errors
from loadscout.cli.parsing import seconds, think_time
from loadscout.cli.runner import discover_to_file, run_once
from loadscout.errors import BadInput
from loadscout.flows.io import load_flowset
from loadscout.orchestrator.options import RunOptions
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
console = Console()

MaxPages = Annotated[int, typer.Option(help="Discovery: most pages to visit.", min=1)]
MaxDepth = Annotated[
    int, typer.Option(help="Discovery: most links away from the start page.", min=0)
]
MaxTime = Annotated[str, typer.Option("--max-time", help="Discovery: time budget, e.g. 60s.")]
AllowWrites = Annotated[bool, typer.Option(help="Discovery may submit forms that change data.")]
Scope = Annotated[str | None, typer.Option(help="Regex of further URLs discovery may visit.")]


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
    url: Annotated[str, typer.Argument(help="Start page of the application.")],
    out: Annotated[Path, typer.Option(help="Where to write the flows.")] = Path("flows.yaml"),
    max_pages: MaxPages = 40,
    max_depth: MaxDepth = 4,
    max_time: MaxTime = "60s",
    allow_writes: AllowWrites = False,
    scope: Scope = None,
) -> None:
    """Explore URL in headless Chromium and write the flows found."""
    options = RunOptions(
        target_url=url,
        users=1,
        max_pages=max_pages,
        max_depth=max_depth,
        max_discovery_s=seconds(max_time, "--max-time"),
        allow_writes=allow_writes,
        scope=scope,
    )
    asyncio.run(discover_to_file(options, out, settings=_settings(), console=console))


@app.command()
@user_errors
def run(
    url: Annotated[str | None, typer.Argument(help="Start page; omit with --flows.")] = None,
    flows: Annotated[
        Path | None, typer.Option(help="Replay this flows file; skip discovery.")
    ] = None,
    users: Annotated[int, typer.Option(help="Concurrent virtual users.")] = 10,
    duration: Annotated[str, typer.Option(help="Load phase length, e.g. 60s or 5m.")] = "60s",
    ramp_up: Annotated[str, typer.Option(help="Start users linearly over this time.")] = "0s",
    think_time_: Annotated[
        str, typer.Option("--think-time", help="Pause between steps: 0, 2s or 0.5s-1.5s.")
    ] = "0.5s-1.5s",
    json_out: Annotated[Path | None, typer.Option(help="Write the result JSON here.")] = None,
    max_pages: MaxPages = 40,
    max_depth: MaxDepth = 4,
    max_time: MaxTime = "60s",
    allow_writes: AllowWrites = False,
    scope: Scope = None,
) -> None:
    """Discover flows (or read them with --flows), replay them as load, report and store the run."""
    flowset = load_flowset(flows) if flows is not None else None
    target = url or (flowset.target_url if flowset else None)
    if target is None:
        raise BadInput("give a URL to discover, or --flows FILE to replay")
    if users <= 0:
        raise BadInput(f"--users must be at least 1 (got {users})")
    tt_min, tt_max = think_time(think_time_)
    options = RunOptions(
        target_url=target,
        users=users,
        duration_s=seconds(duration, "--duration"),
        ramp_up_s=seconds(ramp_up, "--ramp-up"),
        think_time_min_s=tt_min,
        think_time_max_s=tt_max,
        max_pages=max_pages,
        max_depth=max_depth,
        max_discovery_s=seconds(max_time, "--max-time"),
        allow_writes=allow_writes,
        scope=scope,
        flowset=flowset,
    )
    summary = asyncio.run(
        run_once(options, settings=_settings(), console=console, json_out=json_out)
    )
    if summary.status != "completed":
        raise typer.Exit(EXIT_RUN_FAILED)


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
