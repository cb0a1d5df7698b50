"""The results table (printed, and written to ``benchmarks/results.md``) with the machine it ran on.

A target that was missed stays in the table as "missed" with its figure; the notes under the table say why, as
far as the benchmark knows (``MISSED_BECAUSE``), so a missed target is never silently dropped.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks.stats import Figure

# Why a target may be missed, written where the reason is known from the measurements (see results.md notes).
MISSED_BECAUSE = {
    "f": (
        "The one-line app imports Streamlit only; the overview needs the data stack it draws with (pandas, NumPy, "
        "PyArrow, Altair, SQLAlchemy, DuckDB), and importing it costs several times Streamlit's own import on "
        "this machine (the import floor in the figure's detail). The app now imports nothing else on its way to "
        "the overview (Alembic only when there is migrating to do, no Argon2 hash at import), so what remains is "
        "that floor plus opening the store and drawing the page; a smaller figure would need a lighter data "
        "stack, not a faster app."
    ),
}


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
            reason = (
                figure.error or figure.note or MISSED_BECAUSE.get(figure.key, "no reason established yet.")
            )
            measured = (
                f"{_number(spread.median)} (target {figure.target[0]} {figure.target[1]:g})"
                if spread
                else "—"
            )
            out.append(f"- **{figure.key}, {figure.backend}: {figure.title}** — {measured}. {reason}")
        out.append("")
    if run.notes:
        out += ["## Notes", "", *(f"- {note}" for note in run.notes), ""]
    return "\n".join(out)
