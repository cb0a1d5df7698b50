"""Action plans, commitments (OGP values, SDG targets, IRM-style assessment) and milestones with their timeline,
on both backends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accompaniment.domain.errors import NotFound, PermissionDenied, ValidationError
from accompaniment.store import commitments
from accompaniment.store.database import Store
from tests.conftest import ACTORS, FIXED_NOW, OAXACA
from tests.store.builders import (
    SPECIALIST,
    TODAY,
    add_milestone,
    count_rows,
    first_commitment,
    first_plan,
    milestone_version,
)

COMMITMENT_TABLES = ("commitment", "commitment_ogp_value", "commitment_sdg_target", "audit_entry")
DETAIL_COLUMNS = {"recorded_by", "evidence_note", "note"}


def new_commitment(store: Store, **overrides) -> int:
    data = {
        "plan_id": first_plan(store),
        "number": 7,
        "title": "Datos abiertos de calidad del agua en comunidades rurales",
        "public_problem": "Las comunidades no conocen la calidad del agua que consumen.",
        "objective": "Publicar mediciones trimestrales en formato abierto.",
        "lead_institution": "Comisión Estatal del Agua",
        "start_date": date(2026, 1, 1),
        "end_date": date(2027, 12, 31),
        "ogp_values": ["technology_innovation", "access_to_information"],
        "sdg_targets": ["16.10", "6.b", "16.6"],
        **overrides,
    }
    return commitments.create_commitment(store, SPECIALIST, data)


def update(store: Store, milestone_id: int, actor_role: str = "specialist", **data) -> dict:
    return commitments.update_milestone(
        store, ACTORS[actor_role], milestone_id, milestone_version(store, milestone_id), data
    )


# ---- plans and commitments -------------------------------------------------------------------------------------------


def test_creating_a_plan_stores_the_states_next_plan(store: Store) -> None:
    plan_id = commitments.create_plan(
        store,
        SPECIALIST,
        {
            "state_code": OAXACA,
            "number": 2,
            "period_start": date(2026, 1, 1),
            "period_end": date(2027, 12, 31),
            "published_on": date(2026, 1, 15),
            "link": "https://gobiernoabierto.example.org/oaxaca/pal2",
        },
    )

    commitment_id = new_commitment(store, plan_id=plan_id, number=1)
    stored = commitments.get_commitment(store, ACTORS["public"], commitment_id)
    assert stored["plan_id"] == plan_id
    assert stored["plan_number"] == 2
    assert stored["state_code"] == OAXACA


def test_a_second_plan_with_the_same_number_is_refused_as_a_duplicate(store: Store) -> None:
    before = count_rows(store, "action_plan", "audit_entry")

    with pytest.raises(ValidationError) as refused:
        commitments.create_plan(store, SPECIALIST, {"state_code": OAXACA, "number": 1})

    assert [(p.field, p.code) for p in refused.value.problems] == [("form", "duplicate")]
    assert count_rows(store, "action_plan", "audit_entry") == before


def test_a_plan_that_ends_before_it_starts_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError) as refused:
        commitments.create_plan(
            store,
            SPECIALIST,
            {
                "state_code": OAXACA,
                "number": 2,
                "period_start": date(2027, 1, 1),
                "period_end": date(2026, 1, 1),
            },
        )

    assert [(p.field, p.code) for p in refused.value.problems] == [("period_end", "end_before_start")]


def test_a_commitment_is_stored_with_its_ogp_values_and_sdg_targets_in_natural_order(store: Store) -> None:
    before = count_rows(store, *COMMITMENT_TABLES)

    commitment_id = new_commitment(store)

    after = count_rows(store, *COMMITMENT_TABLES)
    assert {name: after[name] - before[name] for name in COMMITMENT_TABLES} == {
        "commitment": 1,
        "commitment_ogp_value": 2,
        "commitment_sdg_target": 3,
        "audit_entry": 1,
    }
    stored = commitments.get_commitment(store, ACTORS["public"], commitment_id)
    assert stored["title"] == "Datos abiertos de calidad del agua en comunidades rurales"
    assert stored["state_name"] == "Oaxaca"
    assert stored["ogp_values"] == ["access_to_information", "technology_innovation"]
    assert stored["sdg_targets"] == ["6.b", "16.6", "16.10"]
    assert stored["milestones"] == []
    assert (stored["verifiable"], stored["ambition"], stored["early_results"]) == (None, None, None)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        pytest.param(
            {"sdg_targets": ["16.10", "16.99"]},
            "sdg_targets",
            "unknown_target",
            id="a well-formed target that does not exist",
        ),
        pytest.param({"sdg_targets": ["16.x1"]}, "sdg_targets", "unknown_target", id="a malformed target"),
        pytest.param(
            {"ogp_values": ["openness"]}, "ogp_values.0", "not_an_option", id="an unknown OGP value"
        ),
        pytest.param({"title": ""}, "title", "required", id="no title"),
        pytest.param(
            {"end_date": date(2025, 1, 1)}, "end_date", "end_before_start", id="ends before it starts"
        ),
        pytest.param(
            {"lead_institution": "x" * 301}, "lead_institution", "too_long", id="an over-long institution"
        ),
    ],
)
def test_a_commitment_with_a_bad_field_is_refused_and_nothing_is_written(
    store: Store, overrides: dict, field: str, code: str
) -> None:
    before = count_rows(store, *COMMITMENT_TABLES)

    with pytest.raises(ValidationError) as refused:
        new_commitment(store, **overrides)

    assert [(p.field, p.code) for p in refused.value.problems] == [(field, code)]
    assert count_rows(store, *COMMITMENT_TABLES) == before


def test_a_commitment_for_a_plan_that_does_not_exist_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError) as refused:
        new_commitment(store, plan_id=999_999)

    assert refused.value.for_field("plan_id")


def test_editing_a_commitment_replaces_its_fields_and_links(store: Store) -> None:
    commitment_id = new_commitment(store)
    add_milestone(store, commitment_id)

    edited = commitments.edit_commitment(
        store,
        SPECIALIST,
        commitment_id,
        1,
        {
            "plan_id": first_plan(store),
            "number": 7,
            "title": "Agua limpia con datos abiertos",
            "ogp_values": ["civic_participation"],
            "sdg_targets": ["6.b"],
        },
    )

    assert edited["version"] == 2
    stored = commitments.get_commitment(store, ACTORS["public"], commitment_id)
    assert stored["title"] == "Agua limpia con datos abiertos"
    assert stored["ogp_values"] == ["civic_participation"]
    assert stored["sdg_targets"] == ["6.b"]
    assert len(stored["milestones"]) == 1


def test_the_working_group_records_an_irm_assessment(store: Store) -> None:
    commitment_id = first_commitment(store)

    assessed = commitments.assess_commitment(
        store,
        ACTORS["working_group"],
        commitment_id,
        1,
        {"verifiable": True, "ambition": "substantial", "early_results": "major"},
    )

    assert assessed["version"] == 2
    stored = commitments.get_commitment(store, ACTORS["public"], commitment_id)
    assert (stored["verifiable"], stored["ambition"], stored["early_results"]) == (
        True,
        "substantial",
        "major",
    )


def test_an_assessment_outside_the_irm_scale_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError) as refused:
        commitments.assess_commitment(
            store, ACTORS["working_group"], first_commitment(store), 1, {"ambition": "transformative"}
        )

    assert [(p.field, p.code) for p in refused.value.problems] == [("ambition", "not_an_option")]


def test_the_specialist_cannot_assess_a_commitment(store: Store) -> None:
    with pytest.raises(PermissionDenied):
        commitments.assess_commitment(store, SPECIALIST, first_commitment(store), 1, {"verifiable": False})


# ---- milestones --------------------------------------------------------------------------------------------------------


def test_a_new_milestone_starts_not_started_with_weight_one(store: Store) -> None:
    commitment_id = first_commitment(store)

    milestone_id = add_milestone(store, commitment_id)

    (stored,) = commitments.get_commitment(store, ACTORS["public"], commitment_id)["milestones"]
    assert stored["id"] == milestone_id
    assert (stored["number"], stored["weight"], stored["progress"], stored["status"]) == (
        1,
        1.0,
        0.0,
        "not_started",
    )
    assert stored["due_date"] == TODAY + timedelta(days=60)
    assert stored["completed_on"] is None


def test_a_milestone_for_a_commitment_that_does_not_exist_is_not_created(store: Store) -> None:
    before = count_rows(store, "milestone", "audit_entry")

    with pytest.raises((NotFound, ValidationError)):
        add_milestone(store, 999_999)

    assert count_rows(store, "milestone", "audit_entry") == before


def test_updating_a_milestone_writes_a_timeline_entry_with_author_and_date(store: Store) -> None:
    milestone_id = add_milestone(store)

    updated = update(
        store,
        milestone_id,
        "secretariat_own",
        progress=40,
        status="in_progress",
        evidence_url="https://oaxaca.example.org/minuta.pdf",
        note="Diagnóstico a medias",
    )

    assert (updated["progress"], updated["status"], updated["version"]) == (40.0, "in_progress", 2)
    timeline = commitments.milestone_timeline(store, ACTORS["specialist"], milestone_id)
    assert timeline.to_dict("records") == [
        {
            "recorded_at": FIXED_NOW,
            "progress": 40.0,
            "status": "in_progress",
            "evidence_url": "https://oaxaca.example.org/minuta.pdf",
            "recorded_by": "sec-oaxaca",
            "evidence_note": "",
            "note": "Diagnóstico a medias",
        }
    ]


def test_completing_a_milestone_without_evidence_is_refused_and_nothing_is_written(store: Store) -> None:
    milestone_id = add_milestone(store)
    before = count_rows(store, "milestone_update", "audit_entry")

    with pytest.raises(ValidationError) as refused:
        update(store, milestone_id, progress=100, status="complete")

    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("evidence_url", "complete_needs_evidence")
    ]
    assert count_rows(store, "milestone_update", "audit_entry") == before
    assert milestone_version(store, milestone_id) == 1


def test_lowering_a_milestones_progress_without_a_reason_is_refused_naming_the_note(store: Store) -> None:
    milestone_id = add_milestone(store)
    update(store, milestone_id, progress=80, status="in_progress", note="Primer avance")
    before = count_rows(store, "milestone_update", "audit_entry")

    with pytest.raises(ValidationError) as refused:
        update(store, milestone_id, progress=65, status="in_progress", note="   ")

    assert [(p.field, p.code, p.params) for p in refused.value.problems] == [
        ("note", "reason_for_lower_progress", {"before": 80, "after": 65})
    ]
    assert refused.value.message("es") == "Nota: explique por qué baja el avance del hito (de 80 % a 65 %)."
    assert count_rows(store, "milestone_update", "audit_entry") == before


def test_lowering_a_milestones_progress_with_a_reason_is_kept_on_its_timeline(store: Store) -> None:
    milestone_id = add_milestone(store)
    update(store, milestone_id, progress=80, status="in_progress", note="Primer avance")

    lowered = update(
        store, milestone_id, progress=65, status="in_progress", note="La minuta no estaba firmada"
    )

    assert lowered["progress"] == 65.0
    timeline = commitments.milestone_timeline(store, ACTORS["specialist"], milestone_id)
    assert list(timeline["note"]) == ["Primer avance", "La minuta no estaba firmada"]


def test_completing_a_milestone_with_evidence_sets_progress_to_100_and_the_completion_date(
    store: Store,
) -> None:
    milestone_id = add_milestone(store)

    completed = update(
        store,
        milestone_id,
        progress=40,
        status="complete",
        evidence_url="https://oaxaca.example.org/informe.pdf",
    )

    assert completed["status"] == "complete"
    assert completed["progress"] == 100.0
    assert completed["completed_on"] == TODAY
    assert list(commitments.milestone_timeline(store, SPECIALIST, milestone_id)["progress"]) == [100.0]


def test_evidence_already_on_the_milestone_is_enough_to_complete_it(store: Store) -> None:
    milestone_id = add_milestone(store)
    update(
        store, milestone_id, progress=60, status="in_progress", evidence_note="Acta firmada el 3 de noviembre"
    )

    completed = update(store, milestone_id, progress=100, status="complete")

    assert completed["status"] == "complete"
    assert completed["evidence_note"] == "Acta firmada el 3 de noviembre"
    assert len(commitments.milestone_timeline(store, SPECIALIST, milestone_id)) == 2


def test_reopening_a_completed_milestone_clears_its_completion_date(store: Store) -> None:
    milestone_id = add_milestone(store)
    update(store, milestone_id, progress=100, status="complete", evidence_url="https://oaxaca.example.org/a")

    reopened = update(store, milestone_id, progress=80, status="in_progress", note="Falta la evidencia final")

    assert (reopened["status"], reopened["progress"], reopened["completed_on"]) == ("in_progress", 80.0, None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"progress": 101, "status": "in_progress"}, "progress", id="progress above 100"),
        pytest.param({"progress": -5, "status": "in_progress"}, "progress", id="negative progress"),
        pytest.param({"progress": 10, "status": "done"}, "status", id="an unknown status"),
        pytest.param(
            {"progress": 10, "status": "in_progress", "evidence_url": "ftp://x"},
            "evidence_url",
            id="evidence that is not a web link",
        ),
    ],
)
def test_a_milestone_update_with_a_bad_field_is_refused(store: Store, data: dict, field: str) -> None:
    milestone_id = add_milestone(store)

    with pytest.raises(ValidationError) as refused:
        update(store, milestone_id, **data)

    assert [p.field for p in refused.value.problems] == [field]
    assert milestone_version(store, milestone_id) == 1


TIMELINE_DETAIL_VISIBLE = {
    "public": False,
    "secretariat_own": True,
    "secretariat_other": False,
    "specialist": True,
    "working_group": True,
    "admin": True,
}


def test_the_timeline_shows_authors_and_notes_only_to_the_states_secretariat_and_staff(store: Store) -> None:
    commitment_id = first_commitment(store)
    milestone_id = add_milestone(store, commitment_id)
    update(
        store,
        milestone_id,
        progress=30,
        status="in_progress",
        note="Nota interna del hito",
        evidence_note="Oficio 123/2026",
    )

    for role, visible in TIMELINE_DETAIL_VISIBLE.items():
        timeline = commitments.milestone_timeline(store, ACTORS[role], milestone_id)
        by_commitment = commitments.commitment_timeline(store, ACTORS[role], commitment_id)
        assert DETAIL_COLUMNS.issubset(timeline.columns) is visible, role
        assert DETAIL_COLUMNS.isdisjoint(timeline.columns) is not visible, role
        assert DETAIL_COLUMNS.issubset(by_commitment.columns) is visible, role
        assert list(timeline["progress"]) == [30.0], role
        milestones = commitments.get_commitment(store, ACTORS[role], commitment_id)["milestones"]
        assert ("evidence_note" in milestones[0]) is visible, role


def test_the_commitment_timeline_gathers_its_milestones_updates_oldest_first(store: Store) -> None:
    commitment_id = first_commitment(store)
    first = add_milestone(store, commitment_id, number=1)
    second = add_milestone(store, commitment_id, number=2)
    update(store, second, progress=10, status="in_progress")
    update(store, first, progress=50, status="in_progress")

    timeline = commitments.commitment_timeline(store, ACTORS["public"], commitment_id)

    assert list(zip(timeline["milestone_number"], timeline["progress"], strict=True)) == [
        (2, 10.0),
        (1, 50.0),
    ]
