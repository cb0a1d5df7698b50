"""Imports take files as state offices send them, round-trip our own exports, never duplicate, and are all or
nothing. The corpus of bad files lives in ``test_import_corpus.py``."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from accompaniment.access import SYSTEM
from accompaniment.domain.errors import PermissionDenied
from accompaniment.domain.models import ACTIVITY_MAX_DAYS_AHEAD
from accompaniment.io import export, importing
from accompaniment.io import import_format as fmt
from accompaniment.store.database import Store, open_store
from accompaniment.store.imports import ImportKind, commit_import
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    milestone,
    participation,
    session_organization,
    workshop,
)
from tests.conftest import ACTORS, FIXED_NOW, OAXACA
from tests.io.conftest import seed_record

# The order a state office would load them in: references before what refers to them.
IMPORT_ORDER = [
    ("sessions", "dialogue_session", "csv"),
    ("workshops", "workshop", "xlsx"),
    ("commitments", "commitment", "csv"),
    ("milestones", "milestone", "xlsx"),
    ("agreements", "agreement", "csv"),
]


def csv_bytes(headers: list[str], *rows: list[Any], sep: str = ",", encoding: str = "utf-8") -> bytes:
    lines = [sep.join(headers)] + [sep.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(headers: list[str], *rows: list[Any]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- what a table holds, by natural keys (ids differ between databases) --------------------------------------


def _rows(store: Store, query: Any) -> list[tuple]:
    with store.read() as connection:
        return sorted((tuple(row) for row in connection.execute(query)), key=repr)


def signatures(store: Store) -> dict[str, list[tuple]]:
    s, w, a, c, m = dialogue_session.c, workshop.c, agreement.c, commitment.c, milestone.c
    by_session = {}
    with store.read() as connection:
        for sid, sector, gender, count in connection.execute(
            select(
                participation.c.session_id,
                participation.c.sector,
                participation.c.gender,
                participation.c.count,
            ).where(participation.c.session_id.is_not(None))
        ):
            by_session.setdefault(sid, []).append((sector, gender, count))
        for sid, position, name in connection.execute(
            select(
                session_organization.c.session_id,
                session_organization.c.position,
                session_organization.c.name,
            )
        ):
            by_session.setdefault(("org", sid), []).append((position, name))
        by_workshop = {}
        for wid, sector, gender, count in connection.execute(
            select(
                participation.c.workshop_id,
                participation.c.sector,
                participation.c.gender,
                participation.c.count,
            ).where(participation.c.workshop_id.is_not(None))
        ):
            by_workshop.setdefault(wid, []).append((sector, gender, count))
        links = {}
        for cid, code in connection.execute(select(commitment_ogp_value)):
            links.setdefault(cid, []).append(code)
        for cid, code in connection.execute(select(commitment_sdg_target)):
            links.setdefault(cid, []).append(code)
    sessions = [
        row[1:]
        + (tuple(sorted(by_session.get(row[0], []))), tuple(sorted(by_session.get(("org", row[0]), []))))
        for row in _rows(
            store,
            select(
                s.id,
                s.state_code,
                s.held_on,
                s.session_type,
                s.modality,
                s.phase,
                s.topics,
                s.consensus,
                s.public_summary,
                s.summary,
                s.evidence_url,
                s.participant_total,
            ),
        )
    ]
    workshops = [
        row[1:] + (tuple(sorted(by_workshop.get(row[0], []))),)
        for row in _rows(
            store,
            select(
                w.id,
                w.state_code,
                w.held_on,
                w.title,
                w.topic,
                w.modality,
                w.hours,
                w.satisfaction,
                w.public_summary,
                w.notes,
                w.evidence_url,
                w.participant_total,
            ),
        )
    ]
    commitments = [
        row[1:] + (tuple(sorted(links.get(row[0], []))),)
        for row in _rows(
            store,
            select(
                c.id,
                action_plan.c.state_code,
                action_plan.c.number,
                c.number,
                c.title,
                c.public_problem,
                c.objective,
                c.lead_institution,
                c.co_responsible,
                c.start_date,
                c.end_date,
                c.proactive,
            ).join(action_plan, action_plan.c.id == c.plan_id),
        )
    ]
    milestones = _rows(
        store,
        select(
            action_plan.c.state_code,
            action_plan.c.number,
            c.number,
            m.number,
            m.description,
            m.responsible,
            m.due_date,
            m.weight,
            m.progress,
            m.status,
            m.completed_on,
            m.evidence_url,
            m.evidence_note,
        )
        .join(commitment, c.id == m.commitment_id)
        .join(action_plan, action_plan.c.id == c.plan_id),
    )
    linked = commitment.alias("linked")
    agreements = _rows(
        store,
        select(
            s.state_code,
            s.held_on,
            s.session_type,
            a.position,
            a.text,
            a.responsible_sector,
            a.responsible_organization,
            a.due_date,
            a.status,
            a.closed_on,
            linked.c.number,
        )
        .join(dialogue_session, s.id == a.session_id)
        .outerjoin(linked, linked.c.id == a.commitment_id),
    )
    return {
        "sessions": sessions,
        "workshops": workshops,
        "commitments": commitments,
        "milestones": milestones,
        "agreements": agreements,
    }


def counts(store: Store) -> dict[str, int]:
    tables = (dialogue_session, workshop, agreement, commitment, milestone, participation, action_plan)
    with store.read() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


@pytest.fixture
def source(tmp_path: Path) -> Store:
    """A DuckDB store of its own (not the parametrised ``store``) holding the seeded record."""
    opened = open_store(f"duckdb:///{tmp_path / 'source.duckdb'}", clock=lambda: FIXED_NOW)
    seed_record(opened)
    yield opened
    opened.engine.dispose()


# ---- round trip ------------------------------------------------------------------------------------------------


def test_exports_import_into_an_empty_database_as_the_same_rows(source, store):
    files = {
        kind: export.entity_file(source, SYSTEM, entity, file_format)
        for kind, entity, file_format in IMPORT_ORDER
    }
    for kind, entity, file_format in IMPORT_ORDER:
        preview, result = importing.import_file(store, SYSTEM, kind, files[kind], f"{entity}.{file_format}")
        assert preview.problems == [], [p.message("en") for p in preview.problems]
        assert [n.code for n in preview.notices if n.code == "ignored_column"] == []
        assert result is not None
    expected = signatures(source)
    assert {kind: len(rows) for kind, rows in expected.items()} == {
        "sessions": 2,
        "workshops": 1,
        "commitments": 43,
        "milestones": 3,
        "agreements": 3,
    }
    assert signatures(store) == expected


def test_reimporting_the_same_files_adds_nothing(source, store):
    files = {
        kind: export.entity_file(source, SYSTEM, entity, file_format)
        for kind, entity, file_format in IMPORT_ORDER
    }
    for kind, entity, file_format in IMPORT_ORDER:
        importing.import_file(store, SYSTEM, kind, files[kind], f"{entity}.{file_format}")
    before, rows_before = counts(store), signatures(store)
    for kind, entity, file_format in IMPORT_ORDER:
        preview, result = importing.import_file(store, SYSTEM, kind, files[kind], f"{entity}.{file_format}")
        assert result is not None and result.created == 0, kind
        assert preview.new_rows == 0 and preview.present_rows == len(preview.records)
    assert counts(store) == before
    assert signatures(store) == rows_before


# ---- files as state offices send them --------------------------------------------------------------------------


def test_latin1_semicolons_headers_without_accents_and_day_first_dates_are_understood(store):
    content = csv_bytes(
        [
            "ESTADO",
            "fecha",
            "Tipo de sesion",
            "Modalidad",
            "Resumen publico",
            "Organizaciones asistentes",
            "Gobierno - Mujeres",
            "Sociedad civil - Hombres",
        ],
        [
            "Oaxaca",
            "05/03/2026",
            "Mesa de trabajo",
            "En línea",
            "Revisión de compromisos",
            "IAIP Oaxaca | OSC",
            "3",
            "2",
        ],
        ["mx-tla", "6/3/2026", "sesión ordinaria del stl", "presencial", "Año nuevo", "", "", ""],
        ["20", "2026-03-07", "follow_up", "hybrid", "ñandú", "", "1", ""],
        sep=";",
        encoding="latin-1",
    )
    preview, result = importing.import_file(store, SYSTEM, "sessions", content, "sesiones.csv")
    assert preview.problems == []
    assert result is not None and result.created == 3
    rows = _rows(
        store,
        select(
            dialogue_session.c.state_code,
            dialogue_session.c.held_on,
            dialogue_session.c.session_type,
            dialogue_session.c.modality,
            dialogue_session.c.public_summary,
            dialogue_session.c.participant_total,
        ),
    )
    assert rows == sorted(
        [
            (OAXACA, date(2026, 3, 5), "working_table", "online", "Revisión de compromisos", 5),
            ("29", date(2026, 3, 6), "plenary", "in_person", "Año nuevo", 0),
            (OAXACA, date(2026, 3, 7), "follow_up", "hybrid", "ñandú", 1),
        ],
        key=repr,
    )


def test_utf8_with_a_byte_order_mark_and_english_headers_are_understood(store):
    content = (
        '\ufeffState,Date,Title,Hours,Satisfaction\nOaxaca,12/02/2026,Taller de datos abiertos,"2,5",4\n'
    )
    preview, result = importing.import_file(store, SYSTEM, "workshops", content.encode("utf-8"), "t.csv")
    assert preview.problems == [] and result is not None and result.created == 1
    assert _rows(store, select(workshop.c.title, workshop.c.hours)) == [("Taller de datos abiertos", 2.5)]


def test_xlsx_cells_with_real_dates_and_numbers_are_understood(store):
    content = xlsx_bytes(
        ["Estado", "Fecha", "Título", "Horas", "Academia - Otro / no declarado"],
        ["Tlaxcala", date(2026, 2, 3), "Taller", 3, 4],
    )
    preview, result = importing.import_file(store, SYSTEM, "workshops", content, "t.xlsx")
    assert preview.problems == [] and result is not None
    assert _rows(store, select(workshop.c.state_code, workshop.c.held_on, workshop.c.participant_total)) == [
        ("29", date(2026, 2, 3), 4)
    ]


def test_one_bad_row_keeps_every_row_out(store):
    good = ["Oaxaca", "05/03/2026", "Mesa de trabajo"]
    content = csv_bytes(
        ["Estado", "Fecha", "Tipo de sesión"],
        good,
        good[:1] + ["06/03/2026", "plenary"],
        ["Oaxaca", "31/02/2026", "plenary"],
        ["Tlaxcala", "07/03/2026", "plenary"],
    )
    before = counts(store)
    preview, result = importing.import_file(store, SYSTEM, "sessions", content, "s.csv")
    assert result is None
    assert [(p.row, p.header, p.code) for p in preview.problems] == [(4, "Fecha", "not_a_date")]
    assert counts(store) == before
    fixed = content.replace(b"31/02/2026", b"28/02/2026")
    preview, result = importing.import_file(store, SYSTEM, "sessions", fixed, "s.csv")
    assert result is not None and result.created == 4


def test_imported_activity_dates_are_checked_against_the_stores_clock_not_the_machines(store, monkeypatch):
    """The store's today is years after the machine's: a date up to it passes, one day more does not."""
    monkeypatch.setattr(store, "clock", lambda: FIXED_NOW.replace(year=FIXED_NOW.year + 3))
    latest = store.today() + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD)
    content = csv_bytes(
        ["Estado", "Fecha", "Tipo de sesión"],
        ["Oaxaca", f"{latest:%d/%m/%Y}", "plenary"],
        ["Oaxaca", f"{latest + timedelta(days=1):%d/%m/%Y}", "plenary"],
    )
    preview = importing.preview_import(store, SYSTEM, "sessions", content)
    assert [(p.row, p.header, p.code, p.params) for p in preview.problems] == [
        (3, "Fecha", "date_in_future", {"max": store.today()})
    ]


def test_the_store_refuses_a_batch_with_a_bad_row_even_without_the_preview(store):
    content = csv_bytes(
        ["Estado", "Fecha de la sesión", "Tipo de sesión", "Texto del acuerdo"],
        ["Oaxaca", "05/03/2026", "plenary", "Sin sesión registrada"],
    )
    preview = importing.preview_import(store, SYSTEM, "agreements", content)
    assert [p.code for p in preview.problems] == ["unknown_session"]
    from accompaniment.domain.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        commit_import(store, SYSTEM, "agreements", preview.records)
    assert caught.value.problems[0].row == 2
    assert counts(store)["agreement"] == 0


def test_an_agreements_file_links_sessions_and_commitments_by_their_natural_keys(source):
    sessions = importing.preview_import(
        source,
        SYSTEM,
        "agreements",
        csv_bytes(
            [
                "Estado",
                "Fecha de la sesión",
                "Tipo de sesión",
                "Texto del acuerdo",
                "Estatus",
                "Fecha de cierre",
                "Plan del compromiso vinculado",
                "Compromiso vinculado (número)",
            ],
            [
                "Tlaxcala",
                "10/04/2026",
                "Sesión ordinaria del STL",
                "Nuevo acuerdo",
                "Cumplido",
                "20/04/2026",
                2,
                1,
            ],
        ),
    )
    assert sessions.ok
    result = importing.commit_preview(source, SYSTEM, sessions)
    assert result.created == 1
    rows = _rows(
        source,
        select(
            agreement.c.text,
            agreement.c.status,
            agreement.c.closed_on,
            agreement.c.position,
            agreement.c.commitment_id,
        ).where(agreement.c.text == "Nuevo acuerdo"),
    )
    assert rows[0][:4] == ("Nuevo acuerdo", "done", date(2026, 4, 20), 1)
    assert rows[0][4] is not None


def test_a_commitment_in_a_plan_not_yet_recorded_creates_the_plan_and_says_so(store):
    content = csv_bytes(
        ["Estado", "Número de plan", "Número", "Título", "Metas ODS"],
        ["Sonora", 2, 1, "Datos abiertos del agua", "6.1; 16.10"],
    )
    preview = importing.preview_import(store, SYSTEM, "commitments", content)
    assert [n.code for n in preview.notices] == ["new_plan"]
    result = importing.commit_preview(store, SYSTEM, preview)
    assert (result.created, result.plans_created) == (1, 1)
    assert _rows(store, select(action_plan.c.number).where(action_plan.c.state_code == "26")) == [(2,)]


def test_milestones_bring_their_progress_and_evidence_into_the_timeline(source):
    content = csv_bytes(
        [
            "Estado",
            "Número de plan",
            "Número de compromiso",
            "Número de hito",
            "Descripción",
            "Avance (%)",
            "Estatus",
            "Enlace de evidencia",
            "Fecha de cumplimiento",
        ],
        [
            "Tlaxcala",
            2,
            1,
            4,
            "Publicación de resultados",
            100,
            "Cumplido",
            "https://evidencia.example.org/4",
            "01/11/2026",
        ],
    )
    preview, result = importing.import_file(source, SYSTEM, "milestones", content)
    assert result is not None and result.created == 1
    from accompaniment.store.schema import milestone_update

    rows = _rows(
        source,
        select(milestone.c.progress, milestone.c.status, milestone.c.completed_on, milestone_update.c.status)
        .join(milestone_update, milestone_update.c.milestone_id == milestone.c.id)
        .where(milestone.c.number == 4),
    )
    assert rows == [(100.0, "complete", date(2026, 11, 1), "complete")]


# ---- who may import ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["public", "secretariat_own", "working_group"])
def test_only_the_specialist_and_admins_may_import(duckdb_store, role):
    content = csv_bytes(["Estado", "Fecha", "Tipo de sesión"], ["Oaxaca", "05/03/2026", "plenary"])
    with pytest.raises(PermissionDenied):
        importing.preview_import(duckdb_store, ACTORS[role], "sessions", content)
    preview = importing.preview_import(duckdb_store, ACTORS["specialist"], "sessions", content)
    with pytest.raises(PermissionDenied):
        commit_import(duckdb_store, ACTORS[role], "sessions", preview.records)
    assert importing.commit_preview(duckdb_store, ACTORS["specialist"], preview).created == 1


# ---- progress, templates, headers --------------------------------------------------------------------------------


def test_large_files_report_progress_while_checking_and_writing(duckdb_store):
    rows = [
        ["Oaxaca", f"{day:02d}/{month:02d}/2026", "plenary", f"Sesión {month}-{day}"]
        for month in range(1, 11)
        for day in range(1, 29)
    ]
    content = csv_bytes(["Estado", "Fecha", "Tipo de sesión", "Resumen público"], *rows)
    seen: list[tuple[int, int, str]] = []
    preview, result = importing.import_file(
        duckdb_store,
        SYSTEM,
        "sessions",
        content,
        progress=lambda done, total, stage: seen.append((done, total, stage)),
    )
    assert result is not None and result.created == len(rows) == 280
    assert (280, 280, "validate") in seen and (280, 280, "write") in seen
    assert [s for s in seen if s[2] == "validate"][0][0] < 280


@pytest.mark.parametrize("kind", importing.KINDS)
def test_templates_carry_the_spanish_headers_the_importer_reads(duckdb_store, kind):
    for file_format in ("csv", "xlsx"):
        preview = importing.preview_import(
            duckdb_store, SYSTEM, kind, importing.template(kind, file_format), f"plantilla.{file_format}"
        )
        assert [p.code for p in preview.problems] == ["no_rows"]
        assert preview.notices == []
    header = importing.template(kind, "csv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Estado,")
    guide = load_workbook(io.BytesIO(importing.template(kind, "xlsx"))).worksheets[1]
    assert guide.max_row == len(fmt.COLUMNS[ImportKind(kind)]) + 1


@pytest.mark.parametrize("kind", list(ImportKind))
def test_every_column_is_known_by_its_spanish_and_english_headers_and_its_own_name(kind):
    aliases = fmt.header_aliases(kind)
    for column in fmt.COLUMNS[kind]:
        for lang in ("es", "en"):
            assert aliases[fmt.fold(fmt.column_label(kind, column.name, lang))] == column.name
        assert aliases[fmt.fold(column.name)] == column.name
