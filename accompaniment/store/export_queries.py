"""The open-data reads behind every export: one table per entity, holding only what the acting user may read.

Each entity is a query over live rows (not archived, under a live parent) whose private columns are chosen by the
permission matrix: a column the actor may read everywhere is selected as is; one a secretariat may read only for its
own state is masked (NULL) on the other states' rows with a CASE on a bound parameter; one the actor may never read
is not selected at all, so it cannot leak through a file. References to rows an export leaves out (a fellow's
archived commitment) read as empty, so every foreign key of an export resolves inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    and_,
    case,
    func,
    or_,
    select,
    type_coerce,
)

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.enums import Gender, Sector
from accompaniment.store.commitments_query import (
    _codes_by_commitment,
    commitment_progress_query,
    completion_level_sql,
    live_commitment,
)
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    agreement_update,
    app_user,
    audit_entry,
    call_state,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    fellow,
    fellows_call,
    member,
    milestone,
    milestone_update,
    ogp_value,
    participation,
    phase_event,
    sdg_goal,
    sdg_target,
    secretariat,
    session_organization,
    state,
    stl_event,
    workshop,
)

PARTICIPANT_COLUMNS = tuple(f"participants_{s.value}_{g.value}" for s in Sector for g in Gender)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class ExportColumn:
    """A column of an export and its Table Schema type (string, integer, number, boolean, date, datetime)."""

    name: str
    type: str


@dataclass(frozen=True)
class ExportTable:
    """One entity as the actor may see it: typed columns, rows as tuples in column order, keys for the package."""

    name: str
    columns: tuple[ExportColumn, ...]
    rows: list[tuple[Any, ...]]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class _Entity:
    name: str
    query: Callable[[Actor, date], Select]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    state_column: Callable[[], ColumnElement[Any]] | None = None
    read: Action = Action.READ_PUBLISHED
    public: bool = True
    after: Callable[[Connection, list[dict[str, Any]]], None] | None = field(default=None)


def _fk(column: str, resource: str, reference: str = "id") -> ForeignKey:
    return ForeignKey((column,), resource, (reference,))


STATE_FK = _fk("state_code", "state", "code")


def _guarded(actor: Actor, action: Action, column: ColumnElement[Any], state_column: ColumnElement[Any] | None,
             label: str) -> list[ColumnElement[Any]]:
    """``column`` if the actor may read it in every state; masked to its own state for a secretariat; else none."""
    if allowed(actor, action, None):
        return [column.label(label)]
    if state_column is not None and actor.state_code and allowed(actor, action, actor.state_code):
        return [case((state_column == actor.state_code, column), else_=None).label(label)]
    return []


def _live(*tables: Any) -> ColumnElement[bool]:
    return and_(*(t.c.archived_at.is_(None) for t in tables))


# ---- reference data and the secretariats ------------------------------------------------------------------------


def _state(actor: Actor, today: date) -> Select:
    return select(state.c.code, state.c.iso_code, state.c.name, state.c.short_name, state.c.programme,
                  state.c.call_year).order_by(state.c.code)


def _sdg_goal(actor: Actor, today: date) -> Select:
    return select(sdg_goal.c.number, sdg_goal.c.name_es, sdg_goal.c.name_en, sdg_goal.c.colour).order_by(
        sdg_goal.c.number)


def _sdg_target(actor: Actor, today: date) -> Select:
    return select(sdg_target.c.code, sdg_target.c.goal, sdg_target.c.name_es, sdg_target.c.name_en).order_by(
        sdg_target.c.position)


def _ogp_value(actor: Actor, today: date) -> Select:
    return select(ogp_value.c.code, ogp_value.c.name_es, ogp_value.c.name_en).order_by(ogp_value.c.code)


def _secretariat(actor: Actor, today: date) -> Select:
    s = secretariat.c
    return select(s.id, s.state_code, s.declaration_date, s.installation_date, s.phase, s.phase_since,
                  s.status_note, s.source, s.is_demo).where(_live(secretariat)).order_by(s.id)


def _phase_event(actor: Actor, today: date) -> Select:
    p = phase_event.c
    private = _guarded(actor, Action.READ_PRIVATE_NOTES, p.recorded_by, p.state_code, "recorded_by")
    return select(p.id, p.state_code, p.phase, p.changed_on, p.note, *private, p.source, p.is_demo).where(
        _live(phase_event)).order_by(p.id)


def _stl_event(actor: Actor, today: date) -> Select:
    e = stl_event.c
    return select(e.id, e.state_code, e.happened_on, e.date_precision, e.kind, e.description, e.source,
                  e.is_demo).where(_live(stl_event)).order_by(e.id)


def _member(actor: Actor, today: date) -> Select:
    m = member.c
    personal = [
        col
        for name in ("person_name", "person_email", "person_phone")
        for col in _guarded(actor, Action.READ_PERSONAL_DATA, m[name], m.state_code, name)
    ]
    return select(m.id, m.state_code, m.organization, m.sector, m.seat, m.active_from, m.active_to, *personal,
                  m.source, m.is_demo).where(_live(member)).order_by(m.id)


# ---- commitments ---------------------------------------------------------------------------------------------------


def _action_plan(actor: Actor, today: date) -> Select:
    p = action_plan.c
    return select(p.id, p.state_code, p.number, p.period_start, p.period_end, p.published_on, p.link, p.source,
                  p.is_demo).where(_live(action_plan)).order_by(p.id)


def _commitment(actor: Actor, today: date) -> Select:
    c = commitment.c
    progress = commitment_progress_query(today).subquery("progress")
    return (
        select(c.id, c.plan_id, action_plan.c.state_code, action_plan.c.number.label("plan_number"), c.number,
               c.title, c.public_problem, c.objective, c.lead_institution, c.co_responsible, c.start_date,
               c.end_date, c.proactive, c.verifiable, c.ambition, c.early_results,
               type_coerce(progress.c.progress, Float).label("progress"),
               completion_level_sql(progress.c.progress).label("completion_level"), c.source, c.is_demo)
        .join(action_plan, action_plan.c.id == c.plan_id)
        .join(progress, progress.c.commitment_id == c.id)
        .where(live_commitment())
        .order_by(c.id)
    )


def _commitment_codes(connection: Connection, rows: list[dict[str, Any]]) -> None:
    targets, values = _codes_by_commitment(connection, [row["id"] for row in rows])
    for row in rows:
        row["ogp_values"] = values.get(row["id"], "").replace(", ", "; ")
        row["sdg_targets"] = targets.get(row["id"], "").replace(", ", "; ")


def _commitment_link(table: Any, column: str) -> Callable[[Actor, date], Select]:
    def query(actor: Actor, today: date) -> Select:
        return (
            select(table.c.commitment_id, table.c[column])
            .join(commitment, commitment.c.id == table.c.commitment_id)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .where(live_commitment())
            .order_by(table.c.commitment_id, table.c[column])
        )

    return query


def _milestone(actor: Actor, today: date) -> Select:
    m = milestone.c
    note = _guarded(actor, Action.READ_MILESTONE_DETAIL, m.evidence_note, action_plan.c.state_code, "evidence_note")
    return (
        select(m.id, m.commitment_id, action_plan.c.state_code, action_plan.c.number.label("plan_number"),
               commitment.c.number.label("commitment_number"), commitment.c.title.label("commitment_title"),
               m.number, m.description, m.responsible, m.due_date, m.weight, m.progress, m.status, m.completed_on,
               m.evidence_url, *note, m.is_demo)
        .join(commitment, commitment.c.id == m.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(live_commitment(), _live(milestone))
        .order_by(m.id)
    )


def _milestone_update(actor: Actor, today: date) -> Select:
    u = milestone_update.c
    code = action_plan.c.state_code
    detail = [col for name in ("recorded_by", "evidence_note", "note")
              for col in _guarded(actor, Action.READ_MILESTONE_DETAIL, u[name], code, name)]
    return (
        select(u.id, u.milestone_id, u.recorded_at, u.progress, u.status, u.evidence_url, *detail, u.is_demo)
        .join(milestone, milestone.c.id == u.milestone_id)
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(live_commitment(), _live(milestone))
        .order_by(u.id)
    )


# ---- activity ------------------------------------------------------------------------------------------------------


def _participant_grid(key: ColumnElement[Any]) -> Any:
    """Per activity, one count column per sector and gender (conditional sums of the participation rows)."""
    columns = [
        func.sum(case((and_(participation.c.sector == s.value, participation.c.gender == g.value),
                       participation.c.count), else_=0)).label(f"participants_{s.value}_{g.value}")
        for s in Sector
        for g in Gender
    ]
    return select(key.label("activity_id"), *columns).where(key.is_not(None)).group_by(key).subquery("grid")


def _grid_columns(grid: Any) -> list[ColumnElement[Any]]:
    return [type_coerce(func.coalesce(grid.c[name], 0), Integer).label(name) for name in PARTICIPANT_COLUMNS]


def _workshop(actor: Actor, today: date) -> Select:
    w = workshop.c
    grid = _participant_grid(participation.c.workshop_id)
    notes = _guarded(actor, Action.READ_PRIVATE_NOTES, w.notes, w.state_code, "notes")
    return (
        select(w.id, w.state_code, w.held_on, w.title, w.topic, w.modality, w.hours, w.satisfaction,
               w.public_summary, *notes, w.evidence_url, w.participant_total, *_grid_columns(grid), w.is_demo)
        .outerjoin(grid, grid.c.activity_id == w.id)
        .where(_live(workshop))
        .order_by(w.id)
    )


def _dialogue_session(actor: Actor, today: date) -> Select:
    s = dialogue_session.c
    grid = _participant_grid(participation.c.session_id)
    summary = _guarded(actor, Action.READ_PRIVATE_NOTES, s.summary, s.state_code, "summary")
    return (
        select(s.id, s.state_code, s.held_on, s.session_type, s.modality, s.phase, s.topics, s.consensus,
               s.public_summary, *summary, s.evidence_url, s.participant_total, *_grid_columns(grid), s.is_demo)
        .outerjoin(grid, grid.c.activity_id == s.id)
        .where(_live(dialogue_session))
        .order_by(s.id)
    )


def _session_organizations(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """The attending organisations of each session, '; '-joined in their order (column ``organizations``)."""
    names: dict[int, list[str]] = {}
    query = (
        select(session_organization.c.session_id, session_organization.c.name)
        .join(dialogue_session, dialogue_session.c.id == session_organization.c.session_id)
        .where(_live(dialogue_session))
        .order_by(session_organization.c.session_id, session_organization.c.position)
    )
    for session_id, name in connection.execute(query):
        names.setdefault(session_id, []).append(name)
    for row in rows:
        row["organizations"] = "; ".join(names.get(row["id"], []))


def _participation(actor: Actor, today: date) -> Select:
    p = participation.c
    live_session = and_(dialogue_session.c.id == p.session_id, _live(dialogue_session))
    live_workshop = and_(workshop.c.id == p.workshop_id, _live(workshop))
    return (
        select(p.id, p.session_id, p.workshop_id, p.sector, p.gender, p.count)
        .outerjoin(dialogue_session, live_session)
        .outerjoin(workshop, live_workshop)
        .where(or_(dialogue_session.c.id.is_not(None), workshop.c.id.is_not(None)))
        .order_by(p.id)
    )


def _session_organization(actor: Actor, today: date) -> Select:
    o = session_organization.c
    return (
        select(o.id, o.session_id, o.position, o.name)
        .join(dialogue_session, dialogue_session.c.id == o.session_id)
        .where(_live(dialogue_session))
        .order_by(o.id)
    )


def _live_commitment_join() -> tuple[Any, Any, ColumnElement[Any]]:
    """An aliased commitment and plan to outer-join (see ``_join_live_commitment``), and the link column that reads
    as empty when the linked commitment or its plan is archived."""
    linked = commitment.alias("linked")
    linked_plan = action_plan.alias("linked_plan")
    link = case((linked_plan.c.id.is_not(None), linked.c.id), else_=None).label("commitment_id")
    return linked, linked_plan, link


def _join_live_commitment(query: Select, reference: ColumnElement[Any], linked: Any, linked_plan: Any) -> Select:
    return query.outerjoin(linked, and_(linked.c.id == reference, linked.c.archived_at.is_(None))).outerjoin(
        linked_plan, and_(linked_plan.c.id == linked.c.plan_id, linked_plan.c.archived_at.is_(None)))


def _agreement(actor: Actor, today: date) -> Select:
    a = agreement.c
    linked, linked_plan, link = _live_commitment_join()
    query = (
        select(a.id, a.session_id, dialogue_session.c.state_code,
               dialogue_session.c.held_on.label("session_held_on"), dialogue_session.c.session_type, a.position,
               a.text, a.responsible_sector, a.responsible_organization, a.due_date, a.status, a.closed_on, link,
               linked_plan.c.number.label("commitment_plan_number"),
               case((linked_plan.c.id.is_not(None), linked.c.number), else_=None).label("commitment_number"),
               a.is_demo)
        .join(dialogue_session, dialogue_session.c.id == a.session_id)
        .where(_live(agreement, dialogue_session))
        .order_by(a.id)
    )
    return _join_live_commitment(query, a.commitment_id, linked, linked_plan)


def _agreement_update(actor: Actor, today: date) -> Select:
    u = agreement_update.c
    code = dialogue_session.c.state_code
    private = [col for name in ("note", "recorded_by")
               for col in _guarded(actor, Action.READ_PRIVATE_NOTES, u[name], code, name)]
    return (
        select(u.id, u.agreement_id, u.changed_on, u.status, *private, u.is_demo)
        .join(agreement, agreement.c.id == u.agreement_id)
        .join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
        .where(_live(agreement, dialogue_session))
        .order_by(u.id)
    )


# ---- training programme ------------------------------------------------------------------------------------------


def _fellows_call(actor: Actor, today: date) -> Select:
    c = fellows_call.c
    return select(c.id, c.year, c.opens_on, c.closes_on, c.applicants, c.applicants_at_least, c.fellows,
                  c.fellows_women, c.source).where(_live(fellows_call)).order_by(c.id)


def _call_state(actor: Actor, today: date) -> Select:
    c = call_state.c
    return (
        select(c.id, c.call_id, c.state_code, c.applicants, c.complete_applications, c.fellows, c.fellows_women)
        .join(fellows_call, fellows_call.c.id == c.call_id)
        .where(_live(call_state, fellows_call))
        .order_by(c.id)
    )


def _fellow(actor: Actor, today: date) -> Select:
    f = fellow.c
    linked, linked_plan, link = _live_commitment_join()
    query = (
        select(f.id, f.call_id, f.state_code, f.gender, f.project_title, f.submitted_to_stl, link, f.is_demo)
        .join(fellows_call, fellows_call.c.id == f.call_id)
        .where(_live(fellow, fellows_call))
        .order_by(f.id)
    )
    return _join_live_commitment(query, f.commitment_id, linked, linked_plan)


# ---- accounts and accountability ---------------------------------------------------------------------------------


def _app_user(actor: Actor, today: date) -> Select:
    u = app_user.c
    return select(u.id, u.username, u.display_name, u.role, u.state_code, u.email, u.active,
                  u.must_change_password, u.last_sign_in, u.created_at, u.archived_at).order_by(u.id)


def _audit_entry(actor: Actor, today: date) -> Select:
    return select(audit_entry).order_by(audit_entry.c.id)


ENTITIES: tuple[_Entity, ...] = (
    _Entity("state", _state, ("code",)),
    _Entity("sdg_goal", _sdg_goal, ("number",)),
    _Entity("sdg_target", _sdg_target, ("code",), (_fk("goal", "sdg_goal", "number"),)),
    _Entity("ogp_value", _ogp_value, ("code",)),
    _Entity("secretariat", _secretariat, ("id",), (STATE_FK,), lambda: secretariat.c.state_code),
    _Entity("phase_event", _phase_event, ("id",), (STATE_FK,), lambda: phase_event.c.state_code),
    _Entity("stl_event", _stl_event, ("id",), (STATE_FK,), lambda: stl_event.c.state_code),
    _Entity("member", _member, ("id",), (STATE_FK,), lambda: member.c.state_code),
    _Entity("action_plan", _action_plan, ("id",), (STATE_FK,), lambda: action_plan.c.state_code),
    _Entity("commitment", _commitment, ("id",), (_fk("plan_id", "action_plan"), STATE_FK),
            lambda: action_plan.c.state_code, after=_commitment_codes),
    _Entity("commitment_ogp_value", _commitment_link(commitment_ogp_value, "ogp_value"),
            ("commitment_id", "ogp_value"), (_fk("commitment_id", "commitment"), _fk("ogp_value", "ogp_value", "code")),
            lambda: action_plan.c.state_code),
    _Entity("commitment_sdg_target", _commitment_link(commitment_sdg_target, "target_code"),
            ("commitment_id", "target_code"),
            (_fk("commitment_id", "commitment"), _fk("target_code", "sdg_target", "code")),
            lambda: action_plan.c.state_code),
    _Entity("milestone", _milestone, ("id",), (_fk("commitment_id", "commitment"), STATE_FK),
            lambda: action_plan.c.state_code),
    _Entity("milestone_update", _milestone_update, ("id",), (_fk("milestone_id", "milestone"),),
            lambda: action_plan.c.state_code),
    _Entity("workshop", _workshop, ("id",), (STATE_FK,), lambda: workshop.c.state_code, Action.READ_ACTIVITY),
    _Entity("dialogue_session", _dialogue_session, ("id",), (STATE_FK,), lambda: dialogue_session.c.state_code,
            Action.READ_ACTIVITY, after=_session_organizations),
    _Entity("participation", _participation, ("id",),
            (_fk("session_id", "dialogue_session"), _fk("workshop_id", "workshop")),
            lambda: func.coalesce(dialogue_session.c.state_code, workshop.c.state_code), Action.READ_ACTIVITY),
    _Entity("session_organization", _session_organization, ("id",), (_fk("session_id", "dialogue_session"),),
            lambda: dialogue_session.c.state_code, Action.READ_ACTIVITY),
    _Entity("agreement", _agreement, ("id",),
            (_fk("session_id", "dialogue_session"), _fk("commitment_id", "commitment"), STATE_FK),
            lambda: dialogue_session.c.state_code, Action.READ_ACTIVITY),
    _Entity("agreement_update", _agreement_update, ("id",), (_fk("agreement_id", "agreement"),),
            lambda: dialogue_session.c.state_code, Action.READ_ACTIVITY),
    _Entity("fellows_call", _fellows_call, ("id",)),
    _Entity("call_state", _call_state, ("id",), (_fk("call_id", "fellows_call"), STATE_FK),
            lambda: call_state.c.state_code),
    _Entity("fellow", _fellow, ("id",),
            (_fk("call_id", "fellows_call"), STATE_FK, _fk("commitment_id", "commitment")),
            lambda: fellow.c.state_code),
    _Entity("app_user", _app_user, ("id",), (), None, Action.MANAGE_ACCOUNTS, public=False),
    _Entity("audit_entry", _audit_entry, ("id",), (), None, Action.READ_AUDIT, public=False),
)
_BY_NAME = {entity.name: entity for entity in ENTITIES}
ENTITY_NAMES: tuple[str, ...] = tuple(_BY_NAME)
PUBLIC_ENTITIES: tuple[str, ...] = tuple(entity.name for entity in ENTITIES if entity.public)

# Columns added after the query, with their types.
_ADDED_COLUMNS: dict[str, tuple[ExportColumn, ...]] = {
    "commitment": (ExportColumn("ogp_values", "string"), ExportColumn("sdg_targets", "string")),
    "dialogue_session": (ExportColumn("organizations", "string"),),
}


def exportable_entities(actor: Actor) -> list[str]:
    """The entities ``actor`` may export (every public one, plus accounts and the audit log for those allowed)."""
    return [entity.name for entity in ENTITIES if allowed(actor, entity.read, None)]


def _table_schema_type(column: ColumnElement[Any]) -> str:
    kind = column.type
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, Float):
        return "number"
    return "string"


def export_table(store: Store, actor: Actor, name: str, state_code: str | None = None,
                 today: date | None = None) -> ExportTable:
    """Entity ``name`` as ``actor`` may read it, optionally only one state's rows (see the module docstring)."""
    entity = _BY_NAME[name]
    require(actor, entity.read)
    query = entity.query(actor, today or store.today())
    if state_code and entity.state_column is not None:
        query = query.where(entity.state_column() == state_code)
    columns = [ExportColumn(c.name, _table_schema_type(c)) for c in query.selected_columns]
    with store.read() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
        if entity.after is not None:
            entity.after(connection, rows)
    added = _ADDED_COLUMNS.get(name, ())
    if added:
        # organizations read best beside the topics; code lists beside the commitment's own fields
        anchor = "topics" if name == "dialogue_session" else "early_results"
        position = next(i for i, c in enumerate(columns) if c.name == anchor) + 1
        columns[position:position] = list(added)
    names = [c.name for c in columns]
    return ExportTable(name=name, columns=tuple(columns), rows=[tuple(row.get(n) for n in names) for row in rows],
                       primary_key=entity.primary_key, foreign_keys=entity.foreign_keys)
