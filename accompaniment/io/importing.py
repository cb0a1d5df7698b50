"""Import of sessions, workshops, agreements, commitments and milestones from CSV or XLSX files.

``preview_import`` is the dry run: it reads the file (``io.import_format``), validates every row with the domain's
input models, asks the store what each row would do (``store.imports.check_import``) and returns every problem
by row and column, in plain words from the catalogues, plus the rows to show. ``commit_preview`` then writes the
rows in one transaction (``store.imports.commit_import``, which repeats the checks), so a file goes in whole or
not at all. ``template`` gives the empty file to fill in, with the Spanish headers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from accompaniment import i18n
from accompaniment.access import Action, Actor, require
from accompaniment.domain.errors import AccompanimentError, FieldProblem, PermissionDenied, ValidationError
from accompaniment.io import import_format as fmt
from accompaniment.io.import_rows import ImportProblem, RowReader
from accompaniment.io.import_templates import template
from accompaniment.io.spreadsheet import FileProblem, RawTable, blank, read_table
from accompaniment.store.database import Store
from accompaniment.store.imports import (
    ImportCheck,
    ImportKind,
    ImportRecord,
    ImportResult,
    Outcome,
    Update,
    check_import,
    commit_import,
)
from accompaniment.store.secretariats import all_states

__all__ = [
    "ImportPreview",
    "ImportProblem",
    "ImportRejected",
    "commit_preview",
    "import_file",
    "preview_import",
    "state_code_for",
    "template",
]

Progress = Callable[[int, int, str], None]
KINDS: tuple[str, ...] = tuple(k.value for k in ImportKind)


class ImportRejected(AccompanimentError):
    """The file has problems: nothing was written."""

    key = "io.import.rejected"


# ---- the preview ---------------------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    """What a file would do: the rows read, their records, every problem and notice, the store's verdict."""

    kind: ImportKind
    updates_in: str | None = None  # a state's pre-filled workbook: updates of its milestones only
    headers: dict[str, str] = field(default_factory=dict)  # column -> header as in the file
    rows: list[dict[str, Any]] = field(default_factory=list)  # row number and the file's cells by column
    records: list[ImportRecord] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[ImportProblem] = field(default_factory=list)
    check: ImportCheck | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records)

    @property
    def new_rows(self) -> int:
        return self.check.new_rows if self.check else 0

    @property
    def present_rows(self) -> int:
        return self.check.present_rows if self.check else 0

    @property
    def updated_rows(self) -> int:
        return self.check.updated_rows if self.check else 0

    @property
    def updates(self) -> dict[int, Update]:
        return self.check.updates if self.check else {}

    def summary(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """'n nuevas, m actualizadas, k sin cambios'."""
        return i18n.t(
            "roundtrip.summary",
            lang,
            new=self.new_rows,
            updated=self.updated_rows,
            unchanged=self.present_rows,
        )

    def change_lines(self, lang: str = i18n.DEFAULT_LANGUAGE) -> list[str]:
        """One line per updated row: each changed field, before → after, headed as in the file."""
        lines = []
        for row, update in sorted(self.updates.items()):
            fields = "; ".join(
                i18n.t(
                    "roundtrip.change",
                    lang,
                    field=self.headers.get(c.column) or fmt.column_label(self.kind, c.column, lang),
                    before=fmt.shown(self.kind, c.column, c.before, lang),
                    after=fmt.shown(self.kind, c.column, c.after, lang),
                )
                for c in update.changes
            )
            lines.append(i18n.t("validation.in_row", lang, row=row, message=fields))
        return lines

    def problem_table(self, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
        """One line per problem: row (empty for the whole file), column as in the file, message."""
        return pd.DataFrame(
            [{"row": p.row, "column": p.header or "", "message": p.message(lang)} for p in self.problems],
            columns=["row", "column", "message"],
        ).astype({"row": "Int64"})

    def row_table(self, lang: str = i18n.DEFAULT_LANGUAGE, limit: int | None = 200) -> pd.DataFrame:
        """The rows as read, headed as in the file, with what will happen to each (new, present, with problems)."""
        outcomes = self.check.outcomes if self.check else {}
        bad = {p.row for p in self.problems}
        lines = []
        for row in self.rows[:limit]:
            outcome = Outcome.INVALID if row["row"] in bad else outcomes.get(row["row"], Outcome.INVALID)
            line = {
                i18n.t("io.preview.row", lang): row["row"],
                i18n.t("io.preview.outcome", lang): i18n.t(f"io.outcome.{outcome.value}", lang),
            }
            line.update({self.headers[c]: fmt.text(v) or "" for c, v in row.items() if c in self.headers})
            lines.append(line)
        return pd.DataFrame(lines)


def _state_lookup(store: Store, actor: Actor) -> dict[str, str]:
    states = all_states(store, actor)
    lookup: dict[str, str] = {}
    for row in states.itertuples():
        for name in (
            row.code,
            str(int(row.code)),
            row.iso_code,
            row.iso_code.split("-")[-1],
            row.name,
            row.short_name,
        ):
            lookup.setdefault(fmt.fold(name), row.code)
    return lookup


def state_code_for(store: Store, actor: Actor, written: str) -> str:
    """The INEGI code of a state written as the importer reads it (Oaxaca, oaxaca, 20, MX-OAX, OAX); else a
    ``ValidationError`` that names what was written."""
    code = _state_lookup(store, actor).get(fmt.fold(written))
    if code is None:
        raise ValidationError.single("state_code", "unknown_state_named", value=written)
    return code


TITLE_ROWS_SEARCHED = 10


def _find_headers(kind: ImportKind, table: RawTable, preview: ImportPreview) -> RawTable:
    """The table with its real header row: when the first row lacks the required columns but one of the next
    few has them, the rows above it are a title (a report's heading, a note) and are named in a notice."""
    aliases = fmt.header_aliases(kind)
    required = {c.name for c in fmt.COLUMNS[kind] if c.required}

    def known(cells: list[Any]) -> set[str]:
        return {aliases.get(fmt.fold(cell), "") for cell in cells if isinstance(cell, str) and cell.strip()}

    if required <= known(table.headers):
        return table
    for index, (number, cells) in enumerate(table.rows[:TITLE_ROWS_SEARCHED]):
        if required <= known(cells):
            above = [table.headers] + [row for _, row in table.rows[:index]]
            text = " · ".join(str(c).strip() for row in above for c in row if not blank(c))
            preview.notices.append(
                ImportProblem(
                    "title_rows", params={"first": table.header_row, "row": number, "text": text[:120]}
                )
            )
            body = table.rows[index + 1 :]
            if not body:
                raise FileProblem("no_rows")
            headers = ["" if c is None else str(c).strip() for c in cells]
            return RawTable(headers, body, number)
    return table


def _map_headers(kind: ImportKind, headers: list[str], preview: ImportPreview) -> dict[int, str]:
    aliases = fmt.header_aliases(kind)
    positions: dict[int, str] = {}
    for index, header in enumerate(headers):
        column = aliases.get(fmt.fold(header))
        if column is None:
            if header and header not in fmt.EXPORTED_EXTRAS:
                preview.notices.append(ImportProblem("ignored_column", header=header))
            continue
        if column in preview.headers:
            preview.problems.append(
                ImportProblem(
                    "duplicate_column",
                    column=column,
                    header=header,
                    params={"other": preview.headers[column]},
                )
            )
            continue
        preview.headers[column] = header
        positions[index] = column
    for column in fmt.COLUMNS[kind]:
        if column.required and column.name not in preview.headers:
            preview.problems.append(
                ImportProblem(
                    "missing_column", column=column.name, header=fmt.column_label(kind, column.name, "es")
                )
            )
    return positions


def preview_import(
    store: Store,
    actor: Actor,
    kind: ImportKind | str,
    data: bytes,
    filename: str | None = None,
    progress: Progress | None = None,
    updates_in: str | None = None,
) -> ImportPreview:
    """The dry run: read and check ``data`` as a file of ``kind``; nothing is written. ``updates_in`` (a state's
    code): only updates of that state's milestones, by whoever may update them (``io.state_workbook``)."""
    kind = ImportKind(kind)
    if updates_in is None:
        require(actor, Action.IMPORT_DATA)
    elif kind != ImportKind.MILESTONES:
        raise PermissionDenied()
    else:
        require(actor, Action.WRITE_MILESTONE, updates_in)
    preview = ImportPreview(kind, updates_in=updates_in)
    say = progress or (lambda done, total, stage: None)
    try:
        table = read_table(data, filename)
    except FileProblem as exc:
        preview.problems.append(ImportProblem(exc.code, params=exc.params))
        return preview
    try:
        table = _find_headers(kind, table, preview)
    except FileProblem as exc:
        preview.problems.append(ImportProblem(exc.code, params=exc.params))
        return preview
    positions = _map_headers(kind, table.headers, preview)
    if preview.problems:
        return preview
    reader = RowReader(kind, _state_lookup(store, actor), preview.headers, preview.problems, store.today())
    total = len(table.rows)
    for done, (number, values) in enumerate(table.rows, start=1):
        cells = {
            column: values[index] if index < len(values) else None for index, column in positions.items()
        }
        preview.rows.append({"row": number, **cells})
        record = reader.record(number, reader.parse(number, cells))
        if record is not None:
            preview.records.append(record)
        if done % 200 == 0 or done == total:
            say(done, total, "validate")
    if preview.records:
        preview.check = check_import(store, actor, kind, preview.records, updates_in)
        preview.problems.extend(_from_store(kind, preview, preview.check.problems))
        preview.notices.extend(_from_store(kind, preview, preview.check.notices))
    preview.problems.sort(
        key=lambda p: (
            p.row or 0,
            list(preview.headers).index(p.column) if p.column in preview.headers else 999,
        )
    )
    return preview


def _from_store(
    kind: ImportKind, preview: ImportPreview, problems: list[FieldProblem]
) -> list[ImportProblem]:
    found = []
    for problem in problems:
        column = problem.field
        header = (
            None
            if column == "form"
            else (preview.headers.get(column) or fmt.column_label(kind, column, "es"))
        )
        found.append(ImportProblem(problem.code, problem.row, column, header, dict(problem.params)))
    return found


def commit_preview(
    store: Store, actor: Actor, preview: ImportPreview, progress: Progress | None = None
) -> ImportResult:
    """Write a checked preview's new rows, all or nothing. ``ImportRejected`` if it has problems; if the store
    finds one meanwhile (someone imported the same rows), the problems are added to the preview and nothing is
    written either."""
    if not preview.ok:
        raise ImportRejected(problems=len(preview.problems))
    say = progress or (lambda done, total, stage: None)
    try:
        return commit_import(
            store,
            actor,
            preview.kind,
            preview.records,
            progress=lambda done, total: say(done, total, "write"),
            updates_in=preview.updates_in,
        )
    except ValidationError as exc:
        preview.problems.extend(_from_store(preview.kind, preview, exc.problems))
        raise ImportRejected(problems=len(preview.problems)) from None


def import_file(
    store: Store,
    actor: Actor,
    kind: ImportKind | str,
    data: bytes,
    filename: str | None = None,
    progress: Progress | None = None,
    updates_in: str | None = None,
) -> tuple[ImportPreview, ImportResult | None]:
    """Dry run, then commit if there is no problem. Returns the preview and the result (None if rejected)."""
    preview = preview_import(store, actor, kind, data, filename, progress, updates_in)
    if not preview.ok:
        return preview, None
    try:
        return preview, commit_preview(store, actor, preview, progress)
    except ImportRejected:
        return preview, None
