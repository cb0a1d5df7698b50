"""The import file formats: the columns of each kind, their headers, and how cell values are read.

Headers are matched after folding case, accents and punctuation, in Spanish (the templates), in English, or by the
column names our own exports use, so an exported file imports back as it is. Values are matched the same way:
"Mesa de trabajo", "mesa de trabajo" and "working_table" are one session type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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
from accompaniment.io.spreadsheet import blank
from accompaniment.io.tabular import unneutralise
from accompaniment.store.imports import ImportKind

PARTICIPANT_FIELDS = tuple((f"participants_{s.value}_{g.value}", s, g) for s in Sector for g in Gender)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False


def _columns(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n.rstrip("*"), n.endswith("*")) for n in names)


_PARTICIPANTS = tuple(Column(name) for name, _, _ in PARTICIPANT_FIELDS)
KEYS = ("id", "version")  # see KEY_COLUMNS
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
        *KEYS,
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
        *KEYS,
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
        *KEYS,
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
        "note",
        "version",
    ),
}
# The record key of each kind an import can update (issue 20; docs/spreadsheets.md): sessions, workshops and
# agreements by their id (the ``id`` column of their export), milestones by their natural key (state, plan number,
# commitment number, milestone number). ``version`` is the record's version when exported: a stored record that
# moved on since then is a conflict.
KEY_COLUMNS = ("id", "version")
# Columns our own exports add (keys, derived figures, demo flags): an exported file imports without notices.
EXPORTED_EXTRAS = frozenset(
    {
        "id",
        "is_demo",
        "participant_total",
        "plan_id",
        "session_id",
        "commitment_id",
        "position",
        "progress",
        "completion_level",
        "source",
        "verifiable",
        "version",
        "ambition",
        "early_results",
        "commitment_title",
        "state_name",
    }
)
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


# ---- values --------------------------------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """A cell as stripped text (None when empty), without the quote our exports put before a formula."""
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return unneutralise(str(value).strip())


def number(value: Any) -> Any:
    """Numbers as numbers; text with a decimal comma ('2,5') read as 2.5; anything else left for validation."""
    if blank(value):
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
    if blank(value):
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


def shown(kind: ImportKind, column: str, value: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A stored or imported value as a person reads it in a list of changes: labels for options, whole numbers
    without '.0', dates as dd/mm/aaaa, participants as their total, lists joined with semicolons."""
    if value is None or value == "":
        return "—"
    enum_class = STATUS_ENUM.get(kind) if column == "status" else ENUMS.get(column)
    if enum_class is not None and not isinstance(value, list):
        code = getattr(value, "value", value)
        key = f"enum.{enum_class.__name__}.{code}"
        return i18n.t(key, lang) if i18n.has(key, lang) else str(code)
    if isinstance(value, bool):
        return i18n.t("common.yes" if value else "common.no", lang)
    if isinstance(value, float):
        return (
            str(int(value)) if value.is_integer() else f"{value:g}".replace(".", "," if lang == "es" else ".")
        )
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dict):
        return str(sum(int(n or 0) for counts in value.values() for n in (counts or {}).values()))
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)
