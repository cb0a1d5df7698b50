"""The store's side of import updates (issue 20), without the file reader in between: the whole batch is one
transaction, and a workbook import is limited to one state's milestones on every path."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accompaniment.access import SYSTEM
from accompaniment.domain.errors import PermissionDenied, ValidationError
from accompaniment.io import export, importing
from accompaniment.store import commitments
from accompaniment.store.imports import ImportKind, commit_import
from accompaniment.store.schema import audit_entry, milestone
from tests.conftest import ACTORS, TLAXCALA
from tests.io.conftest import seed_record
from tests.io.test_round_trip import read_csv, write_csv


def milestone_rows(store) -> dict[int, tuple]:
    with store.read() as connection:
        return {
            row.number: (row.id, row.progress, row.version)
            for row in connection.execute(
                select(milestone.c.number, milestone.c.id, milestone.c.progress, milestone.c.version)
            )
        }


def edited_milestones(store, **progress_by_index: str) -> bytes:
    rows = read_csv(export.entity_file(store, SYSTEM, "milestone", "csv", state_code=TLAXCALA))
    for index, value in progress_by_index.items():
        rows[int(index[1:])]["progress"], rows[int(index[1:])]["status"] = value, "En proceso"
    return write_csv(rows)


def test_a_record_saved_between_the_dry_run_and_the_commit_undoes_every_update_of_the_file(store):
    seed_record(store)
    preview = importing.preview_import(
        store, SYSTEM, "milestones", edited_milestones(store, m1="60", m2="30")
    )
    assert preview.updated_rows == 2 and preview.problems == []
    before = milestone_rows(store)
    third_id = before[3][0]
    commitments.update_milestone(
        store, SYSTEM, third_id, before[3][2], {"progress": 10, "status": "in_progress"}
    )
    audits = _audits(store)

    with pytest.raises(importing.ImportRejected):
        importing.commit_preview(store, SYSTEM, preview)

    assert [(p.row, p.code) for p in preview.problems] == [(4, "changed_since_export")]
    after = milestone_rows(store)
    assert after[2] == before[2], "the update of milestone 2, applied first, was undone with the rest"
    assert after[3][1] == 10.0
    assert _audits(store) == audits


def test_a_workbook_import_of_another_states_rows_is_refused_by_the_store_itself(store):
    seed_record(store)
    preview = importing.preview_import(store, SYSTEM, "milestones", edited_milestones(store, m2="30"))
    records = preview.records
    oaxaca_office = ACTORS["secretariat_own"]
    with pytest.raises(PermissionDenied):
        commit_import(store, oaxaca_office, ImportKind.MILESTONES, records)  # not a general import
    with pytest.raises(PermissionDenied):
        commit_import(store, oaxaca_office, ImportKind.MILESTONES, records, updates_in=TLAXCALA)
    with pytest.raises(ValidationError) as refused:
        commit_import(
            store, oaxaca_office, ImportKind.MILESTONES, records, updates_in=oaxaca_office.state_code
        )
    assert {p.code for p in refused.value.problems} == {"other_state"}
    with pytest.raises(PermissionDenied):
        commit_import(store, ACTORS["secretariat_other"], ImportKind.SESSIONS, [], updates_in=TLAXCALA)
    result = commit_import(
        store, ACTORS["secretariat_other"], ImportKind.MILESTONES, records, updates_in=TLAXCALA
    )
    assert result.updated == 1 and milestone_rows(store)[3][1] == 30.0


def _audits(store) -> int:
    with store.read() as connection:
        return len(connection.execute(select(audit_entry.c.id)).all())
