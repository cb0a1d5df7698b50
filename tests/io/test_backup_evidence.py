"""A backup carries the evidence files and a restore checks their hashes (issue 12): the files come back byte for
byte into another store (DuckDB or PostgreSQL), a backup whose file was tampered with changes nothing, and a file
already damaged when the backup is written is left out and named, never copied as if it were good."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from accompaniment.access import SYSTEM
from accompaniment.io import backup
from accompaniment.io.backup_files import EvidenceBackupError
from accompaniment.store.database import Store
from accompaniment.store.evidence_files import (
    list_evidence_files,
    open_evidence_file,
    store_evidence_file,
    stored_path,
)
from tests.conftest import ACTORS, OAXACA

OWN = ACTORS["secretariat_own"]
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 5000


@pytest.fixture
def evidence_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a setter
    """Point the evidence folder at ``tmp_path/<name>``: the source and the target of a restore get their own."""

    def use(name: str) -> Path:
        folder = tmp_path / name
        monkeypatch.setenv("ACCOMPANIMENT_EVIDENCE_DIR", str(folder))
        return folder

    return use


@pytest.fixture
def with_files(duckdb_store: Store, evidence_in, tmp_path: Path) -> tuple[Store, Path, list[int]]:  # noqa: ANN001
    """A DuckDB store holding two evidence files, and its backup."""
    evidence_in("source")
    ids = [
        store_evidence_file(duckdb_store, OWN, OAXACA, "acta.pdf", io.BytesIO(PDF)).id,
        store_evidence_file(duckdb_store, OWN, OAXACA, "foto.png", io.BytesIO(PNG), is_public=True).id,
    ]
    path = tmp_path / "copia.zip"
    backup.write_backup(duckdb_store, SYSTEM, path)
    return duckdb_store, path, ids


def test_a_restore_brings_back_every_evidence_file_byte_for_byte(
    with_files: tuple[Store, Path, list[int]], second_store: Store, evidence_in
) -> None:  # noqa: ANN001
    _, path, ids = with_files
    target = evidence_in("target")

    backup.restore_backup(second_store, SYSTEM, path)

    served = [b"".join(open_evidence_file(second_store, OWN, file_id)[1]) for file_id in ids]
    assert served == [PDF, PNG]
    assert sorted(p.name for p in target.rglob("*") if p.is_file()) == sorted(
        list_evidence_files(second_store, OWN)["sha256"]
    )
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert sorted(entry["size_bytes"] for entry in manifest["evidence_files"]) == sorted([len(PDF), len(PNG)])


def test_a_backup_whose_file_was_changed_is_refused_and_changes_nothing(
    with_files: tuple[Store, Path, list[int]], second_store: Store, evidence_in, tmp_path: Path
) -> None:  # noqa: ANN001
    _, path, _ = with_files
    tampered = tmp_path / "alterada.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("evidence/") and data.startswith(b"%PDF"):
                data = data.replace(b"%%EOF", b"%%EOX")
            out.writestr(item, data)
    target = evidence_in("target")

    with pytest.raises(EvidenceBackupError) as caught:
        backup.restore_backup(second_store, SYSTEM, tampered)

    assert "SHA-256" in caught.value.message("es") and "Nothing was changed" in caught.value.message("en")
    assert list_evidence_files(second_store, ACTORS["admin"]).empty
    assert not target.exists() or not [p for p in target.rglob("*") if p.is_file()]


def test_a_file_damaged_before_the_backup_is_left_out_and_named(
    duckdb_store: Store, evidence_in, tmp_path: Path
) -> None:  # noqa: ANN001
    evidence_in("source")
    info = store_evidence_file(duckdb_store, OWN, OAXACA, "acta.pdf", io.BytesIO(PDF))
    stored_path(duckdb_store, info.sha256).write_bytes(b"%PDF-otra cosa")

    backup.write_backup(duckdb_store, SYSTEM, tmp_path / "copia.zip")

    with zipfile.ZipFile(tmp_path / "copia.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
    assert manifest["evidence_files"] == []
    assert manifest["evidence_missing"] == [info.sha256]
    assert f"evidence/{info.sha256}" not in names
