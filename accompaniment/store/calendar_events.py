"""The dated public events of the STLs, for the .ics calendars (issue 14): dialogue sessions, agreement due dates
and milestone due dates, of one state or all. Only public fields, whoever asks (the calendars are published with
the open data): no private summaries, no notes, no names. Archived records and cancelled items stay out.

Report deadlines join through ``CALENDAR_SOURCES`` here (and ``store.reminders.DEADLINE_SOURCES`` for the digest)
once reporting periods exist (a later issue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import AgreementStatus
from accompaniment.store.commitments_query import counted_milestone, live_commitment
from accompaniment.store.database import Store
from accompaniment.store.schema import action_plan, agreement, commitment, dialogue_session, milestone, state


@dataclass(frozen=True)
class CalendarEntry:
    """One dated public event. ``kind``: session, agreement or milestone; ``title``: the session's topics, the
    agreement's text or the milestone's description; ``detail``: the session's public summary or the milestone's
    commitment; ``session_type`` for sessions, ``commitment_code`` ("2.1") for milestones."""

    kind: str
    item_id: int
    state_code: str
    state_name: str
    day: date
    title: str
    detail: str = ""
    status: str = ""
    session_type: str = ""
    commitment_code: str = ""


# A source of further public dated events: (store, actor, state_code or None for all) -> entries (kind "deadline"
# for report deadlines). None is registered yet.
CalendarSource = Callable[[Store, Actor, str | None], list[CalendarEntry]]
CALENDAR_SOURCES: list[CalendarSource] = []


def calendar_entries(store: Store, actor: Actor, state_code: str | None = None) -> list[CalendarEntry]:
    """Every public dated event (of ``state_code``, or of all states), by day, kind and id."""
    require(actor, Action.READ_PUBLISHED, state_code)
    require(actor, Action.READ_ACTIVITY, state_code)
    s = dialogue_session.c
    sessions = (
        select(s.id, s.state_code, state.c.name, s.held_on, s.session_type, s.topics, s.public_summary)
        .join(state, state.c.code == s.state_code)
        .where(s.archived_at.is_(None))
    )
    agreements = (
        select(
            agreement.c.id,
            s.state_code,
            state.c.name,
            agreement.c.due_date,
            agreement.c.text,
            agreement.c.status,
        )
        .join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
        .join(state, state.c.code == s.state_code)
        .where(
            s.archived_at.is_(None),
            agreement.c.archived_at.is_(None),
            agreement.c.due_date.is_not(None),
            agreement.c.status != AgreementStatus.CANCELLED.value,
        )
    )
    milestones = (
        select(
            milestone.c.id,
            action_plan.c.state_code,
            state.c.name,
            milestone.c.due_date,
            milestone.c.description,
            milestone.c.status,
            action_plan.c.number.label("plan_number"),
            commitment.c.number.label("commitment_number"),
            commitment.c.title,
        )
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .join(state, state.c.code == action_plan.c.state_code)
        .where(and_(live_commitment(), counted_milestone(), milestone.c.due_date.is_not(None)))
    )
    if state_code is not None:
        sessions = sessions.where(s.state_code == state_code)
        agreements = agreements.where(s.state_code == state_code)
        milestones = milestones.where(action_plan.c.state_code == state_code)
    entries: list[CalendarEntry] = []
    with store.read() as connection:
        for r in connection.execute(sessions):
            entries.append(
                CalendarEntry(
                    "session",
                    int(r.id),
                    r.state_code,
                    r.name,
                    r.held_on,
                    r.topics or "",
                    r.public_summary or "",
                    session_type=r.session_type,
                )
            )
        for r in connection.execute(agreements):
            entries.append(
                CalendarEntry(
                    "agreement", int(r.id), r.state_code, r.name, r.due_date, r.text, status=r.status
                )
            )
        for r in connection.execute(milestones):
            code = f"{r.plan_number}.{r.commitment_number}" if r.commitment_number is not None else ""
            entries.append(
                CalendarEntry(
                    "milestone",
                    int(r.id),
                    r.state_code,
                    r.name,
                    r.due_date,
                    r.description,
                    r.title or "",
                    status=r.status,
                    commitment_code=code,
                )
            )
    for source in CALENDAR_SOURCES:
        entries.extend(source(store, actor, state_code))
    return sorted(entries, key=lambda e: (e.day, e.kind, e.item_id))
