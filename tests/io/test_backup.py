"""Backups restore every table exactly, into DuckDB or PostgreSQL; damaged or newer backups change nothing; the
automatic daily backup runs once a day and keeps the last few."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from accompaniment.access import SYSTEM
from accompaniment.domain.errors import PermissionDenied
from accompaniment.io import backup
from accompaniment.store import activity, migrations, snapshot
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import audit_entry
from tests.conftest import ACTORS, FIXED_NOW, OAXACA, database_url


def contents(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, as comparable tuples in key order."""
    found = {}
    with store.read() as connection:
        for table in snapshot.TABLES:
            rows = connection.execute(select(table).order_by(*(table.primary_key.columns or table.c)))
            found[table.name] = [tuple(snapshot.encode(v) for v in row) for row in rows]
    return found


def test_backup_then_restore_reproduces_every_table(seeded_duckdb, second_store, tmp_path):
    """DuckDB to DuckDB, and DuckDB to PostgreSQL (``second_store`` runs on both backends)."""
    source, _ = seeded_duckdb
    path = tmp_path / "copia.zip"
    made = backup.write_backup(source, SYSTEM, path)
    expected = contents(source)
    assert made.rows == sum(len(rows) for rows in expected.values())
    restored = backup.restore_backup(second_store, SYSTEM, path)
    assert restored.rows == made.rows
    found = contents(second_store)
    assert set(found) == set(expected)
    for name, rows in expected.items():
        if name == "audit_entry":
            continue
        assert found[name] == rows, name
    # the restore itself is the one new audit entry
    assert found["audit_entry"][:-1] == expected["audit_entry"]
    assert len(found["audit_entry"]) == len(expected["audit_entry"]) + 1
    with second_store.read() as connection:
        last = (
            connection.execute(select(audit_entry).order_by(audit_entry.c.id.desc()).limit(1))
            .mappings()
            .one()
        )
    assert (last["action"], last["entity"]) == ("restore", "backup")


def test_new_records_after_a_restore_get_fresh_keys(seeded_duckdb, second_store, tmp_path):
    source, seed = seeded_duckdb
    backup.write_backup(source, SYSTEM, tmp_path / "copia.zip")
    backup.restore_backup(second_store, SYSTEM, tmp_path / "copia.zip")
    new_id = activity.log_session(
        second_store, SYSTEM, {"state_code": OAXACA, "held_on": "2026-05-01", "session_type": "plenary"}
    )
    assert new_id > max(seed.sessions)


def test_a_backup_is_a_zip_of_json_lines_with_a_manifest(seeded_duckdb):
    source, _ = seeded_duckdb
    buffer = io.BytesIO()
    backup.write_backup(source, SYSTEM, buffer, now=FIXED_NOW)
    with zipfile.ZipFile(buffer) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "accompaniment-backup"
        assert manifest["schema_revision"] == migrations.head_revision()
        assert manifest["created_at"] == FIXED_NOW.isoformat()
        sessions = next(t for t in manifest["tables"] if t["name"] == "dialogue_session")
        lines = archive.read("tables/dialogue_session.jsonl").decode().splitlines()
        assert len(lines) == sessions["rows"] == 2
        assert json.loads(lines[0])["held_on"] == "2026-03-05"


def test_restoring_over_data_needs_replace_and_keeps_a_copy_of_what_it_replaced(
    seeded_duckdb, tmp_path, monkeypatch
):
    source, _ = seeded_duckdb
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_DIR", str(tmp_path / "backups"))
    path = tmp_path / "copia.zip"
    backup.write_backup(source, SYSTEM, path)
    activity.log_session(
        source, SYSTEM, {"state_code": OAXACA, "held_on": "2026-05-01", "session_type": "plenary"}
    )
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(source, SYSTEM, path)
    assert refused.value.key == "io.backup.not_empty"
    backup.restore_backup(source, SYSTEM, path, replace=True)
    assert len(contents(source)["dialogue_session"]) == 2
    kept = list((tmp_path / "backups").glob("accompaniment-before-restore-*.zip"))
    assert len(kept) == 1
    with zipfile.ZipFile(kept[0]) as archive:
        assert len(archive.read("tables/dialogue_session.jsonl").decode().splitlines()) == 3


def _rewrite(path: Path, target: Path, change) -> None:  # noqa: ANN001 - a callable on (name, bytes)
    """Rewrite the entries through ``change`` and sign the manifest again with the server's key (as someone
    holding the key could), so the checks after the signature's are what a test sees."""
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w") as new:
        manifest = change(backup.MANIFEST, old.read(backup.MANIFEST))
        for name in old.namelist():
            if name == backup.SIGNATURE:
                new.writestr(name, hmac.new(backup.signing_key(), manifest, hashlib.sha256).hexdigest())
            else:
                new.writestr(name, manifest if name == backup.MANIFEST else change(name, old.read(name)))


def test_a_damaged_backup_changes_nothing(seeded_duckdb, second_store, tmp_path):
    source, _ = seeded_duckdb
    backup.write_backup(source, SYSTEM, tmp_path / "copia.zip")
    _rewrite(
        tmp_path / "copia.zip",
        tmp_path / "rota.zip",
        lambda name, data: data.replace(b"Oaxaca", b"Oaxacb") if name.endswith("member.jsonl") else data,
    )
    before = contents(second_store)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(second_store, SYSTEM, tmp_path / "rota.zip")
    assert refused.value.key == "io.backup.damaged"
    assert contents(second_store) == before


def test_a_backup_from_a_newer_schema_is_refused(seeded_duckdb, tmp_path):
    source, _ = seeded_duckdb
    backup.write_backup(source, SYSTEM, tmp_path / "copia.zip")

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema_revision"] = "9999"
        return json.dumps(manifest).encode()

    _rewrite(tmp_path / "copia.zip", tmp_path / "nueva.zip", newer)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(source, SYSTEM, tmp_path / "nueva.zip", replace=True)
    assert refused.value.key == "io.backup.newer_backup"


def test_a_file_that_is_not_a_backup_is_refused(duckdb_store, tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(backup.BackupError):
        backup.restore_backup(duckdb_store, SYSTEM, tmp_path / "x.zip")


@pytest.mark.parametrize("role", ["specialist", "working_group", "secretariat_own", "public"])
def test_only_admins_back_up_and_restore(duckdb_store, tmp_path, role):
    with pytest.raises(PermissionDenied):
        backup.write_backup(duckdb_store, ACTORS[role], tmp_path / "x.zip")
    backup.write_backup(duckdb_store, SYSTEM, tmp_path / "ok.zip")
    with pytest.raises(PermissionDenied):
        backup.restore_backup(duckdb_store, ACTORS[role], tmp_path / "ok.zip")


# ---- the automatic daily backup -------------------------------------------------------------------------------


def test_the_automatic_backup_runs_once_a_day_and_keeps_the_last_n(duckdb_store, tmp_path, monkeypatch):
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_KEEP", "3")
    folder = tmp_path / "auto"
    first = backup.auto_backup(duckdb_store, now=FIXED_NOW, folder=folder)
    assert first is not None and first.exists()
    assert backup.auto_backup(duckdb_store, now=FIXED_NOW + timedelta(hours=5), folder=folder) is None
    for day in range(1, 6):
        assert (
            backup.auto_backup(duckdb_store, now=FIXED_NOW + timedelta(days=day), folder=folder) is not None
        )
    kept = sorted(p.name for p in folder.glob("*.zip"))
    assert kept == [
        f"accompaniment-auto-{(FIXED_NOW + timedelta(days=d)):%Y%m%d-%H%M%S}.zip" for d in (3, 4, 5)
    ]
    assert not list(folder.glob("*.part"))


def test_the_automatic_backup_can_be_switched_off(duckdb_store, tmp_path, monkeypatch):
    monkeypatch.setenv("ACCOMPANIMENT_AUTO_BACKUP", "false")
    assert backup.auto_backup(duckdb_store, now=datetime(2026, 1, 1), folder=tmp_path) is None
    assert list(tmp_path.glob("*.zip")) == []


def test_a_failing_automatic_backup_does_not_stop_the_app(duckdb_store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    assert backup.auto_backup(duckdb_store, now=FIXED_NOW, folder=blocker / "backups") is None


def test_a_backup_from_an_older_schema_restores_into_the_current_one(seeded_duckdb, second_store, tmp_path):
    """A 0002 backup has no import_row table: it restores, and that table stays empty."""
    source, _ = seeded_duckdb
    backup.write_backup(source, SYSTEM, tmp_path / "copia.zip")

    def older(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema_revision"] = "0002"
        manifest["tables"] = [t for t in manifest["tables"] if t["name"] != "import_row"]
        return json.dumps(manifest).encode()

    _rewrite(tmp_path / "copia.zip", tmp_path / "antigua.zip", older)
    restored = backup.restore_backup(second_store, SYSTEM, tmp_path / "antigua.zip")
    assert restored.revision == "0002"
    assert contents(second_store)["dialogue_session"] == contents(source)["dialogue_session"]
    assert contents(second_store)["import_row"] == []


def _assert_restored(source_rows: dict[str, list[tuple]], target: Store) -> None:
    """``target`` holds every row of ``source_rows``, plus the restore's own audit entry."""
    found = contents(target)
    for name, rows in source_rows.items():
        if name == "audit_entry":
            assert found[name][:-1] == rows
        else:
            assert found[name] == rows, name


def test_a_backup_of_either_backend_restores_every_table_into_duckdb_and_into_its_own_backend(
    seeded, second_store, tmp_path
):
    """The PostgreSQL store is a source too: PostgreSQL to DuckDB and PostgreSQL to PostgreSQL (and DuckDB to both)."""
    source, _ = seeded
    path = tmp_path / "copia.zip"
    backup.write_backup(source, SYSTEM, path)
    expected = contents(source)
    backup.restore_backup(second_store, SYSTEM, path)
    _assert_restored(expected, second_store)
    (tmp_path / "duckdb-target").mkdir()
    duckdb_target = open_store(
        next(database_url("duckdb", tmp_path / "duckdb-target")), clock=lambda: FIXED_NOW
    )
    try:
        backup.restore_backup(duckdb_target, SYSTEM, path)
        _assert_restored(expected, duckdb_target)
    finally:
        duckdb_target.engine.dispose()


def test_commitment_links_name_the_same_commitments_after_a_restore_into_the_other_backend(
    duckdb_store, second_store, tmp_path
):
    """Issue 13: a readable identifier (``OAX-1-3``) opens the same commitment before and after a backup of a
    DuckDB store is restored into PostgreSQL (and into DuckDB): the identifiers are natural keys, not row ids."""
    from accompaniment.demo import load_demo
    from accompaniment.domain.links import parse_commitment_ref
    from accompaniment.store import commitments, links

    load_demo(duckdb_store)
    public = ACTORS["public"]
    before = {ref: commitments.get_commitment(duckdb_store, public, i)["title"]
              for i, ref in links.commitment_refs(duckdb_store, public).items()}  # fmt: skip
    backup.write_backup(duckdb_store, SYSTEM, tmp_path / "copia.zip")
    backup.restore_backup(second_store, SYSTEM, tmp_path / "copia.zip", replace=True)
    after = {ref: commitments.get_commitment(second_store, public, i)["title"]
             for i, ref in links.commitment_refs(second_store, public).items()}  # fmt: skip
    assert len(before) > 50
    assert after == before
    for ref, title in before.items():
        found = links.commitment_id(second_store, public, parse_commitment_ref(ref))
        assert commitments.get_commitment(second_store, public, found)["title"] == title
