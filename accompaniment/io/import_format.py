"""Reading spreadsheets as state offices send them, and the import file formats (their columns and headers).

A file may be XLSX or CSV; a CSV may be UTF-8 with or without a byte-order mark, UTF-16 with one, or Windows
Latin-1 (cp1252), separated by commas, semicolons or tabs. Headers are matched after folding case, accents and
punctuation, in Spanish (the templates), in English, or by the column names our own exports use, so an exported
file imports back as it is. Values are matched the same way: "Mesa de trabajo", "mesa de trabajo" and
"working_table" are one session type.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from accompaniment import i18n
from accompaniment.domain.enums import (
    AgreementStatus,
    Gender,
    MilestoneStatus,
    Modality,
    OgpValue,
    Phase,
    Sector,
    SessionType,
)
from accompaniment.domain.models import coerce_date
from accompaniment.io.tabular import unneutralise
from accompaniment.store.imports import ImportKind

MAX_ROWS = 50_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PARTICIPANT_FIELDS = tuple((f"participants_{s.value}_{g.value}", s, g) for s in Sector for g in Gender)


class FileProblem(Exception):
    """The file as a whole cannot be read: ``code`` names the message under ``io.problem``."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False


def _columns(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n.rstrip("*"), n.endswith("*")) for n in names)


_PARTICIPANTS = tuple(Column(name) for name, _, _ in PARTICIPANT_FIELDS)
COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.SESSIONS: _columns(
        "state_code*",
        "held_on*",
        "session_type*",
        "modality",
        "phase",
        "topics",
        "organizations",
        "consensus",
        "public_summary",
        "summary",
        "evidence_url",
    )
    + _PARTICIPANTS,
    ImportKind.WORKSHOPS: _columns(
        "state_code*",
        "held_on*",
        "title*",
        "topic",
        "modality",
        "hours",
        "satisfaction",
        "public_summary",
        "notes",
        "evidence_url",
    )
    + _PARTICIPANTS,
    ImportKind.AGREEMENTS: _columns(
        "state_code*",
        "session_held_on*",
        "session_type*",
        "text*",
        "responsible_sector",
        "responsible_organization",
        "due_date",
        "status",
        "closed_on",
        "commitment_plan_number",
        "commitment_number",
    ),
    ImportKind.COMMITMENTS: _columns(
        "state_code*",
        "plan_number*",
        "number",
        "title*",
        "public_problem",
        "objective",
        "lead_institution",
        "co_responsible",
        "start_date",
        "end_date",
        "proactive",
        "ogp_values",
        "sdg_targets",
    ),
    ImportKind.MILESTONES: _columns(
        "state_code*",
        "plan_number*",
        "commitment_number",
        "commitment_title",
        "number*",
        "description*",
        "responsible",
        "due_date",
        "weight",
        "progress",
        "status",
        "completed_on",
        "evidence_url",
        "evidence_note",
    ),
}
# Other ways state offices name a column (already folded: lower case, no accents).
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "state_code": ("entidad", "entidad federativa", "clave inegi", "state", "estado clave"),
    "held_on": ("fecha de realizacion", "date"),
    "session_held_on": ("fecha sesion",),
    "text": ("texto del acuerdo", "acuerdo"),
    "status": ("estado de avance", "estado del acuerdo", "situacion"),
}


def fold(text: Any) -> str:
    """Lower case, no accents, words separated by single spaces: 'Tipo de sesión' → 'tipo de sesion'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def column_label(kind: ImportKind, name: str, lang: str = "es") -> str:
    """The header of column ``name`` in a template (Spanish) or in messages (the user's language)."""
    for key in (f"io.column.{kind.value}.{name}", f"io.column.{name}"):
        if i18n.has(key, lang):
            return i18n.t(key, lang)
    for participant, sector, gender in PARTICIPANT_FIELDS:
        if participant == name:
            return f"{i18n.t(f'enum.Sector.{sector.value}', lang)} - {i18n.t(f'enum.Gender.{gender.value}', lang)}"
    return name


def header_aliases(kind: ImportKind) -> dict[str, str]:
    """Folded header → column name, for every header the importer understands for ``kind``."""
    aliases: dict[str, str] = {}
    for column in COLUMNS[kind]:
        names = {column.name, *EXTRA_ALIASES.get(column.name, ())}
        names |= {column_label(kind, column.name, lang) for lang in i18n.LANGUAGES}
        for name in names:
            aliases.setdefault(fold(name), column.name)
    return aliases


# ---- reading files ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawTable:
    """A sheet as read: headers as written, and the non-empty rows with their row number in the sheet."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Text of a CSV in UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows Latin-1; else ``FileProblem``."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8", data[len(codecs.BOM_UTF8) :])]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    else:
        candidates = [("utf-8", data), ("cp1252", data), ("latin-1", data)]
    for encoding, payload in candidates:
        try:
            text = payload.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    raise FileProblem("bad_encoding")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes) -> RawTable:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return _table(enumerate(reader, start=1))


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def read_xlsx(data: bytes) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage reads as "not a spreadsheet we can open"
        raise FileProblem("bad_xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = (
            (number, [_cell(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table(rows)
    finally:
        workbook.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(rows: Any) -> RawTable:
    headers: list[str] | None = None
    body: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        cells = list(values)
        if all(_blank(v) for v in cells):
            continue
        if headers is None:
            headers = ["" if v is None else str(v).strip() for v in cells]
            continue
        body.append((number, cells))
        if len(body) > MAX_ROWS:
            raise FileProblem("too_many_rows", max=MAX_ROWS)
    if headers is None:
        raise FileProblem("empty_file")
    if not body:
        raise FileProblem("no_rows")
    return RawTable(headers, body)


def read_table(data: bytes, filename: str | None = None) -> RawTable:
    """The first sheet of an XLSX, or a CSV, as a ``RawTable``; ``FileProblem`` when it cannot be read."""
    if not data or not data.strip():
        raise FileProblem("empty_file")
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("old_xls")
    if filename and filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileProblem("bad_xlsx")
    return read_csv(data)


# ---- values --------------------------------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """A cell as stripped text (None when empty), without the quote our exports put before a formula."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return unneutralise(str(value).strip())


def number(value: Any) -> Any:
    """Numbers as numbers; text with a decimal comma ('2,5') read as 2.5; anything else left for validation."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    raw = str(value).strip()
    if re.fullmatch(r"[+-]?\d+,\d+", raw):
        return raw.replace(",", ".")
    if raw.endswith("%"):
        return raw[:-1].strip()
    return raw


def when(value: Any) -> Any:
    """Dates from a spreadsheet cell, 'dd/mm/aaaa', or ISO; anything else left for validation to reject."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return coerce_date(str(value).strip())


def _enum_aliases(enum_class: type[Enum]) -> dict[str, Any]:
    aliases: dict[str, Any] = {}
    for member in enum_class:
        code = member.value
        names = {str(code), member.name}
        for lang in i18n.LANGUAGES:
            label = i18n.t(f"enum.{enum_class.__name__}.{code}", lang)
            names.add(label)
            if "·" in label:  # phases: "3 · Cocreación del plan" also reads as "Cocreación del plan"
                names.add(label.split("·", 1)[1])
        for name in names:
            aliases.setdefault(fold(name), code)
    return aliases


ENUMS: dict[str, type[Enum]] = {
    "session_type": SessionType,
    "modality": Modality,
    "phase": Phase,
    "responsible_sector": Sector,
    "ogp_values": OgpValue,
}
STATUS_ENUM = {ImportKind.AGREEMENTS: AgreementStatus, ImportKind.MILESTONES: MilestoneStatus}
_ALIASES: dict[type[Enum], dict[str, Any]] = {}


def choice(value: Any, enum_class: type[Enum]) -> Any:
    """The code of an option written as its code or its Spanish or English label; else the text as written."""
    raw = text(value)
    if raw is None:
        return None
    if enum_class not in _ALIASES:
        _ALIASES[enum_class] = _enum_aliases(enum_class)
    return _ALIASES[enum_class].get(fold(raw), raw)


_TRUE = {"si", "s", "yes", "y", "true", "verdadero", "1", "x"}
_FALSE = {"no", "n", "false", "falso", "0"}


def flag(value: Any) -> Any:
    raw = text(value)
    if raw is None:
        return None
    folded = fold(raw)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    return raw


def items(value: Any) -> list[str]:
    """A list written in one cell, separated by semicolons, new lines or vertical bars."""
    raw = text(value)
    if raw is None:
        return []
    return [part.strip() for part in re.split(r"[;\n|]", raw) if part.strip()]


def codes(value: Any) -> list[str]:
    """SDG target codes: also accept commas and spaces between them ('16.10, 6.b')."""
    raw = text(value)
    if raw is None:
        return []
    return [part for part in re.split(r"[;,\s|]+", raw) if part]
