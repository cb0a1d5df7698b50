"""The printable national summary for the working group: the national figures, every STL side by side (phase,
progress, overdue milestones, the period's activity, stalled or not) and participation by sector and gender."""

from __future__ import annotations

from datetime import date

import pandas as pd

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import Phase
from accompaniment.io.report_common import ReportText, open_document, participation_block, report_period
from accompaniment.store import dashboard, report_queries
from accompaniment.store.database import Store


def national_report(
    store: Store,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
    today: date | None = None,
) -> bytes:
    """The PDF summary of every STL side by side, for the working group."""
    today = today or store.today()
    start, end = report_period(today, start, end, lang)
    tx = ReportText(lang)
    pdf = open_document(store, tx("national_title"), start, end, tx, today)
    figures = dashboard.national_figures(store, actor, today=today)
    overview = dashboard.state_overview(store, actor, today=today)
    programme = overview[overview["programme"].astype(bool) | overview["phase"].notna()]
    activity = report_queries.activity_by_state(store, actor, start, end)
    pdf.heading(tx("national_figures"))
    pdf.figures(
        [
            (tx("programme_states"), tx.number(figures.programme_states)),
            (tx("figure_commitments"), tx.number(figures.commitments)),
            (
                tx("figure_milestones"),
                f"{tx.number(figures.milestones_complete)} / {tx.number(figures.milestones)}",
            ),
            (tx("figure_overdue"), tx.number(figures.overdue_milestones)),
            (tx("figure_sessions"), tx.number(int(activity["sessions"].sum()))),
            (tx("figure_workshops"), tx.number(int(activity["workshops"].sum()))),
            (tx("figure_participants"), tx.number(int(activity["participants"].sum()))),
            (tx("figure_stalled"), tx.number(figures.stalled_stls)),
        ]
    )
    pdf.bars(
        tx("chart_phases"),
        [
            (
                tx.label("Phase", p),
                float(figures.stls_by_phase.get(int(p), 0)),
                tx.number(figures.stls_by_phase.get(int(p), 0)),
            )
            for p in Phase
        ],
    )
    pdf.bars(
        tx("chart_state_progress"),
        [
            (r.state_name, 0.0 if pd.isna(r.progress) else float(r.progress), tx.percent(r.progress))
            for r in programme.sort_values("state_name").itertuples()
        ],
        maximum=100,
    )
    pdf.heading(tx("states_header"))
    by_state = {r.state_code: r for r in activity.itertuples()}
    rows = []
    for r in programme.sort_values("state_name").itertuples():
        done = by_state.get(r.state_code)
        rows.append(
            (
                r.state_name,
                tx.label("Phase", r.phase),
                tx.percent(r.progress),
                tx.number(r.commitments),
                tx.number(r.overdue_milestones),
                tx.number(done.sessions if done else 0),
                tx.number(done.workshops if done else 0),
                tx.date(r.last_session_on),
                i18n.t("common.yes" if r.stalled else "common.no", tx.lang),
            )
        )
    pdf.table(
        [
            tx("state"),
            tx("phase"),
            tx("progress"),
            tx("commitments"),
            tx("overdue_milestones"),
            tx("sessions"),
            tx("workshops"),
            tx("last_session"),
            tx("stalled"),
        ],
        rows,
        widths=(16, 19, 9, 13, 11, 10, 12, 12, 9),
        align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "LEFT"),
        size=7.5,
    )
    pdf.heading(tx("participation_header"))
    participation_block(pdf, report_queries.participation_in_period(store, actor, None, start, end), tx)
    return bytes(pdf.output())
