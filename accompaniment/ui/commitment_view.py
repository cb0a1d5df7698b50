"""One commitment in detail, shared by Compromisos and Secretariado: its figures, its milestones with their
evidence, and the dated timeline of milestone updates.

The milestone-update form (``milestone_forms.render``) follows this view on the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.domain.errors import AccompanimentError
from accompaniment.ui import cached, present, session_list, widgets
from accompaniment.ui.context import show_error, t

TIMELINE_ROWS = 25


def commitment_choice(rows: pd.DataFrame, *, key: str, linked: int | None = None) -> int | None:
    """A select box over the commitments listed on the current page; returns the chosen id. ``linked`` (a
    commitment a link names, issue 13) is offered first when the page does not list it."""
    names = {
        int(r.id): f"{present.commitment_code(r.plan_number, r.number)} · {present.shorten(r.title, 110)}"
        for r in rows.itertuples()
    }
    if linked is not None and linked not in names:
        item = cached.get_commitment(*cached.viewer(), linked)
        code = present.commitment_code(item["plan_number"], item["number"])
        names = {linked: f"{item['state_name']} {code} · {present.shorten(item['title'], 110)}"} | names
    if not names:
        return None
    widgets.keep_choice(key, names)
    return st.selectbox(t("commitment.choose"), list(names), format_func=names.__getitem__, key=key,
                        placeholder=widgets.choose_text())  # fmt: skip


def render(commitment_id: int, summary: pd.Series | None = None) -> None:
    """The detail of ``commitment_id``; ``summary`` is its row of the commitment list (progress, level)."""
    who = cached.viewer()
    try:
        item = cached.get_commitment(*who, commitment_id)
        timeline = cached.commitment_timeline(*who, commitment_id)
    except AccompanimentError as exc:
        show_error(exc)
        return
    code = present.commitment_code(item["plan_number"], item["number"])
    st.markdown(f"#### {escape(code)} · {escape(item['title'])}")
    st.caption(t("commitment.where", state=item["state_name"], plan=item["plan_number"]))
    if summary is not None:
        widgets.kpi_row([
            (t("col.progress"), present.percent(summary["progress"]), None),
            (t("col.completion_level"), present.enum_label("CompletionLevel", summary["completion_level"]),
             t("commitment.completion_help")),
            (t("col.milestones_complete"), f"{present.number(summary['milestones_complete'])} / "
                                           f"{present.number(summary['milestones'])}", None),
            (t("col.milestones_overdue"), present.number(summary["milestones_overdue"]), None),
        ])  # fmt: skip
        if bool(summary["lacks_evidence"]):
            st.warning(t("common.evidence_none"), icon=":material/warning:")
    st.table(present.readable(_facts(item), ["field", "value"]), hide_index=True, hide_header=True)
    _milestones(item["milestones"])
    _timeline(timeline)
    session_list.commitment_links(commitment_id)


def escape(value: Any) -> str:
    return widgets.escape_markdown(present.text(value))


def _facts(item: dict[str, Any]) -> pd.DataFrame:
    """The commitment's facts that are known (an empty one is left out, not shown as a dash); the IRM-style
    assessment always shows, each part "sin valorar" until the working group assesses it."""
    facts = [
        ("public_problem", _known(item.get("public_problem"))),
        ("objective", _known(item.get("objective"))),
        ("lead_institution", _known(item.get("lead_institution"))),
        ("co_responsible", _known(item.get("co_responsible"))),
        ("period", _period(item.get("start_date"), item.get("end_date"))),
        ("ogp_values", present.enum_list("OgpValue", item["ogp_values"]) if item.get("ogp_values") else None),
        ("sdg_targets", ", ".join(item.get("sdg_targets") or []) or None),
        ("verifiable", _assessed(item.get("verifiable"), present.yes_no)),
        ("ambition", _assessed(item.get("ambition"), partial(present.enum_label, "Ambition"))),
        ("early_results", _assessed(item.get("early_results"), partial(present.enum_label, "EarlyResults"))),
    ]
    return pd.DataFrame(
        [(t(f"col.{name}"), value) for name, value in facts if value is not None], columns=["field", "value"]
    )


def _assessed(value: Any, shown: Callable[[Any], str]) -> str:
    return t("assessment.unassessed") if present.missing(value) or value == "" else shown(value)


def _known(value: Any) -> str | None:
    return None if present.missing(value) or str(value).strip() == "" else str(value)


def _period(start: Any, end: Any) -> str | None:
    """ "1 ene 2020 – 31 dic 2021", or one end only ("Desde el …", "Hasta el …"); None when neither is known."""
    if present.missing(start) and present.missing(end):
        return None
    if present.missing(end):
        return t("commitment.period_from", date=present.day(start))
    if present.missing(start):
        return t("commitment.period_until", date=present.day(end))
    return f"{present.day(start)} – {present.day(end)}"


def _milestones(milestones: list[dict[str, Any]]) -> None:
    st.markdown(f"##### {t('commitment.milestones')}")
    if not milestones:
        widgets.empty(t("commitment.no_milestones"))
        return
    frame = present.with_labels(pd.DataFrame(milestones), status="MilestoneStatus")
    frame["evidence_link"] = [widgets.safe_url(u) for u in frame["evidence_url"]]
    columns = ["number", "description", "responsible", "due_date", "progress", "status_label", "completed_on",
               "evidence_link"]  # fmt: skip
    if "evidence_note" in frame:
        columns.append("evidence_note")
    shown = present.readable(frame, columns, dates=["due_date", "completed_on"], numbers=["number"])
    names = present.titles()
    shown[names["progress"]] = frame["progress"].astype(float).to_numpy()
    shown[names["evidence_link"]] = frame["evidence_link"].to_numpy()
    widgets.table(
        shown,
        **{
            names["progress"]: widgets.progress_column(names["progress"]),
            names["evidence_link"]: widgets.link_column(names["evidence_link"], t("commitment.open")),
        },
    )
    links = [
        f"- {widgets.markdown_link(t('commitment.evidence_of', number=m['number']), m['evidence_url'])}"
        for m in milestones
        if widgets.safe_url(m.get("evidence_url"))
    ]
    if links:
        st.markdown(f"**{t('commitment.evidence')}**\n\n" + "\n".join(links))


def _timeline(timeline: pd.DataFrame) -> None:
    st.markdown(f"##### {t('commitment.timeline')}")
    if timeline.empty:
        widgets.empty(t("commitment.no_updates"))
        return
    latest = present.with_labels(timeline.iloc[::-1].head(TIMELINE_ROWS), status="MilestoneStatus")
    columns = ["recorded_at", "milestone_number", "progress", "status_label", "evidence_url"]
    columns += [c for c in ("recorded_by", "note") if c in latest]
    latest["evidence_url"] = [widgets.safe_url(u) for u in latest["evidence_url"]]
    widgets.table(present.readable(latest, columns, dates=["recorded_at"], percents=["progress"]))
    if len(timeline) > TIMELINE_ROWS:
        st.caption(t("commitment.latest_updates", shown=TIMELINE_ROWS, total=len(timeline)))


def listing(rows: pd.DataFrame) -> None:
    """A page of commitments (``frames.commitment_rows``) with progress bars and the OGP completion level."""
    names = present.titles()
    columns = ["code", "state_name", "title", "completion_level_label", "milestones_overdue", "ogp_values_text",
               "sdg_targets", "evidence_text"]  # fmt: skip
    shown = present.readable(rows, columns, numbers=["milestones_overdue"])
    shown.insert(3, names["progress"], rows["progress"].to_numpy())
    widgets.table(shown, **{names["progress"]: widgets.progress_column(names["progress"])})
