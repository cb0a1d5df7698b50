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

from sqlalchemy import Boolean, ColumnElement, Connection, Date, DateTime, Float, Integer, Select, func

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.store import export_activity as activity
from accompaniment.store import export_evidence as evidence  # issue 12
from accompaniment.store import export_selects as q
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    call_state,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    fellow,
    member,
    phase_event,
    secretariat,
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
    after: Callable[[Connection, list[dict[str, Any]]], None] | None = field(default=None)


def _fk(column: str, resource: str, reference: str = "id") -> ForeignKey:
    return ForeignKey((column,), resource, (reference,))


STATE_FK = _fk("state_code", "state", "code")

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
        after=q.add_commitment_codes,
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
        after=activity.add_session_organizations,
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


def export_table(
    store: Store, actor: Actor, name: str, state_code: str | None = None, today: date | None = None
) -> ExportTable:
    """Entity ``name`` as ``actor`` may read it, optionally only one state's rows (see the module docstring)."""
    entity = _BY_NAME[name]
    require(actor, entity.read)
    if name == "scorecard":
        from accompaniment.store.export_scorecard import scorecard_table

        return scorecard_table(store, actor, state_code=state_code, today=today)
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
    return ExportTable(
        name=name,
        columns=tuple(columns),
        rows=[tuple(row.get(n) for n in names) for row in rows],
        primary_key=entity.primary_key,
        foreign_keys=entity.foreign_keys,
    )
