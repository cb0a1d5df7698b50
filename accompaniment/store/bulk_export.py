"""Exports written by the database's own bulk paths, a few rows at a time, never a whole table in memory.

Each entity's SELECT (``export_queries.entity_select``, which holds the access rules) is wrapped in a second SELECT
that turns every value into the text the Python CSV writer (``io.tabular.text_cell``) gives it: a leading formula
character quoted away (``'=…``), ``true``/``false``, ISO dates, ``2026-11-26T12:00:00``, ``100`` for a whole
number and 15 significant digits otherwise, empty for NULL. The database then writes the CSV itself: DuckDB by
``COPY (SELECT …) TO`` a temporary file (its parameters bound like any statement's), PostgreSQL by ``COPY (SELECT …)
TO STDOUT`` through psycopg, read in chunks. Both quote as Python's ``csv`` module does (a field with a comma, a
quote or a line break); PostgreSQL ends rows with a bare line feed, which ``CrlfRows`` turns into the CSV's CRLF
outside quoted fields. XLSX needs typed cells, so ``row_batches`` hands out the typed rows in batches.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, BinaryIO

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Double,
    Label,
    Numeric,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    select,
    true,
)

from accompaniment.access import Actor
from accompaniment.store.database import Store
from accompaniment.store.export_queries import ExportColumn, entity_select

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # as io.tabular.FORMULA_TRIGGERS
BATCH_ROWS = 5_000
CHUNK_BYTES = 1 << 20


def _plain(column: ColumnElement[Any]) -> ColumnElement[Any]:
    return column.element if isinstance(column, Label) else column


def _reselect(query: Select, columns: Sequence[ColumnElement[Any]]) -> Select:
    """``query``'s rows (its FROM with its joins, WHERE and ORDER BY) with other ``columns``.

    ``with_only_columns`` would set the joins up again from the new columns' tables, which is ambiguous for a
    query joining a table twice; the final FROM list is already resolved.
    """
    reselected = select(*columns).select_from(*query.get_final_froms())
    if query.whereclause is not None:
        reselected = reselected.where(query.whereclause)
    return reselected.order_by(*query._order_by_clauses)  # noqa: SLF001 - the query's own ORDER BY, unchanged


def _translated(value: ColumnElement[Any], notes: Mapping[str, str]) -> ColumnElement[Any]:
    """A note that is a catalogue key (the starting record's phase notes) in the reader's language."""
    if not notes:
        return value
    return case({key: literal(text) for key, text in notes.items()}, value=value, else_=value)


def _neutralised(text: ColumnElement[Any]) -> ColumnElement[Any]:
    """``io.tabular.neutralise`` in SQL: a leading formula character gets a single-quote prefix."""
    return case((func.substr(text, 1, 1).in_(FORMULA_TRIGGERS), literal("'", String) + text), else_=text)


def _number_text(value: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """``text_cell`` of a float: a whole number without decimals, else 15 significant digits (``%.15g``)."""
    number = cast(value, Double)
    whole = cast(cast(number, BigInteger), String)
    if dialect == "duckdb":
        return case(
            (func.isnan(number), None),
            (and_(not_(func.isinf(number)), number == func.trunc(number)), whole),
            else_=func.printf("%.15g", number),
        )
    # PostgreSQL: float8 -> numeric keeps 15 significant digits (DBL_DIG), written without an exponent; %.15g
    # writes one below 1e-4, which to_char gives with 14 decimals to trim.
    scientific = func.regexp_replace(func.trim(func.to_char(number, "9.99999999999999EEEE")), r"\.?0+e", "e")
    return case(
        (number == cast(literal("NaN"), Double), None),
        (number == func.trunc(number), whole),
        (func.abs(number) < 1e-4, scientific),
        else_=cast(cast(number, Numeric), String),
    )


def _date_text(value: ColumnElement[Any], dialect: str, with_time: bool) -> ColumnElement[Any]:
    if dialect == "duckdb":
        return func.strftime(value, "%Y-%m-%dT%H:%M:%S" if with_time else "%Y-%m-%d")
    return func.to_char(value, 'YYYY-MM-DD"T"HH24:MI:SS' if with_time else "YYYY-MM-DD")


def _as_text(value: ColumnElement[Any], kind: str, dialect: str) -> ColumnElement[Any]:
    if kind == "boolean":
        return case((value == true(), "true"), (value == false(), "false"), else_=None)
    if kind == "integer":
        return cast(value, String)
    if kind == "number":
        return _number_text(value, dialect)
    if kind in ("date", "datetime"):
        return _date_text(value, dialect, with_time=kind == "datetime")
    return _neutralised(cast(value, String))


def text_select(
    query: Select, columns: Sequence[ExportColumn], dialect: str, notes: Mapping[str, str] | None = None
) -> Select:
    """``query`` with every column as its CSV text (NULL for an empty cell: both databases leave NULL unquoted)."""
    texts = []
    for column, selected in zip(columns, query.selected_columns, strict=True):
        value = _plain(selected)
        if column.name == "note":
            value = _translated(value, notes or {})
        texts.append(func.nullif(_as_text(value, column.type, dialect), "").label(column.name))
    return _reselect(query, texts)


def typed_select(
    query: Select, columns: Sequence[ExportColumn], notes: Mapping[str, str] | None = None
) -> Select:
    """``query`` with catalogue-key notes translated, values otherwise as stored (for XLSX cells)."""
    if not notes or "note" not in [c.name for c in columns]:
        return query
    selected = [
        _translated(_plain(c), notes).label("note") if column.name == "note" else c
        for column, c in zip(columns, query.selected_columns, strict=True)
    ]
    return _reselect(query, selected)


def _compiled(connection: Connection, query: Select) -> tuple[str, Any]:
    """The SQL text and bound parameters of ``query`` in the driver's own style (values never in the text)."""
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if connection.dialect.positional:
        return str(compiled), tuple(params[name] for name in compiled.positiontup or ())
    return str(compiled), params


class CrlfRows:
    """Turns the row ends of a CSV stream (a line feed outside quotes) into CRLF, as Python's csv writer ends them;
    a line break inside a quoted field stays as it is. Chunks may split anywhere: the quote state carries over."""

    def __init__(self) -> None:
        self.quoted = False

    def __call__(self, chunk: bytes) -> bytes:
        parts = chunk.split(b'"')
        for index, part in enumerate(parts):
            if index:
                self.quoted = not self.quoted
            if not self.quoted and b"\n" in part:
                parts[index] = part.replace(b"\n", b"\r\n")
        return b'"'.join(parts)


def copy_csv(
    store: Store,
    actor: Actor,
    name: str,
    out: BinaryIO,
    state_code: str | None = None,
    today: date | None = None,
    notes: Mapping[str, str] | None = None,
) -> tuple[ExportColumn, ...]:
    """Write entity ``name``'s rows (no header) to ``out`` as CSV, by the database's COPY. Returns its columns."""
    query, columns = entity_select(actor, name, today or store.today(), state_code)
    dialect = "duckdb" if store.is_duckdb else "postgresql"
    with store.read() as connection:
        sql, params = _compiled(connection, text_select(query, columns, dialect, notes))
        if store.is_duckdb:
            _duckdb_copy(connection, sql, params, out)
        else:
            _postgres_copy(connection, sql, params, out)
    return columns


def _duckdb_copy(connection: Connection, sql: str, params: Any, out: BinaryIO) -> None:
    folder = tempfile.mkdtemp(prefix="accompaniment-export-")
    path = os.path.join(folder, "rows.csv")
    try:
        target = path.replace("'", "''")  # our own temporary path, never a user's value
        copy = f"COPY ({sql}) TO '{target}' (FORMAT csv, HEADER false, NEW_LINE '\r\n', COMMENT '')"
        connection.exec_driver_sql(copy, params)
        with open(path, "rb") as written:
            shutil.copyfileobj(written, out, CHUNK_BYTES)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _postgres_copy(connection: Connection, sql: str, params: Any, out: BinaryIO) -> None:
    crlf = CrlfRows()
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params or None) as copy:
            for chunk in copy:
                out.write(crlf(bytes(chunk)))
    finally:
        cursor.close()


def row_batches(
    store: Store,
    actor: Actor,
    name: str,
    state_code: str | None = None,
    today: date | None = None,
    notes: Mapping[str, str] | None = None,
    size: int = BATCH_ROWS,
) -> tuple[tuple[ExportColumn, ...], Iterator[Sequence[tuple[Any, ...]]]]:
    """Entity ``name``'s columns, and its typed rows in batches of ``size`` (a server-side cursor on PostgreSQL;
    DuckDB fetches each batch from its own result). The permission check happens before this returns."""
    query, columns = entity_select(actor, name, today or store.today(), state_code)
    query = typed_select(query, columns, notes)

    def batches() -> Iterator[Sequence[tuple[Any, ...]]]:
        with store.read() as connection:
            result = connection.execution_options(yield_per=size).execute(query)
            for batch in result.partitions(size):
                yield [tuple(row) for row in batch]

    return columns, batches()
