"""Workshops, dialogue sessions and agreements, on both backends: what is stored, what is refused (with nothing
written), and who sees the private notes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accompaniment.domain.errors import NotFound, ValidationError
from accompaniment.store import activity, archive
from accompaniment.store.agreements import (
    add_agreement,
    agreement_history,
    follow_up_agreement,
    open_agreements,
)
from accompaniment.store.database import Store
from accompaniment.store.schema import agreement_update, participation
from tests.conftest import ACTORS, FIXED_NOW, OAXACA, TLAXCALA
from tests.store.builders import (
    ORGANIZATIONS,
    PARTICIPANT_TOTAL,
    PARTICIPANTS,
    SPECIALIST,
    TODAY,
    count_rows,
    days_ago,
    first_commitment,
    log_session,
    session_agreements,
    session_data,
    workshop_data,
)

ACTIVITY_TABLES = ("dialogue_session", "agreement", "participation", "session_organization", "audit_entry")


def participation_rows(store: Store, session_id: int) -> set[tuple[str, str, int]]:
    with store.read() as connection:
        rows = connection.execute(
            select(participation.c.sector, participation.c.gender, participation.c.count).where(
                participation.c.session_id == session_id
            )
        ).all()
    return {(r.sector, r.gender, r.count) for r in rows}


def grid_rows(grid: dict[str, dict[str, int]]) -> set[tuple[str, str, int]]:
    return {
        (sector, gender, count) for sector, by_gender in grid.items() for gender, count in by_gender.items()
    }


# ---- sessions ------------------------------------------------------------------------------------------------------


def test_logging_a_session_writes_one_session_three_agreements_and_the_participant_grid(store: Store) -> None:
    before = count_rows(store, *ACTIVITY_TABLES)

    session_id = log_session(store)

    after = count_rows(store, *ACTIVITY_TABLES)
    assert after["dialogue_session"] - before["dialogue_session"] == 1
    assert after["agreement"] - before["agreement"] == 3
    assert after["session_organization"] - before["session_organization"] == 3
    assert after["participation"] - before["participation"] == 6  # one row per non-empty sector × gender cell
    assert after["audit_entry"] - before["audit_entry"] == 1
    assert participation_rows(store, session_id) == grid_rows(PARTICIPANTS)


def test_participant_counts_typed_as_text_are_stored_as_numbers(store: Store) -> None:
    session_id = log_session(
        store, participants={"civil_society": {"women": "7", "men": " 2 "}}, agreements=[]
    )

    assert participation_rows(store, session_id) == {
        ("civil_society", "women", 7),
        ("civil_society", "men", 2),
    }
    assert activity.get_session(store, SPECIALIST, session_id)["participant_total"] == 9


def test_get_session_returns_the_session_with_its_participants_organisations_and_agreements(
    store: Store,
) -> None:
    session_id = log_session(store)

    session = activity.get_session(store, SPECIALIST, session_id)

    assert session["state_code"] == OAXACA
    assert session["held_on"] == days_ago(10)
    assert session["session_type"] == "plenary"
    assert session["phase"] == 4
    assert session["consensus"] == 4
    assert session["participant_total"] == PARTICIPANT_TOTAL
    assert session["version"] == 1
    assert session["is_demo"] is False
    assert session["created_at"] == FIXED_NOW
    assert session["participants"] == PARTICIPANTS
    assert session["organizations"] == ORGANIZATIONS
    agreements = session["agreements"]
    assert [a["position"] for a in agreements] == [0, 1, 2]
    assert [a["status"] for a in agreements] == ["pending"] * 3
    assert agreements[0]["text"] == "Enviar la minuta a las personas integrantes"
    assert agreements[1]["responsible_organization"] == "IAIP Oaxaca"
    assert agreements[2]["due_date"] is None


def test_get_session_of_an_unknown_id_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        activity.get_session(store, SPECIALIST, 999_999)


def test_editing_a_session_replaces_its_fields_grid_and_organisations_and_appends_new_agreements(
    store: Store,
) -> None:
    session_id = log_session(store)
    new_grid = {"academia": {"women": 2}, "private": {"men": 1}}

    edited = activity.edit_session(
        store,
        SPECIALIST,
        session_id,
        1,
        session_data(
            topics="Cierre del primer plan",
            participants=new_grid,
            organizations=["Universidad"],
            agreements=[{"text": "Redactar el informe de cierre"}],
        ),
    )

    assert edited["version"] == 2
    assert edited["topics"] == "Cierre del primer plan"
    assert edited["participant_total"] == 3
    session = activity.get_session(store, SPECIALIST, session_id)
    assert session["participants"] == new_grid
    assert participation_rows(store, session_id) == grid_rows(new_grid)
    assert session["organizations"] == ["Universidad"]
    assert [(a["position"], a["text"]) for a in session["agreements"]][-1] == (
        3,
        "Redactar el informe de cierre",
    )
    assert len(session["agreements"]) == 4


def test_likely_duplicates_finds_sessions_of_the_same_state_date_and_type(store: Store) -> None:
    session_id = log_session(store)
    log_session(store, session_type="working_table")
    log_session(store, state_code=TLAXCALA, agreements=[])

    assert activity.likely_duplicates(store, SPECIALIST, OAXACA, days_ago(10), "plenary") == [session_id]
    assert activity.likely_duplicates(store, SPECIALIST, OAXACA, days_ago(11), "plenary") == []
    assert activity.likely_duplicates(store, SPECIALIST, OAXACA, days_ago(10), "bilateral") == []


def test_list_sessions_shows_newest_first_with_agreement_counts_and_no_private_summary(store: Store) -> None:
    older = log_session(store, held_on=days_ago(40))
    newer = log_session(store, held_on=days_ago(2), agreements=[])
    other_state = log_session(store, state_code=TLAXCALA, held_on=days_ago(20), agreements=[])

    sessions = activity.list_sessions(store, ACTORS["public"])

    assert list(sessions["id"]) == [newer, other_state, older]
    assert list(sessions["agreements"]) == [0, 0, 3]
    assert list(sessions["state_name"]) == ["Oaxaca", "Tlaxcala", "Oaxaca"]
    assert "summary" not in sessions.columns
    assert list(activity.list_sessions(store, ACTORS["public"], state_code=OAXACA)["id"]) == [newer, older]
    assert list(activity.list_sessions(store, ACTORS["public"], limit=1, offset=1)["id"]) == [other_state]


# ---- workshops -----------------------------------------------------------------------------------------------------


def test_logging_a_workshop_stores_it_with_its_participants(store: Store) -> None:
    before = count_rows(store, "workshop", "participation", "audit_entry")

    workshop_id = activity.log_workshop(store, SPECIALIST, workshop_data())

    after = count_rows(store, "workshop", "participation", "audit_entry")
    assert after["workshop"] - before["workshop"] == 1
    assert after["participation"] - before["participation"] == 3
    assert after["audit_entry"] - before["audit_entry"] == 1
    workshop = activity.get_workshop(store, SPECIALIST, workshop_id)
    assert workshop["title"] == "Taller: árbol de problemas públicos"
    assert workshop["hours"] == 3.5
    assert workshop["participant_total"] == 9
    assert workshop["participants"] == {"civil_society": {"women": 6, "men": 2}, "academia": {"other": 1}}
    assert workshop["notes"] == "La academia pidió materiales en lengua zapoteca."


def test_editing_a_workshop_replaces_its_fields_and_participants(store: Store) -> None:
    workshop_id = activity.log_workshop(store, SPECIALIST, workshop_data())

    edited = activity.edit_workshop(
        store,
        SPECIALIST,
        workshop_id,
        1,
        workshop_data(title="Taller: teoría de cambio", participants={"government": {"men": 4}}),
    )

    assert edited["version"] == 2
    workshop = activity.get_workshop(store, SPECIALIST, workshop_id)
    assert workshop["title"] == "Taller: teoría de cambio"
    assert workshop["participants"] == {"government": {"men": 4}}
    assert workshop["participant_total"] == 4


def test_list_workshops_shows_newest_first_without_private_notes(store: Store) -> None:
    older = activity.log_workshop(store, SPECIALIST, workshop_data(held_on=days_ago(30)))
    newer = activity.log_workshop(store, SPECIALIST, workshop_data(held_on=days_ago(1)))
    activity.log_workshop(store, SPECIALIST, workshop_data(state_code=TLAXCALA))

    workshops = activity.list_workshops(store, ACTORS["public"], state_code=OAXACA)

    assert list(workshops["id"]) == [newer, older]
    assert "notes" not in workshops.columns
    assert len(activity.list_workshops(store, ACTORS["public"])) == 3


# ---- agreements ----------------------------------------------------------------------------------------------------


def test_add_agreement_appends_a_pending_agreement_linked_to_a_commitment_of_the_same_state(
    store: Store,
) -> None:
    session_id = log_session(store)
    commitment_id = first_commitment(store)

    agreement_id = add_agreement(
        store,
        SPECIALIST,
        session_id,
        {
            "text": "Solicitar la evidencia del hito 1",
            "due_date": TODAY + timedelta(days=15),
            "commitment_id": commitment_id,
        },
    )

    added = session_agreements(store, session_id)[-1]
    assert added["id"] == agreement_id
    assert added["position"] == 3
    assert added["status"] == "pending"
    assert added["commitment_id"] == commitment_id


def test_following_up_an_agreement_as_done_closes_it_and_keeps_a_dated_history(store: Store) -> None:
    session_id = log_session(store)
    first = session_agreements(store, session_id)[0]

    started = follow_up_agreement(
        store,
        SPECIALIST,
        first["id"],
        first["version"],
        {"status": "in_progress", "changed_on": days_ago(2), "note": "La minuta está en revisión"},
    )
    done = follow_up_agreement(
        store,
        SPECIALIST,
        first["id"],
        started["version"],
        {"status": "done", "changed_on": days_ago(1), "note": "Minuta enviada por correo"},
    )

    assert started["closed_on"] is None
    assert done["status"] == "done"
    assert done["closed_on"] == days_ago(1)
    assert done["version"] == 3
    with store.read() as connection:
        updates = (
            connection.execute(
                select(agreement_update)
                .where(agreement_update.c.agreement_id == first["id"])
                .order_by(agreement_update.c.id)
            )
            .mappings()
            .all()
        )
    assert [(u["status"], u["changed_on"], u["recorded_by"], u["recorded_at"]) for u in updates] == [
        ("in_progress", days_ago(2), "especialista", FIXED_NOW),
        ("done", days_ago(1), "especialista", FIXED_NOW),
    ]
    history = agreement_history(store, ACTORS["working_group"], first["id"])
    assert list(history["status"]) == ["in_progress", "done"]
    assert list(history["note"]) == ["La minuta está en revisión", "Minuta enviada por correo"]


def test_a_follow_up_links_the_agreement_to_a_commitment_of_its_own_state_only(store: Store) -> None:
    session_id = log_session(store)
    first = session_agreements(store, session_id)[0]
    oaxaca, tlaxcala = first_commitment(store, OAXACA), first_commitment(store, TLAXCALA)

    with pytest.raises(ValidationError) as refused:
        follow_up_agreement(
            store,
            SPECIALIST,
            first["id"],
            first["version"],
            {"status": "in_progress", "changed_on": days_ago(1), "commitment_id": tlaxcala},
        )
    linked = follow_up_agreement(
        store,
        SPECIALIST,
        first["id"],
        first["version"],
        {"status": "in_progress", "changed_on": days_ago(1), "commitment_id": oaxaca},
    )

    assert [(p.field, p.code) for p in refused.value.problems] == [("commitment_id", "unknown_commitment")]
    assert linked["commitment_id"] == oaxaca


def test_agreement_history_hides_notes_and_authors_from_the_public(store: Store) -> None:
    session_id = log_session(store)
    first = session_agreements(store, session_id)[0]
    follow_up_agreement(
        store,
        SPECIALIST,
        first["id"],
        first["version"],
        {"status": "cancelled", "changed_on": days_ago(1), "note": "Ya no aplica"},
    )

    history = agreement_history(store, ACTORS["public"], first["id"])

    assert list(history.columns) == ["changed_on", "status"]
    assert list(history["status"]) == ["cancelled"]


def test_open_agreements_lists_overdue_first_then_by_due_date_and_leaves_out_closed_ones(
    store: Store,
) -> None:
    # session_data's agreements: due 3 days ago (overdue), due in 20 days, no due date
    first_session = log_session(store)
    second_session = log_session(
        store,
        held_on=days_ago(40),
        agreements=[
            {"text": "Muy vencido", "due_date": days_ago(30)},
            {"text": "Próximo", "due_date": TODAY + timedelta(days=5)},
            {"text": "Cumplido", "due_date": days_ago(35)},
        ],
    )
    done = session_agreements(store, second_session)[2]
    follow_up_agreement(
        store, SPECIALIST, done["id"], done["version"], {"status": "done", "changed_on": days_ago(33)}
    )

    agreements = open_agreements(store, ACTORS["public"])

    assert list(agreements["text"]) == [
        "Muy vencido",
        "Enviar la minuta a las personas integrantes",
        "Próximo",
        "Convocar a una mesa de trabajo con el órgano garante",
        "Publicar el avance en el micrositio",
    ]
    assert list(agreements["overdue"]) == [True, True, False, False, False]
    assert set(agreements["session_id"]) == {first_session, second_session}
    with_closed = open_agreements(store, ACTORS["public"], include_closed=True)
    assert "Cumplido" in set(with_closed["text"])
    assert open_agreements(store, ACTORS["public"], state_code=TLAXCALA).empty


def test_with_closed_agreements_the_open_ones_come_first_and_the_closed_ones_last_newest_closed_first(
    store: Store,
) -> None:
    session_id = log_session(
        store,
        held_on=days_ago(60),
        agreements=[
            {"text": "Cerrado hace tiempo", "due_date": days_ago(50)},
            {"text": "Cerrado ayer", "due_date": days_ago(55)},
            {"text": "Vencido", "due_date": days_ago(2)},
            {"text": "Por vencer", "due_date": TODAY + timedelta(days=9)},
        ],
    )
    early, late, *_ = session_agreements(store, session_id)
    for row, closed_on in ((early, days_ago(40)), (late, days_ago(1))):
        follow_up_agreement(
            store, SPECIALIST, row["id"], row["version"], {"status": "done", "changed_on": closed_on}
        )

    listed = open_agreements(store, ACTORS["public"], state_code=OAXACA, include_closed=True)
    ours = [
        text
        for text in listed["text"]
        if text in {"Cerrado hace tiempo", "Cerrado ayer", "Vencido", "Por vencer"}
    ]

    assert ours == ["Vencido", "Por vencer", "Cerrado ayer", "Cerrado hace tiempo"]
    statuses = list(listed["status"])
    first_closed = next(i for i, status in enumerate(statuses) if status in ("done", "cancelled"))
    assert all(status in ("done", "cancelled") for status in statuses[first_closed:])


# ---- validation: refused at the store, nothing written ---------------------------------------------------------------

REFUSED_SESSIONS = [
    pytest.param(
        {"held_on": TODAY + timedelta(days=1)},
        "held_on",
        "date_in_future",
        id="a date after today",
    ),
    pytest.param({"held_on": date(2009, 12, 31)}, "held_on", "date_too_early", id="a date before 2010"),
    pytest.param(
        {"participants": {"civil_society": {"women": -1}}},
        "participants",
        "too_small",
        id="a negative participant count",
    ),
    pytest.param(
        {"participants": {"civil_society": {"women": 2.5}}},
        "participants",
        "not_a_whole_number",
        id="a fractional participant count",
    ),
    pytest.param(
        {"participants": {"press": {"women": 1}}}, "participants", "not_an_option", id="an unknown sector"
    ),
    pytest.param({"state_code": "99"}, "state_code", "unknown_state", id="unknown state 99"),
    pytest.param({"state_code": "33"}, "state_code", "unknown_state", id="unknown state 33"),
    pytest.param(
        {"state_code": "20 OR 1=1"}, "state_code", "unknown_state", id="a state code that is not a code"
    ),
    pytest.param({"session_type": "party"}, "session_type", "not_an_option", id="an unknown session type"),
    pytest.param({"consensus": 6}, "consensus", "too_large", id="a consensus above 5"),
    pytest.param({"topics": "x" * 5001}, "topics", "too_long", id="over-long topics"),
    pytest.param(
        {"organizations": ["x" * 301]}, "organizations.0", "too_long", id="an over-long organisation"
    ),
    pytest.param(
        {"agreements": [{"text": "ok"}, {"text": "x" * 5001}]},
        "agreements.1.text",
        "too_long",
        id="an over-long agreement",
    ),
    pytest.param({"agreements": [{"text": ""}]}, "agreements.0.text", "required", id="an empty agreement"),
    pytest.param(
        {"evidence_url": "javascript:alert(1)"}, "evidence_url", "not_a_url", id="a link that is not one"
    ),
    pytest.param({"summary": "nota\x00oculta"}, "summary", "bad_characters", id="control characters"),
]


@pytest.mark.parametrize(("overrides", "field", "code"), REFUSED_SESSIONS)
def test_a_session_with_a_bad_field_is_refused_naming_the_field_and_nothing_is_written(
    store: Store, overrides: dict, field: str, code: str
) -> None:
    before = count_rows(store, *ACTIVITY_TABLES)

    with pytest.raises(ValidationError) as refused:
        log_session(store, **overrides)

    assert (field, code) in {(p.field, p.code) for p in refused.value.problems}
    assert count_rows(store, *ACTIVITY_TABLES) == before


def test_an_agreement_linked_to_another_states_commitment_is_refused_and_nothing_is_written(
    store: Store,
) -> None:
    oaxaca, tlaxcala = first_commitment(store, OAXACA), first_commitment(store, TLAXCALA)
    before = count_rows(store, *ACTIVITY_TABLES)

    with pytest.raises(ValidationError) as refused:
        log_session(
            store, agreements=[{"text": "Vincular al compromiso de Tlaxcala", "commitment_id": tlaxcala}]
        )
    with pytest.raises(ValidationError) as second:
        log_session(
            store,
            agreements=[
                {"text": "Bien vinculado", "commitment_id": oaxaca},
                {"text": "Sin vínculo"},
                {"text": "Mal vinculado", "commitment_id": tlaxcala},
            ],
        )

    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("agreements.0.commitment_id", "unknown_commitment")
    ]
    assert [p.field for p in second.value.problems] == ["agreements.2.commitment_id"]
    assert count_rows(store, *ACTIVITY_TABLES) == before


def test_an_agreement_linked_to_a_commitment_that_does_not_exist_is_refused(store: Store) -> None:
    before = count_rows(store, *ACTIVITY_TABLES)

    with pytest.raises(ValidationError) as refused:
        log_session(store, agreements=[{"text": "Vínculo roto", "commitment_id": 999_999}])

    assert refused.value.for_field("agreements.0.commitment_id")
    assert count_rows(store, *ACTIVITY_TABLES) == before


def test_a_refused_edit_leaves_the_session_its_grid_and_its_agreements_as_they_were(store: Store) -> None:
    session_id = log_session(store)
    tlaxcala = first_commitment(store, TLAXCALA)
    stored = activity.get_session(store, SPECIALIST, session_id)
    before = count_rows(store, *ACTIVITY_TABLES)

    with pytest.raises(ValidationError):
        activity.edit_session(
            store,
            SPECIALIST,
            session_id,
            1,
            session_data(
                topics="Cambiado",
                participants={"academia": {"men": 1}},
                agreements=[{"text": "Mal vinculado", "commitment_id": tlaxcala}],
            ),
        )

    assert activity.get_session(store, SPECIALIST, session_id) == stored
    assert count_rows(store, *ACTIVITY_TABLES) == before


def test_following_up_an_agreement_with_a_future_date_beyond_a_year_is_refused(store: Store) -> None:
    session_id = log_session(store)
    first = session_agreements(store, session_id)[0]
    before = count_rows(store, "agreement_update", "audit_entry")

    with pytest.raises(ValidationError) as refused:
        follow_up_agreement(
            store,
            SPECIALIST,
            first["id"],
            first["version"],
            {"status": "done", "changed_on": date.today() + timedelta(days=400)},
        )

    assert refused.value.for_field("changed_on")
    assert count_rows(store, "agreement_update", "audit_entry") == before
    assert session_agreements(store, session_id)[0] == first


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"hours": 0}, "hours", id="zero hours"),
        pytest.param({"satisfaction": 0}, "satisfaction", id="a satisfaction below 1"),
        pytest.param({"title": "x" * 301}, "title", id="an over-long title"),
        pytest.param({"participants": {"academia": {"men": -3}}}, "participants", id="a negative count"),
    ],
)
def test_a_workshop_with_a_bad_field_is_refused_and_nothing_is_written(
    store: Store, overrides: dict, field: str
) -> None:
    before = count_rows(store, "workshop", "participation", "audit_entry")

    with pytest.raises(ValidationError) as refused:
        activity.log_workshop(store, SPECIALIST, workshop_data(**overrides))

    assert [p.field for p in refused.value.problems] == [field]
    assert count_rows(store, "workshop", "participation", "audit_entry") == before


# ---- private notes ----------------------------------------------------------------------------------------------------


SEES_PRIVATE_NOTES = {
    "public": False,
    "secretariat_own": False,
    "secretariat_other": False,
    "specialist": True,
    "working_group": True,
    "admin": True,
}


def test_the_private_summary_and_workshop_notes_are_shown_to_staff_only(store: Store) -> None:
    session_id = log_session(store)
    workshop_id = activity.log_workshop(store, SPECIALIST, workshop_data())

    for role, sees in SEES_PRIVATE_NOTES.items():
        session = activity.get_session(store, ACTORS[role], session_id)
        workshop = activity.get_workshop(store, ACTORS[role], workshop_id)
        assert ("summary" in session) is sees, role
        assert ("notes" in workshop) is sees, role
        assert session["public_summary"] == "El STL revisó el avance de los compromisos.", role
        private_text_shown = any("Tensión" in str(value) for value in session.values())
        assert private_text_shown is sees, role


# ---- known limitation ---------------------------------------------------------------------------------------------


def test_correcting_the_date_of_a_session_keeps_its_participants_and_agreements(store: Store) -> None:
    """On DuckDB an update of an indexed column of a referenced row is refused, so held_on carries no index there
    (migration 0002) and only changed columns are written (update_versioned)."""
    session_id = log_session(store)

    edited = activity.edit_session(
        store, SPECIALIST, session_id, 1, session_data(held_on=days_ago(12), agreements=[])
    )

    assert edited["held_on"] == days_ago(12)
    assert len(session_agreements(store, session_id)) == 3


def test_linking_a_commitment_in_a_later_follow_up_keeps_the_agreements_history(store: Store) -> None:
    """agreement.commitment_id carries no foreign key (DuckDB would index it and refuse the change once a
    follow-up entry references the agreement); the store checks the link itself."""
    session_id = log_session(store)
    first = session_agreements(store, session_id)[0]
    started = follow_up_agreement(
        store, SPECIALIST, first["id"], first["version"], {"status": "in_progress", "changed_on": days_ago(2)}
    )

    linked = follow_up_agreement(
        store,
        SPECIALIST,
        first["id"],
        started["version"],
        {"status": "done", "changed_on": days_ago(1), "commitment_id": first_commitment(store)},
    )

    assert linked["commitment_id"] == first_commitment(store)
    assert list(agreement_history(store, SPECIALIST, first["id"])["status"]) == [
        "in_progress",
        "done",
    ]


def test_a_logged_session_cannot_move_to_another_state(store: Store) -> None:
    session_id = log_session(store)

    with pytest.raises(ValidationError) as raised:
        activity.edit_session(store, SPECIALIST, session_id, 1, session_data(state_code="29", agreements=[]))

    assert [p.code for p in raised.value.for_field("state_code")] == ["state_fixed"]
    assert activity.get_session(store, SPECIALIST, session_id)["state_code"] != "29"


# ---- periods ---------------------------------------------------------------------------------------------------------


def test_sessions_and_workshops_can_be_listed_for_a_period_bounds_included(store: Store) -> None:
    for held_on in (date(2024, 12, 31), date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 1)):
        log_session(store, held_on=held_on)
        activity.log_workshop(store, SPECIALIST, workshop_data(held_on=held_on))
    year = {"held_from": date(2025, 1, 1), "held_to": date(2025, 12, 31)}

    sessions = activity.list_sessions(store, ACTORS["public"], OAXACA, limit=100, **year)
    workshops = activity.list_workshops(store, ACTORS["public"], OAXACA, limit=100, **year)

    assert list(sessions["held_on"]) == [date(2025, 12, 31), date(2025, 1, 1)]
    assert list(workshops["held_on"]) == [date(2025, 12, 31), date(2025, 1, 1)]
    since = activity.list_sessions(store, ACTORS["public"], OAXACA, limit=100, held_from=date(2025, 12, 31))
    assert list(since["held_on"]) == [date(2026, 1, 1), date(2025, 12, 31)]


def test_the_years_of_a_states_activity_are_newest_first_and_leave_out_archived_and_other_states(
    store: Store,
) -> None:
    log_session(store, held_on=date(2023, 5, 4))
    activity.log_workshop(store, SPECIALIST, workshop_data(held_on=date(2025, 2, 3)))
    archived = log_session(store, held_on=date(2021, 6, 7))
    archive.archive(store, SPECIALIST, "dialogue_session", archived, 1)
    log_session(store, state_code=TLAXCALA, held_on=date(2022, 8, 9))

    assert activity.activity_years(store, ACTORS["public"], OAXACA) == [2025, 2023]
    assert activity.activity_years(store, ACTORS["public"], TLAXCALA) == [2022]
