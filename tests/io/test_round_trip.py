"""The spreadsheet round trip (issue 20): what is exported can be edited and imported back, and the edit lands as
an update of the same record, through the same store functions as the forms, or not at all."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import func, select

from accompaniment.access import SYSTEM
from accompaniment.io import export, importing
from accompaniment.store import commitments
from accompaniment.store.schema import audit_entry, milestone, milestone_update
from tests.conftest import TLAXCALA
from tests.io.conftest import seed_record


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def write_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def milestones_of(store) -> dict[int, tuple]:
    with store.read() as connection:
        rows = connection.execute(
            select(milestone.c.number, milestone.c.progress, milestone.c.status, milestone.c.version)
        )
        return {number: (progress, status, version) for number, progress, status, version in rows}


def count(store, table, *where) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def exported_milestones(store) -> list[dict[str, str]]:
    return read_csv(export.entity_file(store, SYSTEM, "milestone", "csv", state_code=TLAXCALA))


def test_an_edited_milestone_export_updates_those_milestones_with_their_audit_trail(store):
    seed_record(store)
    rows = exported_milestones(store)
    assert [r["number"] for r in rows] == ["1", "2", "3"]
    rows[1]["progress"], rows[1]["status"] = "100", "Cumplido"  # milestone 2 has an evidence note already
    rows[2]["progress"], rows[2]["status"] = "80", "En proceso"
    audits_before = count(store, audit_entry)

    preview = importing.preview_import(store, SYSTEM, "milestones", write_csv(rows), "milestone.csv")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert (preview.new_rows, preview.updated_rows, preview.present_rows) == (0, 2, 1)
    changes = {
        row: [(c.column, c.before, c.after) for c in update.changes]
        for row, update in preview.updates.items()
    }
    assert changes == {
        3: [("progress", 40.0, 100.0), ("status", "in_progress", "complete")],
        4: [("progress", 0.0, 80.0), ("status", "not_started", "in_progress")],
    }
    assert "40 → 100" in preview.summary("es") or "40 → 100" in " ".join(preview.change_lines("es"))
    result = importing.commit_preview(store, SYSTEM, preview)

    assert (result.created, result.updated, result.skipped) == (0, 2, 1)
    found = milestones_of(store)
    assert found[2][:2] == (100.0, "complete") and found[3][:2] == (80.0, "in_progress")
    assert found[1][2] == 2, "the unchanged milestone keeps its version"
    assert count(store, milestone_update, milestone_update.c.progress == 80.0) == 1
    assert count(store, audit_entry) == audits_before + 2
    with store.read() as connection:
        before, after = connection.execute(
            select(audit_entry.c.before, audit_entry.c.after)
            .where(audit_entry.c.entity == "milestone", audit_entry.c.action == "update")
            .order_by(audit_entry.c.id.desc())
        ).first()
    assert '"progress": 0.0' in before and '"progress": 80.0' in after


def test_an_unchanged_milestone_export_imports_back_as_no_change_and_says_so(store):
    seed_record(store)
    data = export.entity_file(store, SYSTEM, "milestone", "xlsx", state_code=TLAXCALA)
    versions, audits = milestones_of(store), count(store, audit_entry)

    preview, result = importing.import_file(store, SYSTEM, "milestones", data, "milestone.xlsx")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert (preview.new_rows, preview.updated_rows, preview.present_rows) == (0, 0, 3)
    assert preview.summary("es") == "0 nuevas, 0 actualizadas, 3 sin cambios"
    assert result is not None and (result.created, result.updated) == (0, 0)
    assert milestones_of(store) == versions and count(store, audit_entry) == audits


def test_a_milestone_changed_in_the_app_since_the_export_is_a_conflict_and_nothing_is_written(store):
    seed_record(store)
    rows = exported_milestones(store)
    with store.read() as connection:
        third = connection.execute(select(milestone.c.id).where(milestone.c.number == 3)).scalar_one()
    commitments.update_milestone(store, SYSTEM, third, 1, {"progress": 10, "status": "in_progress"})
    rows[1]["progress"] = "60"  # a change that would be fine on its own
    rows[2]["progress"] = "30"  # milestone 3 moved on since the export
    before = milestones_of(store)

    preview, result = importing.import_file(store, SYSTEM, "milestones", write_csv(rows), "milestone.csv")

    assert result is None
    assert [(p.row, p.code) for p in preview.problems] == [(4, "changed_since_export")]
    assert "10" in preview.problems[0].message("es")
    assert milestones_of(store) == before
