"""Evidence files of the reporting cycle (issue 12): kept once per content, checked on every read.

The bytes live in the store's own folder (setting ``evidence_dir``; by default ``<database file>-evidence/``
beside a DuckDB file, ``data/evidence`` for PostgreSQL) as ``<sha256[:2]>/<sha256>``; the database keeps the
metadata (``evidence_file``). An upload is streamed to a temporary file in that folder in 1 MiB chunks while it is
hashed and counted (never whole in memory, refused as soon as it passes the size limit), its type is read from
its content, and then the row is inserted and the file renamed into place in one transaction: a failure before
the commit removes the placed file, so there is never a file without its row nor a row without its file.
Identical bytes are kept once: a second upload returns the first one's record.

A download checks the same permissions as every read (public files: everyone; private ones: staff and the state's
own secretariat), then verifies the SHA-256 before the first byte is served; a file that no longer matches (or is
gone) raises ``EvidenceCorrupted`` and is never served.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from sqlalchemy import Connection, insert, select

from accompaniment import settings
from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.errors import EvidenceCorrupted, EvidenceRefused, NotFound, PermissionDenied
from accompaniment.domain.evidence_files import check_file_name, detect_media_type
from accompaniment.store.database import Store
from accompaniment.store.schema import evidence_file

CHUNK = 1024 * 1024
DOWNLOAD_PAGE = "evidencia"  # the download page's URL path (pages/evidence.py)
DOWNLOAD_PARAMETER = "archivo"


@dataclass(frozen=True)
class EvidenceFileInfo:
    id: int
    sha256: str
    size_bytes: int
    media_type: str
    file_name: str
    is_public: bool
    uploaded_by: str
    uploaded_at: datetime
    state_code: str = ""

    @property
    def download_path(self) -> str:
        return download_path(self.sha256)


def download_path(sha256: str) -> str:
    """The file's link inside the app: the download page with the file's hash (``evidencia?archivo=<sha256>``)."""
    return f"{DOWNLOAD_PAGE}?{DOWNLOAD_PARAMETER}={sha256}"


def evidence_link(sha256: str) -> str:
    """The file's absolute link (``app_base_url`` + download path): what a milestone's evidence_url holds when its
    evidence is a file, so the rule "complete only with evidence" accepts a file unchanged."""
    return f"{str(settings.get('app_base_url')).rstrip('/')}/{download_path(sha256)}"


def sha256_from_link(link: str | None) -> str | None:
    """The hash in an evidence link or download path, or None when it is not one."""
    marker = f"{DOWNLOAD_PAGE}?{DOWNLOAD_PARAMETER}="
    if not link or marker not in link:
        return None
    candidate = link.rsplit(marker, 1)[1][:64].lower()
    return candidate if len(candidate) == 64 and all(c in "0123456789abcdef" for c in candidate) else None


def evidence_dir(store: Store, create: bool = True) -> Path:
    """The store's evidence folder, created if needed (unless ``create`` is false)."""
    configured = settings.get("evidence_dir")
    if configured:
        folder = Path(configured)
    elif store.is_duckdb and store.engine.url.database not in (None, "", ":memory:"):
        database = Path(store.engine.url.database)
        folder = database.with_name(f"{database.stem}-evidence")
    else:
        folder = settings.PROJECT_ROOT / "data" / "evidence"
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_path(store: Store, sha256: str) -> Path:
    return evidence_dir(store) / sha256[:2] / sha256


def _info(row: object) -> EvidenceFileInfo:
    m = row._mapping  # type: ignore[attr-defined]
    return EvidenceFileInfo(
        id=m["id"],
        sha256=m["sha256"],
        size_bytes=int(m["size_bytes"]),
        media_type=m["media_type"],
        file_name=m["file_name"],
        is_public=bool(m["is_public"]),
        uploaded_by=m["uploaded_by"],
        uploaded_at=m["uploaded_at"],
        state_code=m["state_code"],
    )


def file_info(connection: Connection, file_id: int) -> EvidenceFileInfo | None:
    row = connection.execute(select(evidence_file).where(evidence_file.c.id == file_id)).first()
    return _info(row) if row is not None else None


def may_read_file(viewer: Actor, info: EvidenceFileInfo) -> bool:
    if info.is_public:
        return allowed(viewer, Action.READ_PUBLISHED)
    return allowed(viewer, Action.READ_MILESTONE_DETAIL, info.state_code)


def _receive(stream: BinaryIO, target: Path, limit: int, file_name: str) -> tuple[str, int]:
    """Copy ``stream`` to ``target`` in chunks, hashing; refuse (and remove ``target``) past ``limit`` bytes."""
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise EvidenceRefused(
                        "reporting_store.errors.file_too_large",
                        file_name=file_name,
                        max_mb=f"{limit / 1048576:g}",
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def store_evidence_file(
    store: Store, actor: Actor, state_code: str, file_name: str, stream: BinaryIO, is_public: bool = False
) -> EvidenceFileInfo:
    """Keep an uploaded evidence file of ``state_code``'s report (its secretariat, the specialist or an admin).

    Refused with ``EvidenceRefused`` naming the file: an empty file, one over ``evidence_max_bytes``, a type other
    than PDF, PNG, JPEG, DOCX, XLSX or ODT (decided by content), a name that is a path or holds control characters.
    """
    if not allowed(actor, Action.WRITE_MILESTONE, state_code):
        raise PermissionDenied(action="upload_evidence")
    name = check_file_name(file_name)
    folder = evidence_dir(store)
    temporary = folder / f".upload-{uuid.uuid4().hex}.part"
    sha256, size = _receive(stream, temporary, int(settings.get("evidence_max_bytes")), name)
    placed: list[Path] = []
    try:
        if size == 0:
            raise EvidenceRefused("reporting_store.errors.file_empty", file_name=name)
        with temporary.open("rb") as written:
            media_type = detect_media_type(written)
        if media_type is None:
            raise EvidenceRefused("reporting_store.errors.file_type", file_name=name)

        def work(connection: Connection) -> EvidenceFileInfo:
            existing = connection.execute(
                select(evidence_file).where(evidence_file.c.sha256 == sha256)
            ).first()
            if existing is not None:  # the same bytes are kept once; a lost copy is put back from this upload
                final = stored_path(store, sha256)
                if not _verified(final, sha256):
                    final.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(temporary, final)
                return _info(existing)
            values = {
                "sha256": sha256,
                "size_bytes": size,
                "media_type": media_type,
                "file_name": name,
                "state_code": state_code,
                "is_public": bool(is_public),
                "uploaded_by": actor.username,
                "uploaded_at": store.clock(),
            }
            row = connection.execute(
                insert(evidence_file).values(**values).returning(*evidence_file.c)
            ).first()
            store.audit(
                connection, actor, "create", "evidence_file", row.id, after=values, state_code=state_code
            )
            final = stored_path(store, sha256)
            if not placed:  # a retried transaction finds the file already in place
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temporary, final)
                placed.append(final)
            return _info(row)

        return store.write(work)
    except BaseException:
        for path in placed:  # the row was not committed: the file goes too
            path.unlink(missing_ok=True)
        raise
    finally:
        temporary.unlink(missing_ok=True)


def _verified(path: Path, sha256: str) -> bool:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == sha256


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def open_evidence_file(store: Store, viewer: Actor, file_id: int) -> tuple[EvidenceFileInfo, Iterator[bytes]]:
    """The file's record and its bytes in chunks, after the permission check and the hash check."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        info = file_info(connection, file_id)
    if info is None:
        raise NotFound(entity="evidence_file", id=file_id)
    if not may_read_file(viewer, info):
        raise PermissionDenied(action="read_evidence")
    path = stored_path(store, info.sha256)
    if not _verified(path, info.sha256):
        raise EvidenceCorrupted(file_name=info.file_name)
    return info, _chunks(path)


def open_evidence_by_hash(
    store: Store, viewer: Actor, sha256: str
) -> tuple[EvidenceFileInfo, Iterator[bytes]]:
    """As ``open_evidence_file``, for the download page, which has the hash from the link."""
    with store.read() as connection:
        file_id = connection.execute(
            select(evidence_file.c.id).where(evidence_file.c.sha256 == sha256)
        ).scalar()
    if file_id is None:
        raise NotFound(entity="evidence_file", id=None)
    return open_evidence_file(store, viewer, file_id)


FILE_COLUMNS = [
    "id",
    "file_name",
    "media_type",
    "size_bytes",
    "sha256",
    "state_code",
    "is_public",
    "uploaded_by",
    "uploaded_at",
    "download_path",
]


def list_evidence_files(store: Store, viewer: Actor, state_code: str | None = None) -> pd.DataFrame:
    """The files ``viewer`` may read (public ones, and private ones of the states whose detail it may read),
    newest first; ``uploaded_by`` is left empty for viewers who may not read the state's detail."""
    require(viewer, Action.READ_PUBLISHED)
    query = select(evidence_file).order_by(evidence_file.c.uploaded_at.desc(), evidence_file.c.id.desc())
    if state_code is not None:
        query = query.where(evidence_file.c.state_code == state_code)
    records = []
    with store.read() as connection:
        for row in connection.execute(query):
            info = _info(row)
            if not may_read_file(viewer, info):
                continue
            detail = allowed(viewer, Action.READ_MILESTONE_DETAIL, info.state_code)
            records.append(
                {
                    "id": info.id,
                    "file_name": info.file_name,
                    "media_type": info.media_type,
                    "size_bytes": info.size_bytes,
                    "sha256": info.sha256,
                    "state_code": info.state_code,
                    "is_public": info.is_public,
                    "uploaded_by": info.uploaded_by if detail else "",
                    "uploaded_at": info.uploaded_at,
                    "download_path": info.download_path,
                }
            )
    return pd.DataFrame(records, columns=FILE_COLUMNS)
