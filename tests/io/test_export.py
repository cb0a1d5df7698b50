"""Exports hold exactly what the acting user may read, and every text cell is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from accompaniment.access import PUBLIC, SYSTEM
from accompaniment.domain.errors import PermissionDenied
from accompaniment.io import export
from accompaniment.io.tabular import neutralise, text_cell, unneutralise, write_csv
from accompaniment.store import archive
from accompaniment.store.export_queries import (
    ENTITY_NAMES,
    PUBLIC_ENTITIES,
    export_table,
    exportable_entities,
)
from tests.conftest import ACTORS, OAXACA, TLAXCALA
from tests.io.conftest import FORMULA, PRIVATE

PRIVATE_COLUMNS = {
    "member": {"person_name", "person_email", "person_phone"},
    "dialogue_session": {"summary"},
    "workshop": {"notes"},
    "milestone": {"evidence_note"},
    "milestone_update": {"recorded_by", "evidence_note", "note"},
    "agreement_update": {"recorded_by", "note"},
    "phase_event": {"recorded_by"},
}


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_public_may_export_every_public_entity_and_nothing_else():
    assert exportable_entities(PUBLIC) == list(PUBLIC_ENTITIES)
    assert "app_user" not in PUBLIC_ENTITIES and "audit_entry" not in PUBLIC_ENTITIES
    assert set(exportable_entities(SYSTEM)) == set(ENTITY_NAMES)
    assert "audit_entry" in exportable_entities(ACTORS["working_group"])
    assert "app_user" not in exportable_entities(ACTORS["working_group"])


def test_the_public_cannot_export_accounts_or_the_audit_log(store):
    for name in ("app_user", "audit_entry"):
        with pytest.raises(PermissionDenied):
            export_table(store, PUBLIC, name)


def test_public_exports_select_no_private_column_and_hold_no_private_value(seeded):
    store, _ = seeded
    for name in PUBLIC_ENTITIES:
        table = export_table(store, PUBLIC, name)
        assert not set(table.column_names) & PRIVATE_COLUMNS.get(name, set()), name
        text = repr(table.rows)
        for marker in PRIVATE.values():
            assert marker not in text, (name, marker)


def test_staff_exports_include_the_private_notes(seeded):
    store, _ = seeded
    sessions = export_table(store, ACTORS["working_group"], "dialogue_session")
    assert "summary" in sessions.column_names
    assert PRIVATE["summary"] in repr(sessions.rows)
    assert PRIVATE["notes"] in repr(export_table(store, ACTORS["specialist"], "workshop").rows)


def test_a_secretariat_reads_personal_data_of_its_own_state_only(seeded):
    store, _ = seeded
    table = export_table(store, ACTORS["secretariat_own"], "member")
    names = dict(
        zip(
            (r[table.column_names.index("id")] for r in table.rows),
            (r[table.column_names.index("person_name")] for r in table.rows),
            strict=True,
        )
    )
    states = {r[0]: r[1] for r in table.rows}
    assert {names[i] for i in names if states[i] == OAXACA} >= {PRIVATE["person_name"]}
    assert all(names[i] is None for i in names if states[i] == TLAXCALA)
    assert "summary" not in export_table(store, ACTORS["secretariat_own"], "dialogue_session").column_names


def test_archived_sessions_and_their_children_are_not_exported(seeded):
    store, seed = seeded
    archive.archive(store, SYSTEM, "dialogue_session", seed.sessions[1], 1)
    sessions = export_table(store, PUBLIC, "dialogue_session")
    assert seed.sessions[1] not in [row[0] for row in sessions.rows]
    agreements = export_table(store, PUBLIC, "agreement")
    assert seed.sessions[1] not in [row[1] for row in agreements.rows]
    participation = export_table(store, PUBLIC, "participation")
    assert seed.sessions[1] not in [row[1] for row in participation.rows]


def test_one_state_can_be_exported_alone(seeded):
    store, _ = seeded
    table = export_table(store, PUBLIC, "dialogue_session", state_code=OAXACA)
    assert table.rows and {row[1] for row in table.rows} == {OAXACA}


def test_sessions_export_flattens_participants_and_organisations(seeded):
    store, seed = seeded
    rows = csv_rows(export.entity_file(store, PUBLIC, "dialogue_session", "csv"))
    first = next(r for r in rows if r["id"] == str(seed.sessions[0]))
    assert first["participants_civil_society_women"] == "4"
    assert first["participants_government_other"] == "1"
    assert first["participant_total"] == "10"
    assert first["organizations"] == "Colectivo Oaxaqueño; IAIP Oaxaca"


# ---- formula injection -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", FORMULA])
def test_text_that_a_spreadsheet_would_run_gets_a_quote_prefix(text):
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


def test_ordinary_text_and_numbers_are_written_unchanged():
    assert neutralise("Oaxaca") == "Oaxaca"
    assert unneutralise("'quoted on purpose") == "'quoted on purpose"
    assert text_cell(-5) == "-5" and text_cell(2.5) == "2.5" and text_cell(100.0) == "100"
    assert write_csv(["a"], [[-3]], excel=False) == b"a\r\n-3\r\n"


def test_a_hyperlink_formula_in_a_summary_is_neutralised_in_csv(seeded):
    store, seed = seeded
    rows = csv_rows(export.entity_file(store, PUBLIC, "dialogue_session", "csv"))
    summaries = {r["id"]: r["public_summary"] for r in rows}
    assert summaries[str(seed.sessions[0])] == "'" + FORMULA
    assert summaries[str(seed.sessions[1])] == "'- punto uno; + punto dos"
    workshops = csv_rows(export.entity_file(store, PUBLIC, "workshop", "csv"))
    assert workshops[0]["public_summary"] == "'@usuario del taller"


def test_a_hyperlink_formula_in_a_summary_is_neutralised_in_xlsx(seeded):
    store, seed = seeded
    content = export.entity_file(store, PUBLIC, "dialogue_session", "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("public_summary") + 1
    cells = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=column)
        for r in range(2, sheet.max_row + 1)
    }
    cell = cells[seed.sessions[0]]
    assert cell.value == "'" + FORMULA
    assert cell.data_type == "s"  # a string, never a formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_exports_open_in_excel_with_accents(seeded):
    store, _ = seeded
    content = export.entity_file(store, PUBLIC, "state", "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    assert "Nuevo León" in content.decode("utf-8-sig")


# ---- issue 17: every XLSX cell of a whole export, scanned for private markers ------------------------------------

PERSONAL = ("person_name", "person_email", "person_phone")
PRIVATE_NOTES = ("summary", "notes")


def xlsx_cells(folder) -> list[str]:
    """Every non-empty cell of every sheet of every XLSX file in ``folder``, as text."""
    cells = []
    for path in sorted(folder.glob("*.xlsx")):
        workbook = load_workbook(path, read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(value) for value in row if value is not None)
        workbook.close()
    return cells


def markers_in(cells: list[str]) -> set[str]:
    return {name for name, marker in PRIVATE.items() for cell in cells if marker in cell}


@pytest.mark.parametrize("role", ["public", "secretariat_own", "secretariat_other"])
def test_no_xlsx_cell_of_an_export_holds_what_the_reader_may_not_see(seeded, tmp_path, role):
    store, _ = seeded
    actor = PUBLIC if role == "public" else ACTORS[role]
    export.export_directory(store, actor, "xlsx", tmp_path)
    cells = xlsx_cells(tmp_path)
    assert cells, "the export wrote no cell at all"
    found = markers_in(cells)
    assert not found & set(PRIVATE_NOTES), (role, found)
    if role == "secretariat_own":
        assert set(PERSONAL) <= found, found  # its own state's members, with their contact details
        assert PRIVATE["person_name"] + "-T" not in cells  # never Tlaxcala's
    elif role == "secretariat_other":
        assert not found & {"person_email", "person_phone"}, found
        assert PRIVATE["person_name"] not in cells  # Oaxaca's member; its own ("-T") may be there
    else:
        assert found == set(), found


@pytest.mark.parametrize("role", ["specialist", "working_group", "admin"])
def test_staff_xlsx_exports_hold_the_private_notes_and_personal_data(seeded, tmp_path, role):
    store, _ = seeded
    export.export_directory(store, ACTORS[role], "xlsx", tmp_path)
    assert markers_in(xlsx_cells(tmp_path)) == set(PRIVATE)
