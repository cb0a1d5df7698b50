"""Writing rows to CSV and XLSX the way a spreadsheet user expects, safely.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula (OWASP's "CSV injection"); every text cell we write that begins so is prefixed with a
single quote, which the spreadsheet shows as text. Numbers, dates and booleans are written as such and never
prefixed. The importer removes that one quote again, so an exported file imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, here so that CSV writing never imports openpyxl
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def neutralise(text: str) -> str:
    """``text`` made safe to open in a spreadsheet: a leading formula character gets a single-quote prefix."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: drop the quote we put before a formula character, and only that quote."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False


def text_cell(value: Any) -> str:
    """A value as CSV text: empty for missing, ISO dates, true/false, plain numbers, neutralised text."""
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return text_cell(value.item())
    return neutralise(str(value))


def write_csv(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = True, delimiter: str = ","
) -> bytes:
    """UTF-8 CSV; ``excel`` adds the byte-order mark that makes Excel read the accents right."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([text_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig" if excel else "utf-8")


def csv_header(columns: Sequence[str], *, excel: bool = True) -> bytes:
    """The first bytes of ``write_csv``'s file: the byte-order mark (``excel``) and the header row."""
    return write_csv(columns, [], excel=excel)


def stream_csv_rows(out: BinaryIO, batches: Iterable[Iterable[Sequence[Any]]]) -> None:
    """``write_csv``'s rows (no header, no byte-order mark) written to ``out`` one batch at a time."""
    for batch in batches:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in batch:
            writer.writerow([text_cell(v) for v in row])
        out.write(buffer.getvalue().encode("utf-8"))


def _xlsx_value(value: Any) -> Any:
    if _missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """One workbook with a sheet per (title, columns, rows); bold header row, frozen below it."""
    buffer = io.BytesIO()
    stream_xlsx(buffer, sheets)
    return buffer.getvalue()


def stream_xlsx(out: BinaryIO, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """``write_xlsx`` into ``out``: openpyxl's write-only workbook takes the rows as they come (each sheet's
    cells go to a temporary file, not memory), so ``rows`` may be a generator over a database cursor."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        header = []
        for name in columns:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
    workbook.save(out)
