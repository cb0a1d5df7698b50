"""The command line's export, report, import, backup and restore commands, as an operator would run them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from accompaniment.cli import app
from accompaniment.store.database import open_store
from accompaniment.store.export_queries import PUBLIC_ENTITIES
from tests.conftest import FIXED_NOW
from tests.io.cli_support import run_main
from tests.io.conftest import PRIVATE, seed_record
from tests.io.test_export import PRIVATE_COLUMNS

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A seeded DuckDB file, closed again so the command can open it."""
    database = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    store = open_store(database, clock=lambda: FIXED_NOW)
    seed_record(store)
    store.close()
    return database


def run(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def cli(
    url: str, *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """The exit code and stderr of ``accompaniment <args>`` (tests/io/cli_support.py)."""
    result = run_main(url, *args, monkeypatch=monkeypatch, capsys=capsys)
    return result.code, result.err


def test_export_public_writes_every_public_table_without_private_columns(url, tmp_path):
    out = tmp_path / "publico"
    result = run("export", "--format", "csv", "--public", "--out", str(out), "--database-url", url)
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.csv"))
    assert {f.stem for f in files} == set(PUBLIC_ENTITIES)
    for path in files:
        content = path.read_bytes()
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert not set(header) & PRIVATE_COLUMNS.get(path.stem, set()), path.name
        assert not any(marker.encode() in content for marker in PRIVATE.values()), path.name


def test_export_public_as_xlsx_has_no_private_columns_either(url, tmp_path):
    out = tmp_path / "xlsx"
    assert (
        run("export", "--format", "xlsx", "--public", "--out", str(out), "--database-url", url).exit_code == 0
    )
    for path in out.glob("*.xlsx"):
        sheet = load_workbook(path, read_only=True).worksheets[0]
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        assert not set(header) & PRIVATE_COLUMNS.get(path.stem, set()), path.name


def test_export_without_public_acts_as_the_administrator(url, tmp_path):
    out = tmp_path / "admin"
    assert run("export", "--out", str(out), "--database-url", url).exit_code == 0
    assert (out / "app_user.csv").exists() and (out / "audit_entry.csv").exists()
    header = (out / "dialogue_session.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "summary" in header
    assert "password_hash" not in (out / "app_user.csv").read_text(encoding="utf-8-sig")


def test_export_datapackage_writes_the_public_package(url, tmp_path):
    out = tmp_path / "paquete"
    assert run("export", "--format", "datapackage", "--out", str(out), "--database-url", url).exit_code == 0
    assert (out / "datapackage.json").exists()
    assert len(list((out / "data").glob("*.csv"))) == len(PUBLIC_ENTITIES)
    for path in out.rglob("*.*"):
        assert not any(marker.encode() in path.read_bytes() for marker in PRIVATE.values()), path.name


def test_report_writes_a_state_pdf_in_the_language_asked(url, tmp_path):
    out = tmp_path / "reporte.pdf"
    result = run(
        "report",
        "--state",
        "29",
        "--lang",
        "en",
        "--from",
        "01/01/2026",
        "--to",
        "31/12/2026",
        "--out",
        str(out),
        "--database-url",
        url,
    )
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Report of the STL of Tlaxcala" in text
    assert "Tablero ciudadano de obra pública en Tlaxcala" in " ".join(text.split())


def test_report_national_writes_the_summary(url, tmp_path):
    out = tmp_path / "nacional.pdf"
    assert run("report", "--national", "--out", str(out), "--database-url", url).exit_code == 0
    assert "Resumen nacional" in PdfReader(out).pages[0].extract_text()


def test_report_needs_a_state_or_national(url, tmp_path, monkeypatch, capsys):
    code, err = cli(url, "report", "--out", str(tmp_path / "x.pdf"), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2
    assert "--state" in err


def test_import_dry_run_lists_problems_by_row_and_exits_with_an_error(url, tmp_path, monkeypatch, capsys):
    bad = tmp_path / "sesiones.csv"
    bad.write_text(
        "Estado;Fecha;Tipo de sesión\nOaxaca;05/05/2026;plenary\nNarnia;31/02/2026;plenary\n",
        encoding="latin-1",
    )
    code, err = cli(
        url, "import", str(bad), "--kind", "sessions", "--dry-run", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 1
    assert "Fila 3: Estado: no es un estado conocido" in err
    assert "Fila 3: Fecha: escriba una fecha válida" in err
    code, err = cli(
        url, "--lang=en", "import", str(bad), "--kind", "sessions", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 1 and "Row 3: Fecha:" in err


def test_import_writes_once_and_a_second_run_finds_everything_present(url, tmp_path, monkeypatch):
    monkeypatch.setattr("accompaniment.cli._message_lang", "es")  # an earlier main("--lang=en") leaves it set
    good = tmp_path / "talleres.csv"
    good.write_text("Estado,Fecha,Título,Horas\nOaxaca,05/05/2026,Taller de cierre,3\n", encoding="utf-8")
    dry = run("import", str(good), "--kind", "workshops", "--dry-run", "--database-url", url)
    assert dry.exit_code == 0 and "1 nuevas" in dry.output
    first = run("import", str(good), "--kind", "workshops", "--database-url", url)
    assert first.exit_code == 0 and "1 nuevas, 0 actualizadas, 0 sin cambios" in first.output
    second = run("import", str(good), "--kind", "workshops", "--database-url", url)
    assert second.exit_code == 0 and "0 nuevas, 0 actualizadas, 1 sin cambios" in second.output


def test_import_rejects_an_unknown_kind(url, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    assert run("import", str(path), "--kind", "people", "--database-url", url).exit_code != 0


def test_backup_and_restore_into_a_new_database(url, tmp_path, monkeypatch, capsys):
    out = tmp_path / "copia.zip"
    result = run("backup", str(out), "--database-url", url)
    assert result.exit_code == 0 and out.exists(), result.output
    target = f"duckdb:///{tmp_path / 'nueva.duckdb'}"
    restored = run("restore", str(out), "--database-url", target)
    assert restored.exit_code == 0 and "restored" in restored.output
    code, err = cli(target, "restore", str(out), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1 and "--replace" in err
    assert cli(target, "restore", str(out), "--replace", monkeypatch=monkeypatch, capsys=capsys)[0] == 0
