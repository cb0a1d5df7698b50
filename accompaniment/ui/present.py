"""What a reader sees of a value: enum labels, numbers and dates in the reader's language, column titles from
the catalogue, readable tables. ``frames`` builds on these for each view's charts and tables.

Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.caching.cache_errors import UnhashableParamError

from accompaniment import i18n
from accompaniment.domain.enums import Gender, Phase
from accompaniment.ui.context import current_lang, label, t


class Titles(dict):
    """Column titles by field name, looked up in the catalogue (``col.<field>``) on first use."""

    def __missing__(self, key: str) -> str:
        value = t(f"col.{key}")
        self[key] = value
        return value

    def get(self, key: str, default: Any = None) -> str:  # noqa: ARG002 - a title always exists or shows the marker
        return self[key]


def titles() -> Titles:
    return Titles()


def today() -> date:
    """Today as the store counts it (UTC), for spans that run "until today"."""
    return datetime.now(UTC).date()


def timestamp(value: date) -> pd.Timestamp:
    return pd.Timestamp(value)


def missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))


def text(value: Any) -> str:
    """A value as plain text for a table cell, "—" when absent."""
    return t("common.none") if missing(value) or value == "" else str(value)


def number(value: Any, decimals: int = 0) -> str:
    return i18n.format_number(None if missing(value) else value, current_lang(), decimals)


def percent(value: Any, decimals: int = 0) -> str:
    return i18n.format_percent(None if missing(value) else float(value), current_lang(), decimals)


def day(value: Any) -> str:
    return i18n.format_date(None if missing(value) else pd.Timestamp(value).date(), current_lang())


def moment(value: Any) -> str:
    """A date and time to the minute (2026-11-26 12:00, sortable as text), "—" when absent."""
    return t("common.none") if missing(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def identifier(value: Any) -> str:
    """A row id as a whole number, "—" when absent (a nullable id column arrives as floats)."""
    return t("common.none") if missing(value) else str(int(value))


def month(value: Any) -> str:
    return i18n.format_month(None if missing(value) else pd.Timestamp(value).date(), current_lang())


def yes_no(value: Any) -> str:
    if missing(value):
        return t("common.none")
    return t("common.yes") if bool(value) else t("common.no")


def enum_label(enum_name: str, value: Any) -> str:
    return t("common.none") if missing(value) or value == "" else label(enum_name, value)


def enum_list(enum_name: str, codes: Any) -> str:
    """Comma-joined codes ("a, b") or a list, as their labels."""
    if missing(codes) or codes == "":
        return t("common.none")
    items = codes if isinstance(codes, (list, tuple)) else str(codes).split(",")
    return ", ".join(label(enum_name, code.strip()) for code in items if str(code).strip())


def month_names() -> list[str]:
    """Short month names in the reader's language, January first (for chart time axes)."""
    return [t(f"months.short.{m}") for m in range(1, 13)]


def phase_labels() -> list[str]:
    return [label("Phase", phase.value) for phase in Phase]


def gender_labels() -> list[str]:
    return [label("Gender", gender.value) for gender in Gender]


def with_labels(df: pd.DataFrame, **enums: str) -> pd.DataFrame:
    """A copy of ``df`` with ``<column>_label`` beside each ``column=EnumName`` given."""
    out = df.copy()
    for column, enum_name in enums.items():
        out[f"{column}_label"] = [enum_label(enum_name, v) for v in out[column]]
    return out


def readable(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    dates: Iterable[str] = (),
    percents: Iterable[str] = (),
    numbers: Iterable[str] = (),
    flags: Iterable[str] = (),
    raw: bool = False,
) -> pd.DataFrame:
    """``columns`` of ``df`` with translated headers; values formatted per language unless ``raw`` (for CSV)."""
    out = df.loc[:, list(columns)].copy()
    if not raw:
        formats = {**dict.fromkeys(dates, day), **dict.fromkeys(percents, percent),
                   **dict.fromkeys(numbers, number), **dict.fromkeys(flags, yes_no)}  # fmt: skip
        for column in out.columns:
            out[column] = [formats.get(column, text)(v) for v in out[column]]
    names = titles()
    return out.rename(columns={c: names[c] for c in out.columns})


def cached_readable(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    dates: Iterable[str] = (),
    percents: Iterable[str] = (),
    numbers: Iterable[str] = (),
    flags: Iterable[str] = (),
    raw: bool = False,
) -> pd.DataFrame:
    """``readable``, formatted once per (language, frame content, columns, formats) and kept in ``st.cache_data``
    (issue 18: formatting the overview's tables cell by cell was a sixth of its rerun). The key holds the frame's
    content and the language, everything the result depends on, so the shared cache serves no one another's
    table. For the overview's small frames (a few dozen rows); a frame the cache cannot hash is formatted as is."""
    formats = (tuple(columns), tuple(dates), tuple(percents), tuple(numbers), tuple(flags), raw)
    try:
        return _readable_in(current_lang(), df, formats)
    except UnhashableParamError:
        return readable(df, columns, dates=dates, percents=percents, numbers=numbers, flags=flags, raw=raw)


@st.cache_data(max_entries=256, show_spinner=False)
def _readable_in(lang: str, df: pd.DataFrame, formats: tuple) -> pd.DataFrame:
    columns, dates, percents, numbers, flags, raw = formats
    return readable(df, columns, dates=dates, percents=percents, numbers=numbers, flags=flags, raw=raw)


def filter_key(**filters: Any) -> tuple[tuple[str, Any], ...]:
    """The filters that are set, as sorted (name, value) pairs: hashable for the cache, empty when none is set."""
    return tuple(sorted((name, value) for name, value in filters.items() if value not in (None, "", False)))


def digest(value: Any) -> str:
    """A short stable name for a widget key derived from ``value`` (e.g. the filters, so paging restarts)."""
    import hashlib

    return hashlib.sha1(repr(value).encode()).hexdigest()[:10]


def shorten(value: Any, width: int) -> str:
    value = text(value)
    return value if len(value) <= width else value[: width - 1].rstrip() + "…"


def commitment_code(plan_number: Any, commitment_number: Any) -> str:
    """ "P1·C3" style short code; a proactive commitment (no number) reads "P1·CP"."""
    number_text = t("col.proactive_short") if missing(commitment_number) else str(int(commitment_number))
    return f"{t('col.plan_short')}{int(plan_number)}·{t('col.commitment_short')}{number_text}"
