"""Streamed exports (issue 18) write the same bytes as the in-memory writers, on both databases.

The CSVs are written by the database's COPY and the XLSX by openpyxl fed batch by batch; the reference for both is
what ``io.tabular.write_csv`` / ``write_xlsx`` make of ``export_table``'s rows, which is what every export was
before. Each CSV comparison is byte for byte; text built to trip quoting, line ends and formula neutralisation,
and floats that need 15 significant digits or an exponent, are planted first.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from accompaniment.access import PUBLIC, SYSTEM
from accompaniment.io import datapackage, export
from accompaniment.io.tabular import write_csv
from accompaniment.store import activity
from accompaniment.store.bulk_export import CrlfRows, row_batches
from accompaniment.store.export_queries import exportable_entities
from accompaniment.store.schema import dialogue_session
from tests.conftest import ACTORS, OAXACA

TRICKY_TEXT = [
    "a,b", 'say "hi"', "line\nbreak", "cr\rreturn", "crlf\r\nend", "#hash", " lead", "trail ", "=1+1", "+1",
    "-1", "@x", "\tx", "\rx", "'quoted", "ñandú é", "NULL", "\\.", "\\N", ";semi", '"', '""', "\n", ",", "x\u2028y",
]  # fmt: skip
RAW_TEXT = ["\tx", "\rx", " lead", "trail ", ""]  # written past the forms, which strip text
TRICKY_NUMBERS = {  # as Python's writer gives them: 15 significant digits, an exponent below 1e-4, 7 for 7.0
    1e-05: "1e-05",
    100 / 3: "33.3333333333333",
    2.5: "2.5",
    0.000123456789: "0.000123456789",
    123.45678901234567: "123.456789012346",
    7.0: "7",
    199.99999999999997: "200",
}
ROLES = ["public", "secretariat_own", "working_group", "admin"]


def _plant_tricky_values(store) -> None:  # noqa: ANN001 - a Store
    for number, text in enumerate(TRICKY_TEXT):
        activity.log_session(
            store,
            SYSTEM,
            {
                "state_code": OAXACA,
                "held_on": date(2026, 4, 1 + number),
                "session_type": "working_table",
                "modality": "online",
                "phase": 4,
                "topics": text,
                "organizations": [text, "Otra, A.C."] if text.strip() else [],
                "public_summary": text,
            },
        )
    for number, hours in enumerate(TRICKY_NUMBERS):
        activity.log_workshop(
            store,
            SYSTEM,
            {
                "state_code": OAXACA,
                "held_on": date(2026, 5, 1 + number),
                "title": f"Taller {number}",
                "hours": hours,
            },
        )
    with store.engine.begin() as connection:
        sessions = [row[0] for row in connection.execute(select(dialogue_session.c.id))]
        for identifier, text in zip(sorted(sessions)[-len(RAW_TEXT) :], RAW_TEXT, strict=True):
            connection.execute(
                update(dialogue_session)
                .where(dialogue_session.c.id == identifier)
                .values(public_summary=text)
            )


def _actor(role: str):  # noqa: ANN202 - an Actor
    return PUBLIC if role == "public" else ACTORS[role]


@pytest.fixture
def tricky(seeded):  # noqa: ANN001, ANN201
    store, _ = seeded
    _plant_tricky_values(store)
    return store


@pytest.mark.parametrize("role", ROLES)
def test_every_streamed_csv_is_byte_for_byte_what_the_python_writer_makes(tricky, role):
    actor = _actor(role)
    for name in exportable_entities(actor):
        for state_code in (None, OAXACA):
            table = export.readable_table(tricky, actor, name, state_code=state_code, lang="en")
            expected = write_csv(table.column_names, table.rows)
            assert export.entity_file(tricky, actor, name, "csv", state_code, "en") == expected, (
                name,
                state_code,
            )


def test_tricky_text_is_quoted_and_neutralised_as_a_spreadsheet_needs(tricky):
    content = export.entity_file(tricky, PUBLIC, "dialogue_session", "csv")
    assert b'"crlf\r\nend"' in content and b'"line\nbreak"' in content and b'"say ""hi"""' in content
    assert b",'=1+1," in content and b",'-1," in content and b',"\'\rx",' in content and b",'\tx," in content
    assert (
        b",#hash," in content
    )  # not quoted: DuckDB's writer would quote a comment character unless told not to


def test_numbers_keep_fifteen_significant_digits_and_whole_numbers_none(tricky):
    content = export.entity_file(tricky, SYSTEM, "workshop", "csv").decode("utf-8-sig")
    written = [row["hours"] for row in csv.DictReader(io.StringIO(content))]
    assert written[-len(TRICKY_NUMBERS) :] == list(TRICKY_NUMBERS.values())


@pytest.mark.parametrize("role", ["public", "admin"])
def test_every_streamed_xlsx_holds_the_cells_of_the_in_memory_workbook(tricky, role):
    from accompaniment.io.tabular import write_xlsx

    actor = _actor(role)
    for name in exportable_entities(actor):
        table = export.readable_table(tricky, actor, name, lang="es")
        expected = write_xlsx([(name, table.column_names, table.rows)])
        streamed = export.entity_file(tricky, actor, name, "xlsx")
        assert _cells(streamed) == _cells(expected), name


def _cells(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def test_the_data_package_files_are_the_streamed_csvs_without_a_byte_order_mark(tricky):
    files = datapackage.build_datapackage(tricky, "es")
    assert list(files)[-2:] == [datapackage.DESCRIPTOR, datapackage.CALENDAR]
    for name in ("dialogue_session", "workshop", "phase_event"):
        table = export.readable_table(tricky, PUBLIC, name, lang="es")
        assert files[f"data/{name}.csv"] == write_csv(table.column_names, table.rows, excel=False), name


def test_rows_for_a_workbook_come_in_batches_not_all_at_once(tricky):
    columns, batches = row_batches(tricky, SYSTEM, "dialogue_session", size=4)
    sizes = [len(batch) for batch in batches]
    assert len(sizes) > 2 and max(sizes) == 4
    assert [c.name for c in columns][:2] == ["id", "state_code"]


def test_a_reader_who_may_not_export_a_table_is_refused_before_anything_is_written(store):
    from accompaniment.domain.errors import PermissionDenied

    out = io.BytesIO()
    with pytest.raises(PermissionDenied):
        export.write_entity(store, PUBLIC, "audit_entry", "csv", out)
    assert out.getvalue() == b""


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1 << 16])
def test_row_ends_become_crlf_outside_quotes_wherever_the_chunks_split(size):
    stream = b'1,"a\nb",c\n2,"say ""x""\n",\n3,,"\r\n"\n'
    crlf = CrlfRows()
    converted = b"".join(crlf(stream[i : i + size]) for i in range(0, len(stream), size))
    assert converted == b'1,"a\nb",c\r\n2,"say ""x""\n",\r\n3,,"\r\n"\r\n'


def test_the_pages_that_offer_downloads_import_no_spreadsheet_pdf_or_package_library():
    """The overview's modules and the reports page's widgets load without openpyxl, fpdf2 or frictionless: those
    stacks are imported when a file is built."""
    code = (
        "import sys, logging; logging.disable(logging.WARNING)\n"
        "import accompaniment.ui.shell, accompaniment.ui.blocks, accompaniment.ui.cached, accompaniment.ui.frames\n"
        "import accompaniment.ui.scorecard, accompaniment.ui.reports_ui, accompaniment.io.export\n"
        "print(sorted(m for m in ('openpyxl', 'fpdf', 'frictionless') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr[-2000:]
