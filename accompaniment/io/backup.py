"""Backups in a portable format, restores into DuckDB or PostgreSQL, and the automatic daily backup.

A backup is a zip file holding ``manifest.json`` (format, schema revision, creation time, and for each table its
columns, row count and the SHA-256 of its data), ``tables/<table>.jsonl``, one JSON object per row, and the
evidence files as ``evidence/<sha256>`` (io/backup_files.py: listed in the manifest, checked on restore). Being plain
JSON lines, a backup made from DuckDB restores into PostgreSQL and the other way round, and it can be read without
this tool. A backup from an older schema revision restores into the current one (columns it lacks take their
defaults); one from a newer revision is refused.

Before anything is replaced, the whole backup is read once and checked against its manifest, so a damaged file
changes nothing. Restoring over existing data needs ``replace=True``. Every restore first saves the current data
as a backup of its own in the backup folder (``accompaniment-before-restore-*.zip``) and records that file's name
and SHA-256 in the restore's audit entry. A restore is all or nothing (``store.snapshot.replace_all``): a row the
database refuses raises ``ValidationError`` naming the table and column, and the current data stay as they were.

Backups hold password hashes, e-mails, phone numbers and private notes: files are written 0600 and the backup
folder 0700 (see docs/backups.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Table

from accompaniment import __version__, settings
from accompaniment.access import SYSTEM, Action, Actor, require
from accompaniment.domain.errors import AccompanimentError
from accompaniment.io import backup_files
from accompaniment.store import locks, migrations, snapshot
from accompaniment.store.database import Store, utcnow

FORMAT = "accompaniment-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
AUTO_PREFIX = "accompaniment-auto-"
_CHUNK = 10_000
log = logging.getLogger(__name__)


class BackupError(AccompanimentError):
    key = "io.backup.not_a_backup"


@dataclass(frozen=True)
class BackupSummary:
    path: Path | None
    revision: str | None
    tables: int
    rows: int


def _entry(table: str) -> str:
    return f"tables/{table}.jsonl"


def private_folder(folder: Path) -> Path:
    """``folder``, created if needed, readable by its owner only (0700)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _private_file(path: Path) -> IO[bytes]:
    """``path`` opened for writing, created 0600 (and made 0600 if it existed) before a byte is written."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def signing_key() -> bytes:
    """The server secret that signs backups: setting ``backup_signing_key`` (environment or secrets.toml), else the
    key in ``backup_key_file`` (default ``backup-signing.key`` beside the backup folder), generated 0600 if missing."""
    configured = settings.get("backup_signing_key")
    if configured:
        return str(configured).encode("utf-8")
    path = Path(
        settings.get("backup_key_file") or Path(settings.get("backup_dir")).parent / "backup-signing.key"
    )
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with _private_file(path) as out:
            out.write(secrets.token_hex(32).encode("ascii"))
    return path.read_bytes().strip()


def _signature(manifest: bytes, key: bytes) -> str:
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def write_backup(
    store: Store, actor: Actor, target: Path | IO[bytes], now: datetime | None = None
) -> BackupSummary:
    """Write a backup of every table to ``target`` (a path, written 0600, or a binary file object)."""
    require(actor, Action.BACKUP)
    if isinstance(target, Path):
        with _private_file(target) as out:
            summary = write_backup(store, actor, out, now=now)
        return BackupSummary(target, summary.revision, summary.tables, summary.rows)
    tables: list[dict[str, Any]] = []
    hashes: list[str] = []  # the evidence files the dumped rows name (issue 12)

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def sink(table: Table, rows: Iterator[dict[str, Any]]) -> None:
            if table.name == "evidence_file":
                rows = backup_files.collect_hashes(rows, hashes)
            digest, count = hashlib.sha256(), 0
            with archive.open(_entry(table.name), "w") as out:
                for row in rows:
                    line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                    digest.update(line)
                    out.write(line)
                    count += 1
            tables.append(
                {
                    "name": table.name,
                    "columns": [c.name for c in table.c],
                    "rows": count,
                    "sha256": digest.hexdigest(),
                }
            )

        snapshot.dump(store, actor, sink)
        files = backup_files.write_files(store, archive, hashes)
        revision = migrations.current_revision(store.engine)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "created_at": (now or utcnow()).replace(microsecond=0).isoformat(),
            "application_version": __version__,
            "source_backend": store.engine.dialect.name,
            "tables": tables,
            **files,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, _signature(manifest_bytes, signing_key()))
    return BackupSummary(None, revision, len(tables), sum(t["rows"] for t in tables))


def read_manifest(archive: zipfile.ZipFile, key: bytes | None = None) -> dict[str, Any]:
    """The manifest, once its HMAC-SHA256 signature checks out with ``key`` (default: ``signing_key()``)."""
    try:
        raw = archive.read(MANIFEST)
        manifest = json.loads(raw)
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BackupError() from exc
    try:
        signature = archive.read(SIGNATURE).decode("ascii").strip()
    except (KeyError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise BackupError("io.backup.bad_signature") from exc
    if not hmac.compare_digest(signature, _signature(raw, key or signing_key())):
        raise BackupError("io.backup.bad_signature")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError()
    return manifest


def _rows(archive: zipfile.ZipFile, table: str) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    with archive.open(_entry(table)) as lines:
        for line in lines:
            chunk.append(json.loads(line))
            if len(chunk) >= _CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def verify(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest, once every table's data matches it and fits the current schema; else ``BackupError``."""
    manifest = read_manifest(archive)
    revision = manifest.get("schema_revision")
    known = migrations.all_revisions()
    if revision not in known:
        raise BackupError("io.backup.newer_backup", revision=revision)
    current = {t.name: t for t in snapshot.TABLES}
    for entry in manifest.get("tables", []):
        name = entry.get("name")
        table = current.get(name)
        if table is None or not set(entry.get("columns", [])) <= set(table.c.keys()):
            raise BackupError("io.backup.newer_backup", revision=revision)
        digest, count = hashlib.sha256(), 0
        try:
            with archive.open(_entry(name)) as lines:
                for line in lines:
                    digest.update(line)
                    json.loads(line)
                    count += 1
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise BackupError("io.backup.damaged", table=name) from exc
        if digest.hexdigest() != entry.get("sha256") or count != entry.get("rows"):
            raise BackupError("io.backup.damaged", table=name)
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore_backup(
    store: Store, actor: Actor, source: Path | IO[bytes], replace: bool = False, now: datetime | None = None
) -> BackupSummary:
    """Replace the database's contents with the backup at ``source``, all or nothing.

    Refused (``BackupError``) when the target already holds data unless ``replace``. The current data are first
    saved with ``write_backup`` in the backup folder; the restore's audit entry names that file and its SHA-256.
    A row the database refuses raises ``ValidationError`` (``<table>.<column>``) and changes nothing.
    """
    require(actor, Action.BACKUP)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError() from exc
    with archive:
        manifest = verify(archive)
        backup_files.verify_files(archive, manifest)
        if snapshot.holds_user_data(store, actor) and not replace:
            raise BackupError("io.backup.not_empty")
        folder = private_folder(Path(settings.get("backup_dir")))
        stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
        before = folder / f"accompaniment-before-restore-{stamp}.zip"
        write_backup(store, actor, before, now=now)
        before_sha256 = _sha256(before)
        present = {entry["name"] for entry in manifest["tables"]}

        def rows_of(table: Table) -> Iterator[list[dict[str, Any]]]:
            if table.name in present:
                yield from _rows(archive, table.name)

        def record(connection: Connection) -> None:
            store.audit(
                connection,
                actor,
                "restore",
                "backup",
                None,
                after={
                    "schema_revision": manifest["schema_revision"],
                    "created_at": manifest.get("created_at"),
                    "rows": sum(t["rows"] for t in manifest["tables"]),
                    "replaced_backup": before.name,
                    "replaced_sha256": before_sha256,
                },
            )

        with zipfile.ZipFile(before) as previous:

            def previous_rows(table: Table) -> Iterator[list[dict[str, Any]]]:
                yield from _rows(previous, table.name)

            placed = backup_files.place_files(store, archive, manifest)
            try:
                counts = snapshot.replace_all(store, actor, rows_of, record, fallback=previous_rows)
            except BaseException:
                backup_files.remove(placed)
                raise
        named = {entry["sha256"] for entry in manifest.get("evidence_files", [])}
        backup_files.remove_unnamed(store, named | set(manifest.get("evidence_missing", [])))
    return BackupSummary(
        source if isinstance(source, Path) else None,
        manifest["schema_revision"],
        len(present),
        sum(counts.values()),
    )


def list_backups(folder: Path | None = None) -> list[Path]:
    """Backup files in ``folder`` (default: setting backup_dir), newest first."""
    folder = Path(folder or settings.get("backup_dir"))
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.zip"), key=lambda p: p.name, reverse=True)


def auto_backup(store: Store, now: datetime | None = None, folder: Path | None = None) -> Path | None:
    """The automatic daily backup (``daily_backup`` calls it from every page run when the day has changed).

    Does nothing when setting ``auto_backup`` is off, today's backup exists or another process sharing the
    PostgreSQL database is writing one (an advisory lock: with several app processes one writes it); otherwise writes
    ``accompaniment-auto-YYYYMMDD-HHMMSS.zip`` into ``backup_dir`` and keeps only the newest ``backup_keep``
    automatic backups. A failure is logged, never raised: a backup must not stop the app from starting.
    """
    if not settings.get("auto_backup"):
        return None
    now = now or utcnow()
    folder = Path(folder or settings.get("backup_dir"))
    try:
        with locks.one_process(store.engine, "auto_backup", wait=False) as ours:
            return _auto_backup(store, now, folder) if ours else None  # else another process is writing it
    except Exception:  # noqa: BLE001 - logged; the app starts anyway
        log.exception("automatic backup failed")
        return None


def _auto_backup(store: Store, now: datetime, folder: Path) -> Path | None:
    private_folder(folder)
    today = f"{AUTO_PREFIX}{now:%Y%m%d}-"
    if any(p.name.startswith(today) for p in folder.glob(f"{AUTO_PREFIX}*.zip")):
        return None
    path = folder / f"{AUTO_PREFIX}{now:%Y%m%d-%H%M%S}.zip"
    partial = path.with_suffix(".part")
    write_backup(store, SYSTEM, partial, now=now)  # 0600 from the start
    partial.replace(path)
    keep = max(int(settings.get("backup_keep")), 1)
    for old in sorted(folder.glob(f"{AUTO_PREFIX}*.zip"), key=lambda p: p.name, reverse=True)[keep:]:
        old.unlink(missing_ok=True)
    return path


_checked_days: dict[str, date] = {}
_daily_turn = threading.Lock()


def daily_backup(
    store: Store, clock: Callable[[], datetime] = utcnow, folder: Path | None = None
) -> Path | None:
    """The automatic backup while the app runs: called on every page run (``ui.context.get_store``), it only
    compares today's date with the last day it ran for this folder, and calls ``auto_backup`` when the day has
    changed. One caller at a time; another page run meanwhile skips rather than waits."""
    now = clock()
    place = str(folder or settings.get("backup_dir"))
    if _checked_days.get(place) == now.date() or not _daily_turn.acquire(blocking=False):
        return None
    try:
        if _checked_days.get(place) == now.date():
            return None
        _checked_days[place] = now.date()
        return auto_backup(store, now=now, folder=folder)
    finally:
        _daily_turn.release()
