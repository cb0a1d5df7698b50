"""The reporting cycle (issue 12): periods, each state's report for a period, and the reads around them.

The working group opens a period for some or all programme states; a state's secretariat (its own state only), or
the specialist on its behalf, drafts the period's report, saves and resumes it, and submits it, which freezes it.
The review (return with comments, approve) lives in store/reporting_review.py and is re-exported here, so callers
import one module. Every write is one transaction with an audit entry; drafts use optimistic concurrency (the
report's ``version``), so two people editing one draft never lose each other's work silently.
Rules of the cycle (which move is allowed from which status) are in domain/reporting.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, delete, func, insert, select, update

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.enums import MilestoneStatus, Role
from accompaniment.domain.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from accompaniment.domain.models import validate
from accompaniment.domain.reporting import DraftInput, PeriodInput, ReportMove, ReportStatus
from accompaniment.domain.reporting import period_status as _period_status
from accompaniment.store.database import Store, fetch_row
from accompaniment.store.evidence_files import EvidenceFileInfo, file_info
from accompaniment.store.reporting_rules import (
    ensure_move,
    record_transition,
    require_reporter,
    require_reviewer,
)
from accompaniment.store.schema import (
    action_plan,
    approved_milestone,
    commitment,
    evidence_file,
    milestone,
    report_item,
    report_transition,
    reporting_period,
    reporting_period_state,
    state,
    state_report,
)

__all__ = [
    "ReportItem",
    "ReportTransition",
    "ReportView",
    "TransitionRefused",
    "approval_dates",
    "approve_report",
    "current_period",
    "get_report",
    "list_periods",
    "open_period",
    "period_status_by_state",
    "publish_baseline",
    "reports_waiting_for_review",
    "return_report",
    "save_draft",
    "submit_report",
]


@dataclass(frozen=True)
class ReportItem:
    """One milestone of the state as a report shows it: its live figures (``current_*``) and, when the report
    carries a line for it (``in_report``), the reported ones. ``evidence_note`` and ``review_comment`` are empty
    for viewers who may not read them."""

    milestone_id: int
    commitment_label: str
    milestone_label: str
    current_progress: float
    current_status: str
    progress: float | None
    status: str | None
    evidence_url: str | None
    evidence_note: str
    evidence_file: EvidenceFileInfo | None
    review_comment: str
    in_report: bool = False


@dataclass(frozen=True)
class ReportTransition:
    from_status: str | None
    to_status: str
    actor: str
    at: datetime
    comment: str


@dataclass(frozen=True)
class ReportView:
    """A state's report for a period. ``id`` is None (status ``draft``, version 0) while nobody has saved one;
    ``internal_notes`` is None for viewers who may not read them."""

    id: int | None
    period_id: int
    state_code: str
    status: str
    version: int
    narrative: str
    internal_notes: str | None
    review_comment: str
    items: tuple[ReportItem, ...]
    transitions: tuple[ReportTransition, ...]
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by: str | None = None


# ---- periods ---------------------------------------------------------------------------------------------------


def _programme_states(connection: Connection) -> list[str]:
    return list(
        connection.execute(select(state.c.code).where(state.c.programme).order_by(state.c.code)).scalars()
    )


def open_period(store: Store, actor: Actor, data: PeriodInput | dict[str, Any]) -> int:
    """Open a reporting period for ``state_codes`` (None: every programme state). Working group and admin only."""
    require_reviewer(actor)
    data = validate(PeriodInput, data)

    def work(connection: Connection) -> int:
        programme = _programme_states(connection)
        codes = sorted(set(data.state_codes)) if data.state_codes else programme
        outside = [code for code in codes if code not in programme]
        if outside:
            raise ValidationError.single("state_codes", "not_a_programme_state", value=outside[0])
        values = store.stamp(
            {
                "name": data.name,
                "starts_on": data.starts_on,
                "ends_on": data.ends_on,
                "due_on": data.due_on,
                "opened_by": actor.username,
                "opened_at": store.clock(),
            },
            new=True,
        )
        period_id = connection.execute(
            insert(reporting_period).values(**values).returning(reporting_period.c.id)
        ).scalar_one()
        connection.execute(
            insert(reporting_period_state), [{"period_id": period_id, "state_code": code} for code in codes]
        )
        store.audit(
            connection, actor, "create", "reporting_period", period_id, after={**values, "states": codes}
        )
        return period_id

    return store.write(work)


_PERIOD_COLUMNS = ["id", "name", "starts_on", "ends_on", "due_on", "states"]


def _period_rows(connection: Connection, viewer: Actor) -> list[dict[str, Any]]:
    """Live periods, newest first, each with its states; a secretariat sees only the periods that cover it."""
    periods = [
        dict(row)
        for row in connection.execute(
            select(
                reporting_period.c.id,
                reporting_period.c.name,
                reporting_period.c.starts_on,
                reporting_period.c.ends_on,
                reporting_period.c.due_on,
            )
            .where(reporting_period.c.archived_at.is_(None))
            .order_by(reporting_period.c.starts_on.desc(), reporting_period.c.id.desc())
        ).mappings()
    ]
    covered: dict[int, list[str]] = {}
    for period_id, code in connection.execute(
        select(reporting_period_state.c.period_id, reporting_period_state.c.state_code).order_by(
            reporting_period_state.c.state_code
        )
    ):
        covered.setdefault(period_id, []).append(code)
    for period in periods:
        period["states"] = covered.get(period["id"], [])
    if viewer.role == Role.SECRETARIAT:
        periods = [p for p in periods if viewer.state_code in p["states"]]
    return periods


def list_periods(store: Store, viewer: Actor) -> pd.DataFrame:
    """Columns: id, name, starts_on, ends_on, due_on, states (list of state codes); newest first."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        return pd.DataFrame(_period_rows(connection, viewer), columns=_PERIOD_COLUMNS)


def _current(periods: list[dict[str, Any]], today: date) -> dict[str, Any] | None:
    running = [p for p in periods if p["starts_on"] <= today <= p["due_on"]]
    if running:
        return max(running, key=lambda p: (p["starts_on"], p["id"]))
    past = [p for p in periods if p["due_on"] < today]
    if past:
        return max(past, key=lambda p: (p["due_on"], p["id"]))
    return None


def current_period(store: Store, viewer: Actor, today: date) -> dict[str, Any] | None:
    """The period whose start..due contains ``today`` (the latest started, if several), else the latest past one;
    None before the first. Keys as the columns of ``list_periods``."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        return _current(_period_rows(connection, viewer), today)


def _period(connection: Connection, period_id: int) -> dict[str, Any]:
    row = (
        connection.execute(
            select(reporting_period).where(
                reporting_period.c.id == period_id, reporting_period.c.archived_at.is_(None)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(entity="reporting_period", id=period_id)
    return dict(row)


def _ensure_covered(connection: Connection, period_id: int, state_code: str) -> None:
    found = connection.execute(
        select(reporting_period_state.c.state_code).where(
            reporting_period_state.c.period_id == period_id, reporting_period_state.c.state_code == state_code
        )
    ).first()
    if found is None:
        raise ValidationError.single("state_code", "not_in_period")


# ---- reading a report ------------------------------------------------------------------------------------------


def _report_row(connection: Connection, period_id: int, state_code: str) -> dict[str, Any] | None:
    row = (
        connection.execute(
            select(state_report).where(
                state_report.c.period_id == period_id, state_report.c.state_code == state_code
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _state_milestones(connection: Connection, state_code: str) -> list[dict[str, Any]]:
    query = (
        select(
            milestone.c.id,
            milestone.c.number,
            milestone.c.description,
            milestone.c.progress,
            milestone.c.status,
            milestone.c.evidence_url,
            milestone.c.evidence_note,
            commitment.c.number.label("commitment_number"),
            commitment.c.title,
        )
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(
            action_plan.c.state_code == state_code,
            milestone.c.archived_at.is_(None),
            commitment.c.archived_at.is_(None),
            action_plan.c.archived_at.is_(None),
        )
        .order_by(
            action_plan.c.number, commitment.c.number, commitment.c.id, milestone.c.number, milestone.c.id
        )
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def _label(number: int | None, text: str) -> str:
    return f"{number}. {text}" if number is not None else text


def may_read_report(viewer: Actor, state_code: str, status: str | None) -> bool:
    """Staff read every report; a secretariat its own state's; everyone else an approved report's public part."""
    if allowed(viewer, Action.READ_MILESTONE_DETAIL, state_code):
        return True
    if viewer.role == Role.SECRETARIAT or viewer.must_change_password:
        return False
    return status == ReportStatus.APPROVED


def _view(connection: Connection, viewer: Actor, period_id: int, state_code: str) -> ReportView:
    report = _report_row(connection, period_id, state_code)
    status = report["status"] if report else ReportStatus.DRAFT.value
    if not may_read_report(viewer, state_code, report["status"] if report else None):
        raise PermissionDenied(action="read_report")
    detail = allowed(viewer, Action.READ_MILESTONE_DETAIL, state_code)
    lines: dict[int, dict[str, Any]] = {}
    transitions: tuple[ReportTransition, ...] = ()
    if report is not None:
        lines = {
            row["milestone_id"]: dict(row)
            for row in connection.execute(
                select(report_item).where(report_item.c.report_id == report["id"])
            ).mappings()
        }
        if detail:
            transitions = tuple(
                ReportTransition(r.from_status, r.to_status, r.actor, r.at, r.comment)
                for r in connection.execute(
                    select(report_transition)
                    .where(report_transition.c.report_id == report["id"])
                    .order_by(report_transition.c.at, report_transition.c.id)
                )
            )
    items = []
    for m in _state_milestones(connection, state_code):
        line = lines.get(m["id"])
        info = file_info(connection, line["evidence_file_id"]) if line and line["evidence_file_id"] else None
        if info is not None and not (detail or info.is_public):
            info = None
        items.append(
            ReportItem(
                milestone_id=m["id"],
                commitment_label=_label(m["commitment_number"], m["title"]),
                milestone_label=_label(m["number"], m["description"]),
                current_progress=float(m["progress"]),
                current_status=m["status"],
                progress=float(line["progress"]) if line else None,
                status=line["status"] if line else None,
                evidence_url=line["evidence_url"] if line else None,
                evidence_note=(line["evidence_note"] if line and detail else ""),
                evidence_file=info,
                review_comment=(line["review_comment"] if line and detail else ""),
                in_report=line is not None,
            )
        )
    return ReportView(
        id=report["id"] if report else None,
        period_id=period_id,
        state_code=state_code,
        status=status,
        version=report["version"] if report else 0,
        narrative=report["narrative"] if report else "",
        internal_notes=(report["internal_notes"] if report else "") if detail else None,
        review_comment=(report["review_comment"] if report and detail else ""),
        items=tuple(items),
        transitions=transitions,
        submitted_at=report["submitted_at"] if report else None,
        approved_at=report["approved_at"] if report else None,
        approved_by=(report["approved_by"] if report and detail else None),
    )


def get_report(store: Store, viewer: Actor, period_id: int, state_code: str) -> ReportView:
    """The state's report for the period with every live milestone of the state (see ``ReportItem``)."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        _period(connection, period_id)
        return _view(connection, viewer, period_id, state_code)


# ---- drafting --------------------------------------------------------------------------------------------------


def _check_items(connection: Connection, state_code: str, data: DraftInput) -> None:
    """Every line's milestone is a live milestone of the state; a file is one of the state's files; a complete
    milestone has evidence (a link, a note, a file, or what the milestone already carries)."""
    own = {m["id"]: m for m in _state_milestones(connection, state_code)}
    for index, item in enumerate(data.items):
        if item.milestone_id not in own:
            raise ValidationError.single(f"items.{index}.milestone_id", "milestone_not_in_state")
        if item.evidence_file_id is not None:
            file_state = connection.execute(
                select(evidence_file.c.state_code).where(evidence_file.c.id == item.evidence_file_id)
            ).scalar()
            if file_state != state_code:
                raise ValidationError.single(f"items.{index}.evidence_file_id", "unknown_reference")
        current = own[item.milestone_id]
        has_evidence = (
            item.evidence_url
            or item.evidence_note
            or item.evidence_file_id
            or current["evidence_url"]
            or current["evidence_note"]
        )
        if item.status == MilestoneStatus.COMPLETE and not has_evidence:
            raise ValidationError.single(f"items.{index}.evidence_url", "complete_needs_evidence")


def _write_items(connection: Connection, report_id: int, data: DraftInput) -> None:
    """Replace the report's lines, keeping each milestone's review comment until the next review replaces it."""
    comments = dict(
        connection.execute(
            select(report_item.c.milestone_id, report_item.c.review_comment).where(
                report_item.c.report_id == report_id
            )
        ).all()
    )
    connection.execute(delete(report_item).where(report_item.c.report_id == report_id))
    if data.items:
        connection.execute(
            insert(report_item),
            [
                {
                    "report_id": report_id,
                    "milestone_id": item.milestone_id,
                    "progress": item.progress,
                    "status": item.status.value,
                    "evidence_url": item.evidence_url,
                    "evidence_note": item.evidence_note,
                    "evidence_file_id": item.evidence_file_id,
                    "review_comment": comments.get(item.milestone_id, ""),
                }
                for item in data.items
            ],
        )


def _draft_json(data: DraftInput) -> dict[str, Any]:
    return {
        "narrative": data.narrative,
        "internal_notes": data.internal_notes,
        "items": [item.model_dump(mode="json") for item in data.items],
    }


def save_draft(
    store: Store,
    actor: Actor,
    period_id: int,
    state_code: str,
    data: DraftInput | dict[str, Any],
    expected_version: int | None,
) -> int:
    """Save the state's draft for the period and return its new version. The first save creates the report
    (``expected_version`` None); later saves must name the version they started from, else ``ConflictError``
    (with the stored values) and nothing changes. A submitted or approved report is frozen (``TransitionRefused``).
    """
    require_reporter(actor, state_code)
    data = validate(DraftInput, data)

    def work(connection: Connection) -> int:
        _period(connection, period_id)
        _ensure_covered(connection, period_id, state_code)
        _check_items(connection, state_code, data)
        report = _report_row(connection, period_id, state_code)
        now = store.clock()
        if report is None:
            if expected_version is not None:
                raise NotFound(entity="state_report", id=period_id)
            report_id = connection.execute(
                insert(state_report)
                .values(
                    period_id=period_id,
                    state_code=state_code,
                    status=ReportStatus.DRAFT.value,
                    narrative=data.narrative,
                    internal_notes=data.internal_notes,
                    version=1,
                    created_by=actor.username,
                    created_at=now,
                    updated_by=actor.username,
                    updated_at=now,
                )
                .returning(state_report.c.id)
            ).scalar_one()
            _write_items(connection, report_id, data)
            record_transition(store, connection, actor, report_id, state_code, None, ReportStatus.DRAFT, "")
            store.audit(
                connection,
                actor,
                "create",
                "state_report",
                report_id,
                after=_draft_json(data),
                state_code=state_code,
            )
            return 1
        if expected_version is None or report["version"] != expected_version:
            raise ConflictError(current=report)
        ensure_move(report["status"], ReportMove.SAVE)
        updated = connection.execute(
            update(state_report)
            .where(state_report.c.id == report["id"], state_report.c.version == expected_version)
            .values(
                narrative=data.narrative,
                internal_notes=data.internal_notes,
                updated_by=actor.username,
                updated_at=now,
                version=state_report.c.version + 1,
            )
        )
        if updated.rowcount != 1:
            raise ConflictError(current=fetch_row(connection, state_report, report["id"]))
        _write_items(connection, report["id"], data)
        store.audit(
            connection,
            actor,
            "update",
            "state_report",
            report["id"],
            before=report,
            after=_draft_json(data),
            state_code=state_code,
        )
        return expected_version + 1

    return store.write(work)


# ---- published figures and the overview ------------------------------------------------------------------------


def publish_baseline(
    connection_or_store: Connection | Store, approved_on: date, state_codes: list[str] | None = None
) -> int:
    """Count the live figures of every milestone without a published row as approved on ``approved_on``: the
    starting record, before any report. Returns how many milestones it published. No permission check: the loaders
    (reference data, demo, migration) call it, never a page."""
    if isinstance(connection_or_store, Store):
        return connection_or_store.write(
            lambda connection: publish_baseline(connection, approved_on, state_codes)
        )
    connection = connection_or_store
    query = (
        select(
            milestone.c.id,
            milestone.c.progress,
            milestone.c.status,
        )
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .outerjoin(approved_milestone, approved_milestone.c.milestone_id == milestone.c.id)
        .where(milestone.c.archived_at.is_(None), approved_milestone.c.milestone_id.is_(None))
    )
    if state_codes is not None:
        query = query.where(action_plan.c.state_code.in_(state_codes))
    rows = [
        {
            "milestone_id": r.id,
            "progress": r.progress,
            "status": r.status,
            "approved_on": approved_on,
            "report_id": None,
        }
        for r in connection.execute(query)
    ]
    if rows:
        connection.execute(insert(approved_milestone), rows)
    return len(rows)


def approval_dates(store: Store, viewer: Actor) -> dict[str, date]:
    """Per state, the date of its latest published figures ("datos aprobados al <fecha>")."""
    require(viewer, Action.READ_PUBLISHED)
    query = (
        select(action_plan.c.state_code, func.max(approved_milestone.c.approved_on))
        .join(commitment, commitment.c.plan_id == action_plan.c.id)
        .join(milestone, milestone.c.commitment_id == commitment.c.id)
        .join(approved_milestone, approved_milestone.c.milestone_id == milestone.c.id)
        .group_by(action_plan.c.state_code)
    )
    with store.read() as connection:
        return {code: day for code, day in connection.execute(query)}


_STATUS_COLUMNS = ["state_code", "state_name", "period_id", "period_name", "status"]


def period_status_by_state(store: Store, viewer: Actor, today: date) -> pd.DataFrame:
    """The current period's standing of each state it covers (not_started, draft, submitted, returned, approved,
    late); no rows before the first period."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        period = _current(_period_rows(connection, viewer), today)
        if period is None:
            return pd.DataFrame(columns=_STATUS_COLUMNS)
        rows = connection.execute(
            select(state.c.code, state.c.name, state_report.c.status)
            .join(reporting_period_state, reporting_period_state.c.state_code == state.c.code)
            .outerjoin(
                state_report,
                and_(state_report.c.period_id == period["id"], state_report.c.state_code == state.c.code),
            )
            .where(reporting_period_state.c.period_id == period["id"])
            .order_by(state.c.name)
        ).all()
    records = [
        {
            "state_code": code,
            "state_name": name,
            "period_id": period["id"],
            "period_name": period["name"],
            "status": _period_status(status, period["due_on"], today).value,
        }
        for code, name, status in rows
    ]
    return pd.DataFrame(records, columns=_STATUS_COLUMNS)


from accompaniment.store.reporting_review import (  # noqa: E402 - the review builds on the helpers above
    approve_report,
    reports_waiting_for_review,
    return_report,
    submit_report,
)
