"""The dialogue sessions as a reader sees them: one state's sessions a page at a time, each with its topics, public
summary, participants by sector and gender, attending organisations and agreements; and the sessions and
agreements linked to one commitment (an agreement may name a commitment; its session is linked through it).

The private summary is a private note (DESIGN §6): it is read only for those allowed to read private notes (the
specialist, the working group, admins) and is ``None`` for everyone else, so no page can show what the store did
not hand over. Archived sessions and agreements, and agreements under an archived session, are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, case, func, select

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.errors import NotFound
from accompaniment.store import rule_sql
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    dialogue_session,
    participation,
    session_organization,
)

AGREEMENT_COLUMNS = [
    "id",
    "session_id",
    "text",
    "responsible_sector",
    "responsible_organization",
    "due_date",
    "status",
    "closed_on",
    "commitment_id",
    "overdue",
]
LINKED_AGREEMENT_COLUMNS = [
    "id",
    "session_id",
    "held_on",
    "session_type",
    "text",
    "responsible_sector",
    "responsible_organization",
    "due_date",
    "status",
    "closed_on",
    "overdue",
]
LINKED_SESSION_COLUMNS = [
    "id",
    "held_on",
    "session_type",
    "modality",
    "topics",
    "public_summary",
    "participant_total",
    "linked_agreements",
]


@dataclass(frozen=True)
class SessionRecord:
    """One session as listed. ``participants`` maps sector → gender → count (only counts above zero);
    ``agreements`` has ``AGREEMENT_COLUMNS``; ``summary`` (private) is None unless the reader may read it."""

    id: int
    state_code: str
    held_on: date
    session_type: str
    modality: str
    phase: int | None
    topics: str
    public_summary: str
    summary: str | None
    evidence_url: str | None
    participant_total: int
    participants: dict[str, dict[str, int]]
    organizations: tuple[str, ...]
    agreements: pd.DataFrame


@dataclass(frozen=True)
class CommitmentLinks:
    """What the accompaniment did about one commitment: the agreements that name it (``LINKED_AGREEMENT_COLUMNS``,
    open ones first, overdue first) and the sessions that took them (``LINKED_SESSION_COLUMNS``, newest first)."""

    agreements: pd.DataFrame
    sessions: pd.DataFrame


def _live_sessions(state_code: str) -> Any:
    return and_(dialogue_session.c.state_code == state_code, dialogue_session.c.archived_at.is_(None))


def _overdue(today: date) -> Any:
    return case((rule_sql.agreement_overdue(today), True), else_=False)


def count_sessions(store: Store, actor: Actor, state_code: str) -> int:
    """How many live sessions ``state_code`` has logged: the length of its paginated list."""
    require(actor, Action.READ_ACTIVITY, state_code)
    query = select(func.count()).select_from(dialogue_session).where(_live_sessions(state_code))
    with store.read() as connection:
        return int(connection.execute(query).scalar_one())


def session_records(
    store: Store,
    actor: Actor,
    state_code: str,
    limit: int = 10,
    offset: int = 0,
    today: date | None = None,
) -> list[SessionRecord]:
    """A page of the state's sessions, newest first, each with its participants, organisations and agreements
    (read for the page's sessions only, three queries in all). The private summary only for those allowed."""
    require(actor, Action.READ_ACTIVITY, state_code)
    private = allowed(actor, Action.READ_PRIVATE_NOTES, state_code)
    today = today or store.today()
    columns = [
        dialogue_session.c.id,
        dialogue_session.c.state_code,
        dialogue_session.c.held_on,
        dialogue_session.c.session_type,
        dialogue_session.c.modality,
        dialogue_session.c.phase,
        dialogue_session.c.topics,
        dialogue_session.c.public_summary,
        dialogue_session.c.evidence_url,
        dialogue_session.c.participant_total,
    ]
    if private:
        columns.append(dialogue_session.c.summary)
    query = (
        select(*columns)
        .where(_live_sessions(state_code))
        .order_by(dialogue_session.c.held_on.desc(), dialogue_session.c.id.desc())
        .limit(max(int(limit), 0))
        .offset(max(int(offset), 0))
    )
    with store.read() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
        ids = [int(row["id"]) for row in rows]
        grids, organizations, agreements = _children(connection, ids, today)
    return [
        SessionRecord(
            id=int(row["id"]),
            state_code=row["state_code"],
            held_on=row["held_on"],
            session_type=row["session_type"],
            modality=row["modality"],
            phase=row["phase"],
            topics=row["topics"] or "",
            public_summary=row["public_summary"] or "",
            summary=(row["summary"] or "") if private else None,
            evidence_url=row["evidence_url"],
            participant_total=int(row["participant_total"] or 0),
            participants=grids.get(int(row["id"]), {}),
            organizations=tuple(organizations.get(int(row["id"]), ())),
            agreements=_frame(agreements.get(int(row["id"]), []), AGREEMENT_COLUMNS),
        )
        for row in rows
    ]


def _children(
    connection: Connection, ids: list[int], today: date
) -> tuple[dict[int, dict[str, dict[str, int]]], dict[int, list[str]], dict[int, list[dict[str, Any]]]]:
    if not ids:
        return {}, {}, {}
    grids: dict[int, dict[str, dict[str, int]]] = {}
    for row in connection.execute(
        select(
            participation.c.session_id, participation.c.sector, participation.c.gender, participation.c.count
        )
        .where(participation.c.session_id.in_(ids), participation.c.count > 0)
        .order_by(participation.c.session_id, participation.c.id)
    ):
        grids.setdefault(int(row.session_id), {}).setdefault(row.sector, {})[row.gender] = int(row.count)
    organizations: dict[int, list[str]] = {}
    for row in connection.execute(
        select(session_organization.c.session_id, session_organization.c.name)
        .where(session_organization.c.session_id.in_(ids))
        .order_by(session_organization.c.session_id, session_organization.c.position)
    ):
        organizations.setdefault(int(row.session_id), []).append(row.name)
    agreements: dict[int, list[dict[str, Any]]] = {}
    for row in connection.execute(
        select(
            agreement.c.id,
            agreement.c.session_id,
            agreement.c.text,
            agreement.c.responsible_sector,
            agreement.c.responsible_organization,
            agreement.c.due_date,
            agreement.c.status,
            agreement.c.closed_on,
            agreement.c.commitment_id,
            _overdue(today).label("overdue"),
        )
        .where(agreement.c.session_id.in_(ids), agreement.c.archived_at.is_(None))
        .order_by(agreement.c.session_id, agreement.c.position, agreement.c.id)
    ).mappings():
        agreements.setdefault(int(row["session_id"]), []).append(dict(row))
    return grids, organizations, agreements


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns)
    if "overdue" in out:
        out["overdue"] = out["overdue"].astype(bool)
    return out


def commitment_links(
    store: Store, actor: Actor, commitment_id: int, today: date | None = None
) -> CommitmentLinks:
    """The live agreements linked to ``commitment_id`` and the live sessions that took them."""
    require(actor, Action.READ_ACTIVITY)
    today = today or store.today()
    live = and_(agreement.c.archived_at.is_(None), dialogue_session.c.archived_at.is_(None))
    is_open = rule_sql.agreement_open()
    agreements_query = (
        select(
            agreement.c.id,
            agreement.c.session_id,
            dialogue_session.c.held_on,
            dialogue_session.c.session_type,
            agreement.c.text,
            agreement.c.responsible_sector,
            agreement.c.responsible_organization,
            agreement.c.due_date,
            agreement.c.status,
            agreement.c.closed_on,
            _overdue(today).label("overdue"),
        )
        .join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
        .where(agreement.c.commitment_id == commitment_id, live)
        .order_by(
            case((is_open, 0), else_=1),
            agreement.c.due_date.asc().nulls_last(),
            dialogue_session.c.held_on.desc(),
            agreement.c.id,
        )
    )
    linked = func.count(agreement.c.id).label("linked_agreements")
    sessions_query = (
        select(
            dialogue_session.c.id,
            dialogue_session.c.held_on,
            dialogue_session.c.session_type,
            dialogue_session.c.modality,
            dialogue_session.c.topics,
            dialogue_session.c.public_summary,
            dialogue_session.c.participant_total,
            linked,
        )
        .join(agreement, agreement.c.session_id == dialogue_session.c.id)
        .where(agreement.c.commitment_id == commitment_id, live)
        .group_by(
            dialogue_session.c.id,
            dialogue_session.c.held_on,
            dialogue_session.c.session_type,
            dialogue_session.c.modality,
            dialogue_session.c.topics,
            dialogue_session.c.public_summary,
            dialogue_session.c.participant_total,
        )
        .order_by(dialogue_session.c.held_on.desc(), dialogue_session.c.id.desc())
    )
    with store.read() as connection:
        found = connection.execute(
            select(commitment.c.id)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .where(commitment.c.id == commitment_id, commitment.c.archived_at.is_(None))
        ).first()
        if found is None:
            raise NotFound(entity="commitment", id=commitment_id)
        agreements = [dict(row) for row in connection.execute(agreements_query).mappings()]
        sessions = [dict(row) for row in connection.execute(sessions_query).mappings()]
    return CommitmentLinks(
        agreements=_frame(agreements, LINKED_AGREEMENT_COLUMNS),
        sessions=_frame(sessions, LINKED_SESSION_COLUMNS),
    )
