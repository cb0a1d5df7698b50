"""The demo's reporting cycle (issue 12): something for the period-report screens and the overview to show.

The last quarter before the demo's "today" is a closed period that most programme states reported and the working
group approved; the quarter holding "today" is open, with one report waiting for review, one returned with comments
and one draft, and the other states not started. Written through the store's own reporting functions (the same
permission checks, transitions and audit entries as a page), after the demo's figures are published as approved.
Only states with milestones report; Veracruz and the states without milestones are left untouched.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from accompaniment.access import Actor
from accompaniment.domain.enums import MilestoneStatus, Role
from accompaniment.store import reporting
from accompaniment.store.database import Store
from accompaniment.store.schema import action_plan, commitment, milestone

WORKING_GROUP = Actor(Role.WORKING_GROUP, username="demo")
QUARTER_NAMES = {1: "Primer", 2: "Segundo", 3: "Tercer", 4: "Cuarto"}
# The open period's reports: state -> what became of it.
WAITING = "10"  # Durango: submitted, waiting for review
RETURNED = "27"  # Tabasco: returned with comments
DRAFTING = "24"  # San Luis Potosí: a draft being written
UNTOUCHED = {"30"}  # Veracruz: the browser journey of the reporting cycle drafts its report from scratch
NOT_APPROVED_LAST_QUARTER = {"25"}  # Sinaloa: its last quarter's report was never approved (it shows as late)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter(start: date) -> dict[str, Any]:
    """The quarter that starts on ``start``: name, start, end and a due date two weeks after its end."""
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    end = following - timedelta(days=1)
    number = (start.month - 1) // 3 + 1
    return {
        "name": f"{QUARTER_NAMES[number]} trimestre {start.year} (demostración)",
        "starts_on": start,
        "ends_on": end,
        "due_on": end + timedelta(days=15),
    }


def _open_milestones(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Per state, its live milestones that are not complete or cancelled, in plan and number order."""
    query = (
        select(
            action_plan.c.state_code,
            milestone.c.id,
            milestone.c.progress,
            milestone.c.status,
            milestone.c.evidence_url,
        )
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(
            milestone.c.archived_at.is_(None),
            commitment.c.archived_at.is_(None),
            action_plan.c.archived_at.is_(None),
            milestone.c.status.not_in([MilestoneStatus.COMPLETE.value, MilestoneStatus.CANCELLED.value]),
        )
        .order_by(action_plan.c.state_code, action_plan.c.number, commitment.c.number, milestone.c.number)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    with store.read() as connection:
        for row in connection.execute(query).mappings():
            found.setdefault(row["state_code"], []).append(dict(row))
    return found


def _line(row: dict[str, Any], step: float) -> dict[str, Any]:
    progress = min(float(row["progress"]) + step, 95.0)
    return {
        "milestone_id": row["id"],
        "progress": progress,
        "status": MilestoneStatus.IN_PROGRESS.value,
        "evidence_url": f"https://gobiernoabierto.example.org/evidencia/{row['id']}",
        "evidence_note": "Minuta de la mesa de trabajo (demostración).",
        "evidence_file_id": None,
    }


def _draft(store: Store, period_id: int, code: str, lines: list[dict[str, Any]], narrative: str) -> int:
    secretariat = Actor(Role.SECRETARIAT, state_code=code, username=f"demo-{code}")
    data = {
        "narrative": narrative,
        "internal_notes": "Notas internas del STL (demostración).",
        "items": lines,
    }
    return reporting.save_draft(store, secretariat, period_id, code, data, None)


def _submit(store: Store, period_id: int, code: str) -> tuple[int, int]:
    secretariat = Actor(Role.SECRETARIAT, state_code=code, username=f"demo-{code}")
    report = reporting.get_report(store, secretariat, period_id, code)
    report_id = int(report.id or 0)
    return report_id, reporting.submit_report(store, secretariat, report_id, report.version)


def add_demo_reports(store: Store, today: date) -> None:
    """The closed last quarter (approved for most states) and the open current one (see the module docstring)."""
    current_start = quarter_start(today)
    last = quarter(quarter_start(current_start - timedelta(days=1)))
    current = quarter(current_start)
    last_id = reporting.open_period(store, WORKING_GROUP, {**last, "state_codes": None})
    covered = set(reporting.list_periods(store, WORKING_GROUP).set_index("id").loc[last_id, "states"])
    milestones = {code: rows for code, rows in _open_milestones(store).items() if code in covered}
    reporting_states = sorted(code for code in milestones if code not in UNTOUCHED)
    narrative = "El STL sesionó con regularidad y dio seguimiento a sus compromisos (demostración)."
    for code in reporting_states:
        if code in NOT_APPROVED_LAST_QUARTER:
            continue
        _draft(store, last_id, code, [], narrative)
        report_id, version = _submit(store, last_id, code)
        reporting.approve_report(store, WORKING_GROUP, report_id, version)
    current_id = reporting.open_period(store, WORKING_GROUP, {**current, "state_codes": None})
    if WAITING in milestones:
        _draft(store, current_id, WAITING, [_line(r, 15) for r in milestones[WAITING][:2]], narrative)
        _submit(store, current_id, WAITING)
    if RETURNED in milestones:
        first = milestones[RETURNED][0]
        _draft(store, current_id, RETURNED, [_line(first, 30)], narrative)
        report_id, version = _submit(store, current_id, RETURNED)
        comments = {first["id"]: "La minuta enlazada no corresponde a este hito."}
        general = "Adjunten la minuta firmada de la mesa de trabajo."
        reporting.return_report(store, WORKING_GROUP, report_id, comments, general, version)
    if DRAFTING in milestones:
        _draft(store, current_id, DRAFTING, [_line(milestones[DRAFTING][0], 10)], "")
