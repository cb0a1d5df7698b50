"""Turning the store's frames into what a reader sees: enum labels, numbers and dates in the reader's language,
column titles from the catalogue, and the small derived columns charts need (a phase's end, a status colour key).

Pages stay free of reshaping by calling these; charts stay free of translation because these add the label
columns they draw. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from accompaniment import i18n, settings
from accompaniment.domain.enums import Gender, Phase
from accompaniment.ui.context import current_lang, label, t


class Titles(dict):
    """Column titles by field name, looked up in the catalogue (``col.<field>``) on first use."""

    def __missing__(self, key: str) -> str:
        value = t(f"col.{key}")
        self[key] = value
        return value

    def get(self, key: str, default: Any = None) -> str:  # noqa: ARG002 - a title always exists or shows the marker
        return self[key]


def titles() -> Titles:
    return Titles()


def today() -> date:
    """Today as the store counts it (UTC), for spans that run "until today"."""
    return datetime.now(UTC).date()


def timestamp(value: date) -> pd.Timestamp:
    return pd.Timestamp(value)


def missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))


def text(value: Any) -> str:
    """A value as plain text for a table cell, "—" when absent."""
    return t("common.none") if missing(value) or value == "" else str(value)


def number(value: Any, decimals: int = 0) -> str:
    return i18n.format_number(None if missing(value) else value, current_lang(), decimals)


def percent(value: Any, decimals: int = 0) -> str:
    return i18n.format_percent(None if missing(value) else float(value), current_lang(), decimals)


def day(value: Any) -> str:
    return i18n.format_date(None if missing(value) else pd.Timestamp(value).date(), current_lang())


def month(value: Any) -> str:
    return i18n.format_month(None if missing(value) else pd.Timestamp(value).date(), current_lang())


def yes_no(value: Any) -> str:
    if missing(value):
        return t("common.none")
    return t("common.yes") if bool(value) else t("common.no")


def enum_label(enum_name: str, value: Any) -> str:
    return t("common.none") if missing(value) or value == "" else label(enum_name, value)


def enum_list(enum_name: str, codes: Any) -> str:
    """Comma-joined codes ("a, b") or a list, as their labels."""
    if missing(codes) or codes == "":
        return t("common.none")
    items = codes if isinstance(codes, (list, tuple)) else str(codes).split(",")
    return ", ".join(label(enum_name, code.strip()) for code in items if str(code).strip())


def month_names() -> list[str]:
    """Short month names in the reader's language, January first (for chart time axes)."""
    return [t(f"months.short.{m}") for m in range(1, 13)]


def phase_labels() -> list[str]:
    return [label("Phase", phase.value) for phase in Phase]


def gender_labels() -> list[str]:
    return [label("Gender", gender.value) for gender in Gender]


def with_labels(df: pd.DataFrame, **enums: str) -> pd.DataFrame:
    """A copy of ``df`` with ``<column>_label`` beside each ``column=EnumName`` given."""
    out = df.copy()
    for column, enum_name in enums.items():
        out[f"{column}_label"] = [enum_label(enum_name, v) for v in out[column]]
    return out


def readable(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    dates: Iterable[str] = (),
    percents: Iterable[str] = (),
    numbers: Iterable[str] = (),
    flags: Iterable[str] = (),
    raw: bool = False,
) -> pd.DataFrame:
    """``columns`` of ``df`` with translated headers; values formatted per language unless ``raw`` (for CSV)."""
    out = df.loc[:, list(columns)].copy()
    if not raw:
        formats = {**dict.fromkeys(dates, day), **dict.fromkeys(percents, percent),
                   **dict.fromkeys(numbers, number), **dict.fromkeys(flags, yes_no)}  # fmt: skip
        for column in out.columns:
            out[column] = [formats.get(column, text)(v) for v in out[column]]
    names = titles()
    return out.rename(columns={c: names[c] for c in out.columns})


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
    out["progress"] = pd.to_numeric(out["progress"], errors="coerce").astype("Float64")
    return out


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
    out["progress_text"] = [percent(p) for p in out["progress"]]
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


def commitment_code(plan_number: Any, commitment_number: Any) -> str:
    """ "P1·C3" style short code; a proactive commitment (no number) reads "P1·CP"."""
    number_text = t("col.proactive_short") if missing(commitment_number) else str(int(commitment_number))
    return f"{t('col.plan_short')}{int(plan_number)}·{t('col.commitment_short')}{number_text}"


def shorten(value: Any, width: int) -> str:
    value = text(value)
    return value if len(value) <= width else value[: width - 1].rstrip() + "…"


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


# ---- filters and SDGs -----------------------------------------------------------------------------------------


def filter_key(**filters: Any) -> tuple[tuple[str, Any], ...]:
    """The filters that are set, as sorted (name, value) pairs: hashable for the cache, empty when none is set."""
    return tuple(sorted((name, value) for name, value in filters.items() if value not in (None, "", False)))


def digest(value: Any) -> str:
    """A short stable name for a widget key derived from ``value`` (e.g. the filters, so paging restarts)."""
    import hashlib

    return hashlib.sha1(repr(value).encode()).hexdigest()[:10]


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
