"""The Reportes y datos abiertos page renders for each role, offering imports only to those who may import, and
the backup panel renders for admins only. (The import flow's logic is tested without Streamlit in test_import.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from accompaniment.store.database import open_store
from tests.conftest import ACTORS, FIXED_NOW
from tests.io.conftest import seed_record

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"duckdb:///{tmp_path / 'page.duckdb'}"
    store = open_store(url, clock=lambda: FIXED_NOW)
    seed_record(store)
    store.close()
    monkeypatch.setenv("ACCOMPANIMENT_DATABASE_URL", url)
    monkeypatch.setenv("ACCOMPANIMENT_DEMO_ON_EMPTY", "false")
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_DIR", str(tmp_path / "backups"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


def page(role: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "reports.py"), default_timeout=60)
    at.session_state["actor"] = ACTORS[role]
    return at.run()


def labels(at: AppTest, kind: str) -> list[str]:
    return [element.label for element in at.get(kind)]


@pytest.mark.parametrize("role", ["public", "secretariat_own", "working_group"])
def test_the_page_offers_reports_and_open_data_but_no_import_to_readers(database, role):
    at = page(role)
    assert not at.exception, at.exception
    assert at.title[0].value == "Reportes y datos abiertos"
    buttons = labels(at, "download_button")
    assert "Descargar reporte PDF" in buttons and "Descargar paquete de datos (ZIP)" in buttons
    assert "Plantilla CSV" not in buttons
    assert ("Descargar resumen nacional PDF" in buttons) == (role == "working_group")


def test_a_secretariat_sees_its_own_state_first(database):
    at = page("secretariat_own")
    assert at.selectbox[0].value == "20"


def test_the_specialist_gets_templates_and_the_upload(database):
    at = page("specialist")
    assert not at.exception, at.exception
    assert "Plantilla CSV" in labels(at, "download_button")
    assert [s.label for s in at.selectbox][-1] == "Qué va a importar"


def test_the_public_table_list_has_no_accounts_or_audit(database):
    at = page("public")
    tables = at.selectbox[1].options
    assert "Bitácora de auditoría" not in tables and "Cuentas de usuario" not in tables
    assert "Sesiones de diálogo" in tables


def test_the_backup_panel_renders_for_admins_only(database):
    script = """
from accompaniment.ui.backup_ui import backup_panel
from accompaniment.ui.context import current_actor, get_store
backup_panel(get_store(), current_actor())
"""
    for role, expected in (("admin", True), ("specialist", False)):
        at = AppTest.from_string(script, default_timeout=60)
        at.session_state["actor"] = ACTORS[role]
        at.run()
        assert not at.exception, at.exception
        assert ("Crear copia ahora" in labels(at, "download_button")) == expected
