"""Reading a spreadsheet as a state office sends it: XLSX, or CSV in UTF-8 (with or without a byte-order mark),
UTF-16 (with one) or Windows Latin-1 (cp1252), separated by commas, semicolons or tabs.

Blank rows are skipped; each row keeps its number as the spreadsheet shows it (the header is row 1 when it is the
first line), so problems can point at the row a person sees. A file that cannot be read at all raises
``FileProblem`` with the catalogue code (under ``io.problem``) of what to do about it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import zip_longest
from typing import Any

MAX_ROWS = 50_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FileProblem(Exception):
    """The file as a whole cannot be read: ``code`` names the message under ``io.problem``."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


class UncomputedFormula:
    """A cell holding a formula but no stored result (a file written by a program that does not compute formulas):
    reported as such, never read as empty."""

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __repr__(self) -> str:
        return f"UncomputedFormula({self.formula!r})"


@dataclass(frozen=True)
class RawTable:
    """A sheet as read: headers as written, and the non-empty rows with their row number in the sheet."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    header_row: int = 1  # the sheet row the headers were read from


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
    first, _, rest = text.partition("\n")
    directive = re.fullmatch(r"\s*sep=(.)\s*", first)
    if directive:  # Excel's "sep=;" line names the delimiter; the headers follow on line 2
        reader = csv.reader(io.StringIO(rest, newline=""), delimiter=directive.group(1))
        return _table(enumerate(reader, start=2))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return _table(enumerate(reader, start=1))


def read_xlsx(data: bytes) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any damage reads as "not a spreadsheet we can open"
        raise FileProblem("bad_xlsx") from exc
    try:
        values = workbook.worksheets[0].iter_rows(values_only=True)
        written = formulas.worksheets[0].iter_rows(values_only=True)
        rows = (
            (number, [_cell(v, f) for v, f in zip_longest(cached, raw)])
            for number, (cached, raw) in enumerate(zip_longest(values, written, fillvalue=()), start=1)
        )
        return _table(rows)
    finally:
        workbook.close()
        formulas.close()


def _cell(value: Any, written: Any = None) -> Any:
    if value is None and isinstance(written, str) and written.startswith("="):
        return UncomputedFormula(written)
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(rows: Any) -> RawTable:
    headers: list[str] | None = None
    header_row = 1
    body: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        cells = list(values)
        if all(blank(v) for v in cells):
            continue
        if headers is None:
            headers = ["" if v is None else str(v).strip() for v in cells]
            header_row = number
            continue
        body.append((number, cells))
        if len(body) > MAX_ROWS:
            raise FileProblem("too_many_rows", max=MAX_ROWS)
    if headers is None:
        raise FileProblem("empty_file")
    if not body:
        raise FileProblem("no_rows")
    return RawTable(headers, body, header_row)


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
