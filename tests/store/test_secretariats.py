"""The 15 STLs' real starting record, phase changes as dated events, and members whose personal data stays private,
on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from accompaniment.domain.errors import NotFound, PermissionDenied, ValidationError
from accompaniment.store import secretariats
from accompaniment.store.database import Store
from tests.conftest import ACTORS, OAXACA, TLAXCALA
from tests.store.builders import SPECIALIST, audit_entries, count_rows, days_ago

PUBLIC = ACTORS["public"]
PERSONAL_COLUMNS = {"person_name", "person_email", "person_phone"}
OAXACA_MEMBERS = {
    ("civil_society", "Solidaridad Internacional Kanda, A.C."),
    ("civil_society", "Consejo de Colaboración Municipal de Oaxaca de Juárez"),
    (
        "government",
        "Subsecretario de Transparencia y Participación Social de la Secretaría de la Contraloría y "
        "Transparencia Gubernamental del Gobierno del Estado",
    ),
    (
        "government",
        "Coordinación de Transparencia y Acceso a la Información Pública del Municipio de Oaxaca de Juárez",
    ),
    (
        "guarantor_body",
        "Instituto de Acceso a la Información Pública y Protección de Datos Personales del Estado de Oaxaca",
    ),
    ("facilitator", "Consultora"),
}


def member_data(**overrides) -> dict:
    return {
        "state_code": OAXACA,
        "organization": "Universidad Autónoma Benito Juárez de Oaxaca",
        "sector": "academia",
        "seat": "alternate",
        "active_from": date(2026, 3, 1),
        "person_name": "María López",
        "person_email": "maria.lopez@example.org",
        "person_phone": "+52 951 000 0000",
        **overrides,
    }


# ---- the real starting record ------------------------------------------------------------------------------------------


def test_the_programme_has_fifteen_secretariats_from_the_2017_and_2018_calls(store: Store) -> None:
    states = secretariats.list_programme_states(store, PUBLIC)

    assert len(states) == 15
    by_year = states.groupby("call_year")["state_name"].apply(set).to_dict()
    assert by_year[2017] == {"Chihuahua", "Morelos", "Nuevo León", "Oaxaca", "Sonora"}
    assert len(by_year[2018]) == 10
    assert "Tlaxcala" in by_year[2018]


def test_oaxaca_starts_in_implementation_since_its_plan_was_published(store: Store) -> None:
    oaxaca = secretariats.get_secretariat(store, PUBLIC, OAXACA)

    assert (oaxaca.state_name, oaxaca.iso_code, oaxaca.call_year) == ("Oaxaca", "MX-OAX", 2017)
    assert oaxaca.phase == 4
    assert oaxaca.declaration_date == date(2015, 3, 9)
    assert oaxaca.installation_date == date(2015, 4, 7)
    assert oaxaca.phase_since == date(2016, 5, 19)
    assert oaxaca.source and "alcance-oaxaca" in oaxaca.source
    assert oaxaca.version == 1


def test_oaxacas_phase_history_begins_with_its_declaration_of_9_march_2015(store: Store) -> None:
    history = secretariats.phase_history(store, PUBLIC, OAXACA)

    assert list(zip(history["phase"], history["changed_on"], strict=True)) == [
        (0, date(2015, 3, 9)),
        (2, date(2015, 4, 7)),
        (4, date(2016, 5, 19)),
    ]
    assert history["note"].iloc[0] == "reference.phase_note.declaration"


def test_oaxacas_members_are_its_real_organisations_by_sector(store: Store) -> None:
    members = secretariats.list_members(store, PUBLIC, OAXACA)

    assert set(zip(members["sector"], members["organization"], strict=True)) == OAXACA_MEMBERS
    assert set(members["seat"]) == {"titular"}
    by_sector = secretariats.members_by_sector(store, PUBLIC, OAXACA)
    assert dict(zip(by_sector["sector"], by_sector["members"], strict=True)) == {
        "civil_society": 2,
        "facilitator": 1,
        "government": 2,
        "guarantor_body": 1,
    }


def test_oaxacas_exercise_has_its_dated_events_with_undated_ones_last(store: Store) -> None:
    events = secretariats.stl_events(store, PUBLIC, OAXACA)

    assert events["happened_on"].iloc[0] == date(2015, 3, 9)
    assert events["kind"].iloc[0] == "declaration"
    assert "action_plan_publication" in set(events["kind"])
    month_only = events[events["date_precision"] == "month"]
    assert list(month_only["happened_on"]) == [date(2015, 7, 1)]


def test_a_state_outside_the_programme_has_no_secretariat(store: Store) -> None:
    with pytest.raises(NotFound):
        secretariats.get_secretariat(store, PUBLIC, "01")  # Aguascalientes


# ---- phase changes -----------------------------------------------------------------------------------------------------


def test_changing_the_phase_writes_a_dated_phase_event_and_moves_the_secretariat(store: Store) -> None:
    before = count_rows(store, "phase_event")
    tlaxcala_before = secretariats.phase_history(store, PUBLIC, TLAXCALA)

    changed = secretariats.change_phase(
        store,
        SPECIALIST,
        OAXACA,
        1,
        {"phase": 5, "changed_on": days_ago(7), "note": "Sesión de evaluación del primer plan"},
    )

    assert (changed["phase"], changed["phase_since"], changed["version"]) == (5, days_ago(7), 2)
    assert count_rows(store, "phase_event")["phase_event"] == before["phase_event"] + 1
    oaxaca = secretariats.get_secretariat(store, PUBLIC, OAXACA)
    assert (oaxaca.phase, oaxaca.phase_since) == (5, days_ago(7))
    last = secretariats.phase_history(store, PUBLIC, OAXACA).iloc[-1]
    assert (last["phase"], last["changed_on"], last["note"]) == (
        5,
        days_ago(7),
        "Sesión de evaluación del primer plan",
    )
    assert secretariats.phase_history(store, PUBLIC, TLAXCALA).equals(tlaxcala_before)


def test_a_phase_outside_zero_to_five_is_refused(store: Store) -> None:
    before = count_rows(store, "phase_event", "audit_entry")

    with pytest.raises(ValidationError) as refused:
        secretariats.change_phase(store, SPECIALIST, OAXACA, 1, {"phase": 6, "changed_on": days_ago(1)})

    assert [(p.field, p.code) for p in refused.value.problems] == [("phase", "not_an_option")]
    assert count_rows(store, "phase_event", "audit_entry") == before


def test_a_secretariat_cannot_change_its_own_phase(store: Store) -> None:
    with pytest.raises(PermissionDenied):
        secretariats.change_phase(
            store, ACTORS["secretariat_own"], OAXACA, 1, {"phase": 5, "changed_on": days_ago(1)}
        )


# ---- members and personal data --------------------------------------------------------------------------------------------

SEES_PERSONAL_DATA = {
    "public": False,
    "secretariat_own": True,
    "secretariat_other": False,
    "specialist": True,
    "working_group": True,
    "admin": True,
}


def test_members_personal_data_is_shown_to_oaxacas_secretariat_and_staff_only(store: Store) -> None:
    member_id = secretariats.add_member(store, SPECIALIST, member_data())

    for role, sees in SEES_PERSONAL_DATA.items():
        members = secretariats.list_members(store, ACTORS[role], OAXACA)
        added = members[members["id"] == member_id].iloc[0]
        assert PERSONAL_COLUMNS.issubset(members.columns) is sees, role
        assert PERSONAL_COLUMNS.isdisjoint(members.columns) is not sees, role
        assert added["organization"] == "Universidad Autónoma Benito Juárez de Oaxaca", role
        assert ("María López" in added.astype(str).tolist()) is sees, role
        if sees:
            assert (added["person_email"], added["person_phone"]) == (
                "maria.lopez@example.org",
                "+52 951 000 0000",
            ), role


def test_a_secretariat_sees_no_personal_data_of_another_states_members(store: Store) -> None:
    secretariats.add_member(store, SPECIALIST, member_data(state_code=TLAXCALA))

    own_view = secretariats.list_members(store, ACTORS["secretariat_other"], TLAXCALA)
    oaxaca_view = secretariats.list_members(store, ACTORS["secretariat_own"], TLAXCALA)

    assert "María López" in set(own_view["person_name"])
    assert PERSONAL_COLUMNS.isdisjoint(oaxaca_view.columns)


def test_adding_and_editing_a_member_is_audited_with_the_state(store: Store) -> None:
    member_id = secretariats.add_member(store, SPECIALIST, member_data())

    edited = secretariats.edit_member(
        store, SPECIALIST, member_id, 1, member_data(seat="titular", active_to=date(2026, 10, 31))
    )

    assert (edited["seat"], edited["active_to"], edited["version"]) == ("titular", date(2026, 10, 31), 2)
    entries = audit_entries(store, "member", member_id)
    assert [(e["action"], e["state_code"]) for e in entries] == [("create", OAXACA), ("update", OAXACA)]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        pytest.param(
            {"person_email": "maria.lopez"}, "person_email", "not_an_email", id="an e-mail without @"
        ),
        pytest.param({"sector": "church"}, "sector", "not_an_option", id="an unknown sector"),
        pytest.param({"organization": ""}, "organization", "required", id="no organisation"),
        pytest.param({"state_code": "99"}, "state_code", "unknown_state", id="an unknown state"),
    ],
)
def test_a_member_with_a_bad_field_is_refused_and_nothing_is_written(
    store: Store, overrides: dict, field: str, code: str
) -> None:
    before = count_rows(store, "member", "audit_entry")

    with pytest.raises(ValidationError) as refused:
        secretariats.add_member(store, SPECIALIST, member_data(**overrides))

    assert [(p.field, p.code) for p in refused.value.problems] == [(field, code)]
    assert count_rows(store, "member", "audit_entry") == before
