"""The async bodies of ``discover`` and ``run``: wire the orchestrator's entry points (the same
ones the API's RunControl uses), the store and the console together for one run in this
process."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from rich.console import Console

from loadscout.cli.console_observer import ConsoleObserver
from loadscout.files.flows_file import save_flowset
from loadscout.metrics.summary import RunSummary
from loadscout.orchestrator.observer import Observers
from loadscout.orchestrator.options import RunOptions
from loadscout.orchestrator.pipeline import check_target, discover_flows, execute_run
from loadscout.orchestrator.recording import StoreObserver
from loadscout.reports.console import discovery_text, skipped_lines, summary_renderable
from loadscout.reports.json_report import write_json
from loadscout.reports.junit import write_junit
from loadscout.settings import Settings
from loadscout.store.database import open_database
from loadscout.store.runs import RunRepository


async def discover_to_file(
    options: RunOptions, out: Path, *, settings: Settings, console: Console
) -> None:
    spec = options.spec("discover", chromium_path=settings.chromium_path)
    assert spec.discovery is not None
    flowset = await discover_flows(
        spec.discovery, on_progress=lambda m: console.print(f"  {m}", style="dim", highlight=False)
    )
    save_flowset(flowset, out)
    if flowset.discovery is not None:
        console.print(discovery_text(flowset.discovery, flowset.journeys))
        for line in skipped_lines(flowset.discovery):
            console.print(line, highlight=False)
    console.print(f"wrote {len(flowset.flows)} flows to {out}")


@contextlib.asynccontextmanager
async def _repository(settings: Settings) -> AsyncIterator[RunRepository]:
    async with open_database(settings.database_url) as sessions:
        yield RunRepository(sessions)


STOPPING = "stopping: finishing in-flight requests (Ctrl-C again to abort)"


@contextlib.contextmanager
def ctrl_c_cancels(
    cancel: asyncio.Event, console: Console, message: str = STOPPING
) -> Iterator[None]:
    """The first Ctrl-C stops the run gracefully, keeping partial results; the second one
    raises KeyboardInterrupt as usual."""
    loop = asyncio.get_running_loop()

    def on_sigint() -> None:
        console.print(f"[yellow]{message}[/]")
        cancel.set()
        loop.remove_signal_handler(signal.SIGINT)

    loop.add_signal_handler(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)


async def run_once(
    options: RunOptions,
    *,
    settings: Settings,
    console: Console,
    json_out: Path | None,
    junit_out: Path | None = None,
) -> RunSummary:
    await check_target(options.target_url)
    profile = options.plan().profile
    async with _repository(settings) as repo:
        record = await repo.create(
            target_url=options.target_url,
            users=profile.users,
            duration_s=profile.duration_s,
            options=options.document(),
        )
        console.print(
            f"run {record.id} against {options.target_url} "
            f"({profile.users} users, {profile.duration_s:g}s, {profile.kind})"
        )
        spec = options.spec(str(record.id), chromium_path=settings.chromium_path)
        observers = Observers([StoreObserver(repo, record.id), ConsoleObserver(console)])
        cancel = asyncio.Event()
        with ctrl_c_cancels(cancel, console):
            summary = await execute_run(spec, observers, cancel=cancel)
    show_result(summary, console=console, json_out=json_out, junit_out=junit_out)
    return summary


def show_result(
    summary: RunSummary, *, console: Console, json_out: Path | None, junit_out: Path | None
) -> None:
    """The end of ``run``, local or on a server: the summary tables and the files asked for."""
    console.print(summary_renderable(summary))
    if json_out is not None:
        write_json(summary, json_out)
        console.print(f"result JSON written to {json_out}")
    if junit_out is not None:
        write_junit(summary, junit_out)
        console.print(f"JUnit XML written to {junit_out}")
