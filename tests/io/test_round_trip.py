"""The spreadsheet round trip (issue 20): what is exported can be edited and imported back, and the edit lands as
an update of the same record, through the same store functions as the forms, or not at all."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlalchemy import func, select

from accompaniment.access import SYSTEM
from accompaniment.io import export, importing
from accompaniment.store import activity, agreements, commitments
from accompaniment.store.schema import (
    agreement,
    agreement_update,
    audit_entry,
    dialogue_session,
    milestone,
    milestone_update,
    workshop,
)
from tests.conftest import TLAXCALA
from tests.io.conftest import PRIVATE, seed_record


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


# ---- sessions, workshops and agreements: keyed by the id their export carries ------------------------------------


def exported(store, entity: str) -> list[dict[str, str]]:
    return read_csv(export.entity_file(store, SYSTEM, entity, "csv"))


def table_count(store, table) -> int:
    return count(store, table)


def updates_of(store, entity: str) -> list[tuple]:
    with store.read() as connection:
        return list(
            connection.execute(
                select(
                    audit_entry.c.action, audit_entry.c.entity_id, audit_entry.c.before, audit_entry.c.after
                )
                .where(audit_entry.c.entity == entity, audit_entry.c.action.in_(["update", "correct"]))
                .order_by(audit_entry.c.id)
            )
        )


def test_an_edited_sessions_export_updates_those_sessions_and_adds_none(store):
    seed = seed_record(store)
    rows = exported(store, "dialogue_session")
    first = next(r for r in rows if int(r["id"]) == seed.sessions[0])
    first["topics"] = "Seguimiento de hitos y del tablero"
    first["participants_civil_society_women"] = "9"
    sessions_before = table_count(store, dialogue_session)

    preview, result = importing.import_file(store, SYSTEM, "sessions", write_csv(rows), "sessions.csv")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert preview.summary("es") == "0 nuevas, 1 actualizadas, 1 sin cambios"
    assert any("Temas de la agenda" in line or "topics" in line for line in preview.change_lines("es"))
    assert result is not None and result.updated == 1 and result.created == 0
    assert table_count(store, dialogue_session) == sessions_before
    stored = activity.get_session(store, SYSTEM, seed.sessions[0])
    assert stored["topics"] == "Seguimiento de hitos y del tablero"
    assert stored["participants"]["civil_society"]["women"] == 9
    assert stored["summary"] == PRIVATE["summary"], "a column the file has is replaced, the others are kept"
    [(action, entity_id, before, after)] = updates_of(store, "dialogue_session")
    assert entity_id == seed.sessions[0] and "Seguimiento de hitos" in before and "del tablero" in after


def test_an_edited_workshops_export_updates_the_workshop(store):
    seed = seed_record(store)
    data = export.entity_file(store, SYSTEM, "workshop", "csv")
    rows = read_csv(data)
    rows[0]["hours"] = "4"

    preview, result = importing.import_file(store, SYSTEM, "workshops", write_csv(rows), "workshop.csv")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert result is not None and (result.created, result.updated) == (0, 1)
    assert activity.get_workshop(store, SYSTEM, seed.workshops[0])["hours"] == 4
    assert table_count(store, workshop) == 1
    assert len(updates_of(store, "workshop")) == 1


def test_an_edited_agreements_export_corrects_and_follows_up_those_agreements(store):
    seed_record(store)
    rows = exported(store, "agreement")
    assert len(rows) == 3
    rows[1]["text"] = "Convocar al órgano garante y a la academia"
    rows[2]["status"], rows[2]["closed_on"] = "Cumplido", "2026-06-01"
    agreements_before = table_count(store, agreement)

    preview, result = importing.import_file(store, SYSTEM, "agreements", write_csv(rows), "agreement.csv")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert (preview.new_rows, preview.updated_rows, preview.present_rows) == (0, 2, 1)
    assert result is not None and result.updated == 2
    assert table_count(store, agreement) == agreements_before
    with store.read() as connection:
        found = {
            row.id: (row.text, row.status, row.closed_on)
            for row in connection.execute(
                select(agreement.c.id, agreement.c.text, agreement.c.status, agreement.c.closed_on)
            )
        }
    assert found[int(rows[1]["id"])][0] == "Convocar al órgano garante y a la academia"
    assert found[int(rows[2]["id"])][1:] == ("done", date(2026, 6, 1))
    assert count(store, agreement_update, agreement_update.c.agreement_id == int(rows[2]["id"])) == 1
    assert [a for a, *_ in updates_of(store, "agreement")][-2:] == ["correct", "update"]


def test_agreements_with_the_same_text_in_one_session_import_back_by_their_keys(store):
    seed = seed_record(store)
    agreements.add_agreement(store, SYSTEM, seed.sessions[0], {"text": "Enviar la minuta"})
    rows = exported(store, "agreement")
    assert [r["text"] for r in rows].count("Enviar la minuta") == 2

    preview, result = importing.import_file(store, SYSTEM, "agreements", write_csv(rows), "agreement.csv")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert result is not None and (result.created, result.updated, result.skipped) == (0, 0, 4)


def test_unchanged_activity_exports_import_back_as_no_change(store):
    seed_record(store)
    tables = {"sessions": ("dialogue_session", dialogue_session), "workshops": ("workshop", workshop),
              "agreements": ("agreement", agreement)}  # fmt: skip
    audits = count(store, audit_entry)
    for kind, (entity, table) in tables.items():
        before = table_count(store, table)
        data = export.entity_file(store, SYSTEM, entity, "xlsx")
        preview, result = importing.import_file(store, SYSTEM, kind, data, f"{entity}.xlsx")
        assert preview.problems == [], (kind, [p.message("en") for p in preview.problems])
        assert preview.new_rows == 0 and preview.updated_rows == 0 and preview.present_rows == before, kind
        assert result is not None and (result.created, result.updated) == (0, 0)
        assert table_count(store, table) == before
    assert count(store, audit_entry) == audits


def test_an_import_update_keeps_the_forms_rules_on_evidence_and_lowered_progress(store):
    seed_record(store)
    rows = exported_milestones(store)
    rows[1]["progress"] = "20"  # milestone 2: 40 -> 20 without a reason
    rows[2]["status"] = "Cumplido"  # milestone 3 has no evidence
    before = milestones_of(store)

    preview, result = importing.import_file(store, SYSTEM, "milestones", write_csv(rows), "milestone.csv")

    assert result is None and milestones_of(store) == before
    assert [(p.row, p.code) for p in preview.problems] == [
        (3, "reason_for_lower_progress"),
        (4, "complete_needs_evidence"),
    ]
    rows[2]["status"] = "Sin iniciar"
    for row in rows:
        row["note"] = ""
    rows[1]["note"] = "La minuta no fue aprobada"
    preview, result = importing.import_file(store, SYSTEM, "milestones", write_csv(rows), "milestone.csv")
    assert preview.problems == [] and result is not None and result.updated == 1
    assert milestones_of(store)[2][0] == 20.0
