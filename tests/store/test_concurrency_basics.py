"""Optimistic concurrency: two people open the same record at the same version and both save. The first save
stands; the second gets a ConflictError carrying what the first stored, and writes nothing (no lost update, no
stray history entry)."""

from __future__ import annotations

import pytest

from accompaniment.domain.errors import ConflictError, NotFound
from accompaniment.store import activity, commitments, secretariats
from accompaniment.store.agreements import agreement_history, follow_up_agreement
from accompaniment.store.database import Store
from tests.conftest import ACTORS, OAXACA
from tests.store.builders import (
    SPECIALIST,
    add_milestone,
    count_rows,
    days_ago,
    log_session,
    session_agreements,
    session_data,
)

ADMIN = ACTORS["admin"]


def test_a_second_session_edit_from_the_same_version_conflicts_and_the_first_stands(store: Store) -> None:
    session_id = log_session(store)
    version = activity.get_session(store, SPECIALIST, session_id)["version"]
    first = session_data(topics="Versión de la especialista", participants={"academia": {"women": 3}})
    second = session_data(topics="Versión de la administración", participants={"private": {"men": 9}})

    activity.edit_session(store, SPECIALIST, session_id, version, first)
    audit_before = count_rows(store, "audit_entry", "participation")
    with pytest.raises(ConflictError) as conflict:
        activity.edit_session(store, ADMIN, session_id, version, second)

    assert conflict.value.current["topics"] == "Versión de la especialista"
    assert conflict.value.current["version"] == version + 1
    stored = activity.get_session(store, SPECIALIST, session_id)
    assert stored["topics"] == "Versión de la especialista"
    assert stored["participants"] == {"academia": {"women": 3}}
    assert count_rows(store, "audit_entry", "participation") == audit_before


def test_a_second_milestone_update_from_the_same_version_conflicts_and_the_first_stands(store: Store) -> None:
    milestone_id = add_milestone(store)

    commitments.update_milestone(
        store,
        ACTORS["secretariat_own"],
        milestone_id,
        1,
        {"progress": 60, "status": "in_progress", "note": "Reporte del secretariado"},
    )
    with pytest.raises(ConflictError) as conflict:
        commitments.update_milestone(
            store,
            SPECIALIST,
            milestone_id,
            1,
            {"progress": 20, "status": "in_progress", "note": "Reporte atrasado"},
        )

    assert (conflict.value.current["progress"], conflict.value.current["version"]) == (60.0, 2)
    timeline = commitments.milestone_timeline(store, SPECIALIST, milestone_id)
    assert list(timeline["note"]) == ["Reporte del secretariado"]
    assert list(timeline["progress"]) == [60.0]


def test_a_second_agreement_follow_up_from_the_same_version_conflicts_and_the_first_stands(
    store: Store,
) -> None:
    session_id = log_session(store)
    agreement = session_agreements(store, session_id)[0]

    follow_up_agreement(
        store,
        SPECIALIST,
        agreement["id"],
        agreement["version"],
        {"status": "done", "changed_on": days_ago(1), "note": "Enviada"},
    )
    with pytest.raises(ConflictError) as conflict:
        follow_up_agreement(
            store,
            ADMIN,
            agreement["id"],
            agreement["version"],
            {"status": "cancelled", "changed_on": days_ago(1), "note": "Cancelada"},
        )

    assert conflict.value.current["status"] == "done"
    assert conflict.value.current["closed_on"] == days_ago(1)
    assert session_agreements(store, session_id)[0]["status"] == "done"
    history = agreement_history(store, SPECIALIST, agreement["id"])
    assert list(history["status"]) == ["done"]


def test_a_second_phase_change_from_the_same_version_conflicts_and_the_first_stands(store: Store) -> None:
    version = secretariats.get_secretariat(store, ADMIN, OAXACA).version
    events_before = count_rows(store, "phase_event")

    secretariats.change_phase(store, SPECIALIST, OAXACA, version, {"phase": 5, "changed_on": days_ago(3)})
    with pytest.raises(ConflictError) as conflict:
        secretariats.change_phase(
            store, ACTORS["working_group"], OAXACA, version, {"phase": 3, "changed_on": days_ago(2)}
        )

    assert (conflict.value.current["phase"], conflict.value.current["phase_since"]) == (5, days_ago(3))
    oaxaca = secretariats.get_secretariat(store, ADMIN, OAXACA)
    assert (oaxaca.phase, oaxaca.phase_since, oaxaca.version) == (5, days_ago(3), version + 1)
    assert count_rows(store, "phase_event")["phase_event"] == events_before["phase_event"] + 1


def test_saving_the_same_values_twice_from_one_version_still_conflicts(store: Store) -> None:
    """Nothing changed is still a save: the version moves, so a stale form cannot slip through unnoticed."""
    milestone_id = add_milestone(store)
    data = {"progress": 30, "status": "in_progress"}

    commitments.update_milestone(store, SPECIALIST, milestone_id, 1, data)
    with pytest.raises(ConflictError):
        commitments.update_milestone(store, SPECIALIST, milestone_id, 1, data)


def test_editing_a_record_that_does_not_exist_is_not_found_rather_than_a_conflict(store: Store) -> None:
    with pytest.raises(NotFound):
        activity.edit_session(store, SPECIALIST, 999_999, 1, session_data())
