"""The frames each view draws: a store frame in, the same rows with the label and text columns its chart or
table needs (a phase's end, a status colour key, a state's progress as text) out.

Pages stay free of reshaping by calling these; charts stay free of translation because these add the label
columns they draw. Nothing here reads the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from accompaniment import i18n, settings
from accompaniment.ui.context import current_lang, t
from accompaniment.ui.present import (
    commitment_code,
    day,
    enum_label,
    enum_list,
    missing,
    month,
    number,
    percent,
    readable,
    shorten,
    text,
    with_labels,
)

# ---- national overview ----------------------------------------------------------------------------------------


def state_frame(states: pd.DataFrame) -> pd.DataFrame:
    """``state_overview`` with labels for the map, the bars and the panorama table."""
    out = states.copy()
    outside = t("overview.outside_programme")
    out["phase_label"] = [
        enum_label("Phase", ph) if prog else outside
        for ph, prog in zip(out["phase"], out["programme"], strict=True)
    ]
    out["progress_text"] = [
        (percent(p) if not missing(p) else t("overview.no_plan")) if prog else t("common.none")
        for p, prog in zip(out["progress"], out["programme"], strict=True)
    ]
    out["status_text"] = [
        (t("overview.status_stalled") if stalled else t("overview.status_active")) if prog else outside
        for stalled, prog in zip(out["stalled"], out["programme"], strict=True)
    ]
    out["commitments_text"] = [
        number(n) if prog else t("common.none")
        for n, prog in zip(out["commitments"], out["programme"], strict=True)
    ]
    out["last_session_text"] = [day(d) for d in out["last_session_on"]]
    if "no_session_days" in out:  # stalled_stls
        out["stall_reason"] = [
            stall_reason(n, m)
            for n, m in zip(out["no_session_days"], out["phase_unchanged_months"], strict=True)
        ]
    out["progress"] = pd.to_numeric(out["progress"], errors="coerce").astype("Float64")
    return out


def stall_reason(no_session_days: Any, phase_unchanged_months: Any) -> str:
    """Why an STL is stalled, in one cell: "75 días sin sesión · 14 meses en la misma fase".

    ``no_session_days`` is -1 when the STL never met, null when sessions are not the reason
    (``domain.rules.stall_reason``); ``phase_unchanged_months`` is null when the phase is not the reason.
    """
    reasons = []
    if not missing(no_session_days):
        days = int(no_session_days)
        reasons.append(
            t("overview.never_met") if days < 0 else t("overview.stalled.no_session", days=number(days))
        )
    if not missing(phase_unchanged_months):
        reasons.append(t("overview.stalled.phase_unchanged", months=number(phase_unchanged_months)))
    return " · ".join(reasons) or t("common.none")


def stall_rule() -> dict[str, int]:
    """The settings behind "stalled", for the sentences that explain it."""
    return {
        "days": int(settings.get("stalled_session_days")),
        "months": int(settings.get("stalled_phase_months")),
    }


def programme_only(states: pd.DataFrame) -> pd.DataFrame:
    return states[states["programme"].astype(bool)].reset_index(drop=True)


def activity_months(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["kind_label"] = [kind_label(k) for k in out["kind"]]
    out["month_label"] = [month(m) for m in out["month"]]
    return out


def recent_rows(recent: pd.DataFrame) -> pd.DataFrame:
    """``recent_activity`` with the kind and the session type (or workshop title) as text."""
    out = recent.copy()
    out["kind_label"] = [kind_label(k) for k in out["kind"]]
    out["label_text"] = [
        enum_label("SessionType", v) if k == "session" else text(v)
        for k, v in zip(out["kind"], out["label"], strict=True)
    ]
    return out


def participation_totals(df: pd.DataFrame, by: str = "sector") -> pd.DataFrame:
    """Participants summed over sessions and workshops, per ``by`` and gender, labelled."""
    totals = df.groupby([by, "gender"], as_index=False)["participants"].sum()
    return with_labels(totals, **{by: "Sector"}, gender="Gender")


# ---- one secretariat ------------------------------------------------------------------------------------------


def phase_spans(history: pd.DataFrame, today: date) -> pd.DataFrame:
    """Phase events as consecutive spans: each lasts until the next event; the current one until today."""
    out = history.sort_values("changed_on", kind="stable").reset_index(drop=True)
    out["start"] = pd.to_datetime(out["changed_on"])
    out["end"] = out["start"].shift(-1).fillna(pd.Timestamp(today))
    out["phase_label"] = [enum_label("Phase", p) for p in out["phase"]]
    out["start_text"] = [day(d) for d in out["start"]]
    out["end_text"] = [day(d) for d in out["end"]]
    if len(out):
        out.loc[out.index[-1], "end_text"] = t("secretariat.until_today")
    out["note_text"] = [note_text(n) for n in out["note"]]
    return out


def note_text(note: Any) -> str:
    """A phase note: the starting record stores catalogue keys; everyone else wrote free text."""
    if missing(note) or note == "":
        return t("common.none")
    note = str(note)
    return t(note) if note.startswith("reference.") and i18n.has(note, current_lang()) else note


def schedule_frame(schedule: pd.DataFrame, today: date) -> pd.DataFrame:
    """Milestones as Gantt rows: start at the previous milestone's due date (or the commitment's start)."""
    out = schedule[schedule["due_date"].notna()].copy()
    out["due_date"] = pd.to_datetime(out["due_date"])
    previous = out.groupby("commitment_id")["due_date"].shift(1)
    start = pd.to_datetime(out["commitment_start"]).fillna(previous) if len(out) else previous
    out["start"] = start.fillna(out["due_date"] - pd.Timedelta(days=90))
    out["status_key"] = [status_key(s, o) for s, o in zip(out["status"], out["overdue"], strict=True)]
    out["status_label"] = [t(f"secretariat.gantt.{k}") for k in out["status_key"]]
    out["row_label"] = [
        f"{commitment_code(p, c)} · {t('col.milestone_short')} {n}"
        for p, c, n in zip(out["plan_number"], out["commitment_number"], out["number"], strict=True)
    ]
    out["due_text"] = [day(d) for d in out["due_date"]]
    # staff: a milestone whose live figures are not yet approved says so (issue 12); the public reads approved ones
    marks = out["unapproved"] if "unapproved" in out else pd.Series(False, index=out.index)
    out["progress_text"] = [
        f"{percent(p)} · {t('reporting.unapproved_mark')}" if bool(m) else percent(p)
        for p, m in zip(out["progress"], marks, strict=True)
    ]
    out["title_text"] = [shorten(v, 90) for v in out["commitment_title"]]
    out["description_text"] = [shorten(v, 90) for v in out["description"]]
    return out


def commitment_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """A page of ``list_commitments`` with its short code and labels."""
    out = with_labels(rows, completion_level="CompletionLevel")
    out["code"] = [commitment_code(p, n) for p, n in zip(out["plan_number"], out["number"], strict=True)]
    out["ogp_values_text"] = [enum_list("OgpValue", v) for v in out["ogp_values"]]
    out["evidence_text"] = [t("common.evidence_none") if flag else "" for flag in out["lacks_evidence"]]
    out["progress"] = out["progress"].astype(float)
    return out


def agreement_table(agreements: pd.DataFrame) -> pd.DataFrame:
    """Agreements (overdue first, as the store orders them) as a readable table."""
    out = with_labels(agreements, status="AgreementStatus", responsible_sector="Sector")
    out["overdue_text"] = [t("secretariat.overdue") if flag else "" for flag in out["overdue"]]
    columns = ["overdue_text", "status_label", "text", "responsible_sector_label", "responsible_organization",
               "due_date", "held_on", "closed_on"]  # fmt: skip
    return readable(out, columns, dates=["due_date", "held_on", "closed_on"])


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Dated events of an exercise; a date known to the month only shows as the month."""
    out = with_labels(events, kind="EventKind")
    out["when"] = [
        month(d) if precision == "month" else day(d)
        for d, precision in zip(out["happened_on"], out["date_precision"], strict=True)
    ]
    return out


def status_key(status: str, overdue: bool) -> str:
    if status == "complete":
        return "done"
    if status == "cancelled":
        return "cancelled"
    return "overdue" if overdue else "pending"


def status_labels() -> dict[str, str]:
    return {key: t(f"secretariat.gantt.{key}") for key in ("done", "overdue", "pending", "cancelled")}


def activity_points(sessions: pd.DataFrame, workshops: pd.DataFrame) -> pd.DataFrame:
    """Sessions and workshops of one state as timeline points, newest first."""
    parts = []
    if len(sessions):
        s = sessions.assign(
            kind="session", label_text=[enum_label("SessionType", v) for v in sessions["session_type"]]
        )
        parts.append(s)
    if len(workshops):
        parts.append(workshops.assign(kind="workshop", label_text=[text(v) for v in workshops["title"]]))
    columns = ["kind", "held_on", "label_text", "modality", "participant_total"]
    if not parts:
        return pd.DataFrame(columns=[*columns, "kind_label", "held_on_text", "modality_label"])
    out = pd.concat([p[columns] for p in parts], ignore_index=True).sort_values("held_on", ascending=False)
    out = with_labels(out, modality="Modality")
    out["kind_label"] = [kind_label(k) for k in out["kind"]]
    out["held_on_text"] = [day(d) for d in out["held_on"]]
    out["held_on"] = pd.to_datetime(out["held_on"])
    return out.reset_index(drop=True)


def kind_label(kind: str) -> str:
    return t(f"activity_kind.{kind}")


def kind_labels() -> list[str]:
    return [kind_label(kind) for kind in ("session", "workshop")]


# ---- training programme ---------------------------------------------------------------------------------------


def published_applicants(applicants: Any, at_least: Any) -> str:
    if missing(applicants):
        return t("common.none")
    figure = number(int(applicants))
    return t("training.more_than", figure=figure) if bool(at_least) else figure


def applicants_figure(applicants: Any, at_least: Any) -> tuple[str, str | None]:
    """The applicants of a call for a headline figure ("400+") and the sentence that says what it means."""
    if missing(applicants):
        return t("common.none"), t("training.not_published")
    figure = number(int(applicants))
    if bool(at_least):
        return t("training.at_least_short", figure=figure), t("training.more_than_help", figure=figure)
    return figure, None


def call_source(year: Any, source: Any) -> str:
    """A call's source note in the reader's language.

    The starting record stores the source in Spanish (data/fellows_calls.csv); the catalogue holds the same words
    (``reference.call_source.<year>``) and their English. A source someone has since rewritten is shown as written.
    """
    key = f"reference.call_source.{year}"
    if missing(source) or not i18n.has(key) or source != i18n.t(key):
        return text(source)
    return t(key)


def call_measures(calls: pd.DataFrame) -> pd.DataFrame:
    """Per call, applicants / fellows / women fellows as long rows for the grouped bars (unpublished ones left out)."""
    rows = []
    for call in calls.itertuples():
        measures = [("applicants", call.applicants, published_applicants(call.applicants, call.applicants_at_least)),
                    ("fellows", call.fellows, None), ("fellows_women", call.fellows_women, None)]  # fmt: skip
        for key, value, shown in measures:
            if not missing(value):
                rows.append({"year_label": str(call.year), "measure_label": t(f"training.measure.{key}"),
                             "value": float(value), "value_text": shown or number(value)})  # fmt: skip
    return pd.DataFrame(rows, columns=["year_label", "measure_label", "value", "value_text"])


def measure_labels() -> list[str]:
    return [t(f"training.measure.{key}") for key in ("applicants", "fellows", "fellows_women")]


def state_fellows(call_states: pd.DataFrame, by_gender: pd.DataFrame) -> pd.DataFrame:
    """Per state of a call: the published applicants and fellows, else the fellows recorded in the tool by gender."""
    recorded = by_gender.pivot_table(index="state_code", columns="gender", values="fellows", aggfunc="sum")
    out = call_states.copy()
    women = recorded["women"] if "women" in recorded else pd.Series(dtype=float)
    total = recorded.sum(axis=1) if len(recorded) else pd.Series(dtype=float)
    out["fellows"] = out["fellows"].where(out["fellows"].notna(), out["state_code"].map(total))
    out["fellows_women"] = out["fellows_women"].where(
        out["fellows_women"].notna(), out["state_code"].map(women)
    )
    return out


def gender_rows(by_gender: pd.DataFrame) -> pd.DataFrame:
    return with_labels(by_gender, gender="Gender")


def sdg_cells(matrix: pd.DataFrame) -> pd.DataFrame:
    out = matrix.copy()
    name = "goal_name_en" if current_lang() == "en" else "goal_name_es"
    out["goal_label"] = [
        t("agenda.goal_label", goal=g, name=n) for g, n in zip(out["goal"], out[name], strict=True)
    ]
    return out


def target_choices(targets: pd.DataFrame) -> dict[str, str]:
    """Target code → "16.10 · Acceso público a la información…" for a select box."""
    named = target_names(targets)
    return {
        code: f"{code} · {name}"
        for code, name in zip(named["target_code"], named["target_name"], strict=True)
    }


def target_names(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["target_name"] = out["target_name_en" if current_lang() == "en" else "target_name_es"]
    return out


# ---- Agenda 2030 ----------------------------------------------------------------------------------------------


def targets_per_commitment(contributions: pd.DataFrame) -> pd.DataFrame:
    """One row per commitment with the targets of the selection joined ("16.5, 16.10"), in the store's order."""
    if contributions.empty:
        return contributions.assign(targets_text=pd.Series(dtype=str))
    keys = ["state_name", "commitment_id", "title"]
    grouped = contributions.groupby(keys, sort=False, as_index=False).agg(
        targets_text=("target_code", ", ".join)
    )
    return grouped


def goal_names(goals: pd.DataFrame) -> dict[int, str]:
    name = "name_en" if current_lang() == "en" else "name_es"
    return {
        int(g): t("agenda.goal_label", goal=int(g), name=n)
        for g, n in zip(goals["goal"], goals[name], strict=True)
    }


def contributions_by_state(matrix: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """Per programme state, its goals with the number of commitments aligned to each ("ODS 16 (5), …")."""
    rows = []
    for code, name in zip(states["state_code"], states["state_name"], strict=True):
        cells = matrix[matrix["state_code"] == code].sort_values("goal")
        listed = [
            t("agenda.goal_count", goal=int(g), count=int(n))
            for g, n in zip(cells["goal"], cells["commitments"], strict=True)
        ]
        rows.append({"state_name": name, "goals_text": ", ".join(listed) or t("agenda.by_state.none")})
    return pd.DataFrame(rows, columns=["state_name", "goals_text"])
