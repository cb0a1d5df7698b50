"""Exports of each entity as CSV or XLSX, within the acting user's permissions.

What a user may see is decided by the store (``store.export_queries``): the public's files have no personal data
and no private notes because those columns are never selected for the public. This module only turns the tables
into files, neutralising spreadsheet formulas on the way (``io.tabular``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.io.tabular import write_csv, write_xlsx
from accompaniment.store.database import Store
from accompaniment.store.export_queries import ExportTable, export_table, exportable_entities

Format = Literal["csv", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "datapackage")


def readable_table(
    store: Store,
    actor: Actor,
    name: str,
    state_code: str | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
    today: date | None = None,
) -> ExportTable:
    """``store.export_queries.export_table`` with catalogue keys in notes (the starting record's phase notes)
    written out in ``lang``."""
    table = export_table(store, actor, name, state_code=state_code, today=today)
    if "note" not in table.column_names:
        return table
    index = table.column_names.index("note")
    rows = []
    for row in table.rows:
        note = row[index]
        if isinstance(note, str) and note.startswith("reference.") and i18n.has(note, lang):
            row = (*row[:index], i18n.t(note, lang), *row[index + 1 :])
        rows.append(row)
    return ExportTable(table.name, table.columns, rows, table.primary_key, table.foreign_keys)


def entity_file(
    store: Store,
    actor: Actor,
    name: str,
    fmt: Format,
    state_code: str | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> bytes:
    """Entity ``name`` as one CSV (UTF-8 with BOM, for Excel) or one XLSX workbook."""
    table = readable_table(store, actor, name, state_code=state_code, lang=lang)
    if fmt == "csv":
        return write_csv(table.column_names, table.rows)
    if fmt == "xlsx":
        return write_xlsx([(name, table.column_names, table.rows)])
    raise ValueError(f"unknown format {fmt!r}")


def file_name(name: str, fmt: str, state_code: str | None = None) -> str:
    suffix = f"_{state_code}" if state_code else ""
    return f"{name}{suffix}.{fmt}"


def export_directory(
    store: Store,
    actor: Actor,
    fmt: str,
    out_dir: Path,
    lang: str = i18n.DEFAULT_LANGUAGE,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write every entity ``actor`` may export into ``out_dir``: one file per entity, or (``datapackage``) the
    public data package. Returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "datapackage":
        from accompaniment.io.datapackage import write_datapackage

        return write_datapackage(store, out_dir, lang=lang)
    written = []
    for name in exportable_entities(actor):
        path = out_dir / file_name(name, fmt)
        path.write_bytes(entity_file(store, actor, name, fmt, lang=lang))  # type: ignore[arg-type]
        written.append(path)
        if progress:
            progress(name)
    return written
