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

from sqlalchemy import Boolean, ColumnElement, Date, DateTime, Float, Integer, Select, func, literal, select

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.store import export_activity as activity
from accompaniment.store import export_evidence as evidence  # issue 12
from accompaniment.store import export_selects as q
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    call_state,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    fellow,
    member,
    phase_event,
    sdg_target,
    secretariat,
    session_organization,
    stl_event,
    workshop,
)


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
    # columns joined in after the query's own: (the column they follow, a function adding them to the query)
    added: tuple[str, Callable[[Select], Select]] | None = field(default=None)


def _fk(column: str, resource: str, reference: str = "id") -> ForeignKey:
    return ForeignKey((column,), resource, (reference,))


STATE_FK = _fk("state_code", "state", "code")


def _joined(key: ColumnElement[Any], value: ColumnElement[Any], order: ColumnElement[Any], label: str) -> Any:
    """Per ``key``, its ``value``s '; '-joined in ``order`` (one grouped pass, outer-joined by the caller)."""
    joined = func.string_agg(value, literal("; ")).aggregate_order_by(order)
    return select(key.label("key"), joined.label(label)).group_by(key)


def _with_codes(query: Select) -> Select:
    """A commitment's OGP value codes (alphabetical) and SDG target codes (natural order), '; '-joined."""
    link, target = commitment_ogp_value.c, commitment_sdg_target.c
    values = _joined(link.commitment_id, link.ogp_value, link.ogp_value, "codes").subquery("values")
    targets = (
        _joined(target.commitment_id, target.target_code, sdg_target.c.position, "codes")
        .join_from(commitment_sdg_target, sdg_target, sdg_target.c.code == target.target_code)
        .subquery("targets")
    )
    query = query.outerjoin(values, values.c.key == commitment.c.id).outerjoin(
        targets, targets.c.key == commitment.c.id
    )
    return query.add_columns(
        func.coalesce(values.c.codes, "").label("ogp_values"),
        func.coalesce(targets.c.codes, "").label("sdg_targets"),
    )


def _with_organizations(query: Select) -> Select:
    """A session's attending organisations, '; '-joined in their order (column ``organizations``)."""
    o = session_organization.c
    names = _joined(o.session_id, o.name, o.position, "names").subquery("organizations")
    query = query.outerjoin(names, names.c.key == dialogue_session.c.id)
    return query.add_columns(func.coalesce(names.c.names, "").label("organizations"))


ENTITIES: tuple[_Entity, ...] = (
    _Entity("state", q.state_query, ("code",)),
    _Entity("sdg_goal", q.sdg_goal_query, ("number",)),
    _Entity("sdg_target", q.sdg_target_query, ("code",), (_fk("goal", "sdg_goal", "number"),)),
    _Entity("ogp_value", q.ogp_value_query, ("code",)),
    _Entity("secretariat", q.secretariat_query, ("id",), (STATE_FK,), lambda: secretariat.c.state_code),
    _Entity("phase_event", q.phase_event_query, ("id",), (STATE_FK,), lambda: phase_event.c.state_code),
    _Entity("stl_event", q.stl_event_query, ("id",), (STATE_FK,), lambda: stl_event.c.state_code),
    _Entity("member", q.member_query, ("id",), (STATE_FK,), lambda: member.c.state_code),
    _Entity("action_plan", q.action_plan_query, ("id",), (STATE_FK,), lambda: action_plan.c.state_code),
    _Entity(
        "commitment",
        q.commitment_query,
        ("id",),
        (_fk("plan_id", "action_plan"), STATE_FK),
        lambda: action_plan.c.state_code,
        added=("early_results", _with_codes),  # code lists beside the commitment's own fields
    ),
    _Entity(
        "commitment_ogp_value",
        q.commitment_link_query(commitment_ogp_value, "ogp_value"),
        ("commitment_id", "ogp_value"),
        (_fk("commitment_id", "commitment"), _fk("ogp_value", "ogp_value", "code")),
        lambda: action_plan.c.state_code,
    ),
    _Entity(
        "commitment_sdg_target",
        q.commitment_link_query(commitment_sdg_target, "target_code"),
        ("commitment_id", "target_code"),
        (_fk("commitment_id", "commitment"), _fk("target_code", "sdg_target", "code")),
        lambda: action_plan.c.state_code,
    ),
    _Entity(
        "milestone",
        q.milestone_query,
        ("id",),
        (_fk("commitment_id", "commitment"), STATE_FK),
        lambda: action_plan.c.state_code,
    ),
    _Entity(
        "milestone_update",
        q.milestone_update_query,
        ("id",),
        (_fk("milestone_id", "milestone"),),
        lambda: action_plan.c.state_code,
    ),
    _Entity(  # issue 12: evidence files with their hashes (store/export_evidence.py)
        "evidence_file",
        evidence.evidence_file_query,
        ("id",),
        (STATE_FK,),
        lambda: evidence.evidence_file.c.state_code,
    ),
    _Entity(
        "workshop",
        activity.workshop_query,
        ("id",),
        (STATE_FK,),
        lambda: workshop.c.state_code,
        Action.READ_ACTIVITY,
    ),
    _Entity(
        "dialogue_session",
        activity.dialogue_session_query,
        ("id",),
        (STATE_FK,),
        lambda: dialogue_session.c.state_code,
        Action.READ_ACTIVITY,
        added=("topics", _with_organizations),  # organisations read best beside the topics
    ),
    _Entity(
        "participation",
        activity.participation_query,
        ("id",),
        (_fk("session_id", "dialogue_session"), _fk("workshop_id", "workshop")),
        lambda: func.coalesce(dialogue_session.c.state_code, workshop.c.state_code),
        Action.READ_ACTIVITY,
    ),
    _Entity(
        "session_organization",
        activity.session_organization_query,
        ("id",),
        (_fk("session_id", "dialogue_session"),),
        lambda: dialogue_session.c.state_code,
        Action.READ_ACTIVITY,
    ),
    _Entity(
        "agreement",
        activity.agreement_query,
        ("id",),
        (_fk("session_id", "dialogue_session"), _fk("commitment_id", "commitment"), STATE_FK),
        lambda: dialogue_session.c.state_code,
        Action.READ_ACTIVITY,
    ),
    _Entity(
        "agreement_update",
        activity.agreement_update_query,
        ("id",),
        (_fk("agreement_id", "agreement"),),
        lambda: dialogue_session.c.state_code,
        Action.READ_ACTIVITY,
    ),
    # issue 16: computed per state and quarter by store.scorecard (export_scorecard), not one SELECT
    _Entity("scorecard", None, ("state_code", "quarter"), (STATE_FK,), None, Action.READ_ACTIVITY),  # type: ignore[arg-type]
    _Entity("fellows_call", q.fellows_call_query, ("id",)),
    _Entity(
        "call_state",
        q.call_state_query,
        ("id",),
        (_fk("call_id", "fellows_call"), STATE_FK),
        lambda: call_state.c.state_code,
    ),
    _Entity(
        "fellow",
        q.fellow_query,
        ("id",),
        (_fk("call_id", "fellows_call"), STATE_FK, _fk("commitment_id", "commitment")),
        lambda: fellow.c.state_code,
    ),
    _Entity("app_user", q.app_user_query, ("id",), (), None, Action.MANAGE_ACCOUNTS, public=False),
    _Entity("audit_entry", q.audit_entry_query, ("id",), (), None, Action.READ_AUDIT, public=False),
)
_BY_NAME = {entity.name: entity for entity in ENTITIES}
ENTITY_NAMES: tuple[str, ...] = tuple(_BY_NAME)
PUBLIC_ENTITIES: tuple[str, ...] = tuple(entity.name for entity in ENTITIES if entity.public)


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


def entity_select(
    actor: Actor, name: str, today: date, state_code: str | None = None
) -> tuple[Select, tuple[ExportColumn, ...]]:
    """The one SELECT of entity ``name`` as ``actor`` may read it (optionally one state's rows), its columns in
    file order with their Table Schema types. Every export runs it: ``export_table`` into memory, the bulk paths
    (``store.bulk_export``) straight into a file. Raises ``PermissionDenied`` when the actor may not read it."""
    entity = _BY_NAME[name]
    require(actor, entity.read)
    if entity.query is None:
        raise ValueError(f"{name} is not one SELECT")
    query = entity.query(actor, today)
    if state_code and entity.state_column is not None:
        query = query.where(entity.state_column() == state_code)
    if entity.added is not None:
        anchor, add = entity.added
        names = [c.name for c in query.selected_columns]
        own = len(names)
        query = add(query)
        position = names.index(anchor) + 1
        selected = list(query.selected_columns)
        order = selected[:position] + selected[own:] + selected[position:own]
        query = query.with_only_columns(*order, maintain_column_froms=True)
    columns = tuple(ExportColumn(c.name, _table_schema_type(c)) for c in query.selected_columns)
    return query, columns


def is_one_select(name: str) -> bool:
    """Whether entity ``name`` is one SELECT (every entity but the scorecard, which ``store.scorecard`` computes)."""
    return _BY_NAME[name].query is not None


def export_table(
    store: Store, actor: Actor, name: str, state_code: str | None = None, today: date | None = None
) -> ExportTable:
    """Entity ``name`` as ``actor`` may read it, optionally only one state's rows (see the module docstring)."""
    entity = _BY_NAME[name]
    require(actor, entity.read)
    if name == "scorecard":
        from accompaniment.store.export_scorecard import scorecard_table

        return scorecard_table(store, actor, state_code=state_code, today=today)
    query, columns = entity_select(actor, name, today or store.today(), state_code)
    with store.read() as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    return ExportTable(name, columns, rows, entity.primary_key, entity.foreign_keys)


def export_columns(store: Store, actor: Actor, name: str, today: date | None = None) -> ExportTable:
    """Entity ``name``'s columns and keys without its rows (what a data package descriptor needs)."""
    entity = _BY_NAME[name]
    if entity.query is None:
        table = export_table(store, actor, name, today=today)
        return ExportTable(name, table.columns, [], table.primary_key, table.foreign_keys)
    _, columns = entity_select(actor, name, today or store.today())
    return ExportTable(name, columns, [], entity.primary_key, entity.foreign_keys)
