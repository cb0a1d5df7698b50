"""Exports of each entity as CSV or XLSX, within the acting user's permissions.

What a user may see is decided by the store (``store.export_queries``): the public's files have no personal data
and no private notes because those columns are never selected for the public. This module only turns the tables
into files, neutralising spreadsheet formulas on the way (``io.tabular``).

Files are streamed (issue 18): a CSV is written by the database itself (``store.bulk_export.copy_csv``, formulas
neutralised in its SELECT), an XLSX is fed to openpyxl's write-only workbook a batch of rows at a time; neither
holds a whole table in memory. ``write_entity`` writes into any binary file; ``entity_file`` returns the bytes for
a download button.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Literal

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.io.tabular import csv_header, stream_csv_rows, stream_xlsx
from accompaniment.store import bulk_export
from accompaniment.store.database import Store
from accompaniment.store.export_queries import (
    ExportTable,
    export_columns,
    export_table,
    exportable_entities,
    is_one_select,
)

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


def catalogue_notes(lang: str) -> dict[str, str]:
    """The catalogue keys a stored note may hold (``reference.*``), written out in ``lang``."""
    return {key: text for key, text in i18n.catalogue(lang).items() if key.startswith("reference.")}


def write_csv_rows(
    store: Store,
    actor: Actor,
    name: str,
    out: BinaryIO,
    *,
    excel: bool = True,
    state_code: str | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> ExportTable:
    """Entity ``name`` as CSV into ``out``: header (and byte-order mark, ``excel``), then the rows as the database
    writes them. Returns the table's columns and keys, without rows."""
    if not is_one_select(name):  # the scorecard: a few rows per state, computed in Python
        table = readable_table(store, actor, name, state_code=state_code, lang=lang)
        out.write(csv_header(table.column_names, excel=excel))
        stream_csv_rows(out, [table.rows])
        return _without_rows(table)
    table = export_columns(store, actor, name)
    out.write(csv_header(table.column_names, excel=excel))
    bulk_export.copy_csv(store, actor, name, out, state_code=state_code, notes=catalogue_notes(lang))
    return table


def write_entity(
    store: Store,
    actor: Actor,
    name: str,
    fmt: Format,
    out: BinaryIO,
    state_code: str | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> None:
    """Entity ``name`` as one CSV (UTF-8 with BOM, for Excel) or one XLSX workbook, written into ``out``."""
    if fmt == "csv":
        write_csv_rows(store, actor, name, out, state_code=state_code, lang=lang)
        return
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}")
    if not is_one_select(name):
        table = readable_table(store, actor, name, state_code=state_code, lang=lang)
        stream_xlsx(out, [(name, table.column_names, table.rows)])
        return
    columns, batches = bulk_export.row_batches(
        store, actor, name, state_code=state_code, notes=catalogue_notes(lang)
    )
    stream_xlsx(out, [(name, [c.name for c in columns], _rows(batches))])


def _rows(batches: Iterator[Any]) -> Iterator[Any]:
    for batch in batches:
        yield from batch


def _without_rows(table: ExportTable) -> ExportTable:
    return ExportTable(table.name, table.columns, [], table.primary_key, table.foreign_keys)


def entity_file(
    store: Store,
    actor: Actor,
    name: str,
    fmt: Format,
    state_code: str | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> bytes:
    """Entity ``name`` as one CSV (UTF-8 with BOM, for Excel) or one XLSX workbook: the finished file's bytes,
    for a download button (built in a temporary file, so only the file itself is ever held in memory)."""
    with tempfile.TemporaryFile() as spool:
        write_entity(store, actor, name, fmt, spool, state_code=state_code, lang=lang)
        spool.seek(0)
        return spool.read()


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
        with path.open("wb") as out:
            write_entity(store, actor, name, fmt, out, lang=lang)  # type: ignore[arg-type]
        written.append(path)
        if progress:
            progress(name)
    return written
