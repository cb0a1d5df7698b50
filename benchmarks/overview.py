"""The national overview's numbers computed three ways, for ratios b and c.

* ``store_numbers``: the store's read functions the overview page calls (``accompaniment.store.dashboard``).
* ``handwritten_numbers``: one hand-written SQL query per figure of the page (the headline counts, the phase counts,
  the state table with "stalled", the overdue list, the monthly activity, the recent activity), run through the
  same engine connection. Portable SQL: the same text runs on DuckDB and PostgreSQL.
* ``naive_numbers``: what a first draft might do: read the tables whole into DataFrames (by the driver's fastest
  path, ``bare.table_reader``: DuckDB's ``.df()``) and compute in pandas.

All three return the same ``normalise``d structure, and the benchmark checks they agree before timing them: a
fast answer to a different question would prove nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, text

from accompaniment import settings
from accompaniment.access import Actor
from accompaniment.domain.rules import stall_reason
from accompaniment.store import dashboard
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    dialogue_session,
    milestone,
    secretariat,
    state,
    workshop,
)

MONTHS = 24
LIST_LIMIT = 10  # the overview shows the ten most overdue milestones and the ten latest activities
PHASES = range(6)


# ---- the shared shape --------------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float):
        return round(value, 6)
    if hasattr(value, "item"):  # numpy scalars
        return _value(value.item())
    return value


def normalise(
    kpis: dict[str, int],
    phases: dict[int, int],
    states: list[dict[str, Any]],
    stalled: list[str],
    overdue: list[int],
    monthly: list[tuple],
    recent: list[tuple],
) -> dict[str, Any]:
    """The overview's numbers in one comparable structure (quiet months dropped, floats rounded)."""
    state_keys = ["state_code", "phase", "progress", "commitments", "overdue_milestones", "last_session_on",
                  "stalled"]  # fmt: skip
    return {
        "kpis": {name: int(value) for name, value in sorted(kpis.items())},
        "phases": {int(p): int(phases.get(p, 0)) for p in PHASES},
        "states": [tuple(_value(row[k]) for k in state_keys) for row in states],
        "stalled": sorted(stalled),
        "overdue": [int(i) for i in overdue],
        "monthly": sorted((_value(m), k, int(a), int(p)) for m, k, a, p in monthly if int(a)),
        "recent": [(k, int(i)) for k, i in recent],
    }


def _rule() -> tuple[int, int]:
    return int(settings.get("stalled_session_days")), int(settings.get("stalled_phase_months"))


def window(today: date) -> tuple[date, date]:
    """(first day of the 90-day window, first day of the 24-month window), as the store counts them."""
    since = today - timedelta(days=dashboard.RECENT_DAYS - 1)
    index = today.year * 12 + today.month - 1 - (MONTHS - 1)
    return since, date(index // 12, index % 12 + 1, 1)


def differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    return [name for name in first if first[name] != second.get(name)]


# ---- 1. the store ------------------------------------------------------------------------------------------------


def store_numbers(store: Store, actor: Actor, today: date) -> dict[str, Any]:
    """Exactly the reads of pages/overview.py, uncached."""
    overview = dashboard.national_overview(store, actor, today=today, list_limit=LIST_LIMIT, months=MONTHS)
    figures, states, stalled = overview.figures, overview.states, overview.stalled
    overdue, monthly, recent = overview.overdue, overview.monthly, overview.recent
    kpis = {
        "commitments": figures.commitments, "milestones": figures.milestones,
        "milestones_complete": figures.milestones_complete, "overdue_milestones": figures.overdue_milestones,
        "sessions": figures.sessions_last_90_days, "workshops": figures.workshops_last_90_days,
        "overdue_agreements": figures.overdue_agreements, "programme_states": figures.programme_states,
        "stalled_stls": figures.stalled_stls,
    }  # fmt: skip
    return normalise(
        kpis, figures.stls_by_phase, states.to_dict("records"), list(stalled["state_code"]),
        list(overdue["milestone_id"]), list(monthly.itertuples(index=False, name=None)),
        list(zip(recent["kind"], recent["id"], strict=True)),
    )  # fmt: skip


# ---- 2. hand-written SQL, one query per figure ---------------------------------------------------------------------

KPIS_SQL = """
WITH live_commitment AS (
    SELECT c.id FROM commitment c JOIN action_plan p ON p.id = c.plan_id
    WHERE c.archived_at IS NULL AND p.archived_at IS NULL
), counted AS (
    SELECT m.status, m.due_date FROM milestone m JOIN live_commitment c ON c.id = m.commitment_id
    WHERE m.archived_at IS NULL AND m.status <> 'cancelled'
)
SELECT
    (SELECT COUNT(*) FROM live_commitment) AS commitments,
    (SELECT COUNT(*) FROM counted) AS milestones,
    (SELECT COUNT(*) FROM counted WHERE status = 'complete') AS milestones_complete,
    (SELECT COUNT(*) FROM counted WHERE due_date < :today AND status <> 'complete') AS overdue_milestones,
    (SELECT COUNT(*) FROM dialogue_session
     WHERE archived_at IS NULL AND held_on >= :since AND held_on <= :today) AS sessions,
    (SELECT COUNT(*) FROM workshop WHERE archived_at IS NULL AND held_on >= :since AND held_on <= :today) AS workshops,
    (SELECT COUNT(*) FROM agreement a JOIN dialogue_session s ON s.id = a.session_id
     WHERE a.archived_at IS NULL AND s.archived_at IS NULL AND a.due_date < :today
       AND a.status IN ('pending', 'in_progress')) AS overdue_agreements,
    (SELECT COUNT(*) FROM state WHERE programme) AS programme_states
"""

PHASES_SQL = """
SELECT s.phase, COUNT(*) AS stls FROM secretariat s JOIN state st ON st.code = s.state_code
WHERE st.programme AND s.archived_at IS NULL
GROUP BY s.phase
"""

STATES_SQL = """
WITH progress AS (
    SELECT c.id, p.state_code, p.number AS plan_number,
        CASE WHEN SUM(CASE WHEN m.weight > 0 THEN m.weight ELSE 0 END) > 0
             THEN SUM(CASE WHEN m.weight > 0 THEN m.progress * m.weight ELSE 0 END)
                  / SUM(CASE WHEN m.weight > 0 THEN m.weight ELSE 0 END)
             ELSE 0 END AS progress,
        COUNT(m.id) FILTER (WHERE m.due_date < :today AND m.status <> 'complete') AS overdue
    FROM commitment c
    JOIN action_plan p ON p.id = c.plan_id
    LEFT JOIN milestone m ON m.commitment_id = c.id AND m.archived_at IS NULL AND m.status <> 'cancelled'
    WHERE c.archived_at IS NULL AND p.archived_at IS NULL
    GROUP BY c.id, p.state_code, p.number
), latest AS (
    SELECT state_code, MAX(number) AS number FROM action_plan WHERE archived_at IS NULL GROUP BY state_code
), per_state AS (
    SELECT pr.state_code,
        AVG(pr.progress) FILTER (WHERE pr.plan_number = l.number) AS progress,
        COUNT(*) FILTER (WHERE pr.plan_number = l.number) AS commitments,
        SUM(pr.overdue) AS overdue_milestones
    FROM progress pr JOIN latest l ON l.state_code = pr.state_code
    GROUP BY pr.state_code
), last_session AS (
    SELECT state_code, MAX(held_on) AS last_session_on FROM dialogue_session
    WHERE archived_at IS NULL AND held_on <= :today GROUP BY state_code
)
SELECT st.code AS state_code, st.name AS state_name, sec.phase, sec.phase_since, ps.progress,
    COALESCE(ps.commitments, 0) AS commitments, COALESCE(ps.overdue_milestones, 0) AS overdue_milestones,
    ls.last_session_on,
    st.programme AND (
        ls.last_session_on IS NULL OR ls.last_session_on <= :session_cutoff
        OR (sec.phase_since IS NOT NULL AND
            (:year - EXTRACT(YEAR FROM sec.phase_since)) * 12 + (:month - EXTRACT(MONTH FROM sec.phase_since))
            - CASE WHEN :day < EXTRACT(DAY FROM sec.phase_since) THEN 1 ELSE 0 END >= :phase_months)
    ) AS stalled
FROM state st
LEFT JOIN secretariat sec ON sec.state_code = st.code AND sec.archived_at IS NULL AND st.programme
LEFT JOIN per_state ps ON ps.state_code = st.code
LEFT JOIN last_session ls ON ls.state_code = st.code
ORDER BY st.code
"""

OVERDUE_SQL = """
SELECT m.id AS milestone_id, st.code AS state_code, st.name AS state_name, c.id AS commitment_id,
    c.title AS commitment_title, m.number, m.description, m.due_date, m.progress, m.status
FROM milestone m
JOIN commitment c ON c.id = m.commitment_id
JOIN action_plan p ON p.id = c.plan_id
JOIN state st ON st.code = p.state_code
WHERE c.archived_at IS NULL AND p.archived_at IS NULL AND m.archived_at IS NULL
  AND m.status NOT IN ('complete', 'cancelled') AND m.due_date < :today
ORDER BY m.due_date, st.code, c.id, m.number, m.id
LIMIT 10
"""

MONTHLY_SQL = """
SELECT 'session' AS kind, EXTRACT(YEAR FROM held_on) AS y, EXTRACT(MONTH FROM held_on) AS m, COUNT(*) AS activities,
    COALESCE(SUM(participant_total), 0) AS participants
FROM dialogue_session WHERE archived_at IS NULL AND held_on >= :start AND held_on <= :today
GROUP BY EXTRACT(YEAR FROM held_on), EXTRACT(MONTH FROM held_on)
UNION ALL
SELECT 'workshop', EXTRACT(YEAR FROM held_on), EXTRACT(MONTH FROM held_on), COUNT(*),
    COALESCE(SUM(participant_total), 0)
FROM workshop WHERE archived_at IS NULL AND held_on >= :start AND held_on <= :today
GROUP BY EXTRACT(YEAR FROM held_on), EXTRACT(MONTH FROM held_on)
"""

RECENT_SQL = """
SELECT a.kind, a.id, a.state_code, st.name AS state_name, a.held_on, a.label, a.participant_total, a.public_summary
FROM (
    SELECT 'session' AS kind, id, state_code, held_on, session_type AS label, participant_total, public_summary
    FROM dialogue_session WHERE archived_at IS NULL AND held_on <= :today
    UNION ALL
    SELECT 'workshop', id, state_code, held_on, title, participant_total, public_summary
    FROM workshop WHERE archived_at IS NULL AND held_on <= :today
) a JOIN state st ON st.code = a.state_code
ORDER BY a.held_on DESC, a.kind, a.id DESC
LIMIT 10
"""


def handwritten_numbers(connection: Connection, today: date) -> dict[str, Any]:
    since, start = window(today)
    session_days, phase_months = _rule()
    stall = {"session_cutoff": today - timedelta(days=session_days), "year": today.year, "month": today.month,
             "day": today.day, "phase_months": phase_months}  # fmt: skip
    kpis = dict(connection.execute(text(KPIS_SQL), {"today": today, "since": since}).mappings().one())
    phases = {int(p): int(n) for p, n in connection.execute(text(PHASES_SQL))}
    states = [dict(r) for r in connection.execute(text(STATES_SQL), {"today": today, **stall}).mappings()]
    overdue = [r.milestone_id for r in connection.execute(text(OVERDUE_SQL), {"today": today})]
    monthly = [(date(int(r.y), int(r.m), 1), r.kind, r.activities, r.participants)
               for r in connection.execute(text(MONTHLY_SQL), {"start": start, "today": today})]  # fmt: skip
    recent = [(r.kind, r.id) for r in connection.execute(text(RECENT_SQL), {"today": today})]
    stalled = [row["state_code"] for row in states if row["stalled"]]
    kpis["stalled_stls"] = len(stalled)
    for row in states:
        row["stalled"] = bool(row["stalled"])
    return normalise(kpis, phases, states, stalled, overdue, monthly, recent)


# ---- 3. naive pandas: whole tables in, figures out ---------------------------------------------------------------

NAIVE_TABLES = (state, secretariat, action_plan, commitment, milestone, dialogue_session, workshop, agreement)
_DATES = {"held_on", "due_date", "phase_since", "published_on"}


def read_whole_tables(read: Callable[[str], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each table whole, by ``read`` (``bare.table_reader``: DuckDB's own ``.df()``, psycopg's fetchall)."""
    frames = {}
    for table in NAIVE_TABLES:
        df = read(table.name)
        for name in _DATES & set(df.columns):
            df[name] = pd.to_datetime(df[name])
        frames[table.name] = df
    return frames


def naive_numbers(read: Callable[[str], pd.DataFrame], today: date) -> dict[str, Any]:
    t = read_whole_tables(read)
    now, (since, start) = pd.Timestamp(today), (pd.Timestamp(d) for d in window(today))
    session_days, phase_months = _rule()
    plans = t["action_plan"][t["action_plan"]["archived_at"].isna()]
    live = t["commitment"][t["commitment"]["archived_at"].isna()].merge(
        plans[["id", "state_code", "number"]].rename(columns={"id": "plan_id", "number": "plan_number"}),
        on="plan_id")  # fmt: skip
    ms = t["milestone"]
    counted = ms[ms["archived_at"].isna() & (ms["status"] != "cancelled")].merge(
        live[["id", "state_code", "plan_number", "title"]].rename(columns={"id": "commitment_id"}),
        on="commitment_id")  # fmt: skip
    overdue_mask = (counted["due_date"] < now) & (counted["status"] != "complete")
    sessions = t["dialogue_session"][t["dialogue_session"]["archived_at"].isna()]
    workshops = t["workshop"][t["workshop"]["archived_at"].isna()]
    agreements = t["agreement"][t["agreement"]["archived_at"].isna()]
    agreements = agreements[agreements["session_id"].isin(sessions["id"])]
    states = t["state"].sort_values("code")
    programme = states[states["programme"].astype(bool)]
    secretariats = t["secretariat"][t["secretariat"]["archived_at"].isna()]
    kpis = {
        "commitments": len(live), "milestones": len(counted),
        "milestones_complete": int((counted["status"] == "complete").sum()),
        "overdue_milestones": int(overdue_mask.sum()),
        "sessions": int(sessions["held_on"].between(since, now).sum()),
        "workshops": int(workshops["held_on"].between(since, now).sum()),
        "overdue_agreements": int(((agreements["due_date"] < now)
                                   & agreements["status"].isin(["pending", "in_progress"])).sum()),
        "programme_states": len(programme),
    }  # fmt: skip
    phases = (
        secretariats[secretariats["state_code"].isin(programme["code"])]["phase"].value_counts().to_dict()
    )

    weighted = counted.assign(w=counted["weight"].where(counted["weight"] > 0, 0.0))
    weighted = weighted.assign(pw=weighted["progress"] * weighted["w"])
    sums = weighted.groupby("commitment_id")[["w", "pw"]].sum()
    progress = (sums["pw"] / sums["w"]).where(sums["w"] > 0, 0.0)
    live = live.assign(progress=live["id"].map(progress).fillna(0.0))
    latest = plans.groupby("state_code")["number"].max()
    current = live[live["plan_number"] == live["state_code"].map(latest)]
    per_state = current.groupby("state_code")["progress"].agg(["mean", "count"])
    overdue_by_state = counted[overdue_mask].groupby("state_code").size()
    last_session = sessions[sessions["held_on"] <= now].groupby("state_code")["held_on"].max()
    phase_of = secretariats.set_index("state_code")
    rows = []
    for code, is_programme in zip(states["code"], states["programme"].astype(bool), strict=True):
        listed = is_programme and code in phase_of.index
        last = last_session.get(code)
        last = last.date() if last is not None and not pd.isna(last) else None
        since_phase = phase_of.at[code, "phase_since"] if listed else None
        since_phase = since_phase.date() if since_phase is not None and not pd.isna(since_phase) else None
        reason = stall_reason(last, since_phase, today, session_days, phase_months)
        rows.append({
            "state_code": code, "phase": phase_of.at[code, "phase"] if listed else None,
            "progress": per_state["mean"].get(code), "commitments": int(per_state["count"].get(code, 0)),
            "overdue_milestones": int(overdue_by_state.get(code, 0)), "last_session_on": last,
            "stalled": bool(is_programme and reason.stalled),
        })  # fmt: skip
    stalled = [row["state_code"] for row in rows if row["stalled"]]
    kpis["stalled_stls"] = len(stalled)

    late = counted[overdue_mask].sort_values(["due_date", "state_code", "commitment_id", "number", "id"])
    overdue = list(late["id"].head(LIST_LIMIT))
    monthly = []
    for kind, frame in (("session", sessions), ("workshop", workshops)):
        inside = frame[frame["held_on"].between(start, now)]
        grouped = inside.groupby([inside["held_on"].dt.year, inside["held_on"].dt.month])
        for (year, month), group in grouped:
            monthly.append(
                (date(int(year), int(month), 1), kind, len(group), int(group["participant_total"].sum()))
            )
    activity = pd.concat([sessions.assign(kind="session"), workshops.assign(kind="workshop")])
    activity = activity[activity["held_on"] <= now].sort_values(["held_on", "kind", "id"],
                                                                 ascending=[False, True, False])  # fmt: skip
    recent = list(zip(activity["kind"].head(LIST_LIMIT), activity["id"].head(LIST_LIMIT), strict=True))
    return normalise(kpis, phases, rows, stalled, overdue, monthly, recent)
