"""The sessions as a reader sees them (issue 21, item 9): a state's sessions a page at a time with topics, public
summary, participants and agreements, the private summary only for those allowed; a commitment's linked
agreements and sessions; and what one STL has pending (``store.pending``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accompaniment.domain.errors import NotFound
from accompaniment.store import activity, agreements, archive, commitments, pending, session_records
from accompaniment.store.database import Store
from tests.conftest import ACTORS, OAXACA, TLAXCALA
from tests.store.builders import (
    PARTICIPANTS,
    SPECIALIST,
    TODAY,
    add_milestone,
    days_ago,
    first_commitment,
    log_session,
    session_data,
)

PRIVATE = "Tensión entre la contraloría y las OSC por los plazos."


@pytest.mark.parametrize("viewer", ["public", "secretariat_own", "secretariat_other"])
def test_a_reader_without_private_access_gets_topics_and_public_summary_but_no_private_summary(
    store: Store, viewer: str
) -> None:
    log_session(store)

    [record] = session_records.session_records(store, ACTORS[viewer], OAXACA)

    assert record.topics == "Seguimiento de hitos del primer plan"
    assert record.public_summary == "El STL revisó el avance de los compromisos."
    assert record.summary is None
    assert PRIVATE not in repr(record)


@pytest.mark.parametrize("viewer", ["specialist", "working_group", "admin"])
def test_the_specialist_the_working_group_and_admins_get_the_private_summary(
    store: Store, viewer: str
) -> None:
    log_session(store)

    [record] = session_records.session_records(store, ACTORS[viewer], OAXACA)

    assert record.summary == PRIVATE


def test_a_record_holds_participants_by_sector_and_gender_organisations_and_its_agreements(
    store: Store,
) -> None:
    session_id = log_session(store)

    [record] = session_records.session_records(store, ACTORS["public"], OAXACA)

    assert record.id == session_id
    assert (record.session_type, record.modality, record.held_on) == ("plenary", "hybrid", days_ago(10))
    assert record.participants == PARTICIPANTS
    assert record.participant_total == 16
    assert record.organizations[0] == "Colectivo Oaxaqueño por la Transparencia"
    assert list(record.agreements["text"]) == [
        "Enviar la minuta a las personas integrantes",
        "Convocar a una mesa de trabajo con el órgano garante",
        "Publicar el avance en el micrositio",
    ]
    assert list(record.agreements["overdue"]) == [True, False, False]


def test_sessions_are_listed_newest_first_a_page_at_a_time_without_archived_ones_or_other_states(
    store: Store,
) -> None:
    ids = [log_session(store, held_on=days_ago(days), agreements=[]) for days in (30, 10, 20)]
    log_session(store, state_code=TLAXCALA, agreements=[])
    archived = log_session(store, held_on=days_ago(1), agreements=[])
    archive.archive(store, SPECIALIST, "dialogue_session", archived, 1)
    public = ACTORS["public"]

    assert session_records.count_sessions(store, public, OAXACA) == 3
    first = session_records.session_records(store, public, OAXACA, limit=2)
    second = session_records.session_records(store, public, OAXACA, limit=2, offset=2)
    assert [r.id for r in first] == [ids[1], ids[2]]
    assert [r.id for r in second] == [ids[0]]
    assert session_records.session_records(store, public, "31") == []


def test_an_archived_agreement_is_not_listed_under_its_session(store: Store) -> None:
    session_id = log_session(store)
    first = activity.get_session(store, SPECIALIST, session_id)["agreements"][0]
    archive.archive(store, SPECIALIST, "agreement", first["id"], first["version"])

    [record] = session_records.session_records(store, ACTORS["public"], OAXACA)

    assert len(record.agreements) == 2


def test_a_commitment_lists_its_linked_agreements_and_the_sessions_that_took_them(store: Store) -> None:
    linked = first_commitment(store)
    older = log_session(store, held_on=days_ago(40), agreements=[
        {"text": "Acuerdo vinculado de la sesión anterior", "commitment_id": linked, "due_date": days_ago(5)},
        {"text": "Acuerdo sin vínculo", "due_date": days_ago(5)},
    ])  # fmt: skip
    newer = log_session(store, held_on=days_ago(8), agreements=[
        {"text": "Acuerdo vinculado reciente", "commitment_id": linked, "due_date": TODAY + timedelta(days=9)},
    ])  # fmt: skip
    log_session(store, held_on=days_ago(3), agreements=[{"text": "Otro acuerdo"}])

    links = session_records.commitment_links(store, ACTORS["public"], linked)

    assert list(links.agreements["text"]) == [
        "Acuerdo vinculado de la sesión anterior",
        "Acuerdo vinculado reciente",
    ]
    assert list(links.agreements["overdue"]) == [True, False]
    assert list(links.sessions["id"]) == [newer, older]
    assert list(links.sessions["linked_agreements"]) == [1, 1]
    assert "summary" not in links.sessions.columns  # the private summary is not part of this view


def test_an_agreement_linked_later_in_its_follow_up_joins_the_commitments_links(store: Store) -> None:
    linked = first_commitment(store)
    session_id = log_session(store, agreements=[{"text": "Acuerdo que se vincula después"}])
    item = activity.get_session(store, SPECIALIST, session_id)["agreements"][0]
    assert session_records.commitment_links(store, ACTORS["public"], linked).agreements.empty

    agreements.follow_up_agreement(
        store, SPECIALIST, item["id"], item["version"],
        {"status": "in_progress", "changed_on": TODAY, "note": "", "commitment_id": linked},
    )  # fmt: skip

    links = session_records.commitment_links(store, ACTORS["public"], linked)
    assert list(links.agreements["text"]) == ["Acuerdo que se vincula después"]
    assert list(links.sessions["id"]) == [session_id]


def test_the_links_of_an_unknown_commitment_are_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        session_records.commitment_links(store, ACTORS["public"], 999_999)


# ---- what one STL has pending --------------------------------------------------------------------------------


def test_pending_items_list_overdue_milestones_first_then_those_due_soon_with_days_overdue(
    store: Store,
) -> None:
    commitment_id = first_commitment(store)
    late = add_milestone(store, commitment_id, number=1, due_date=days_ago(12))
    soon = add_milestone(store, commitment_id, number=2, due_date=TODAY + timedelta(days=5))
    add_milestone(store, commitment_id, number=3, due_date=TODAY + timedelta(days=200))  # not soon
    done = add_milestone(store, commitment_id, number=4, due_date=days_ago(30))
    commitments.update_milestone(store, SPECIALIST, done, 1, {
        "progress": 100, "status": "complete", "evidence_url": "https://example.org/minuta", "note": "",
    })  # fmt: skip

    items = pending.pending_items(store, ACTORS["public"], OAXACA, soon_days=30)

    assert list(items.milestones["milestone_id"]) == [late, soon]
    assert list(items.milestones["days_overdue"]) == [12, -5]
    assert list(items.milestones["overdue"]) == [True, False]
    assert (items.overdue_milestones, items.due_soon_milestones) == (1, 1)


def test_pending_items_list_the_open_agreements_overdue_first_and_count_them(store: Store) -> None:
    session_id = log_session(store)  # one overdue by 3 days, one due in 20 days, one undated
    log_session(store, state_code=TLAXCALA)
    closed = activity.get_session(store, SPECIALIST, session_id)["agreements"][1]
    agreements.follow_up_agreement(
        store,
        SPECIALIST,
        closed["id"],
        closed["version"],
        {"status": "done", "changed_on": TODAY, "note": ""},
    )

    items = pending.pending_items(store, ACTORS["public"], OAXACA)

    texts = [a["text"] for a in session_data()["agreements"]]
    assert list(items.agreements["text"]) == [texts[0], texts[2]]
    assert items.agreements["days_overdue"].iloc[0] == 3
    assert items.agreements["days_overdue"].isna().iloc[1]
    assert (items.open_agreements, items.overdue_agreements) == (2, 1)


def test_pending_items_of_a_state_with_nothing_pending_are_empty(store: Store) -> None:
    items = pending.pending_items(store, ACTORS["public"], "31")

    assert items.milestones.empty and items.agreements.empty
    assert (items.overdue_milestones, items.due_soon_milestones, items.open_agreements) == (0, 0, 0)
