"""The realism report in the terminal: load coverage per page pattern, then per journey."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from loadscout.metrics.realism import JourneyRealism, RealismReport
from loadscout.metrics.summary import MISSING, ms_text


def coverage_table(report: RealismReport) -> Table:
    table = Table(title="Load coverage (journeys)", title_justify="left", header_style="bold")
    table.add_column("page pattern", overflow="fold", ratio=1)
    for col in ("reqs", "share", "model", "URLs", "top URL", "p50 ms", "p95 ms", "errors"):
        table.add_column(col, justify="right", no_wrap=True)
    for p in report.patterns:
        share = Text(f"{p.share:.1%}", style="bold red" if p.off_model else "")
        table.add_row(
            p.pattern,
            f"{p.requests:,}",
            share,
            f"{p.model_share:.1%}",
            f"{p.distinct_urls:,}",
            f"{p.top_url_share:.0%}" if p.requests else MISSING,
            ms_text(p.p50_ms),
            ms_text(p.p95_ms),
            f"{p.errors:,}",
        )
    return table


def journey_text(journey: JourneyRealism) -> Text:
    funnel = "  ".join(f"{f.state} {f.reached:.0%}" for f in journey.funnel)
    searches = (
        f", searches found results {journey.search_hit_rate:.0%} of {journey.searches:,}"
        if journey.search_hit_rate is not None
        else ""
    )
    return Text.assemble(
        (f"Journey {journey.name!r}: ", "bold"),
        f"{journey.sessions:,} sessions, median {journey.median_pages:g} pages "
        f"(mean {journey.mean_pages:.1f}, model {journey.model_mean_pages:.1f}){searches}\n",
        f"  reached: {funnel}",
    )


def realism_renderables(report: RealismReport) -> list[Table | Text]:
    parts: list[Table | Text] = [coverage_table(report)]
    parts += [journey_text(j) for j in report.journeys]
    if report.think_mean_s is not None:
        parts.append(Text(f"think time: mean {report.think_mean_s:.2f}s"))
    if report.unloaded_patterns:
        parts.append(Text("no load: " + ", ".join(report.unloaded_patterns), style="yellow"))
    parts += [Text(f"realism: {w}", style="yellow") for w in report.warnings]
    return parts
