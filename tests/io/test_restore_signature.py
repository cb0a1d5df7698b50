"""Backups are private and signed: files 0600 in a 0700 folder, an HMAC-SHA256 over the manifest that fails on
any edit and on a wrong key, and a restore's audit entry names the pre-restore backup and its SHA-256."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from accompaniment.access import SYSTEM
from accompaniment.io import backup
from accompaniment.store.schema import audit_entry


@pytest.fixture(autouse=True)
def _key(monkeypatch, tmp_path):
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_SIGNING_KEY", "clave-de-prueba")
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_DIR", str(tmp_path / "backups"))


def test_backup_files_are_0600_and_the_backup_folder_0700(seeded, tmp_path):
    store, _ = seeded
    written = backup.auto_backup(store, folder=tmp_path / "auto")
    assert written is not None
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "auto").stat().st_mode) == 0o700


def test_a_restore_records_the_file_and_sha256_of_the_data_it_replaced(seeded, tmp_path):
    store, _ = seeded
    backup.write_backup(store, SYSTEM, tmp_path / "copia.zip")
    backup.restore_backup(store, SYSTEM, tmp_path / "copia.zip", replace=True)
    with store.read() as connection:
        last = (
            connection.execute(select(audit_entry).order_by(audit_entry.c.id.desc()).limit(1))
            .mappings()
            .one()
        )
    after = json.loads(last["after"])
    kept = tmp_path / "backups" / after["replaced_backup"]
    assert kept.exists() and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert after["replaced_sha256"] == hashlib.sha256(kept.read_bytes()).hexdigest()


def _edit(path: Path, target: Path, name: str, change) -> None:  # noqa: ANN001 - a callable on bytes
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w") as new:
        for entry in old.namelist():
            data = old.read(entry)
            new.writestr(entry, change(data) if entry == name else data)


def test_an_edited_manifest_fails_verification(seeded, tmp_path):
    store, _ = seeded
    backup.write_backup(store, SYSTEM, tmp_path / "copia.zip")
    _edit(
        tmp_path / "copia.zip",
        tmp_path / "editada.zip",
        backup.MANIFEST,
        lambda d: d.replace(b'"rows": 2', b'"rows": 3', 1),
    )
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(store, SYSTEM, tmp_path / "editada.zip", replace=True)
    assert refused.value.key == "io.backup.bad_signature"


def test_edited_rows_with_the_hash_recomputed_fail_verification(seeded, tmp_path):
    store, _ = seeded
    backup.write_backup(store, SYSTEM, tmp_path / "copia.zip")
    with zipfile.ZipFile(tmp_path / "copia.zip") as archive:
        data = archive.read("tables/dialogue_session.jsonl").replace(b"2026-03-05", b"2026-03-06")
    digest = hashlib.sha256(data).hexdigest()

    def manifest(raw: bytes) -> bytes:
        parsed = json.loads(raw)
        for table in parsed["tables"]:
            if table["name"] == "dialogue_session":
                table["sha256"] = digest
        return json.dumps(parsed, ensure_ascii=False, indent=2).encode()

    _edit(tmp_path / "copia.zip", tmp_path / "a.zip", "tables/dialogue_session.jsonl", lambda _d: data)
    _edit(tmp_path / "a.zip", tmp_path / "editada.zip", backup.MANIFEST, manifest)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(store, SYSTEM, tmp_path / "editada.zip", replace=True)
    assert refused.value.key == "io.backup.bad_signature"


def test_a_backup_signed_with_another_key_fails_verification(seeded, tmp_path, monkeypatch):
    store, _ = seeded
    backup.write_backup(store, SYSTEM, tmp_path / "copia.zip")
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_SIGNING_KEY", "otra-clave")
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(store, SYSTEM, tmp_path / "copia.zip", replace=True)
    assert refused.value.key == "io.backup.bad_signature"
