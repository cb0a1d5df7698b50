"""The printable reports: generated as real PDFs whose text holds the state, its commitments and its totals."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from accompaniment.access import PUBLIC
from accompaniment.domain.errors import NotFound
from accompaniment.io import report, report_national
from tests.conftest import FIXED_NOW, OAXACA, TLAXCALA
from tests.io.conftest import PRIVATE

TODAY = FIXED_NOW.date()


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text wraps long lines; compare with single spaces."""
    return " ".join(text.split())


def test_a_state_report_holds_the_state_its_commitments_and_its_totals(seeded):
    store, _ = seeded
    text = flat(
        pdf_text(
            report.state_report(
                store, PUBLIC, TLAXCALA, date(2026, 1, 1), date(2026, 6, 30), lang="es", today=TODAY
            )
        )
    )
    assert "Reporte del STL de Tlaxcala" in text
    assert "Periodo: 1 ene 2026 a 30 jun 2026" in text
    assert "Tablero ciudadano de obra pública en Tlaxcala" in text  # the seeded commitment
    assert "Piloto en Apizaco" in text  # one of its milestones
    assert "1 sesiones de diálogo y 0 talleres, con 2 participaciones." in text
    assert "1 acuerdos tomados en el periodo; 1 vencidos." in text  # due 30 jun, still pending
    assert "16.6" in text and "11.3" in text  # its SDG targets
    assert "Fase actual:" in text and "Integrantes por sector" in text
    assert "Contraloría de Tlaxcala" in text


def test_a_state_report_counts_the_starting_record_commitments_too(seeded_duckdb):
    store, _ = seeded_duckdb
    text = flat(
        pdf_text(
            report.state_report(store, PUBLIC, OAXACA, date(2026, 1, 1), date(2026, 12, 31), today=TODAY)
        )
    )
    assert "Reporte del STL de Oaxaca" in text
    assert "1 sesiones de diálogo y 1 talleres, con 19 participaciones." in text
    assert "Taller: árbol de problemas" in text
    assert "compromisos; avance promedio" in text
    assert "Enviar la minuta" in text and "Cumplido" in text


def test_the_report_is_also_written_in_english(seeded_duckdb):
    store, _ = seeded_duckdb
    text = flat(
        pdf_text(
            report.state_report(
                store, PUBLIC, TLAXCALA, date(2026, 1, 1), date(2026, 6, 30), lang="en", today=TODAY
            )
        )
    )
    assert "Report of the STL of Tlaxcala" in text
    assert "1 dialogue sessions and 0 workshops, with 2 attendances." in text
    assert "Period: Jan 1, 2026 to Jun 30, 2026" in text


def test_a_report_leaves_out_private_notes_and_personal_data(seeded_duckdb):
    store, _ = seeded_duckdb
    text = pdf_text(
        report.state_report(store, PUBLIC, OAXACA, date(2026, 1, 1), date(2026, 12, 31), today=TODAY)
    )
    assert not any(marker in text for marker in PRIVATE.values())


def test_activity_outside_the_period_is_left_out(seeded_duckdb):
    store, _ = seeded_duckdb
    text = flat(
        pdf_text(report.state_report(store, PUBLIC, OAXACA, date(2026, 6, 1), date(2026, 6, 30), today=TODAY))
    )
    assert "0 sesiones de diálogo y 0 talleres, con 0 participaciones." in text


def test_a_state_without_a_secretariat_has_no_report(duckdb_store):
    with pytest.raises(NotFound):
        report.state_report(duckdb_store, PUBLIC, "01", today=TODAY)


def test_the_national_summary_shows_every_stl_and_the_national_figures(seeded_duckdb):
    store, _ = seeded_duckdb
    text = flat(
        pdf_text(
            report_national.national_report(store, PUBLIC, date(2026, 1, 1), date(2026, 12, 31), today=TODAY)
        )
    )
    assert "Resumen nacional de los STL" in text
    for name in ("Oaxaca", "Tlaxcala", "Chihuahua", "Veracruz", "Nuevo León"):
        assert name in text
    assert "Estados del programa" in text and "Sesiones en el periodo" in text
    assert "STL por fase" in text
