"""Nothing is deleted outright: archiving hides a record, only an admin restores it, and both are versioned edits."""

from __future__ import annotations

import pytest

from accompaniment.domain.errors import ConflictError, NotFound, PermissionDenied
from accompaniment.store import activity, archive, commitments
from accompaniment.store.agreements import open_agreements
from accompaniment.store.database import Store
from tests.conftest import ACTORS, FIXED_NOW
from tests.store.builders import (
    SPECIALIST,
    add_milestone,
    count_rows,
    first_commitment,
    log_session,
    session_data,
)

ADMIN = ACTORS["admin"]
PUBLIC = ACTORS["public"]


def test_an_archived_session_disappears_from_lists_and_lookups_but_stays_in_the_database(
    store: Store,
) -> None:
    kept = log_session(store, held_on=FIXED_NOW.date())
    archived = log_session(store)
    rows_before = count_rows(store, "dialogue_session", "agreement")

    stored = archive.archive(store, SPECIALIST, "dialogue_session", archived, 1)

    assert stored["archived_at"] == FIXED_NOW
    assert stored["version"] == 2
    assert list(activity.list_sessions(store, PUBLIC)["id"]) == [kept]
    with pytest.raises(NotFound):
        activity.get_session(store, ADMIN, archived)
    assert set(open_agreements(store, PUBLIC)["session_id"]) == {kept}
    assert activity.likely_duplicates(store, SPECIALIST, "20", stored["held_on"], "plenary") == []
    assert count_rows(store, "dialogue_session", "agreement") == rows_before


def test_staff_who_write_activity_can_list_archived_sessions_and_others_cannot(store: Store) -> None:
    archived = log_session(store)
    archive.archive(store, SPECIALIST, "dialogue_session", archived, 1)

    with_archived = activity.list_sessions(store, SPECIALIST, include_archived=True)
    public_view = activity.list_sessions(store, PUBLIC, include_archived=True)

    assert list(zip(with_archived["id"], with_archived["archived"], strict=True)) == [(archived, True)]
    assert public_view.empty


def test_an_admin_restores_an_archived_session(store: Store) -> None:
    session_id = log_session(store)
    archive.archive(store, SPECIALIST, "dialogue_session", session_id, 1)

    restored = archive.restore(store, ADMIN, "dialogue_session", session_id)

    assert restored["archived_at"] is None
    assert restored["version"] == 3
    assert list(activity.list_sessions(store, PUBLIC)["id"]) == [session_id]
    assert len(activity.get_session(store, PUBLIC, session_id)["agreements"]) == 3


def test_the_specialist_cannot_restore(store: Store) -> None:
    session_id = log_session(store)
    archive.archive(store, SPECIALIST, "dialogue_session", session_id, 1)

    with pytest.raises(PermissionDenied):
        archive.restore(store, SPECIALIST, "dialogue_session", session_id)

    assert activity.list_sessions(store, PUBLIC).empty


def test_archiving_from_a_stale_version_is_a_conflict(store: Store) -> None:
    session_id = log_session(store)
    activity.edit_session(store, SPECIALIST, session_id, 1, session_data(topics="Editada", agreements=[]))

    with pytest.raises(ConflictError) as conflict:
        archive.archive(store, SPECIALIST, "dialogue_session", session_id, 1)

    assert conflict.value.current["version"] == 2
    assert conflict.value.current["archived_at"] is None
    assert list(activity.list_sessions(store, PUBLIC)["id"]) == [session_id]


def test_an_archived_milestone_leaves_its_commitment(store: Store) -> None:
    commitment_id = first_commitment(store)
    kept = add_milestone(store, commitment_id, number=1)
    archived = add_milestone(store, commitment_id, number=2)

    archive.archive(store, SPECIALIST, "milestone", archived, 1)

    milestones = commitments.get_commitment(store, PUBLIC, commitment_id)["milestones"]
    assert [m["id"] for m in milestones] == [kept]


def test_an_entity_that_cannot_be_archived_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        archive.archive(store, ADMIN, "state", 20, 1)
    with pytest.raises(NotFound):
        archive.archive(store, ADMIN, "dialogue_session", 999_999, 1)
