"""The printable report of one STL over a period (``report_national`` has the national summary).

A state report tells the STL's phase and its history, its members by sector, its commitments and milestones with
progress and completion level, the period's sessions and workshops with participation by sector and gender, the
agreements taken and their status, and the SDG targets its commitments serve, with the main charts drawn in.
Commitments and milestones are shown as they stand today; activity and agreements within the period (by default
the twelve months up to today). Only public fields are read, so a report can be handed to anyone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import AgreementStatus
from accompaniment.io.report_common import ReportText, open_document, participation_block, report_period
from accompaniment.io.report_pdf import ReportDocument
from accompaniment.store import dashboard, report_queries, secretariats
from accompaniment.store.database import Store
from accompaniment.store.export_queries import export_table


def state_report(
    store: Store,
    actor: Actor,
    state_code: str,
    start: date | None = None,
    end: date | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
    today: date | None = None,
) -> bytes:
    """The PDF report of one STL (``NotFound`` if the state has no secretariat)."""
    today = today or store.today()
    start, end = report_period(today, start, end, lang)
    tx = ReportText(lang)
    stl = secretariats.get_secretariat(store, actor, state_code)
    pdf = open_document(store, tx("state_title", state=stl.state_name), start, end, tx, today)
    _phase_section(pdf, store, actor, stl, tx)
    _members_section(pdf, store, actor, state_code, tx)
    _commitments_section(pdf, store, actor, state_code, tx, today)
    _activity_section(pdf, store, actor, state_code, start, end, tx)
    _agreements_section(pdf, store, actor, state_code, start, end, tx, today)
    _sdg_section(pdf, store, actor, state_code, tx)
    return bytes(pdf.output())


def _phase_section(
    pdf: ReportDocument, store: Store, actor: Actor, stl: secretariats.SecretariatSummary, tx: ReportText
) -> None:
    pdf.heading(tx("phase_header"))
    pdf.paragraph(tx("current_phase", phase=tx.label("Phase", stl.phase), since=tx.date(stl.phase_since)))
    if stl.declaration_date:
        pdf.paragraph(tx("declaration", date=tx.date(stl.declaration_date)))
    if stl.installation_date:
        pdf.paragraph(tx("installation", date=tx.date(stl.installation_date)))
    history = secretariats.phase_history(store, actor, stl.state_code)
    pdf.table(
        [tx("history_date"), tx("history_phase"), tx("history_note")],
        [(tx.date(r.changed_on), tx.label("Phase", r.phase), tx.note(r.note)) for r in history.itertuples()],
        widths=(18, 30, 52),
    )


def _members_section(
    pdf: ReportDocument, store: Store, actor: Actor, state_code: str, tx: ReportText
) -> None:
    pdf.heading(tx("members_header"))
    by_sector = secretariats.members_by_sector(store, actor, state_code)
    total = int(by_sector["members"].sum()) if not by_sector.empty else 0
    pdf.paragraph(tx("members_total", count=tx.number(total)))
    pdf.bars(
        "",
        [
            (tx.label("Sector", r.sector), float(r.members), tx.number(r.members))
            for r in by_sector.itertuples()
        ],
    )
    members = secretariats.list_members(store, actor, state_code)
    pdf.table(
        [tx("sector"), i18n.t("fields.organization", tx.lang)],
        [(tx.label("Sector", r.sector), r.organization) for r in members.itertuples()],
        widths=(25, 75),
    )


def _commitments_section(
    pdf: ReportDocument, store: Store, actor: Actor, state_code: str, tx: ReportText, today: date
) -> None:
    pdf.heading(tx("commitments_header"))
    commitments = dashboard.list_commitments(store, actor, state_code=state_code, limit=None, today=today)
    if commitments.empty:
        pdf.paragraph(tx("none"), muted=True)
        return
    milestones = report_queries.milestones_of_state(store, actor, state_code, today)
    pdf.paragraph(
        tx(
            "commitments_summary",
            count=tx.number(len(commitments)),
            progress=tx.percent(commitments["progress"].mean()),
            complete=tx.number(int(commitments["milestones_complete"].sum())),
            milestones=tx.number(int(commitments["milestones"].sum())),
            overdue=tx.number(int(commitments["milestones_overdue"].sum())),
        )
    )
    pdf.bars(
        tx("chart_progress"),
        [
            (_commitment_name(r, tx), float(r.progress), tx.percent(r.progress))
            for r in commitments.itertuples()
        ],
        maximum=100,
    )
    for row in commitments.itertuples():
        level = tx.label("CompletionLevel", row.completion_level)
        pdf.subheading(f"{_commitment_name(row, tx)}. {row.title}")
        line = f"{tx('progress')}: {tx.percent(row.progress)} · {tx('level')}: {level}"
        if row.lacks_evidence:
            line += f" · {tx('no_evidence')}"
        pdf.paragraph(line, muted=True)
        own = milestones[milestones["commitment_id"] == row.id]
        pdf.table(
            [
                tx("milestone"),
                i18n.t("fields.description", tx.lang),
                tx("due"),
                tx("progress"),
                tx("status"),
                tx("evidence"),
            ],
            [
                (
                    str(m.number),
                    m.description,
                    tx.date(m.due_date),
                    tx.percent(m.progress),
                    tx.label("MilestoneStatus", m.status) + (f" ({tx('overdue')})" if m.overdue else ""),
                    i18n.t("common.yes" if m.has_evidence else "common.no", tx.lang),
                )
                for m in own.itertuples()
            ],
            widths=(7, 44, 14, 10, 15, 10),
            align=("RIGHT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"),
        )


def _commitment_name(row: Any, tx: ReportText) -> str:
    number = row.number
    plan = row.plan_number
    if number is None or pd.isna(number):
        return f"{tx('proactive')} {row.id}"
    return f"{plan}.{number}" if plan and int(plan) > 1 else f"{tx('commitment')} {number}"


def _activity_section(
    pdf: ReportDocument, store: Store, actor: Actor, state_code: str, start: date, end: date, tx: ReportText
) -> None:
    pdf.heading(tx("activity_header"))
    sessions = report_queries.sessions_in_period(store, actor, state_code, start, end)
    workshops = report_queries.workshops_in_period(store, actor, state_code, start, end)
    participants = int(sessions["participant_total"].sum()) + int(workshops["participant_total"].sum())
    pdf.paragraph(
        tx(
            "activity_summary",
            sessions=tx.number(len(sessions)),
            workshops=tx.number(len(workshops)),
            participants=tx.number(participants),
        )
    )
    participation = report_queries.participation_in_period(store, actor, state_code, start, end)
    participation_block(pdf, participation, tx)
    if not sessions.empty:
        pdf.subheading(tx("sessions"))
        pdf.table(
            [
                tx("date"),
                tx("type"),
                i18n.t("fields.modality", tx.lang),
                tx("participants"),
                tx("consensus"),
                i18n.t("fields.agreements", tx.lang),
            ],
            [
                (
                    tx.date(r.held_on),
                    tx.label("SessionType", r.session_type),
                    tx.label("Modality", r.modality),
                    tx.number(r.participant_total),
                    "—" if pd.isna(r.consensus) else str(r.consensus),
                    tx.number(r.agreements),
                )
                for r in sessions.itertuples()
            ],
            widths=(14, 26, 14, 12, 10, 10),
            align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        )
    if not workshops.empty:
        pdf.subheading(tx("workshops"))
        pdf.table(
            [tx("date"), tx("title"), i18n.t("fields.modality", tx.lang), tx("hours"), tx("participants")],
            [
                (
                    tx.date(r.held_on),
                    r.title,
                    tx.label("Modality", r.modality),
                    tx.number(r.hours, 1),
                    tx.number(r.participant_total),
                )
                for r in workshops.itertuples()
            ],
            widths=(14, 46, 14, 8, 12),
            align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        )


def _agreements_section(
    pdf: ReportDocument,
    store: Store,
    actor: Actor,
    state_code: str,
    start: date,
    end: date,
    tx: ReportText,
    today: date,
) -> None:
    pdf.heading(tx("agreements_header"))
    agreements = report_queries.agreements_in_period(store, actor, state_code, start, end, today)
    pdf.paragraph(
        tx(
            "agreements_summary",
            count=tx.number(len(agreements)),
            overdue=tx.number(int(agreements["overdue"].sum()) if not agreements.empty else 0),
        )
    )
    if agreements.empty:
        return
    counts = agreements["status"].value_counts()
    pdf.bars(
        tx("chart_agreements"),
        [
            (
                tx.label("AgreementStatus", s.value),
                float(counts.get(s.value, 0)),
                tx.number(int(counts.get(s.value, 0))),
            )
            for s in AgreementStatus
        ],
    )
    pdf.table(
        [tx("date"), tx("agreement"), tx("sector"), tx("due"), tx("status")],
        [
            (
                tx.date(r.held_on),
                r.text,
                tx.label("Sector", r.responsible_sector),
                tx.date(r.due_date),
                tx.label("AgreementStatus", r.status) + (f" ({tx('overdue')})" if r.overdue else ""),
            )
            for r in agreements.itertuples()
        ],
        widths=(14, 46, 16, 14, 16),
    )


def _sdg_section(pdf: ReportDocument, store: Store, actor: Actor, state_code: str, tx: ReportText) -> None:
    pdf.heading(tx("sdg_header"))
    contributions = dashboard.sdg_contributions(store, actor, state_code=state_code)
    if contributions.empty:
        pdf.paragraph(tx("none"), muted=True)
        return
    names = {
        int(r.number): (r.name_es if tx.lang == "es" else r.name_en)
        for r in _goals(store, actor).itertuples()
    }
    rows = []
    bars = []
    for goal, group in contributions.groupby("goal", sort=True):
        targets = ", ".join(dict.fromkeys(group["target_code"]))
        count = group["commitment_id"].nunique()
        rows.append((f"{tx('sdg_goal')} {goal}. {names.get(int(goal), '')}", targets, tx.number(count)))
        bars.append((f"{tx('sdg_goal')} {goal}", float(count), tx.number(count)))
    pdf.table(
        [tx("sdg_goal"), tx("sdg_targets"), tx("commitments")],
        rows,
        widths=(50, 35, 15),
        align=("LEFT", "LEFT", "RIGHT"),
    )
    pdf.bars(tx("sdg_header"), bars)


def _goals(store: Store, actor: Actor) -> pd.DataFrame:
    table = export_table(store, actor, "sdg_goal")
    return pd.DataFrame(table.rows, columns=table.column_names)
