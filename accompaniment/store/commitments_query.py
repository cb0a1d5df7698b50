"""Dashboard reads about commitments and milestones: weighted progress in SQL, the filtered commitment list,
overdue milestones, the SDG view. ``dashboard`` re-exports the public functions.

Progress is aggregated by the database (``commitment_progress_query``) so a page never loads milestones to average
them; its SQL mirrors ``domain.rules`` (commitment_progress, completion_level, lacks_evidence, milestone_overdue) and
the store tests check that the two agree. Archived rows, and rows under an archived parent, are never counted.

Whose figures (issue 12): the public sees each milestone's APPROVED figures (``approved_milestone``: its state's last
approved report, or the starting record), never what a secretariat typed since; signed-in people see the live ones.
``milestone_source(actor)`` is the one place that decides: the milestone table itself, or ``published_milestone()``,
a derived table with the same columns whose progress, status and completion date are the approved ones (a milestone
with no approved row counts as not started, at 0 %). Every read below takes that source instead of the table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Double,
    FromClause,
    Join,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
)

from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import CompletionLevel, MilestoneStatus
from accompaniment.store.database import Store
from accompaniment.store.rule_sql import milestone_overdue as overdue_milestone  # the rule's SQL twin
from accompaniment.store.schema import (
    action_plan,
    approved_milestone,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    milestone,
    sdg_goal,
    sdg_target,
    state,
)

COMMITMENT_COLUMNS = [
    "id", "version", "state_code", "state_name", "plan_number", "number", "title", "proactive", "lead_institution",
    "progress", "completion_level", "milestones", "milestones_complete", "milestones_overdue", "lacks_evidence",
    "verifiable", "ambition", "early_results", "sdg_targets", "ogp_values",
]  # fmt: skip
OVERDUE_COLUMNS = [
    "milestone_id", "state_code", "state_name", "commitment_id", "commitment_title", "number", "description",
    "due_date", "days_overdue", "progress", "status",
]  # fmt: skip
SDG_MATRIX_COLUMNS = [
    "state_code", "state_name", "goal", "goal_name_es", "goal_name_en", "colour", "commitments",
]  # fmt: skip
SDG_CONTRIBUTION_COLUMNS = [
    "state_code", "state_name", "commitment_id", "title", "goal", "target_code", "target_name_es", "target_name_en",
]  # fmt: skip


def frame(rows: Iterable[Any], columns: Sequence[str], integers: Iterable[str] = ()) -> pd.DataFrame:
    """A DataFrame with exactly ``columns``; ``integers`` become nullable Int64 (no 4.0 for a phase or a count).

    Built column by column, which is a few times faster than from records: every dashboard read ends here.
    """
    records = [dict(row) for row in rows]
    if not records:  # no values to infer from: object columns, as pandas makes them for an empty record list
        df = pd.DataFrame([], columns=list(columns))
        for name in integers:
            df[name] = df[name].astype("Int64")
        return df
    whole = set(integers)
    return pd.DataFrame(
        {
            name: pd.array([r.get(name) for r in records], dtype="Int64")
            if name in whole
            else [r.get(name) for r in records]
            for name in columns
        },
        columns=list(columns),
    )


def live_commitment() -> ColumnElement[bool]:
    """Neither the commitment nor its plan is archived (callers join ``action_plan`` on ``commitment.plan_id``)."""
    return and_(commitment.c.archived_at.is_(None), action_plan.c.archived_at.is_(None))


@cache
def published_milestone() -> FromClause:
    """The milestones as the public sees them: every column of ``milestone``, with progress, status and
    completed_on taken from ``approved_milestone`` (none approved: not started, 0 %), plus approved_on.

    Built once: a derived table the database folds into each query that reads it.
    """
    approved = approved_milestone.c
    replaced = {"progress", "status", "completed_on"}
    complete = approved.status == MilestoneStatus.COMPLETE.value
    columns = [
        *(column for column in milestone.c if column.name not in replaced),
        func.coalesce(approved.progress, literal(0.0, Double)).label("progress"),
        func.coalesce(approved.status, MilestoneStatus.NOT_STARTED.value).label("status"),
        case((complete, func.coalesce(milestone.c.completed_on, approved.approved_on))).label("completed_on"),
        approved.approved_on,
    ]
    return (
        select(*columns)
        .select_from(milestone.outerjoin(approved_milestone, approved.milestone_id == milestone.c.id))
        .subquery("published_milestone")
    )


def shows_published(actor: Actor | None) -> bool:
    """Whether ``actor`` sees the approved figures (the public) rather than the live ones (anyone signed in)."""
    return actor is not None and actor.is_public


def milestone_source(actor: Actor | None) -> FromClause:
    """The milestone rows ``actor`` may see: the table for staff, ``published_milestone()`` for the public."""
    return published_milestone() if shows_published(actor) else milestone


def counted_milestone(source: FromClause = milestone) -> ColumnElement[bool]:
    """The milestones a commitment's figures count: not archived, not cancelled (``domain.rules._counted``)."""
    return and_(source.c.archived_at.is_(None), source.c.status != MilestoneStatus.CANCELLED.value)


def milestone_has_evidence(source: FromClause = milestone) -> ColumnElement[bool]:
    """A link or a note: what the database's check on completed milestones also demands."""
    return source.c.evidence_url.is_not(None) | (source.c.evidence_note != "")


def commitment_progress_query(today: date, with_plan: bool = False, public: bool = False) -> Select:
    """One row per live commitment, with the figures derived from its counted milestones.

    Columns: commitment_id; progress (float 0–100: SUM(progress*weight)/SUM(weight) over counted milestones with
    weight > 0, else 0); milestones, milestones_complete, milestones_overdue (int); has_evidence (any counted
    milestone with a link or a note); claims_progress (any counted milestone with progress > 0); with
    ``with_plan``, also state_code and plan_number (so per-state figures need no second pass over the milestones).
    ``public``: from the approved figures (``published_milestone``), as the public sees them.
    Weights and progress are cast to double first: DuckDB's FLOAT is single precision.
    """
    source = published_milestone() if public else milestone
    m = source.c
    weight = cast(m.weight, Double)
    weighted = weight > 0
    total_weight = func.sum(case((weighted, weight), else_=0.0))
    weighted_sum = func.sum(case((weighted, cast(m.progress, Double) * weight), else_=0.0))
    evidence = milestone_has_evidence(source)
    plan_columns = [action_plan.c.state_code, action_plan.c.number.label("plan_number")] if with_plan else []
    grouping = [commitment.c.id, *([action_plan.c.state_code, action_plan.c.number] if with_plan else [])]
    return (
        select(
            commitment.c.id.label("commitment_id"),
            *plan_columns,
            case((total_weight > 0, weighted_sum / total_weight), else_=0.0).label("progress"),
            func.count(m.id).label("milestones"),
            func.count(case((m.status == MilestoneStatus.COMPLETE.value, 1))).label("milestones_complete"),
            func.count(case((overdue_milestone(today, source), 1))).label("milestones_overdue"),
            (func.count(case((evidence, 1))) > 0).label("has_evidence"),
            (func.count(case((m.progress > 0, 1))) > 0).label("claims_progress"),
        )
        .select_from(
            commitment.join(action_plan, action_plan.c.id == commitment.c.plan_id).outerjoin(
                source, and_(m.commitment_id == commitment.c.id, counted_milestone(source))
            )
        )
        .where(live_commitment())
        .group_by(*grouping)
    )


def completion_level_sql(progress: ColumnElement[Any]) -> ColumnElement[str]:
    """``domain.rules.completion_level`` as a CASE."""
    return case(
        (progress <= 0, CompletionLevel.NOT_STARTED.value),
        (progress < 50, CompletionLevel.LIMITED.value),
        (progress < 100, CompletionLevel.SUBSTANTIAL.value),
        else_=CompletionLevel.COMPLETE.value,
    )


def _commitment_select(today: date, filters: dict[str, Any], public: bool = False) -> Select:
    """Live commitments with their figures, narrowed by ``filters`` (the keyword filters of ``list_commitments``);
    ``public``: the approved figures."""
    progress = commitment_progress_query(today, public=public).subquery("progress")
    level = completion_level_sql(progress.c.progress)
    query = (
        select(
            commitment.c.id,
            commitment.c.version,
            state.c.code.label("state_code"),
            state.c.name.label("state_name"),
            action_plan.c.number.label("plan_number"),
            commitment.c.number,
            commitment.c.title,
            commitment.c.proactive,
            commitment.c.lead_institution,
            progress.c.progress,
            level.label("completion_level"),
            progress.c.milestones,
            progress.c.milestones_complete,
            progress.c.milestones_overdue,
            and_(progress.c.claims_progress, ~progress.c.has_evidence).label("lacks_evidence"),
            commitment.c.verifiable,
            commitment.c.ambition,
            commitment.c.early_results,
        )
        .select_from(
            commitment.join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .join(state, state.c.code == action_plan.c.state_code)
            .join(progress, progress.c.commitment_id == commitment.c.id)
        )
        .where(live_commitment())
    )
    if filters.get("state_code"):
        query = query.where(action_plan.c.state_code == filters["state_code"])
    if filters.get("sdg_goal") is not None:
        query = query.where(
            exists()
            .where(commitment_sdg_target.c.commitment_id == commitment.c.id)
            .where(sdg_target.c.code == commitment_sdg_target.c.target_code)
            .where(sdg_target.c.goal == int(filters["sdg_goal"]))
        )
    if filters.get("sdg_target"):
        query = query.where(
            exists()
            .where(commitment_sdg_target.c.commitment_id == commitment.c.id)
            .where(commitment_sdg_target.c.target_code == filters["sdg_target"])
        )
    if filters.get("ogp_value"):
        query = query.where(
            exists()
            .where(commitment_ogp_value.c.commitment_id == commitment.c.id)
            .where(commitment_ogp_value.c.ogp_value == str(filters["ogp_value"]))
        )
    if filters.get("completion"):
        query = query.where(level == CompletionLevel(filters["completion"]).value)
    if filters.get("overdue_only"):
        query = query.where(progress.c.milestones_overdue > 0)
    if filters.get("search"):
        text = str(filters["search"]).strip()
        # icontains binds the text and escapes % and _ (autoescape), then compares lower() of both sides
        query = query.where(
            commitment.c.title.icontains(text, autoescape=True)
            | commitment.c.public_problem.icontains(text, autoescape=True)
            | commitment.c.objective.icontains(text, autoescape=True)
        )
    return query


def _codes_by_commitment(connection: Connection, ids: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """SDG target codes (natural order) and OGP value codes of the page's commitments, comma-joined."""
    targets: dict[int, list[str]] = defaultdict(list)
    values: dict[int, list[str]] = defaultdict(list)
    if ids:
        rows = connection.execute(
            select(commitment_sdg_target.c.commitment_id, commitment_sdg_target.c.target_code)
            .join(sdg_target, sdg_target.c.code == commitment_sdg_target.c.target_code)
            .where(commitment_sdg_target.c.commitment_id.in_(ids))
            .order_by(commitment_sdg_target.c.commitment_id, sdg_target.c.position)
        )
        for commitment_id, code in rows:
            targets[commitment_id].append(code)
        rows = connection.execute(
            select(commitment_ogp_value.c.commitment_id, commitment_ogp_value.c.ogp_value)
            .where(commitment_ogp_value.c.commitment_id.in_(ids))
            .order_by(commitment_ogp_value.c.commitment_id, commitment_ogp_value.c.ogp_value)
        )
        for commitment_id, code in rows:
            values[commitment_id].append(code)
    return {k: ", ".join(v) for k, v in targets.items()}, {k: ", ".join(v) for k, v in values.items()}


def list_commitments(
    store: Store,
    actor: Actor,
    *,
    state_code: str | None = None,
    sdg_goal: int | None = None,
    sdg_target: str | None = None,
    ogp_value: str | None = None,
    completion: str | CompletionLevel | None = None,
    overdue_only: bool = False,
    search: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
    today: date | None = None,
) -> pd.DataFrame:
    """One page of live commitments, by state, plan and number (proactive ones, with no number, last).

    Columns: id, version, state_code, state_name, plan_number, number (Int64, null if proactive), title, proactive,
    lead_institution, progress (0–100), completion_level (CompletionLevel value), milestones, milestones_complete,
    milestones_overdue, lacks_evidence (progress claimed, no evidence), verifiable, ambition, early_results,
    sdg_targets and ogp_values (comma-joined codes, "" when none). ``limit=None`` returns every match.
    ``search`` is a case-insensitive substring of the title, public problem or objective.
    """
    require(actor, Action.READ_PUBLISHED, state_code)
    today = today or store.today()
    filters = dict(
        state_code=state_code, sdg_goal=sdg_goal, sdg_target=sdg_target, ogp_value=ogp_value,
        completion=completion, overdue_only=overdue_only, search=search,
    )  # fmt: skip
    query = _commitment_select(today, filters, shows_published(actor)).order_by(
        action_plan.c.state_code, action_plan.c.number, commitment.c.number.nulls_last(), commitment.c.id
    )
    query = query.offset(max(int(offset), 0))
    if limit is not None:
        query = query.limit(max(int(limit), 0))
    with store.read() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
        targets, values = _codes_by_commitment(connection, [row["id"] for row in rows])
    for row in rows:
        row["sdg_targets"] = targets.get(row["id"], "")
        row["ogp_values"] = values.get(row["id"], "")
        row["lacks_evidence"] = bool(row["lacks_evidence"])
    integers = ["plan_number", "number", "milestones", "milestones_complete", "milestones_overdue"]
    return frame(rows, COMMITMENT_COLUMNS, integers=integers)


def count_commitments(
    store: Store,
    actor: Actor,
    *,
    state_code: str | None = None,
    sdg_goal: int | None = None,
    sdg_target: str | None = None,
    ogp_value: str | None = None,
    completion: str | CompletionLevel | None = None,
    overdue_only: bool = False,
    search: str | None = None,
    today: date | None = None,
) -> int:
    """How many commitments ``list_commitments`` would return with the same filters and no limit."""
    require(actor, Action.READ_PUBLISHED, state_code)
    today = today or store.today()
    filters = dict(
        state_code=state_code, sdg_goal=sdg_goal, sdg_target=sdg_target, ogp_value=ogp_value,
        completion=completion, overdue_only=overdue_only, search=search,
    )  # fmt: skip
    matches = _commitment_select(today, filters, shows_published(actor)).subquery("matches")
    with store.read() as connection:
        return int(connection.execute(select(func.count()).select_from(matches)).scalar_one())


def overdue_by_state(today: date, public: bool = False) -> Select:
    """Per state, how many milestones of its live commitments are overdue (``public``: by the approved figures)."""
    source = published_milestone() if public else milestone
    return (
        select(action_plan.c.state_code, func.count(source.c.id).label("overdue_milestones"))
        .select_from(
            source.join(commitment, commitment.c.id == source.c.commitment_id).join(
                action_plan, action_plan.c.id == commitment.c.plan_id
            )
        )
        .where(live_commitment(), counted_milestone(source), overdue_milestone(today, source))
        .group_by(action_plan.c.state_code)
    )


def overdue_milestones(
    store: Store,
    actor: Actor,
    state_code: str | None = None,
    today: date | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> pd.DataFrame:
    """Overdue milestones of live commitments, most overdue first.

    Columns: milestone_id, state_code, state_name, commitment_id, commitment_title, number, description, due_date,
    days_overdue (int), progress (0–100), status.
    """
    require(actor, Action.READ_PUBLISHED, state_code)
    today = today or store.today()
    with store.read() as connection:
        return overdue_milestones_on(
            connection,
            today,
            state_code=state_code,
            limit=limit,
            offset=offset,
            public=shows_published(actor),
        )


def overdue_milestones_on(
    connection: Connection,
    today: date,
    state_code: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
    public: bool = False,
) -> pd.DataFrame:
    """``overdue_milestones`` on an open connection, for reads that gather several answers on one connection;
    the caller has checked the actor (``public``: by the approved figures)."""
    source = published_milestone() if public else milestone
    m = source.c
    query = (
        select(
            m.id.label("milestone_id"),
            state.c.code.label("state_code"),
            state.c.name.label("state_name"),
            commitment.c.id.label("commitment_id"),
            commitment.c.title.label("commitment_title"),
            m.number,
            m.description,
            m.due_date,
            m.progress,
            m.status,
        )
        .select_from(
            source.join(commitment, commitment.c.id == m.commitment_id)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .join(state, state.c.code == action_plan.c.state_code)
        )
        .where(live_commitment(), counted_milestone(source), overdue_milestone(today, source))
        .order_by(m.due_date, state.c.code, commitment.c.id, m.number, m.id)
        .offset(max(int(offset), 0))
    )
    if state_code:
        query = query.where(action_plan.c.state_code == state_code)
    if limit is not None:
        query = query.limit(max(int(limit), 0))
    rows = [dict(row) for row in connection.execute(query).mappings()]
    for row in rows:
        row["days_overdue"] = (today - row["due_date"]).days
    return frame(rows, OVERDUE_COLUMNS, integers=["number", "days_overdue"])


def _aligned_commitments() -> Join:
    return (
        commitment.join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .join(state, state.c.code == action_plan.c.state_code)
        .join(commitment_sdg_target, commitment_sdg_target.c.commitment_id == commitment.c.id)
        .join(sdg_target, sdg_target.c.code == commitment_sdg_target.c.target_code)
        .join(sdg_goal, sdg_goal.c.number == sdg_target.c.goal)
    )


def sdg_matrix(store: Store, actor: Actor) -> pd.DataFrame:
    """States × SDG goals for the programme states: only cells with at least one aligned commitment.

    Columns: state_code, state_name, goal, goal_name_es, goal_name_en, colour, commitments (distinct live commitments
    of the state aligned to any target of the goal).
    """
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(
            state.c.code.label("state_code"),
            state.c.name.label("state_name"),
            sdg_goal.c.number.label("goal"),
            sdg_goal.c.name_es.label("goal_name_es"),
            sdg_goal.c.name_en.label("goal_name_en"),
            sdg_goal.c.colour,
            func.count(func.distinct(commitment.c.id)).label("commitments"),
        )
        .select_from(_aligned_commitments())
        .where(live_commitment(), state.c.programme.is_(True))
        .group_by(state.c.code, state.c.name, sdg_goal.c.number, sdg_goal.c.name_es, sdg_goal.c.name_en)
        .group_by(sdg_goal.c.colour)
        .order_by(state.c.code, sdg_goal.c.number)
    )
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, SDG_MATRIX_COLUMNS, integers=["goal", "commitments"])


def sdg_contributions(
    store: Store,
    actor: Actor,
    state_code: str | None = None,
    goal: int | None = None,
    target: str | None = None,
) -> pd.DataFrame:
    """Each (live commitment, SDG target) alignment, by state, commitment and the targets' natural order.

    Columns: state_code, state_name, commitment_id, title, goal, target_code, target_name_es, target_name_en.
    """
    require(actor, Action.READ_PUBLISHED, state_code)
    query = (
        select(
            state.c.code.label("state_code"),
            state.c.name.label("state_name"),
            commitment.c.id.label("commitment_id"),
            commitment.c.title,
            sdg_target.c.goal,
            sdg_target.c.code.label("target_code"),
            sdg_target.c.name_es.label("target_name_es"),
            sdg_target.c.name_en.label("target_name_en"),
        )
        .select_from(_aligned_commitments())
        .where(live_commitment())
        .order_by(state.c.code, action_plan.c.number, commitment.c.number.nulls_last(), commitment.c.id)
        .order_by(sdg_target.c.position)
    )
    if state_code:
        query = query.where(state.c.code == state_code)
    if goal is not None:
        query = query.where(sdg_target.c.goal == int(goal))
    if target:
        query = query.where(sdg_target.c.code == target)
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, SDG_CONTRIBUTION_COLUMNS, integers=["goal"])
