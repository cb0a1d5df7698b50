"""What an evidence file may be (issue 12): its type decided by its content, never by its name, and a name safe
to keep and to show.

Accepted: PDF, PNG, JPEG, and the office documents DOCX, XLSX and ODT. Those three are ZIP archives; they are told
apart by the entry that names their type ([Content_Types].xml for Office Open XML, ``mimetype`` for
OpenDocument), read with a small cap so a crafted archive cannot make us inflate much. Anything else (an
executable renamed .pdf, a macro-enabled .docm, a plain ZIP) is refused with a message naming the file.
"""

from __future__ import annotations

import re
import zipfile
from typing import BinaryIO

from accompaniment.domain.errors import EvidenceRefused

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ACCEPTED = (PDF, PNG, JPEG, DOCX, XLSX, ODT)
EXTENSION = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx", ODT: "odt"}

NAME_MAX = 255
_TYPE_ENTRY_MAX = 1024 * 1024  # [Content_Types].xml is a few kB; never inflate more than this
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SEPARATORS = ("/", "\\")
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}


def shown_name(name: str) -> str:
    """The name as a message may show it: control characters as '?', at most 80 characters."""
    visible = _CONTROL.sub("?", name or "")
    return visible if len(visible) <= 80 else visible[:77] + "…"


def check_file_name(name: str) -> str:
    """The name as kept: trimmed; refused when empty, too long, a path (separators, '.' or '..') or holding
    control characters. The stored file is named by its hash, so the name is a label, never a path."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise EvidenceRefused("reporting_store.errors.file_no_name", file_name="")
    if _CONTROL.search(cleaned):
        raise EvidenceRefused("reporting_store.errors.file_name_control", file_name=shown_name(cleaned))
    if any(sep in cleaned for sep in _SEPARATORS) or cleaned in (".", ".."):
        raise EvidenceRefused("reporting_store.errors.file_name_path", file_name=shown_name(cleaned))
    if len(cleaned) > NAME_MAX:
        raise EvidenceRefused(
            "reporting_store.errors.file_name_long", file_name=shown_name(cleaned), max=NAME_MAX
        )
    return cleaned


def _zip_type(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(200).strip()
                return ODT if declared == ODT.encode("ascii") else None
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as entry:
                    content = entry.read(_TYPE_ENTRY_MAX)
                found = {kind for marker, kind in _OOXML_MAIN.items() if marker in content}
                return found.pop() if len(found) == 1 else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None


def detect_media_type(stream: BinaryIO) -> str | None:
    """The accepted media type of the file in ``stream`` (seekable, read from the start), or None."""
    stream.seek(0)
    head = stream.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        stream.seek(0)
        return _zip_type(stream)
    return None
