"""Evidence files in backups (issue 12): a backup carries the bytes of every evidence file, a restore checks them.

A backup holds each file once, as ``evidence/<sha256>`` (stored, not compressed: PDFs, images and office files are
compressed already), and its signed manifest lists them (``evidence_files``: sha256 and size). A file whose bytes
no longer match their hash when the backup is written is left out and named in ``evidence_missing`` (logged), so a
damaged file is never copied into a backup as if it were good. A restore reads every listed file and checks its
SHA-256 and size before anything is replaced; it then places the files (temporary name, then rename), replaces the
database, and removes the files the restored data no longer name. If the database refuses the backup, the files
it had placed are removed again. Everything streams in 1 MiB chunks.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from accompaniment.domain.errors import AccompanimentError
from accompaniment.store.database import Store
from accompaniment.store.evidence_files import CHUNK, evidence_dir, stored_path

PREFIX = "evidence/"
_HASH = re.compile(r"^[0-9a-f]{64}$")
log = logging.getLogger(__name__)


class EvidenceBackupError(AccompanimentError):
    key = "reporting_store.backup.file_damaged"


def collect_hashes(rows: Iterator[dict[str, Any]], into: list[str]) -> Iterator[dict[str, Any]]:
    """Pass the evidence_file rows through to the backup, noting each file's hash on the way."""
    for row in rows:
        into.append(row["sha256"])
        yield row


def _digest(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _read(handle: Any) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def write_files(store: Store, archive: zipfile.ZipFile, hashes: Iterable[str]) -> dict[str, Any]:
    """Add each good file to ``archive``; returns the manifest's ``evidence_files`` and ``evidence_missing``."""
    included, missing = [], []
    for sha256 in sorted(set(hashes)):
        path = stored_path(store, sha256)
        try:
            with path.open("rb") as source:
                found, size = _digest(_read(source))
        except OSError:
            found, size = "", 0
        if found != sha256:
            log.warning("evidence file %s is missing or damaged; left out of the backup", sha256)
            missing.append(sha256)
            continue
        info = zipfile.ZipInfo(PREFIX + sha256, date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as out:
            for chunk in _read(source):
                out.write(chunk)
        included.append({"sha256": sha256, "size_bytes": size})
    return {"evidence_files": included, "evidence_missing": missing}


def verify_files(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is in the archive with the bytes its hash and size say; else the error."""
    for entry in manifest.get("evidence_files", []):
        sha256 = str(entry.get("sha256", ""))
        try:
            if not _HASH.match(sha256):
                raise KeyError(sha256)
            with archive.open(PREFIX + sha256) as stored:
                found, size = _digest(_read(stored))
        except (KeyError, OSError, zipfile.BadZipFile, EOFError):
            found, size = "", -1
        if found != sha256 or size != entry.get("size_bytes"):
            raise EvidenceBackupError(sha256=sha256[:12])


def place_files(store: Store, archive: zipfile.ZipFile, manifest: dict[str, Any]) -> list[Path]:
    """Copy the backup's files into the store's folder; returns the ones that were not there (to undo)."""
    placed: list[Path] = []
    if not manifest.get("evidence_files"):
        return placed
    folder = evidence_dir(store)
    try:
        for entry in manifest.get("evidence_files", []):
            sha256 = entry["sha256"]
            final = stored_path(store, sha256)
            if final.exists():
                with final.open("rb") as present:
                    if _digest(_read(present))[0] == sha256:
                        continue
            temporary = folder / f".restore-{uuid.uuid4().hex}.part"
            try:
                with archive.open(PREFIX + sha256) as source, temporary.open("wb") as out:
                    digest = hashlib.sha256()
                    for chunk in _read(source):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != sha256:
                    raise EvidenceBackupError(sha256=sha256[:12])
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temporary, final)
                placed.append(final)
            finally:
                temporary.unlink(missing_ok=True)
    except BaseException:
        remove(placed)
        raise
    return placed


def remove(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def remove_unnamed(store: Store, keep: set[str]) -> None:
    """After a restore: remove the stored files the restored data do not name (the replaced data's files are in
    the backup written before the restore)."""
    folder = evidence_dir(store, create=False)
    if not folder.is_dir():
        return
    for path in folder.glob("??/*"):
        if _HASH.match(path.name) and path.name not in keep:
            path.unlink(missing_ok=True)
