"""Ratio g: the co-creation scorecard's reads at the largest scale ÷ at the smallest (issue 16), within the page
target (≤ 2.0, as ratio a).

One figure per view of the scorecard (store/scorecard.py): Secretariado's tab (one state's four quarters and its
eight-quarter trend) and the overview's comparison (every state's four quarters); each sample times the view's reads
on each scale's store, the two scales alternating within each pair (``stats.paired``).

``python -m benchmarks.scorecard`` measures g alone (DuckDB, and PostgreSQL when a URL is given) and writes it under
the "Scorecard" heading of benchmarks/results.md, leaving the rest of the file as it is; ``make bench`` measures it
with the other ratios.
"""

from __future__ import annotations

import argparse
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import and_, func, select

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.scorecard import Period
from accompaniment.store import scorecard
from accompaniment.store.database import open_store
from accompaniment.store.schema import agreement, dialogue_session, participation
from benchmarks import databases, report
from benchmarks.databases import DEMO_TODAY, Built
from benchmarks.stats import Figure, paired, ratios, seconds

TITLES = {
    "state": "scorecard reads of one state's tab (its 4 quarters and 8-quarter trend)",
    "comparison": "scorecard reads of the overview's comparison (every state, 4 quarters)",
}
TARGET = ("<=", 2.0)
VIEWER = Actor(Role.WORKING_GROUP, username="bench")  # sees every indicator, the private-field one too
STATE = "20"  # Oaxaca, a programme state at every scale
HEADING = "## Scorecard"


def _state_tab(store) -> None:  # noqa: ANN001 - a Store
    """What Secretariado's scorecard tab reads (ui/scorecard.state_card)."""
    scorecard.state_scorecards(store, VIEWER, Period.last_quarters(DEMO_TODAY, 4), state_code=STATE)
    scorecard.scorecard_trends(store, VIEWER, Period.last_quarters(DEMO_TODAY, 8), state_code=STATE)


def _comparison(store) -> None:  # noqa: ANN001 - a Store
    """What the overview's comparison reads when it is shown (ui/scorecard.comparison)."""
    scorecard.state_scorecards(store, VIEWER, Period.last_quarters(DEMO_TODAY, 4))


READS = {"state": _state_tab, "comparison": _comparison}


def _rows_in_period(store, state_code: str | None) -> tuple[int, int, int]:  # noqa: ANN001 - a Store
    """Live sessions, their participant groups and agreements due in the last four quarters (of one state)."""
    period = Period.last_quarters(DEMO_TODAY, 4)
    s, a, p = dialogue_session.c, agreement.c, participation.c
    in_period = and_(s.archived_at.is_(None), s.held_on >= period.start, s.held_on <= period.end)
    if state_code is not None:
        in_period = and_(in_period, s.state_code == state_code)
    due = and_(
        in_period.clauses[0], a.archived_at.is_(None), a.due_date >= period.start, a.due_date <= period.end
    )
    if state_code is not None:
        due = and_(due, s.state_code == state_code)
    with store.read() as connection:
        sessions = connection.execute(select(func.count()).where(in_period)).scalar_one()
        groups = connection.execute(
            select(func.count())
            .select_from(participation.join(dialogue_session, s.id == p.session_id))
            .where(in_period)
        ).scalar_one()
        agreements = connection.execute(
            select(func.count())
            .select_from(agreement.join(dialogue_session, s.id == a.session_id))
            .where(due)
        ).scalar_one()
    return sessions, groups, agreements


def _why(stores: list, small: Built, large: Built, state_code: str | None) -> str:
    """Why the ratio is over its target, from the rows the reads must aggregate at each scale."""
    low, high = _rows_in_period(stores[0], state_code), _rows_in_period(stores[1], state_code)
    grown = ", ".join(
        f"{name} {b:,} vs {a:,} ({b / max(a, 1):.0f}×)"
        for name, a, b in zip(("sessions", "participant groups", "agreements due"), low, high, strict=True)
    )
    return (
        f"The scorecard aggregates every live session, participant group and agreement of its period, and at scale "
        f"{large.scale} the last four quarters{' of one state' if state_code else ''} hold far more of them than at "
        f"scale {small.scale}: {grown}. "
        "Each statement is one grouped pass over those rows, filtered by period (and state for the trend); "
        "PostgreSQL reads them row by row from the tables, where DuckDB scans a few columns. A ratio of 2 at that "
        "growth would need the figures kept pre-aggregated (a per-state, per-quarter summary updated on write) or "
        "covering indexes on participation and agreements: a migration, not part of issue 16."
    )


def measure(sets: list[Built], repeat: int) -> list[Figure]:
    """Ratio g for each view of the scorecard: its reads at the largest scale ÷ at the smallest."""
    small, large = sets[0], sets[-1]
    backend = f"{large.backend} ({large.scale} ÷ {small.scale})"
    figures = [Figure("g", TITLES[view], backend, TARGET) for view in READS]
    stores = [open_store(built.url, upgrade=False) for built in (small, large)]
    try:
        for figure, (view, reads) in zip(figures, READS.items(), strict=True):
            try:
                large_times, small_times = paired(
                    lambda r=reads: r(stores[1]), lambda r=reads: r(stores[0]), repeat
                )
                figure.ratios = ratios(large_times, small_times)
                figure.detail = f"scale {small.scale}: {seconds(small_times)} · scale {large.scale}: {seconds(large_times)}"
                if figure.met is False:
                    figure.note = _why(stores, small, large, STATE if view == "state" else None)
            except Exception as exc:  # noqa: BLE001 - reported in the table, as the other ratios do
                figure.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    finally:
        for store in stores:
            store.engine.dispose()
    return figures


def section(figures: list[Figure], started: datetime, scales: list[int], repeat: int) -> str:
    """The "Scorecard" part of results.md: the figures' rows with the run's date, machine and load."""
    lines = [
        HEADING,
        "",
        f"Ratio g, measured alone by `python -m benchmarks.scorecard` on {started:%Y-%m-%d %H:%M} UTC "
        f"(scales {', '.join(map(str, scales))}; {repeat} repetitions; {report.machine()}; load average "
        f"{report.load_average()}). Two views: Secretariado's tab (one state's four quarters and its "
        "eight-quarter trend) and the overview's comparison (every state's four quarters, drawn on request); each "
        "sample times one view's reads on each scale's store back to back; `make bench` measures g with the other "
        "ratios.",
        "",
        "| " + " | ".join(report.HEADER) + " |",
        "|" + "---|" * len(report.HEADER),
        *("| " + " | ".join(row) + " |" for row in report.rows(figures)),
        "",
    ]
    for figure in figures:
        if figure.met is not True:
            lines += [f"- **g, {figure.backend}: {figure.title}** — {figure.error or figure.note}", ""]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Put ``text`` under the "Scorecard" heading of ``path``, replacing that section only (up to the next "## ")."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scorecard", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres-url", default=os.environ.get("ACCOMPANIMENT_TEST_POSTGRES_URL", ""))
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results.md")
    parser.add_argument("--work", type=Path, default=databases.WORK)
    args = parser.parse_args(argv)
    scales = sorted({int(s) for s in args.scales.split(",")})
    started = datetime.now(UTC)
    figures = measure([databases.duckdb_set(s, args.work) for s in scales], args.repeat)
    if args.postgres_url:
        figures += measure([databases.postgres_set(args.postgres_url, s) for s in scales], args.repeat)
    print(report.text_table(figures))
    write_section(args.out, section(figures, started, scales, args.repeat))
    return figures


if __name__ == "__main__":
    main()
