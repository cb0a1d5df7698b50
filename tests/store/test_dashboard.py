"""The dashboard's SQL aggregates agree with domain.rules and count exactly what the design says, on both backends.

Each test adds its own rows with plain ``insert()`` on top of the starting record (15 STLs, 42 commitments, no
milestones, no sessions). Chihuahua (08) and Guanajuato (11) are programme states with no plan yet, Aguascalientes
(01) is outside the programme, so tests that need a clean slate use them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import func, insert, select, update

from accompaniment import settings
from accompaniment.domain.enums import CompletionLevel, MilestoneStatus
from accompaniment.domain.rules import (
    MilestoneFacts,
    commitment_progress,
    completion_level,
    milestone_overdue,
    stall_reason,
)
from accompaniment.store import dashboard
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    milestone,
    participation,
    secretariat,
    workshop,
)
from tests.conftest import ACTORS, FIXED_NOW

TODAY = FIXED_NOW.date()
CHIHUAHUA, GUANAJUATO, AGUASCALIENTES, OAXACA, QUINTANA_ROO = "08", "11", "01", "20", "23"
PUBLIC = ACTORS["public"]
# Figures after a write are read signed in: the public sees only approved figures (issue 12, tests/store/test_public_figures.py).
SIGNED_IN = ACTORS["working_group"]
STAMP = {"created_at": FIXED_NOW, "updated_at": FIXED_NOW}
ARCHIVED = {"archived_at": FIXED_NOW}
PRIVATE_COLUMNS = {"summary", "notes", "person_name", "person_email", "person_phone"}


# ---- builders --------------------------------------------------------------------------------------------------


def add_plan(store: Store, state_code: str, number: int = 1, **fields: Any) -> int:
    with store.engine.begin() as connection:
        return connection.execute(
            insert(action_plan)
            .values(state_code=state_code, number=number, **STAMP, **fields)
            .returning(action_plan.c.id)
        ).scalar_one()


def add_commitment(
    store: Store,
    plan_id: int,
    milestones: list[dict[str, Any]] = (),
    *,
    targets: list[str] = (),
    ogp_values: list[str] = (),
    **fields: Any,
) -> int:
    """A commitment with its milestones (numbered in order), SDG targets and OGP values."""
    fields.setdefault("title", "Compromiso de prueba")
    with store.engine.begin() as connection:
        commitment_id = connection.execute(
            insert(commitment).values(plan_id=plan_id, **STAMP, **fields).returning(commitment.c.id)
        ).scalar_one()
        for number, values in enumerate(milestones, start=1):
            values = {"description": f"Hito {number}", **values}
            connection.execute(
                insert(milestone).values(commitment_id=commitment_id, number=number, **STAMP, **values)
            )
        for code in targets:
            connection.execute(
                insert(commitment_sdg_target).values(commitment_id=commitment_id, target_code=code)
            )
        for code in ogp_values:
            connection.execute(
                insert(commitment_ogp_value).values(commitment_id=commitment_id, ogp_value=code)
            )
    return commitment_id


def done(**values: Any) -> dict[str, Any]:
    """A complete milestone: progress 100 with evidence, as the database's check demands."""
    return {"progress": 100, "status": "complete", "evidence_url": "https://example.org/evidencia", **values}


def add_session(store: Store, state_code: str, held_on: date, **fields: Any) -> int:
    values = {"session_type": "plenary", "modality": "in_person", **fields}
    with store.engine.begin() as connection:
        return connection.execute(
            insert(dialogue_session)
            .values(state_code=state_code, held_on=held_on, **STAMP, **values)
            .returning(dialogue_session.c.id)
        ).scalar_one()


def add_workshop(store: Store, state_code: str, held_on: date, **fields: Any) -> int:
    values = {"title": "Taller", "modality": "online", "hours": 2.0, **fields}
    with store.engine.begin() as connection:
        return connection.execute(
            insert(workshop)
            .values(state_code=state_code, held_on=held_on, **STAMP, **values)
            .returning(workshop.c.id)
        ).scalar_one()


def add_agreement(
    store: Store, session_id: int, due_date: date | None, status: str = "pending", **fields: Any
) -> None:
    with store.engine.begin() as connection:
        # Positions are unique within a session (migration 0006): take the next free one.
        taken = connection.execute(
            select(func.max(agreement.c.position)).where(agreement.c.session_id == session_id)
        ).scalar_one()
        connection.execute(
            insert(agreement).values(
                session_id=session_id,
                position=(taken or 0) + 1,
                text="Acuerdo",
                due_date=due_date,
                status=status,
                **STAMP,
                **fields,
            )
        )


def add_participants(store: Store, counts: list[tuple[str, str, int]], **activity: int) -> None:
    with store.engine.begin() as connection:
        for sector, gender, count in counts:
            connection.execute(
                insert(participation).values(sector=sector, gender=gender, count=count, **activity)
            )


def set_phase_since(store: Store, state_code: str, since: date) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            update(secretariat).where(secretariat.c.state_code == state_code).values(phase_since=since)
        )


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def facts(values: dict[str, Any]) -> MilestoneFacts:
    return MilestoneFacts(
        progress=values.get("progress", 0),
        weight=values.get("weight", 1),
        status=MilestoneStatus(values.get("status", "not_started")),
        due_date=values.get("due_date"),
        has_evidence=bool(values.get("evidence_url") or values.get("evidence_note")),
        archived=values.get("archived_at") is not None,
    )


def commitment_row(store: Store, commitment_id: int, state_code: str) -> pd.Series:
    frame = dashboard.list_commitments(store, SIGNED_IN, state_code=state_code, limit=None)
    return frame.set_index("id").loc[commitment_id]


def state_row(store: Store, state_code: str) -> pd.Series:
    return dashboard.state_overview(store, SIGNED_IN).set_index("state_code").loc[state_code]


# ---- the starting record ---------------------------------------------------------------------------------------


def test_starting_record_gives_fifteen_programme_states_with_their_phases(store: Store) -> None:
    overview = dashboard.state_overview(store, PUBLIC).set_index("state_code")
    assert len(overview) == 32
    assert overview["programme"].sum() == 15
    assert overview.loc[OAXACA, "phase"] == 4
    assert overview.loc[QUINTANA_ROO, "phase"] == 0
    assert overview.loc[OAXACA, "commitments"] == 6
    assert overview.loc[OAXACA, "progress"] == 0
    assert pd.isna(overview.loc[CHIHUAHUA, "progress"])  # no plan yet
    assert overview.loc[~overview["programme"], "phase"].isna().all()
    assert not overview.loc[~overview["programme"], "stalled"].any()


def test_starting_record_national_figures(store: Store) -> None:
    figures = dashboard.national_figures(store, PUBLIC)
    assert figures.programme_states == 15
    assert figures.commitments == 42
    assert sum(figures.stls_by_phase.values()) == 15
    assert set(figures.stls_by_phase) == {0, 1, 2, 3, 4, 5}
    assert figures.milestones == 0
    assert figures.share_milestones_complete is None
    assert figures.stalled_stls == 15  # nobody has logged a session yet
    assert dashboard.count_commitments(store, PUBLIC) == 42
    assert len(dashboard.list_commitments(store, PUBLIC, limit=None)) == 42


# ---- commitment progress ---------------------------------------------------------------------------------------


def test_weighted_progress_equals_the_domain_rule(store: Store) -> None:
    milestones = [
        {"progress": 40, "weight": 2, "status": "in_progress"},
        {"progress": 70, "weight": 0.5, "status": "in_progress"},
        {"progress": 90, "weight": 0, "status": "in_progress"},
        done(weight=1.5),
        {"progress": 80, "weight": 3, "status": "in_progress", **ARCHIVED},
        {"progress": 10, "weight": 3, "status": "cancelled"},
        {"progress": 33.3, "weight": 1},
    ]
    commitment_id = add_commitment(store, add_plan(store, CHIHUAHUA), milestones)
    row = commitment_row(store, commitment_id, CHIHUAHUA)
    expected = commitment_progress([facts(m) for m in milestones])
    assert row["progress"] == pytest.approx(expected, abs=1e-4)  # DuckDB stores FLOAT in single precision
    assert row["completion_level"] == completion_level(expected).value
    assert row["milestones"] == 5  # archived and cancelled milestones are not counted
    assert row["milestones_complete"] == 1


def test_archived_and_cancelled_milestones_are_excluded(store: Store) -> None:
    milestones = [done(), {"progress": 0, **ARCHIVED}, {"progress": 0, "status": "cancelled"}]
    commitment_id = add_commitment(store, add_plan(store, CHIHUAHUA), milestones)
    row = commitment_row(store, commitment_id, CHIHUAHUA)
    assert row["progress"] == 100
    assert row["completion_level"] == "complete"
    assert (row["milestones"], row["milestones_complete"]) == (1, 1)


def test_commitment_with_only_zero_weights_or_no_milestones_is_at_zero(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    zero = add_commitment(store, plan_id, [{"progress": 80, "weight": 0, "status": "in_progress"}])
    empty = add_commitment(store, plan_id, [])
    frame = dashboard.list_commitments(store, PUBLIC, state_code=CHIHUAHUA).set_index("id")
    assert frame.loc[zero, "progress"] == 0
    assert frame.loc[empty, "progress"] == 0
    assert frame.loc[empty, "milestones"] == 0
    assert (frame["completion_level"] == "not_started").all()


def test_lacks_evidence_when_progress_is_claimed_without_evidence(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    claimed = add_commitment(store, plan_id, [{"progress": 30, "status": "in_progress"}])
    noted = add_commitment(
        store, plan_id, [{"progress": 30, "status": "in_progress", "evidence_note": "acta"}]
    )
    untouched = add_commitment(store, plan_id, [{"progress": 0}])
    frame = dashboard.list_commitments(store, SIGNED_IN, state_code=CHIHUAHUA).set_index("id")
    assert frame.loc[claimed, "lacks_evidence"]
    assert not frame.loc[noted, "lacks_evidence"]
    assert not frame.loc[untouched, "lacks_evidence"]


def test_completion_filter_returns_each_level(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    by_level = {
        "not_started": add_commitment(store, plan_id, [{"progress": 0}]),
        "limited": add_commitment(store, plan_id, [{"progress": 49.5, "status": "in_progress"}]),
        "substantial": add_commitment(store, plan_id, [{"progress": 50, "status": "in_progress"}]),
        "complete": add_commitment(store, plan_id, [done()]),
    }
    for level, commitment_id in by_level.items():
        frame = dashboard.list_commitments(store, SIGNED_IN, state_code=CHIHUAHUA, completion=level)
        assert frame["id"].tolist() == [commitment_id]
        assert dashboard.count_commitments(store, SIGNED_IN, state_code=CHIHUAHUA, completion=level) == 1
    nationally = dashboard.count_commitments(store, SIGNED_IN, completion=CompletionLevel.NOT_STARTED)
    assert nationally == 42 + 1


def test_sdg_and_ogp_filters_return_only_matching_commitments(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    justice = add_commitment(store, plan_id, targets=["16.10", "16.6"], ogp_values=["access_to_information"])
    water = add_commitment(store, plan_id, targets=["6.b"], ogp_values=["civic_participation"])
    add_commitment(store, plan_id)
    assert dashboard.list_commitments(store, PUBLIC, sdg_goal=16)["id"].tolist() == [justice]
    assert dashboard.list_commitments(store, PUBLIC, sdg_target="6.b")["id"].tolist() == [water]
    assert dashboard.list_commitments(store, PUBLIC, sdg_target="16.7").empty
    assert dashboard.list_commitments(store, PUBLIC, ogp_value="civic_participation")["id"].tolist() == [
        water
    ]
    assert dashboard.count_commitments(store, PUBLIC, sdg_goal=16) == 1
    row = commitment_row(store, justice, CHIHUAHUA)
    assert row["sdg_targets"] == "16.6, 16.10"  # natural order, not text order
    assert row["ogp_values"] == "access_to_information"


def test_text_search_is_case_insensitive_and_treats_wildcards_literally(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    budget = add_commitment(store, plan_id, title="Presupuesto Participativo en Educación")
    percent = add_commitment(store, plan_id, title="100% obra pública")
    underscore = add_commitment(store, plan_id, title="Portal", objective="publicar datos_abiertos")
    problem = add_commitment(store, plan_id, title="Salud", public_problem="Falta de agua potable")

    def found(text: str) -> list[int]:
        return dashboard.list_commitments(store, PUBLIC, state_code=CHIHUAHUA, search=text)["id"].tolist()

    assert found("presupuesto participativo") == [budget]
    assert found("EDUCACIÓN") == [budget]
    assert found("%") == [percent]
    assert found("_") == [underscore]
    assert found("AGUA") == [problem]
    assert found("nada que ver") == []
    assert dashboard.count_commitments(store, PUBLIC, state_code=CHIHUAHUA, search="%") == 1


def test_archived_commitments_and_plans_are_ignored(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    kept = add_commitment(store, plan_id, [{"progress": 20, "status": "in_progress"}])
    add_commitment(store, plan_id, [{"progress": 90, "status": "in_progress"}], **ARCHIVED)
    add_commitment(store, add_plan(store, CHIHUAHUA, number=2, **ARCHIVED), [{"progress": 90}])
    assert dashboard.list_commitments(store, SIGNED_IN, state_code=CHIHUAHUA)["id"].tolist() == [kept]
    assert dashboard.count_commitments(store, SIGNED_IN) == 43
    row = state_row(store, CHIHUAHUA)
    assert (row["progress"], row["commitments"]) == (pytest.approx(20), 1)


def test_pagination_pages_through_the_ordered_list(store: Store) -> None:
    everything = dashboard.list_commitments(store, PUBLIC, limit=None)["id"].tolist()
    page = dashboard.list_commitments(store, PUBLIC, limit=10, offset=20)["id"].tolist()
    assert page == everything[20:30]
    assert len(dashboard.list_commitments(store, PUBLIC, limit=50, offset=40)) == 2


def test_state_progress_is_the_mean_of_its_latest_plan(store: Store) -> None:
    first = add_plan(store, CHIHUAHUA, number=1)
    add_commitment(store, first, [done()])
    add_commitment(store, first, [{"progress": 0}])
    assert state_row(store, CHIHUAHUA)["progress"] == pytest.approx(50)
    add_commitment(store, add_plan(store, CHIHUAHUA, number=2), [{"progress": 20, "status": "in_progress"}])
    row = state_row(store, CHIHUAHUA)
    assert row["progress"] == pytest.approx(20)
    assert row["commitments"] == 1


# ---- overdue work ----------------------------------------------------------------------------------------------


def test_overdue_milestones_lists_only_overdue_ones_most_overdue_first(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    milestones = [
        {"due_date": days_ago(1), "progress": 10, "status": "in_progress"},
        {"due_date": days_ago(30)},
        {"due_date": TODAY},  # due today: not overdue
        done(due_date=days_ago(40)),
        {"due_date": days_ago(50), "status": "cancelled"},
        {"due_date": days_ago(60), **ARCHIVED},
        {"due_date": None},
    ]
    first = add_commitment(store, plan_id, milestones, title="Primero")
    add_commitment(store, add_plan(store, GUANAJUATO), [{"due_date": days_ago(5)}], title="Otro estado")
    add_commitment(store, plan_id, [{"due_date": days_ago(90)}], **ARCHIVED)

    frame = dashboard.overdue_milestones(store, SIGNED_IN, state_code=CHIHUAHUA)
    assert frame["days_overdue"].tolist() == [30, 1]
    assert frame["number"].tolist() == [2, 1]
    assert (frame["commitment_id"] == first).all()
    assert frame["commitment_title"].tolist() == ["Primero", "Primero"]
    assert frame.iloc[1]["progress"] == 10
    assert dashboard.overdue_milestones(store, SIGNED_IN)["days_overdue"].tolist() == [30, 5, 1]
    assert dashboard.overdue_milestones(store, SIGNED_IN, limit=1, offset=1)["state_code"].tolist() == [
        GUANAJUATO
    ]
    expected = sum(1 for m in milestones if rules_overdue(m))  # the same count through the domain rule
    assert commitment_row(store, first, CHIHUAHUA)["milestones_overdue"] == expected == 2
    assert state_row(store, CHIHUAHUA)["overdue_milestones"] == 2
    assert dashboard.national_figures(store, SIGNED_IN).overdue_milestones == 3
    overdue_only = dashboard.list_commitments(store, SIGNED_IN, overdue_only=True)["id"].tolist()
    assert len(overdue_only) == 2 and first in overdue_only


def rules_overdue(values: dict[str, Any]) -> bool:
    m = facts(values)
    return milestone_overdue(m.due_date, m.status, TODAY, archived=m.archived)


# ---- stalled STLs ----------------------------------------------------------------------------------------------


def test_stalled_after_sixty_days_without_a_session(store: Store) -> None:
    recent_phase = days_ago(30)
    for code in (OAXACA, QUINTANA_ROO, CHIHUAHUA):
        set_phase_since(store, code, recent_phase)
    add_session(store, OAXACA, days_ago(59))
    add_session(store, QUINTANA_ROO, days_ago(61))
    add_session(store, QUINTANA_ROO, days_ago(10), **ARCHIVED)  # an archived session does not count
    add_session(store, CHIHUAHUA, days_ago(60))

    overview = dashboard.state_overview(store, PUBLIC).set_index("state_code")
    assert not overview.loc[OAXACA, "stalled"]
    assert overview.loc[OAXACA, "days_since_session"] == 59
    assert overview.loc[QUINTANA_ROO, "stalled"]
    assert overview.loc[QUINTANA_ROO, "last_session_on"] == days_ago(61)
    assert overview.loc[CHIHUAHUA, "stalled"]  # 60 days is already too long

    stalled = dashboard.stalled_stls(store, PUBLIC).set_index("state_code")
    assert OAXACA not in stalled.index
    assert stalled.loc[QUINTANA_ROO, "no_session_days"] == 61
    assert pd.isna(stalled.loc[QUINTANA_ROO, "phase_unchanged_months"])
    assert stalled.loc[GUANAJUATO, "no_session_days"] == -1  # never met
    assert dashboard.national_figures(store, PUBLIC).stalled_stls == 14


def test_stalled_when_the_phase_has_not_moved_for_twelve_months(store: Store) -> None:
    add_session(store, OAXACA, days_ago(5))
    add_session(store, QUINTANA_ROO, days_ago(5))
    set_phase_since(store, OAXACA, date(TODAY.year - 1, TODAY.month, TODAY.day))
    set_phase_since(store, QUINTANA_ROO, date(TODAY.year - 1, TODAY.month, TODAY.day + 1))
    stalled = dashboard.stalled_stls(store, PUBLIC).set_index("state_code")
    assert stalled.loc[OAXACA, "phase_unchanged_months"] == 12
    assert pd.isna(stalled.loc[OAXACA, "no_session_days"])
    assert QUINTANA_ROO not in stalled.index


def test_stalled_agrees_with_the_domain_rule_for_every_state(store: Store) -> None:
    for code, held, since in [(OAXACA, 59, 400), (QUINTANA_ROO, 61, 20), (CHIHUAHUA, 3, 3), ("17", 200, 200)]:
        add_session(store, code, days_ago(held))
        set_phase_since(store, code, days_ago(since))
    add_session(store, AGUASCALIENTES, days_ago(400))
    session_days = settings.get("stalled_session_days")
    phase_months = settings.get("stalled_phase_months")
    for row in dashboard.state_overview(store, PUBLIC).itertuples():
        reason = stall_reason(row.last_session_on, row.phase_since, TODAY, session_days, phase_months)
        assert row.stalled == (row.programme and reason.stalled), row.state_code


# ---- national figures and activity -----------------------------------------------------------------------------


def test_national_figures_count_exactly(store: Store) -> None:
    add_commitment(store, add_plan(store, CHIHUAHUA), [done(), {"progress": 10, "due_date": days_ago(3)}, {}])
    for held in (0, 89):
        add_session(store, OAXACA, days_ago(held))
    add_session(store, OAXACA, days_ago(90))  # outside the 90 days
    add_session(store, OAXACA, days_ago(-3))  # planned, not held yet
    add_session(store, OAXACA, days_ago(1), **ARCHIVED)
    add_workshop(store, OAXACA, days_ago(10))
    add_workshop(store, OAXACA, days_ago(100))
    session_id = add_session(store, OAXACA, days_ago(200))
    add_agreement(store, session_id, days_ago(1), "pending")
    add_agreement(store, session_id, days_ago(1), "in_progress")
    add_agreement(store, session_id, days_ago(1), "done")
    add_agreement(store, session_id, days_ago(1), "cancelled")
    add_agreement(store, session_id, TODAY, "pending")
    add_agreement(store, session_id, None, "pending")
    add_agreement(store, session_id, days_ago(1), "pending", **ARCHIVED)
    add_agreement(store, add_session(store, OAXACA, days_ago(300), **ARCHIVED), days_ago(1), "pending")

    figures = dashboard.national_figures(store, SIGNED_IN)
    assert figures.commitments == 43
    assert (figures.milestones, figures.milestones_complete) == (3, 1)
    assert figures.share_milestones_complete == pytest.approx(100 / 3)
    assert figures.sessions_last_90_days == 2
    assert figures.workshops_last_90_days == 1
    assert figures.overdue_milestones == 1
    assert figures.overdue_agreements == 2
    assert figures.stls_by_phase[4] == (dashboard.state_overview(store, SIGNED_IN)["phase"] == 4).sum()


def test_the_national_overview_in_one_visit_gives_the_same_answers_as_each_read_alone(store: Store) -> None:
    add_commitment(store, add_plan(store, CHIHUAHUA), [done(), {"progress": 10, "due_date": days_ago(3)}, {}])
    set_phase_since(store, OAXACA, days_ago(800))
    session_id = add_session(store, OAXACA, days_ago(5), participant_total=9)
    add_agreement(store, session_id, days_ago(1), "pending")
    add_workshop(store, CHIHUAHUA, days_ago(40), participant_total=4)
    add_session(store, OAXACA, days_ago(2), **ARCHIVED)

    overview = dashboard.national_overview(store, PUBLIC, list_limit=3, months=6)

    assert overview.figures == dashboard.national_figures(store, PUBLIC)
    pd.testing.assert_frame_equal(overview.states, dashboard.state_overview(store, PUBLIC))
    pd.testing.assert_frame_equal(overview.stalled, dashboard.stalled_stls(store, PUBLIC))
    pd.testing.assert_frame_equal(overview.overdue, dashboard.overdue_milestones(store, PUBLIC, limit=3))
    pd.testing.assert_frame_equal(overview.monthly, dashboard.activity_by_month(store, PUBLIC, months=6))
    pd.testing.assert_frame_equal(overview.recent, dashboard.recent_activity(store, PUBLIC, limit=3))
    assert overview.figures.overdue_agreements == 1
    assert overview.monthly["activities"].sum() == 2


def test_activity_by_month_groups_sessions_and_workshops(store: Store) -> None:
    add_session(store, OAXACA, date(2026, 11, 2), participant_total=12)
    add_session(store, OAXACA, date(2026, 11, 20), participant_total=8)
    add_session(store, CHIHUAHUA, date(2026, 10, 31), participant_total=5)
    add_session(store, OAXACA, date(2026, 9, 30), participant_total=99)  # before a 2-month window
    add_session(store, OAXACA, date(2026, 11, 27))  # after today
    add_session(store, OAXACA, date(2026, 11, 3), **ARCHIVED)
    add_workshop(store, OAXACA, date(2026, 10, 1), participant_total=30)

    frame = dashboard.activity_by_month(store, PUBLIC, months=2)
    rows = {(r.month, r.kind): (r.activities, r.participants) for r in frame.itertuples()}
    assert rows == {
        (date(2026, 10, 1), "session"): (1, 5),
        (date(2026, 10, 1), "workshop"): (1, 30),
        (date(2026, 11, 1), "session"): (2, 20),
        (date(2026, 11, 1), "workshop"): (0, 0),
    }
    oaxaca = dashboard.activity_by_month(store, PUBLIC, state_code=OAXACA, months=2)
    assert oaxaca["activities"].sum() == 3
    assert len(dashboard.activity_by_month(store, PUBLIC)) == 48
    january = dashboard.activity_by_month(store, PUBLIC, months=13, today=date(2027, 1, 15))
    assert january["month"].iloc[0] == date(2026, 1, 1)


def test_recent_activity_is_newest_first_and_labelled(store: Store) -> None:
    add_session(store, OAXACA, days_ago(3), session_type="working_table", public_summary="Mesa pública")
    add_workshop(store, CHIHUAHUA, days_ago(1), title="Taller de datos abiertos", participant_total=7)
    add_session(store, OAXACA, days_ago(9))
    add_session(store, OAXACA, days_ago(-2))  # planned
    add_workshop(store, OAXACA, days_ago(2), **ARCHIVED)
    frame = dashboard.recent_activity(store, PUBLIC, limit=2)
    assert frame["kind"].tolist() == ["workshop", "session"]
    assert frame["label"].tolist() == ["Taller de datos abiertos", "working_table"]
    assert frame["state_name"].tolist() == ["Chihuahua", "Oaxaca"]
    assert frame.iloc[0]["participant_total"] == 7
    assert frame.iloc[1]["public_summary"] == "Mesa pública"
    assert len(dashboard.recent_activity(store, PUBLIC, state_code=OAXACA)) == 2


def test_participation_by_sector_gender_sums_live_activities(store: Store) -> None:
    session_id = add_session(store, OAXACA, days_ago(10))
    old_session = add_session(store, OAXACA, days_ago(400))
    archived = add_session(store, OAXACA, days_ago(5), **ARCHIVED)
    workshop_id = add_workshop(store, CHIHUAHUA, days_ago(3))
    add_participants(store, [("civil_society", "women", 4), ("government", "men", 2)], session_id=session_id)
    add_participants(store, [("civil_society", "women", 6), ("academia", "other", 0)], session_id=old_session)
    add_participants(store, [("civil_society", "women", 50)], session_id=archived)
    add_participants(store, [("civil_society", "men", 3)], workshop_id=workshop_id)

    frame = dashboard.participation_by_sector_gender(store, PUBLIC)
    assert [tuple(r) for r in frame.itertuples(index=False)] == [
        ("session", "civil_society", "women", 10),
        ("session", "government", "men", 2),
        ("workshop", "civil_society", "men", 3),
    ]
    recent = dashboard.participation_by_sector_gender(store, PUBLIC, state_code=OAXACA, since=days_ago(30))
    assert recent["participants"].tolist() == [4, 2]


# ---- the SDG view ----------------------------------------------------------------------------------------------


def test_sdg_matrix_counts_distinct_commitments_of_programme_states(store: Store) -> None:
    plan_id = add_plan(store, CHIHUAHUA)
    add_commitment(store, plan_id, targets=["16.10", "16.6"])
    add_commitment(store, plan_id, targets=["16.7", "6.b"])
    add_commitment(store, plan_id, targets=["6.1"], **ARCHIVED)
    add_commitment(store, add_plan(store, AGUASCALIENTES), targets=["16.10"])  # outside the programme
    matrix = dashboard.sdg_matrix(store, PUBLIC)
    assert [(r.state_code, r.goal, r.commitments) for r in matrix.itertuples()] == [
        (CHIHUAHUA, 6, 1),
        (CHIHUAHUA, 16, 2),
    ]
    assert matrix.iloc[1]["colour"].startswith("#")

    contributions = dashboard.sdg_contributions(store, PUBLIC, state_code=CHIHUAHUA)
    assert contributions["target_code"].tolist() == ["16.6", "16.10", "6.b", "16.7"]
    assert dashboard.sdg_contributions(store, PUBLIC, goal=6)["target_code"].tolist() == ["6.b"]
    assert dashboard.sdg_contributions(store, PUBLIC, target="16.10")["state_code"].tolist() == [
        AGUASCALIENTES,
        CHIHUAHUA,
    ]


# ---- privacy ---------------------------------------------------------------------------------------------------


def test_no_frame_carries_a_private_column_or_value(store: Store) -> None:
    session_id = add_session(
        store, OAXACA, days_ago(3), summary="SECRETO de la sesión", public_summary="Público"
    )
    workshop_id = add_workshop(store, OAXACA, days_ago(2), notes="SECRETO del taller")
    add_participants(store, [("civil_society", "women", 3)], session_id=session_id)
    add_participants(store, [("government", "men", 2)], workshop_id=workshop_id)
    add_commitment(
        store, add_plan(store, CHIHUAHUA), [{"progress": 10, "due_date": days_ago(2)}], targets=["16.10"]
    )
    frames = [
        dashboard.state_overview(store, PUBLIC),
        dashboard.stalled_stls(store, PUBLIC),
        dashboard.overdue_milestones(store, PUBLIC),
        dashboard.list_commitments(store, PUBLIC),
        dashboard.sdg_matrix(store, PUBLIC),
        dashboard.sdg_contributions(store, PUBLIC),
        dashboard.activity_by_month(store, PUBLIC),
        dashboard.recent_activity(store, PUBLIC),
        dashboard.participation_by_sector_gender(store, PUBLIC),
    ]
    for frame in frames:
        assert not PRIVATE_COLUMNS & set(frame.columns)
        assert not frame.empty
        assert "SECRETO" not in frame.to_csv()
