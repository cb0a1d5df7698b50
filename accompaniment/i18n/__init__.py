"""The Spanish and English message catalogues and the one lookup function every visible string goes through.

Catalogues are TOML files under ``locales/<lang>/``, one file per area of the tool, so that each area's wording
lives beside the others' without one giant file. Nested tables flatten to dotted keys (``overview.title``).
A missing key renders as a visible marker so a test can find it on a page instead of silently showing nothing.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("es", "en")
DEFAULT_LANGUAGE = "es"
MISSING_MARKER = "⟦{key}⟧"
_LOCALES = Path(__file__).parent / "locales"


def _flatten(prefix: str, table: dict[str, Any], into: dict[str, str], source: Path) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            _flatten(key, value, into, source)
        else:
            if key in into:
                raise ValueError(f"duplicate catalogue key {key!r} in {source}")
            into[key] = str(value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed by dotted name."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    messages: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), messages, path)
    return messages


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``."""
    text = catalogue(lang).get(key)
    if text is None:
        return MISSING_MARKER.format(key=key)
    return text.format(**params) if params else text


def has(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return key in catalogue(lang)


def format_number(value: float | int | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """1 234,5 in Spanish (space-grouped, decimal comma), 1,234.5 in English."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "es":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    if value is None:
        return "—"
    number = format_number(value, lang, decimals)
    return f"{number} %" if lang == "es" else f"{number}%"


def format_date(value: date | datetime | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """26 nov 2026 in Spanish, Nov 26, 2026 in English."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    month = t(f"months.short.{value.month}", lang)
    if lang == "en":
        return f"{month} {value.day}, {value.year}"
    return f"{value.day} {month} {value.year}"


def format_month(value: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    if value is None:
        return "—"
    return f"{t(f'months.short.{value.month}', lang)} {value.year}"
