"""Pure conversions between the logbook's form widgets and the store's input models.

The Bitácora form shows participants as a sector × gender grid of number inputs, attending organisations as one
name per line, and agreements as an editable table (``st.data_editor``). These functions turn what those widgets
hold into the plain values ``SessionInput`` and ``AgreementInput`` validate, and back, so the conversion is tested
without a browser. Nothing is judged here: a negative count or an over-long text is passed on for the model to
refuse with a message naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from accompaniment.domain.enums import Gender, Sector
from accompaniment.domain.models import coerce_date

SECTORS: tuple[Sector, ...] = tuple(Sector)
GENDERS: tuple[Gender, ...] = tuple(Gender)
AGREEMENT_COLUMNS: tuple[str, ...] = ("text", "responsible_sector", "responsible_organization", "due_date")

Cell = tuple[str, str]


def is_blank(value: Any) -> bool:
    """None, an empty or all-space text, NaN or NaT: what an untouched table cell or input holds."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # NaT and other not-a-value markers differ from themselves
    except TypeError:  # pandas' NA refuses to be a truth value
        return True
    except ValueError:
        return False


# ---- participants --------------------------------------------------------------------------------------------------


def nest_counts(cells: Mapping[Cell, Any]) -> dict[str, dict[str, Any]]:
    """Flat ``(sector, gender) -> count`` cells as the nested grid the input models take.

    Empty and zero cells are left out (the store keeps only counted cells); any other value is passed on as it is,
    so the model refuses a negative or non-numeric count naming the participants grid.
    """
    grid: dict[str, dict[str, Any]] = {}
    for (sector, gender), count in cells.items():
        if is_blank(count) or count == 0:
            continue
        grid.setdefault(str(sector), {})[str(gender)] = count
    return grid


def flatten_counts(grid: Mapping[str, Mapping[str, Any]] | None) -> dict[Cell, int]:
    """A stored grid (sector -> gender -> count) as one count per cell of the form, zero where nothing was counted."""
    grid = grid or {}
    return {
        (sector.value, gender.value): int((grid.get(sector.value) or {}).get(gender.value) or 0)
        for sector in SECTORS
        for gender in GENDERS
    }


def grid_total(cells: Mapping[Cell, Any]) -> int:
    """The number of participants the grid adds up to; cells that hold no number count as zero."""
    total = 0
    for count in cells.values():
        if isinstance(count, bool) or is_blank(count):
            continue
        if isinstance(count, (int, float)):
            total += int(count)
    return total


# ---- attending organisations ---------------------------------------------------------------------------------------


def organisation_names(text: str | None) -> list[str]:
    """One organisation per line: trimmed, blank lines dropped, a repeated name (any case) kept once."""
    names: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


# ---- agreements (the editable table) -------------------------------------------------------------------------------


def apply_editor_state(
    base: Sequence[Mapping[str, Any]], state: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """The rows an ``st.data_editor`` shows after the edits in its session state, in Streamlit's order:
    cell edits (``edited_rows``, by row position), then deletions (``deleted_rows``), then additions
    (``added_rows``, appended)."""
    state = state or {}
    rows = [dict(row) for row in base]
    for position, changes in (state.get("edited_rows") or {}).items():
        index = int(position)
        if 0 <= index < len(rows):
            rows[index].update(changes)
    deleted = {int(position) for position in state.get("deleted_rows") or ()}
    rows = [row for index, row in enumerate(rows) if index not in deleted]
    rows.extend(dict(row) for row in state.get("added_rows") or ())
    return rows


def _due_date(value: Any) -> Any:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                return text
        return coerce_date(text)
    return value


def _text(value: Any) -> str | None:
    return None if is_blank(value) else str(value).strip()


def agreement_records(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Table rows as ``AgreementInput`` values, in order; rows left entirely empty are dropped.

    A row with a responsible party or a due date but no text is kept with an empty text, so the model reports
    "Acuerdo n: Texto" instead of the row silently disappearing.
    """
    records = []
    for row in rows:
        if all(is_blank(row.get(column)) for column in AGREEMENT_COLUMNS):
            continue
        record: dict[str, Any] = {
            "text": _text(row.get("text")) or "",
            "responsible_sector": _text(row.get("responsible_sector")),
            "responsible_organization": _text(row.get("responsible_organization")),
            "due_date": _due_date(row.get("due_date")),
        }
        commitment_id = row.get("commitment_id")
        if not is_blank(commitment_id):
            record["commitment_id"] = commitment_id
        records.append(record)
    return records
