"""Files as offices send them back (issue 20): a formula with no stored result is named as such, and a title row
or a ``sep=;`` line above the headers is recognised instead of reading as 'missing column Estado'."""

from __future__ import annotations

import io

from openpyxl import Workbook

from accompaniment.access import SYSTEM
from accompaniment.io import importing


def workbook(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl stores formulas without a computed result, as such programs do
    return buffer.getvalue()


HEADERS = ["Estado", "Fecha", "Título", "Horas"]


def test_a_formula_cell_without_a_computed_value_is_reported_as_such(duckdb_store):
    data = workbook(HEADERS, ["Oaxaca", "05/05/2026", '=CONCAT("Taller ", "de cierre")', "=1+2"])

    preview = importing.preview_import(duckdb_store, SYSTEM, "workshops", data, "talleres.xlsx")

    assert [(p.row, p.header, p.code) for p in preview.problems] == [
        (2, "Título", "formula_without_value"),
        (2, "Horas", "formula_without_value"),
    ]
    message = preview.problems[0].message("es")
    assert "la celda contiene una fórmula sin valor calculado" in message and "obligatorio" not in message
    assert "formula without a calculated value" in preview.problems[1].message("en")


def test_a_title_row_above_the_headers_is_recognised_and_named(duckdb_store):
    data = workbook(
        ["Informe de talleres de Oaxaca"], [], HEADERS, ["Oaxaca", "05/05/2026", "Taller de cierre", 3]
    )

    preview, result = importing.import_file(duckdb_store, SYSTEM, "workshops", data, "talleres.xlsx")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert result is not None and result.created == 1
    [notice] = [n for n in preview.notices if n.code == "title_rows"]
    assert "Informe de talleres de Oaxaca" in notice.message("es") and "3" in notice.message("es")
    assert [row["row"] for row in preview.rows] == [4]


def test_a_sep_line_above_the_headers_of_a_csv_is_understood(duckdb_store):
    data = "sep=;\r\nEstado;Fecha;Título\r\nOaxaca;05/05/2026;Taller de cierre\r\n".encode("cp1252")

    preview = importing.preview_import(duckdb_store, SYSTEM, "workshops", data, "talleres.csv")

    assert preview.problems == [], [p.message("en") for p in preview.problems]
    assert [row["row"] for row in preview.rows] == [3]


def test_headers_that_are_not_found_say_where_they_must_be(duckdb_store):
    data = workbook(["Informe"], ["Columna A", "Columna B"], ["x", "y"])

    preview = importing.preview_import(duckdb_store, SYSTEM, "workshops", data, "talleres.xlsx")

    missing = [p for p in preview.problems if p.code == "missing_column"]
    assert missing and "encabezados" in missing[0].message("es")
