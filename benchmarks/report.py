"""The results table (printed, and written to ``benchmarks/results.md``) with the machine it ran on.

A target that was missed stays in the table as "missed" with its figure; the notes under the table say why, as
far as the benchmark knows (``MISSED_BECAUSE``), so a missed target is never silently dropped.
"""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks.stats import Figure

# Why a target may be missed, as far as the measurements explain it: "<letter>" or "<letter>:<backend>".
MISSED_BECAUSE = {
    "f": (
        "The clock now stops when the overview's four charts are drawn (issue 18), so the figure holds the "
        "charts' build and Vega's drawing. The detail times a third app beside the two: it imports the same data "
        "stack and draws the overview's kinds of elements on constant data, with no store, sign-in, translation "
        "or query; with the data stack imported eagerly that app alone came to 2.0 or more in every run, and the "
        "import floor itself to 1.6-1.7 (the detail's floor). Measured on 2026-12-03 (python -X importtime): "
        "the app imports at start, besides the data stack, accompaniment.domain.models through ui.auth -> "
        "store.sessions -> store.users (pydantic and the input models: about 0.35-0.7 s) and icalendar through "
        "ui.navigation -> ui.reminders -> io.calendar (about 0.25 s); neither is needed to draw the overview. "
        "Making those imports lazy (files outside this benchmark) is the next step; 1.6 also needs a data stack "
        "lighter than the design's, or its imports overlapped with the browser's page load."
    ),
    "c:postgres": (
        "PostgreSQL is a row store: its aggregates still read every live activity of the window where DuckDB "
        "reads columns, while reading the tables whole costs about the same on both."
    ),
    "b": (
        "The floor is the store's own statements on the driver's bare connection, so what separates the two "
        "sides is the store's work besides the SQL: SQLAlchemy's execution and row objects, a pooled "
        "connection's checkout and rollback, the typed DataFrames and the stall rule in Python."
    ),
    "c": (
        "DuckDB's .df() reads the eight tables whole in a few hundred milliseconds at scale 100, so the naive "
        "side is fast; the store's side is bounded by its own SQL (ratio b's floor): 10 needs the five "
        "statements themselves under a tenth of the naive reads."
    ),
}


# What the code does for these figures (kept here so results.md says it next to the numbers).
MEASURES = [
    "The overview is one read (store/dashboard.py, national_overview): one connection, five statements: one row "
    "of national totals, one row per state (phase, plan figures and last session, which give the map, the phase "
    "counts and the stall rule alike), the first overdue milestones, activity by day folded into months, and "
    "the latest activity.",
    "Latest sessions are looked up per state through the (state_code, held_on) index on PostgreSQL and in one "
    "grouped pass on DuckDB; lists take their own first rows before any union; session lists count agreements "
    "for the listed sessions only; open agreements are read in due-date order (store/activity.py).",
    "PostgreSQL-only indexes (migration 0004): activity dates, agreement due dates, and partial indexes for the "
    "live activity of each day with its participants (read from the index alone), the archived sessions and "
    "the open agreements. On DuckDB an index would not serve range or order reads and would block date "
    "corrections.",
    "The overview's activity by month is grouped by month in SQL (issue 18: one row per month and kind, where "
    "days were folded in Python); its four charts are built once per data, options and language and drawn from "
    "the cached spec without repeated schema validation (ui/chart_specs.py), and its tables are formatted once "
    "likewise (present.cached_readable).",
    "SQLAlchemy's compiled-statement cache is on for DuckDB too (store/engine.py), and the overview's "
    "statements are built once with bound dates; DataFrames are built column by column.",
    "Pages show one screenful at a time (pagination in the store's LIMIT/OFFSET), read through caches keyed "
    "by role and state (ui/cached.py); the demo banner asks EXISTS instead of counting.",
    "Cold start: Alembic is imported only when there is migrating to do; the Argon2 dummy hash is made on "
    "first use; Altair's build-time schema validation is off (charts.py). The demo loader reserves ids in "
    "batches and loads PostgreSQL by COPY; the benchmark's PostgreSQL sets are vacuumed and analysed after "
    "loading, as autovacuum leaves a table that has been loaded for a while.",
]


@dataclass
class Run:
    """Everything results.md says besides the figures."""

    started: datetime
    finished: datetime | None = None
    scales: list[int] = field(default_factory=list)
    repeat: int = 5
    builds: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load: tuple[str, str] = ("", "")


def _missed_because(figure: Figure) -> str:
    backend = figure.backend.split(" ")[0]
    page = figure.title.split(" ")[1] if figure.title.startswith("page ") else ""
    for key in (f"{figure.key}:{page}", f"{figure.key}:{backend}", figure.key):
        if key in MISSED_BECAUSE:
            return MISSED_BECAUSE[key]
    return "No reason established yet: this target is open."


def machine() -> str:
    cores = os.cpu_count() or 0
    memory = "unknown memory"
    model = platform.processor() or platform.machine()
    meminfo, cpuinfo = Path("/proc/meminfo"), Path("/proc/cpuinfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB memory"
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{cores} cores ({model}), {memory}, Python {platform.python_version()}, {platform.system()}"


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def _number(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _result(figure: Figure) -> str:
    if figure.error:
        return "not measured"
    return {True: "met", False: "**missed**", None: "not measured"}[figure.met]


def rows(figures: list[Figure]) -> list[list[str]]:
    table = []
    for figure in figures:
        spread = figure.spread
        sense, bound = figure.target
        values = [_number(spread.median), _number(spread.low), _number(spread.high)] if spread else ["–"] * 3
        table.append([
            figure.key, figure.title, figure.backend, *values, f"{'≤' if sense == '<=' else '≥'} {bound:g}",
            _result(figure), figure.error or figure.detail,
        ])  # fmt: skip
    return table


HEADER = ["", "ratio", "backend", "median", "min", "max", "target", "result", "measured"]


def text_table(figures: list[Figure]) -> str:
    """The table for the terminal."""
    body = [HEADER, *rows(figures)]
    widths = [max(len(row[i]) for row in body) for i in range(len(HEADER) - 1)]
    lines = []
    for row in body:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def markdown(figures: list[Figure], run: Run) -> str:
    met = [f for f in figures if f.met]
    missed = [f for f in figures if f.met is False]
    unmeasured = [f for f in figures if f.met is None]
    took = (run.finished - run.started).total_seconds() / 60 if run.finished else 0
    out = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks.run`); see `benchmarks/__init__.py` for what each ratio "
        "measures. Each figure is the median of the repetitions, each repetition timing both sides of the ratio "
        "back to back, with the smallest and largest ratio seen.",
        "",
        f"- date: {run.started:%Y-%m-%d %H:%M} UTC, {took:.1f} minutes",
        f"- machine: {machine()}",
        f"- load average (1/5/15 min) at start: {run.load[0]}; at the end: {run.load[1]} "
        "(a shared machine: other work ran meanwhile, which is why the figures are ratios)",
        f"- scales: {', '.join(str(s) for s in run.scales)}; repetitions: {run.repeat}",
        *(f"- {line}" for line in run.builds),
        "",
        f"**{len(met)} met, {len(missed)} missed, {len(unmeasured)} not measured.**",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
        *("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(figures)),
        "",
    ]
    if missed or unmeasured:
        out += ["## Missed or not measured", ""]
        for figure in missed + unmeasured:
            spread = figure.spread
            reason = figure.error or figure.note or _missed_because(figure)
            measured = (
                f"{_number(spread.median)} (target {figure.target[0]} {figure.target[1]:g})"
                if spread
                else "—"
            )
            out.append(f"- **{figure.key}, {figure.backend}: {figure.title}** — {measured}. {reason}")
        out.append("")
    out += ["## What the code does for these figures", "", *(f"- {line}" for line in MEASURES), ""]
    if run.notes:
        out += ["## Notes", "", *(f"- {note}" for note in run.notes), ""]
    return "\n".join(out)


# The sections ``markdown`` writes itself: a previous run's copies of them are replaced, never kept.
OWN_SECTIONS = ("## Missed or not measured", "## What the code does for these figures", "## Notes")
_SECTION = re.compile(r"^## .*?(?=^## |\Z)", re.S | re.M)


def kept_sections(previous: str, written: str) -> list[str]:
    """The sections of a previous results.md that this run does not write: those other commands write on their
    own (``benchmarks.scorecard``'s "Scorecard", ``benchmarks.multiprocess_load``'s "Several processes under
    load") or a person added. ``make bench`` used to drop them."""
    headings = {line for line in written.splitlines() if line.startswith("## ")}
    kept = []
    for match in _SECTION.finditer(previous):
        heading = match.group(0).splitlines()[0].rstrip()
        if heading not in headings and heading not in OWN_SECTIONS:
            kept.append(match.group(0).rstrip("\n"))
    return kept


def write_results(path: Path, figures: list[Figure], run: Run) -> None:
    """Write results.md: this run's table and notes, then every section of the old file the run does not write."""
    text = markdown(figures, run)
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    parts = [text.rstrip("\n"), *kept_sections(previous, text)]
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
