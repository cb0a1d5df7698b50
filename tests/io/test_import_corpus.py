"""A corpus of bad files: each names its problem by row and column in plain words, and nothing is written.

Rows are numbered as the spreadsheet shows them (the header is row 1), columns as the file's own header names them.
All cases share one seeded database per backend (a DuckDB file, and a PostgreSQL schema): as none may write, sharing
it is itself part of the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from accompaniment.access import SYSTEM
from accompaniment.io import importing
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import import_row, metadata
from tests.conftest import BACKENDS, FIXED_NOW, database_url
from tests.io.conftest import seed_record
from tests.io.test_import import csv_bytes, xlsx_bytes

SESSION = ["Estado", "Fecha", "Tipo de sesión"]
WORKSHOP = ["Estado", "Fecha", "Título"]
AGREEMENT = ["Estado", "Fecha de la sesión", "Tipo de sesión", "Texto del acuerdo"]
COMMITMENT = ["Estado", "Número de plan", "Número", "Título"]
MILESTONE = ["Estado", "Número de plan", "Número de compromiso", "Número de hito", "Descripción"]
OK_SESSION = ["Oaxaca", "05/03/2026", "plenary"]
OK_WORKSHOP = ["Oaxaca", "05/03/2026", "Taller"]
OK_MILESTONE = ["Tlaxcala", 2, 1, 7, "Hito nuevo"]


@dataclass(frozen=True)
class Case:
    kind: str
    content: bytes
    expected: tuple[int | None, str | None, str]  # row, column header, problem code
    filename: str = "archivo.csv"


CASES: dict[str, Case] = {
    "unknown state": Case(
        "sessions",
        csv_bytes(SESSION, OK_SESSION, ["Narnia", "05/03/2026", "plenary"]),
        (3, "Estado", "unknown_state"),
    ),
    "state code out of range": Case(
        "sessions", csv_bytes(SESSION, ["33", "05/03/2026", "plenary"]), (2, "Estado", "unknown_state")
    ),
    "impossible date": Case(
        "sessions", csv_bytes(SESSION, ["Oaxaca", "31/02/2026", "plenary"]), (2, "Fecha", "not_a_date")
    ),
    "session after today": Case(
        "sessions", csv_bytes(SESSION, ["Oaxaca", "01/01/2040", "plenary"]), (2, "Fecha", "date_in_future")
    ),
    "unknown session type": Case(
        "sessions",
        csv_bytes(SESSION, ["Oaxaca", "05/03/2026", "Sesión mágica"]),
        (2, "Tipo de sesión", "not_an_option"),
    ),
    "unknown modality": Case(
        "sessions",
        csv_bytes(SESSION + ["Modalidad"], OK_SESSION + ["Por paloma"]),
        (2, "Modalidad", "not_an_option"),
    ),
    "negative count": Case(
        "sessions",
        csv_bytes(SESSION + ["Gobierno - Mujeres"], OK_SESSION + ["-3"]),
        (2, "Gobierno - Mujeres", "too_small"),
    ),
    "text in a count": Case(
        "sessions",
        csv_bytes(SESSION + ["Academia - Hombres"], OK_SESSION + ["tres"]),
        (2, "Academia - Hombres", "not_a_number"),
    ),
    "fractional count": Case(
        "sessions",
        csv_bytes(SESSION + ["Academia - Hombres"], OK_SESSION + ["2.5"]),
        (2, "Academia - Hombres", "not_a_whole_number"),
    ),
    "consensus out of scale": Case(
        "sessions",
        csv_bytes(SESSION + ["Nivel de consenso"], OK_SESSION + ["7"]),
        (2, "Nivel de consenso", "too_large"),
    ),
    "bad evidence link": Case(
        "sessions",
        csv_bytes(SESSION + ["Enlace de evidencia"], OK_SESSION + ["www.x.org"]),
        (2, "Enlace de evidencia", "not_a_url"),
    ),
    "missing required column": Case(
        "sessions",
        csv_bytes(["Estado", "Fecha"], ["Oaxaca", "05/03/2026"]),
        (None, "Tipo de sesión", "missing_column"),
    ),
    "same column twice": Case(
        "sessions",
        csv_bytes(SESSION + ["fecha"], OK_SESSION + ["06/03/2026"]),
        (None, "fecha", "duplicate_column"),
    ),
    "duplicate row": Case(
        "sessions", csv_bytes(SESSION, OK_SESSION, OK_SESSION), (3, None, "duplicate_in_file")
    ),
    "text in a number column": Case(
        "workshops", csv_bytes(WORKSHOP + ["Horas"], OK_WORKSHOP + ["dos"]), (2, "Horas", "not_a_number")
    ),
    "zero hours": Case(
        "workshops", csv_bytes(WORKSHOP + ["Horas"], OK_WORKSHOP + ["0"]), (2, "Horas", "too_small")
    ),
    "satisfaction zero": Case(
        "workshops",
        csv_bytes(WORKSHOP + ["Satisfacción"], OK_WORKSHOP + ["0"]),
        (2, "Satisfacción", "too_small"),
    ),
    "over-long title": Case(
        "workshops", csv_bytes(WORKSHOP, ["Oaxaca", "05/03/2026", "T" * 301]), (2, "Título", "too_long")
    ),
    "empty required value": Case(
        "workshops",
        csv_bytes(WORKSHOP + ["Horas"], ["Oaxaca", "05/03/2026", "", "2"]),
        (2, "Título", "required"),
    ),
    "agreement of an unknown session": Case(
        "agreements",
        csv_bytes(AGREEMENT, ["Oaxaca", "06/03/2026", "plenary", "Acuerdo"]),
        (2, "Fecha de la sesión", "unknown_session"),
    ),
    "agreement due before 2010": Case(
        "agreements",
        csv_bytes(
            AGREEMENT + ["Fecha compromiso"], ["Oaxaca", "05/03/2026", "Mesa de trabajo", "A", "01/01/2009"]
        ),
        (2, "Fecha compromiso", "date_too_early"),
    ),
    "unknown agreement status": Case(
        "agreements",
        csv_bytes(AGREEMENT + ["Estatus"], ["Oaxaca", "05/03/2026", "Mesa de trabajo", "A", "Terminado"]),
        (2, "Estatus", "not_an_option"),
    ),
    "duplicate commitment number in the file": Case(
        "commitments",
        csv_bytes(COMMITMENT, ["Sonora", 2, 1, "Uno"], ["Sonora", 2, 1, "Otro"]),
        (3, "Número", "duplicate_in_file"),
    ),
    "commitment number already taken": Case(
        "commitments", csv_bytes(COMMITMENT, ["Tlaxcala", 2, 1, "Otro título"]), (2, "Número", "number_taken")
    ),
    "unknown SDG target": Case(
        "commitments",
        csv_bytes(COMMITMENT + ["Metas ODS"], ["Sonora", 2, 1, "T", "16.99"]),
        (2, "Metas ODS", "unknown_target"),
    ),
    "unknown open government value": Case(
        "commitments",
        csv_bytes(
            COMMITMENT + ["Valores de Gobierno Abierto"], ["Sonora", 2, 1, "T", "transparencia radical"]
        ),
        (2, "Valores de Gobierno Abierto", "not_an_option"),
    ),
    "end before start": Case(
        "commitments",
        csv_bytes(
            COMMITMENT + ["Fecha de inicio", "Fecha de término"],
            ["Sonora", 2, 1, "T", "01/06/2026", "01/01/2026"],
        ),
        (2, "Fecha de término", "end_before_start"),
    ),
    "progress 130": Case(
        "milestones",
        csv_bytes(MILESTONE + ["Avance (%)"], OK_MILESTONE + ["130"]),
        (2, "Avance (%)", "too_large"),
    ),
    "negative weight": Case(
        "milestones",
        csv_bytes(MILESTONE + ["Ponderación"], OK_MILESTONE + ["-1"]),
        (2, "Ponderación", "too_small"),
    ),
    "milestone complete without evidence": Case(
        "milestones",
        csv_bytes(MILESTONE + ["Estatus"], OK_MILESTONE + ["Cumplido"]),
        (2, "Enlace de evidencia", "complete_needs_evidence"),
    ),
    "milestone of an unknown commitment": Case(
        "milestones",
        csv_bytes(MILESTONE, ["Tlaxcala", 2, 9, 1, "Hito"]),
        (2, "Número de compromiso", "unknown_commitment"),
    ),
    "milestone due before 2010": Case(
        "milestones",
        csv_bytes(MILESTONE + ["Fecha compromiso"], OK_MILESTONE + ["31/12/2009"]),
        (2, "Fecha compromiso", "date_too_early"),
    ),
    "wrong encoding": Case(
        "sessions",
        b"Estado,Fecha,Tipo de sesi\x81n\r\n\x90\x9d\x8f,05/03/2026,plenary\r\n",
        (None, None, "bad_encoding"),
    ),
    "empty file": Case("sessions", b"", (None, None, "empty_file")),
    "blank lines only": Case("sessions", b"\r\n ,, \r\n", (None, None, "empty_file")),
    "headers only": Case("sessions", csv_bytes(SESSION), (None, None, "no_rows")),
    "old xls workbook": Case(
        "sessions", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, (None, None, "old_xls"), "viejo.xls"
    ),
    "damaged xlsx": Case(
        "sessions", b"PK\x03\x04 not really a workbook", (None, None, "bad_xlsx"), "roto.xlsx"
    ),
    "bad row in an xlsx": Case(
        "sessions",
        xlsx_bytes(SESSION, OK_SESSION, ["Oaxaca", "no es fecha", "plenary"]),
        (3, "Fecha", "not_a_date"),
        "sesiones.xlsx",
    ),
}


def table_counts(store: Store) -> dict[str, int]:
    with store.read() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
            if t.name != "audit_entry"
        } | {"import_row": connection.execute(select(func.count()).select_from(import_row)).scalar_one()}


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    urls = database_url(request.param, tmp_path_factory.mktemp("corpus"))
    opened = open_store(next(urls), clock=lambda: FIXED_NOW)
    try:
        seed_record(opened)
        yield opened
    finally:
        opened.engine.dispose()
        urls.close()  # PostgreSQL: drops the schema


def test_the_corpus_covers_at_least_twenty_kinds_of_bad_rows():
    assert len(CASES) >= 20
    assert len({case.expected[2] for case in CASES.values()}) >= 20


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_file_names_its_problem_by_row_and_column_and_writes_nothing(shared, name):
    case = CASES[name]
    before = table_counts(shared)
    preview, result = importing.import_file(shared, SYSTEM, case.kind, case.content, case.filename)
    row, header, code = case.expected
    found = [(p.row, p.header, p.code) for p in preview.problems]
    assert (row, header, code) in found, found
    assert result is None
    assert table_counts(shared) == before
    problem = next(p for p in preview.problems if (p.row, p.header, p.code) == case.expected)
    for lang in ("es", "en"):
        message = problem.message(lang)
        assert "⟦" not in message, message
        if row is not None:
            assert message.startswith(("Fila " if lang == "es" else "Row ") + str(row) + ":"), message
        if header is not None:
            assert header in message, message


def test_every_problem_of_a_file_is_listed_not_only_the_first(shared):
    content = csv_bytes(
        SESSION + ["Nivel de consenso", "Gobierno - Hombres"],
        ["Narnia", "31/02/2026", "plenary", "9", "-1"],
        OK_SESSION + ["", ""],
        ["Oaxaca", "05/03/2026", "desconocido", "", "x"],
    )
    preview = importing.preview_import(shared, SYSTEM, "sessions", content)
    assert [(p.row, p.header) for p in preview.problems] == [
        (2, "Estado"),
        (2, "Fecha"),
        (2, "Nivel de consenso"),
        (2, "Gobierno - Hombres"),
        (4, "Tipo de sesión"),
        (4, "Gobierno - Hombres"),
    ]
    table = preview.problem_table("es")
    assert list(table.columns) == ["row", "column", "message"] and len(table) == 6


def test_unknown_columns_are_reported_and_ignored(shared):
    preview = importing.preview_import(
        shared, SYSTEM, "sessions", csv_bytes(SESSION + ["Comentarios"], OK_SESSION)
    )
    assert preview.ok
    assert [(n.code, n.header) for n in preview.notices] == [("ignored_column", "Comentarios")]
