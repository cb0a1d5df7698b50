"""Correcting an agreement as it was logged (text, responsible sector and organisation, due date), on both backends:
one versioned, audited write; a stale version, a refused role, bad input or an archived agreement writes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from accompaniment.domain.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
    field_label,
)
from accompaniment.store import archive
from accompaniment.store.agreements import agreement_history, correct_agreement, follow_up_agreement
from accompaniment.store.database import Store
from accompaniment.store.schema import agreement
from tests.conftest import ACTORS
from tests.store.builders import (
    SPECIALIST,
    TODAY,
    audit_entries,
    count_rows,
    days_ago,
    first_commitment,
    log_session,
    session_agreements,
)

CORRECTION = {
    "text": "Enviar la minuta firmada a las personas integrantes del STL",
    "responsible_sector": "civil_society",
    "responsible_organization": "Colectivo Oaxaqueño por la Transparencia",
    "due_date": TODAY + timedelta(days=7),
}
WRITTEN_TABLES = ("agreement", "agreement_update", "audit_entry")


def stored_agreement(store: Store, agreement_id: int) -> dict[str, Any]:
    """The row as stored, archived or not."""
    with store.read() as connection:
        return dict(
            connection.execute(select(agreement).where(agreement.c.id == agreement_id)).mappings().one()
        )


def first_agreement(store: Store) -> dict[str, Any]:
    """The first agreement of a fresh Oaxaca session: due three days ago, government's, no organisation."""
    return session_agreements(store, log_session(store))[0]


def test_a_correction_replaces_the_terms_bumps_the_version_and_audits_the_changed_fields(
    store: Store,
) -> None:
    first = first_agreement(store)

    version = correct_agreement(store, SPECIALIST, first["id"], first["version"], CORRECTION)

    after = stored_agreement(store, first["id"])
    assert version == first["version"] + 1 == after["version"]
    assert {name: after[name] for name in CORRECTION} == CORRECTION
    kept = ("session_id", "position", "status", "closed_on", "commitment_id", "archived_at")
    assert {name: after[name] for name in kept} == {name: first[name] for name in kept}
    entry = audit_entries(store, "agreement", first["id"])[-1]
    assert (entry["action"], entry["actor"], entry["state_code"]) == ("correct", "especialista", "20")
    assert entry["before"] == {
        "text": "Enviar la minuta a las personas integrantes",
        "responsible_sector": "government",
        "responsible_organization": None,
        "due_date": days_ago(3).isoformat(),
    }
    assert entry["after"] == {**CORRECTION, "due_date": CORRECTION["due_date"].isoformat()}


def test_the_audit_entry_of_a_correction_holds_only_the_fields_it_changed(store: Store) -> None:
    first = first_agreement(store)
    unchanged = {name: first[name] for name in ("text", "responsible_sector", "responsible_organization")}

    correct_agreement(
        store, SPECIALIST, first["id"], first["version"], {**unchanged, "due_date": days_ago(1)}
    )

    entry = audit_entries(store, "agreement", first["id"])[-1]
    assert (entry["before"], entry["after"]) == (
        {"due_date": days_ago(3).isoformat()},
        {"due_date": days_ago(1).isoformat()},
    )


def test_a_due_date_is_corrected_on_an_agreement_that_already_has_a_follow_up_history(store: Store) -> None:
    """DuckDB refuses an update of an indexed column of a row other rows reference (agreement_update references
    the agreement); agreement.due_date is indexed on PostgreSQL only, so the correction works on both."""
    first = first_agreement(store)
    followed = follow_up_agreement(
        store,
        SPECIALIST,
        first["id"],
        first["version"],
        {"status": "in_progress", "changed_on": days_ago(1), "commitment_id": first_commitment(store)},
    )

    version = correct_agreement(store, SPECIALIST, first["id"], followed["version"], CORRECTION)

    after = stored_agreement(store, first["id"])
    assert (version, after["due_date"], after["text"]) == (
        followed["version"] + 1,
        CORRECTION["due_date"],
        CORRECTION["text"],
    )
    assert (after["status"], after["commitment_id"]) == ("in_progress", first_commitment(store))
    assert list(agreement_history(store, SPECIALIST, first["id"])["status"]) == ["in_progress"]


def test_clearing_the_optional_terms_stores_them_as_empty(store: Store) -> None:
    second = session_agreements(store, log_session(store))[1]  # guarantor body, IAIP Oaxaca, due in 20 days

    correct_agreement(store, SPECIALIST, second["id"], second["version"], {"text": second["text"]})

    after = stored_agreement(store, second["id"])
    assert (after["responsible_sector"], after["responsible_organization"], after["due_date"]) == (
        None,
        None,
        None,
    )


def test_a_correction_from_a_stale_version_conflicts_with_the_stored_values_and_changes_nothing(
    store: Store,
) -> None:
    first = first_agreement(store)
    correct_agreement(
        store, ACTORS["admin"], first["id"], first["version"], {**CORRECTION, "text": "Corregido antes"}
    )
    stored = stored_agreement(store, first["id"])
    before = count_rows(store, *WRITTEN_TABLES)

    with pytest.raises(ConflictError) as conflict:
        correct_agreement(store, SPECIALIST, first["id"], first["version"], CORRECTION)

    assert (conflict.value.current["text"], conflict.value.current["version"]) == (
        "Corregido antes",
        first["version"] + 1,
    )
    assert stored_agreement(store, first["id"]) == stored
    assert count_rows(store, *WRITTEN_TABLES) == before


# Written out, not derived from access.MATRIX: the agreement-write row of DESIGN §6 (Oaxaca's agreement, so
# "secretariat_own" is Oaxaca's secretariat and "secretariat_other" Tlaxcala's).
MAY_CORRECT = {
    "public": False,
    "secretariat_own": False,
    "secretariat_other": False,
    "specialist": True,
    "working_group": False,
    "admin": True,
}


@pytest.mark.parametrize(("role", "may"), MAY_CORRECT.items())
def test_only_the_roles_that_write_activity_may_correct_an_agreement(
    store: Store, role: str, may: bool
) -> None:
    first = first_agreement(store)
    stored = stored_agreement(store, first["id"])
    audited = count_rows(store, "audit_entry")["audit_entry"]

    if may:
        correct_agreement(store, ACTORS[role], first["id"], first["version"], CORRECTION)
        assert stored_agreement(store, first["id"])["text"] == CORRECTION["text"]
        assert count_rows(store, "audit_entry")["audit_entry"] == audited + 1
    else:
        with pytest.raises(PermissionDenied):
            correct_agreement(store, ACTORS[role], first["id"], first["version"], CORRECTION)
        assert stored_agreement(store, first["id"]) == stored
        assert count_rows(store, "audit_entry")["audit_entry"] == audited


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        pytest.param({"text": "   "}, "text", "required", id="a blank text"),
        pytest.param({"text": "x" * 5001}, "text", "too_long", id="an over-long text"),
        pytest.param(
            {"responsible_sector": "press"}, "responsible_sector", "not_an_option", id="an unknown sector"
        ),
        pytest.param(
            {"responsible_organization": "x" * 301},
            "responsible_organization",
            "too_long",
            id="a long organisation",
        ),
        pytest.param({"due_date": date(2046, 1, 1)}, "due_date", "date_too_late", id="a due date past 2045"),
        pytest.param(
            {"due_date": date(2009, 12, 31)}, "due_date", "date_too_early", id="a due date before 2010"
        ),
        pytest.param({"due_date": "31/02/2027"}, "due_date", "not_a_date", id="an impossible due date"),
    ],
)
def test_invalid_input_is_refused_naming_the_field_in_both_languages_and_writes_nothing(
    store: Store, overrides: dict[str, Any], field: str, code: str
) -> None:
    first = first_agreement(store)
    stored = stored_agreement(store, first["id"])
    before = count_rows(store, *WRITTEN_TABLES)

    with pytest.raises(ValidationError) as refused:
        correct_agreement(store, SPECIALIST, first["id"], first["version"], {**CORRECTION, **overrides})

    assert [(p.field, p.code) for p in refused.value.problems] == [(field, code)]
    for lang in ("es", "en"):
        assert refused.value.message(lang).startswith(field_label(field, lang) + ":"), lang
    assert stored_agreement(store, first["id"]) == stored
    assert count_rows(store, *WRITTEN_TABLES) == before


def test_a_status_sent_with_a_correction_is_refused_as_unknown_since_a_follow_up_changes_it(
    store: Store,
) -> None:
    first = first_agreement(store)
    before = count_rows(store, *WRITTEN_TABLES)

    with pytest.raises(ValidationError) as refused:
        correct_agreement(store, SPECIALIST, first["id"], first["version"], {**CORRECTION, "status": "done"})

    assert [(p.field, p.code) for p in refused.value.problems] == [("status", "unknown_field")]
    assert stored_agreement(store, first["id"])["status"] == "pending"
    assert count_rows(store, *WRITTEN_TABLES) == before


def test_an_archived_agreement_is_not_found_and_stays_as_it_was(store: Store) -> None:
    first = first_agreement(store)
    archived = archive.archive(store, SPECIALIST, "agreement", first["id"], first["version"])
    before = count_rows(store, *WRITTEN_TABLES)

    with pytest.raises(NotFound):
        correct_agreement(store, SPECIALIST, first["id"], archived["version"], CORRECTION)

    assert stored_agreement(store, first["id"]) == archived
    assert count_rows(store, *WRITTEN_TABLES) == before


def test_an_agreement_under_an_archived_session_is_not_found_and_stays_as_it_was(store: Store) -> None:
    session_id = log_session(store)
    first = session_agreements(store, session_id)[0]
    archive.archive(store, SPECIALIST, "dialogue_session", session_id, 1)
    stored = stored_agreement(store, first["id"])
    before = count_rows(store, *WRITTEN_TABLES)

    with pytest.raises(NotFound):
        correct_agreement(store, ACTORS["admin"], first["id"], first["version"], CORRECTION)

    assert stored_agreement(store, first["id"]) == stored
    assert count_rows(store, *WRITTEN_TABLES) == before


def test_an_unknown_agreement_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        correct_agreement(store, SPECIALIST, 999_999, 1, CORRECTION)


def test_a_follow_up_of_an_archived_agreement_is_not_found_and_writes_nothing(store: Store) -> None:
    """The same rule for the other write of an agreement: its status history is not written to while archived."""
    first = first_agreement(store)
    archived = archive.archive(store, SPECIALIST, "agreement", first["id"], first["version"])
    before = count_rows(store, *WRITTEN_TABLES)

    with pytest.raises(NotFound):
        follow_up_agreement(
            store,
            SPECIALIST,
            first["id"],
            archived["version"],
            {"status": "done", "changed_on": date(2026, 11, 2)},
        )

    assert stored_agreement(store, first["id"]) == archived
    assert count_rows(store, *WRITTEN_TABLES) == before
