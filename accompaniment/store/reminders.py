"""Who hears about what (issue 14): each person's pending items within their permissions, the accounts that get a
digest, their notification preferences, and the record of the digests sent.

The pending items are ``store.pending.pending_items``, the very read behind Secretariado's "Pendientes", taken for
each state the person follows: a secretariat its own state; the specialist the agreements of every state; the
working group and admins everything of every state, grouped by state. So the in-app panel, the counts in the
navigation and the e-mail digest cannot disagree. Only public fields are read (no private notes, no personal
data), so a digest can go to anyone entitled to the items.

Report deadlines join through ``DEADLINE_SOURCES`` once reporting periods exist (a later issue).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, func, insert, or_, select, update

from accompaniment import settings
from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import FieldProblem, NotFound, PermissionDenied, ValidationError
from accompaniment.i18n import LANGUAGES
from accompaniment.store import pending as pending_store
from accompaniment.store import rule_sql
from accompaniment.store.commitments_query import counted_milestone, live_commitment
from accompaniment.store.database import Store
from accompaniment.store.pending import PendingItems
from accompaniment.store.schema import (
    action_plan,
    agreement,
    app_user,
    commitment,
    dialogue_session,
    milestone,
    notification_preference,
    reminder_sent,
)
from accompaniment.store.secretariats import list_programme_states


@dataclass(frozen=True)
class DigestItem:
    """One thing due or overdue: a milestone (``kind`` "milestone") or an agreement ("agreement") of one state,
    with the public fields a digest shows. ``days_overdue`` is positive when overdue, else minus the days left."""

    kind: str
    item_id: int
    state_code: str
    state_name: str
    title: str
    due_date: date
    days_overdue: int
    commitment_code: str = ""
    commitment_title: str = ""
    responsible_organization: str = ""
    session_held_on: date | None = None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item_id}"


# A source of further dated items for one state: (store, actor, state_code, today, horizon) -> items. Report
# deadlines plug in here when reporting periods exist; none is registered yet.
DeadlineSource = Callable[[Store, Actor, str, date, date], list[DigestItem]]
DEADLINE_SOURCES: list[DeadlineSource] = []


@dataclass(frozen=True)
class StatePending:
    state_code: str
    state_name: str
    items: PendingItems
    deadlines: tuple[DigestItem, ...] = ()


@dataclass(frozen=True)
class PersonalPending:
    """What one person follows up, one entry per state in their scope (by state name). ``with_milestones`` is
    False for the specialist, whose follow-up is the agreements."""

    role: Role
    today: date
    soon_days: int
    with_milestones: bool
    states: tuple[StatePending, ...] = field(default_factory=tuple)

    @property
    def overdue(self) -> int:
        """Overdue milestones and agreements, counted in SQL (beyond the rows listed)."""
        return sum(s.items.overdue_milestones + s.items.overdue_agreements for s in self.states)


def _scope(store: Store, actor: Actor) -> list[tuple[str, str]]:
    if actor.is_public:
        raise PermissionDenied(action=Action.READ_ACTIVITY.value)
    states = list_programme_states(store, actor)
    pairs = list(zip(states["state_code"], states["state_name"], strict=True))
    if actor.role == Role.SECRETARIAT:
        return [(code, name) for code, name in pairs if code == actor.state_code]
    return pairs


def pending_for(
    store: Store, actor: Actor, today: date | None = None, soon_days: int | None = None
) -> PersonalPending:
    """The pending items of every state ``actor`` follows (public fields only); the public follows none."""
    today = today or store.today()
    soon_days = int(settings.get("due_soon_days") if soon_days is None else soon_days)
    with_milestones = actor.role != Role.SPECIALIST
    states = []
    for code, name in _scope(store, actor):
        items = pending_store.pending_items(store, actor, code, today=today, soon_days=soon_days)
        if not with_milestones:
            items = replace(
                items, milestones=items.milestones.iloc[0:0], overdue_milestones=0, due_soon_milestones=0
            )
        horizon = today + timedelta(days=items.soon_days)
        extra = tuple(i for source in DEADLINE_SOURCES for i in source(store, actor, code, today, horizon))
        states.append(StatePending(code, name, items, extra))
    return PersonalPending(
        role=actor.role,
        today=today,
        soon_days=soon_days,
        with_milestones=with_milestones,
        states=tuple(states),
    )


def overdue_count(store: Store, actor: Actor, today: date | None = None) -> int:
    """``pending_for(...).overdue`` in two counting statements over every state in scope at once, for the count in
    the navigation (which every page run of a signed-in person shows). Same rules as ``store.pending``: a test
    keeps the two equal for each role."""
    scope = [code for code, _ in _scope(store, actor)]
    if not scope:
        return 0
    today = today or store.today()
    milestones = (
        select(func.count(milestone.c.id))
        .select_from(
            milestone.join(commitment, commitment.c.id == milestone.c.commitment_id).join(
                action_plan, action_plan.c.id == commitment.c.plan_id
            )
        )
        .where(
            live_commitment(),
            counted_milestone(),
            rule_sql.milestone_overdue(today),
            action_plan.c.state_code.in_(scope),
        )
    )
    agreements = (
        select(func.count(agreement.c.id))
        .select_from(agreement.join(dialogue_session, dialogue_session.c.id == agreement.c.session_id))
        .where(
            dialogue_session.c.archived_at.is_(None),
            agreement.c.archived_at.is_(None),
            rule_sql.agreement_overdue(today),
            dialogue_session.c.state_code.in_(scope),
        )
    )
    with store.read() as connection:
        overdue = int(connection.execute(agreements).scalar_one())
        if actor.role != Role.SPECIALIST:
            overdue += int(connection.execute(milestones).scalar_one())
    return overdue


def digest_items(pending: PersonalPending) -> list[DigestItem]:
    """Everything overdue or due within the horizon, state by state, earliest due first within a state. Open
    agreements with no due date, or due later, stay on the panel and out of the digest."""
    horizon = pending.today + timedelta(days=pending.soon_days)
    found: list[DigestItem] = []
    for state in pending.states:
        rows: list[DigestItem] = []
        for m in _records(state.items.milestones):
            rows.append(
                DigestItem(
                    kind="milestone",
                    item_id=int(m["milestone_id"]),
                    state_code=state.state_code,
                    state_name=state.state_name,
                    title=str(m["description"]),
                    due_date=m["due_date"],
                    days_overdue=int(m["days_overdue"]),
                    commitment_code=_code(m["plan_number"], m["commitment_number"]),
                    commitment_title=str(m["commitment_title"] or ""),
                )
            )
        for a in _records(state.items.agreements):
            if a["due_date"] is None or a["due_date"] > horizon:
                continue
            rows.append(
                DigestItem(
                    kind="agreement",
                    item_id=int(a["id"]),
                    state_code=state.state_code,
                    state_name=state.state_name,
                    title=str(a["text"]),
                    due_date=a["due_date"],
                    days_overdue=int(a["days_overdue"]),
                    responsible_organization=str(a["responsible_organization"] or ""),
                    session_held_on=a["held_on"],
                )
            )
        rows.extend(state.deadlines)
        found.extend(sorted(rows, key=lambda i: (i.due_date, i.kind, i.item_id)))
    return found


def _records(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
    for row in frame.to_dict("records"):
        yield {k: (None if _missing(v) else v) for k, v in row.items()}


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _code(plan: Any, number: Any) -> str:
    return f"{int(plan)}.{int(number)}" if plan is not None and number is not None else ""


# ---- who gets a digest ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    weekly_digest: bool = True
    language: str = "es"


@dataclass(frozen=True)
class Recipient:
    user_id: int
    username: str
    display_name: str
    email: str
    role: Role
    state_code: str | None
    language: str

    @property
    def actor(self) -> Actor:
        return Actor(self.role, state_code=self.state_code, username=self.username, user_id=self.user_id)


def _may_manage_preferences(actor: Actor, user_id: int) -> bool:
    return allowed(actor, Action.MANAGE_ACCOUNTS) or (actor.user_id is not None and actor.user_id == user_id)


def preferences(store: Store, actor: Actor, user_id: int) -> Preferences:
    """The account's notification preferences (the defaults when it never set them)."""
    if not _may_manage_preferences(actor, user_id):
        raise PermissionDenied(action=Action.MANAGE_ACCOUNTS.value)
    with store.read() as connection:
        row = connection.execute(
            select(notification_preference.c.weekly_digest, notification_preference.c.language).where(
                notification_preference.c.user_id == user_id
            )
        ).first()
    return Preferences(bool(row.weekly_digest), str(row.language)) if row else Preferences()


def has_email(store: Store, actor: Actor, user_id: int) -> bool:
    """Whether the account has an e-mail to send its digest to (the address itself is not returned)."""
    if not _may_manage_preferences(actor, user_id):
        raise PermissionDenied(action=Action.MANAGE_ACCOUNTS.value)
    with store.read() as connection:
        address = connection.execute(select(app_user.c.email).where(app_user.c.id == user_id)).scalar()
    return bool(address and str(address).strip())


def set_preferences(store: Store, actor: Actor, user_id: int, *, weekly_digest: bool, language: str) -> None:
    """Set the account's weekly digest on or off and its language; the account itself or an admin may."""
    if not _may_manage_preferences(actor, user_id):
        raise PermissionDenied(action=Action.MANAGE_ACCOUNTS.value)
    if language not in LANGUAGES:
        raise ValidationError([FieldProblem("digest_language", "not_an_option")])
    if not isinstance(weekly_digest, bool):
        raise ValidationError([FieldProblem("weekly_digest", "not_a_boolean")])

    def work(connection: Connection) -> None:
        if connection.execute(select(app_user.c.id).where(app_user.c.id == user_id)).first() is None:
            raise NotFound()
        values = {"weekly_digest": weekly_digest, "language": language, "updated_at": store.clock()}
        changed = connection.execute(
            update(notification_preference)
            .where(notification_preference.c.user_id == user_id)
            .values(**values)
        ).rowcount
        if not changed:
            connection.execute(insert(notification_preference).values(user_id=user_id, **values))

    store.write(work)


def recipients(store: Store, actor: Actor, username: str | None = None) -> list[Recipient]:
    """The active accounts with an e-mail that keep the digest on (all of them: ``username`` picks one), by
    username. E-mails are personal data: the system or an admin only."""
    require(actor, Action.MANAGE_ACCOUNTS)
    joined = app_user.outerjoin(notification_preference, notification_preference.c.user_id == app_user.c.id)
    query = (
        select(
            app_user.c.id,
            app_user.c.username,
            app_user.c.display_name,
            app_user.c.email,
            app_user.c.role,
            app_user.c.state_code,
            notification_preference.c.weekly_digest,
            notification_preference.c.language,
        )
        .select_from(joined)
        .where(
            app_user.c.active.is_(True),
            app_user.c.archived_at.is_(None),
            app_user.c.email.is_not(None),
            app_user.c.email != "",
            app_user.c.role != Role.PUBLIC.value,
            or_(notification_preference.c.weekly_digest.is_(None), notification_preference.c.weekly_digest),
        )
        .order_by(app_user.c.username)
    )
    if username is not None:
        query = query.where(app_user.c.username == username)
    with store.read() as connection:
        rows = connection.execute(query).all()
    return [
        Recipient(
            int(r.id), r.username, r.display_name, r.email, Role(r.role), r.state_code, r.language or "es"
        )
        for r in rows
    ]


# ---- the record of what was sent -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    user_id: int
    username: str
    digest_on: date
    sent_at: datetime
    items: tuple[str, ...]


def already_sent(store: Store, actor: Actor, user_id: int, day: date) -> bool:
    require(actor, Action.MANAGE_ACCOUNTS)
    with store.read() as connection:
        found = connection.execute(
            select(reminder_sent.c.id).where(
                and_(reminder_sent.c.user_id == user_id, reminder_sent.c.digest_on == day)
            )
        ).first()
    return found is not None


def record_sent(store: Store, actor: Actor, user_id: int, username: str, day: date, items: list[str]) -> None:
    """Record that ``username``'s digest of ``day`` went out with ``items``; a second record of the same day
    changes nothing (the first one stands)."""
    require(actor, Action.MANAGE_ACCOUNTS)

    def work(connection: Connection) -> None:
        taken = connection.execute(
            select(reminder_sent.c.id).where(
                and_(reminder_sent.c.user_id == user_id, reminder_sent.c.digest_on == day)
            )
        ).first()
        if taken is None:
            connection.execute(
                insert(reminder_sent).values(
                    user_id=user_id,
                    username=username,
                    digest_on=day,
                    sent_at=store.clock(),
                    item_count=len(items),
                    items=json.dumps(list(items)),
                )
            )

    store.write(work)


def sends(store: Store, actor: Actor, day: date | None = None) -> list[Sent]:
    """The digests recorded (of ``day``, or all), oldest first."""
    require(actor, Action.MANAGE_ACCOUNTS)
    query = select(reminder_sent).order_by(reminder_sent.c.sent_at, reminder_sent.c.id)
    if day is not None:
        query = query.where(reminder_sent.c.digest_on == day)
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        Sent(int(r["user_id"]), r["username"], r["digest_on"], r["sent_at"], tuple(json.loads(r["items"])))
        for r in rows
    ]
