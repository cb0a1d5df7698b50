"""The per-state pre-filled workbook (issue 20): a secretariat downloads its own milestones with their progress,
fills the workbook in and uploads it; exactly those milestones are updated, and another state's workbook is
refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from accompaniment.domain.errors import PermissionDenied
from accompaniment.io import state_workbook
from accompaniment.store.schema import milestone, milestone_update
from tests.conftest import ACTORS, TLAXCALA
from tests.io.conftest import seed_record

TLAXCALA_OFFICE = ACTORS["secretariat_other"]  # bound to Tlaxcala, where the seeded milestones are
OAXACA_OFFICE = ACTORS["secretariat_own"]


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data))


def columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def progress_by_number(store) -> dict[int, tuple[float, str]]:
    with store.read() as connection:
        return {
            n: (p, s)
            for n, p, s in connection.execute(
                select(milestone.c.number, milestone.c.progress, milestone.c.status)
            )
        }


def test_the_workbook_holds_the_states_milestones_with_drop_downs_locked_keys_and_instructions(store):
    seed_record(store)
    book = sheet_of(state_workbook.state_workbook(store, TLAXCALA_OFFICE, TLAXCALA, lang="es"))
    sheet = book.worksheets[0]
    heads = columns(sheet)
    assert [sheet.cell(row, heads["Número de hito"]).value for row in (2, 3, 4)] == [1, 2, 3]
    assert sheet.cell(3, heads["Avance (%)"]).value == 40
    assert sheet.cell(3, heads["Estatus"]).value == "En proceso"
    assert sheet.protection.sheet
    assert sheet.cell(2, heads["Número de hito"]).protection.locked
    assert not sheet.cell(2, heads["Avance (%)"]).protection.locked
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists and "Cumplido" in lists[0].formula1
    assert book.sheetnames[1] == "Instrucciones" and "Avance" in " ".join(
        str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value
    )


def test_a_secretariat_fills_in_its_workbook_and_exactly_those_milestones_are_updated(store):
    seed_record(store)
    book = sheet_of(state_workbook.state_workbook(store, TLAXCALA_OFFICE, TLAXCALA, lang="es"))
    sheet = book.worksheets[0]
    heads = columns(sheet)
    sheet.cell(4, heads["Avance (%)"]).value = 50
    sheet.cell(4, heads["Estatus"]).value = "En proceso"
    sheet.cell(4, heads["Enlace de evidencia"]).value = "https://evidencia.example.org/tlx/3"
    buffer = io.BytesIO()
    book.save(buffer)
    before = progress_by_number(store)

    preview, result = state_workbook.import_state_workbook(
        store, TLAXCALA_OFFICE, TLAXCALA, buffer.getvalue(), "hitos.xlsx"
    )

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert result is not None and (result.created, result.updated, result.skipped) == (0, 1, 2)
    after = progress_by_number(store)
    assert after[3] == (50.0, "in_progress") and after[1] == before[1] and after[2] == before[2]
    with store.read() as connection:
        recorded_by = connection.execute(
            select(milestone_update.c.recorded_by).order_by(milestone_update.c.id.desc())
        ).scalar()
    assert recorded_by == TLAXCALA_OFFICE.username


def test_another_states_workbook_is_refused_and_nothing_is_written(store):
    seed_record(store)
    data = state_workbook.state_workbook(store, ACTORS["specialist"], TLAXCALA, lang="es")
    book = sheet_of(data)
    sheet = book.worksheets[0]
    sheet.cell(4, columns(sheet)["Avance (%)"]).value = 50
    sheet.cell(4, columns(sheet)["Estatus"]).value = "En proceso"
    buffer = io.BytesIO()
    book.save(buffer)
    before = progress_by_number(store)

    with pytest.raises(PermissionDenied):
        state_workbook.state_workbook(store, OAXACA_OFFICE, TLAXCALA)
    preview, result = state_workbook.import_state_workbook(
        store, OAXACA_OFFICE, OAXACA_OFFICE.state_code, buffer.getvalue(), "hitos.xlsx"
    )
    assert result is None
    assert {p.code for p in preview.problems} == {"other_state"}
    assert "Tlaxcala" in preview.problems[0].message("es")
    with pytest.raises(PermissionDenied):
        state_workbook.import_state_workbook(store, OAXACA_OFFICE, TLAXCALA, buffer.getvalue(), "hitos.xlsx")
    assert progress_by_number(store) == before


def test_the_workbook_adds_no_milestones(store):
    seed_record(store)
    book = sheet_of(state_workbook.state_workbook(store, TLAXCALA_OFFICE, TLAXCALA, lang="es"))
    sheet = book.worksheets[0]
    values = [c.value for c in sheet[4]]
    values[columns(sheet)["Número de hito"] - 1] = 9
    sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)

    preview, result = state_workbook.import_state_workbook(
        store, TLAXCALA_OFFICE, TLAXCALA, buffer.getvalue(), "hitos.xlsx"
    )

    assert result is None and [(p.row, p.code) for p in preview.problems] == [(5, "updates_only")]
