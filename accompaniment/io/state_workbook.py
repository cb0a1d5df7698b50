"""A state's pre-filled milestone workbook (issue 20): what a secretariat downloads, fills in and sends back.

The first sheet lists the state's live milestones with their current progress, under the headers the importer
reads (``io.import_format``). The record key (state, plan number, commitment number, milestone number), the
milestone's description and its version are locked: the sheet is protected, and only progress, status, evidence
and the update's note are open to edit; the status cell offers the statuses as a drop-down list (data validation)
and progress takes a number from 0 to 100. A second sheet says how, in the user's language.

Uploaded, the workbook is a milestones import limited to updates of that state's milestones
(``importing.preview_import(..., updates_in=state)``): a row of another state, or a milestone the workbook did not
hold, is refused, and the updates go through ``update_milestone`` as the progress form's do. The protection has
no password: it keeps the keys from being edited by accident; the importer, not the sheet, is what enforces
the rules.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accompaniment import i18n
from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import MilestoneStatus
from accompaniment.io import import_format as fmt
from accompaniment.io.importing import ImportPreview, import_file
from accompaniment.io.tabular import neutralise
from accompaniment.store.database import Store
from accompaniment.store.export_queries import export_table
from accompaniment.store.imports import ImportKind, ImportResult
from accompaniment.store.secretariats import all_states

KIND = ImportKind.MILESTONES
LOCKED = ("state_code", "plan_number", "commitment_number", "number", "description", "due_date", "version")
OPEN = ("progress", "status", "evidence_url", "evidence_note", "note")
_OPEN_FILL = PatternFill("solid", fgColor="FFF7D6")  # the cells to fill in, as a person sees them at a glance


def file_name(state_code: str) -> str:
    return f"hitos_{state_code}.xlsx"


def state_workbook(store: Store, actor: Actor, state_code: str, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """The workbook of ``state_code``'s milestones, for someone allowed to update them (its own secretariat, the
    specialist, an admin); ``PermissionDenied`` otherwise."""
    require(actor, Action.WRITE_MILESTONE, state_code)
    table = export_table(store, actor, "milestone", state_code=state_code)
    names = table.column_names
    state_name = dict(zip(*(all_states(store, actor)[c] for c in ("code", "name")), strict=True))[state_code]
    columns = LOCKED + OPEN
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = i18n.t("roundtrip.workbook.sheet", lang)
    sheet.append([fmt.column_label(KIND, name, lang) for name in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in table.rows:
        row = dict(zip(names, values, strict=True))
        sheet.append([_cell(name, row, state_name, lang) for name in columns])
    last = max(sheet.max_row, 2)
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 48 if name in ("description", "evidence_note", "note") else 16
        if name in OPEN:
            for (cell,) in sheet[f"{letter}2:{letter}{last}"]:
                cell.protection = Protection(locked=False)
                cell.fill = _OPEN_FILL
    _validations(sheet, columns, last, lang)
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may still be changed
    _instructions(workbook, state_name, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(name: str, row: dict[str, Any], state_name: str, lang: str) -> Any:
    if name == "state_code":
        return state_name
    if name == "status":
        return i18n.t(f"enum.MilestoneStatus.{row['status']}", lang)
    if name == "progress":
        progress = float(row["progress"] or 0)
        return int(progress) if progress.is_integer() else progress
    if name == "note":
        return None
    value = row.get(name)
    return neutralise(value) if isinstance(value, str) else value


def _validations(sheet: Any, columns: tuple[str, ...], last: int, lang: str) -> None:
    status = get_column_letter(columns.index("status") + 1)
    labels = ",".join(i18n.t(f"enum.MilestoneStatus.{s.value}", lang) for s in MilestoneStatus)
    choices = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=False, showErrorMessage=True)
    choices.error = i18n.t("roundtrip.workbook.status_error", lang)
    choices.add(f"{status}2:{status}{last}")
    progress = get_column_letter(columns.index("progress") + 1)
    share = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="100", showErrorMessage=True
    )
    share.error = i18n.t("roundtrip.workbook.progress_error", lang)
    share.add(f"{progress}2:{progress}{last}")
    sheet.add_data_validation(choices)
    sheet.add_data_validation(share)


def _instructions(workbook: Workbook, state_name: str, lang: str) -> None:
    guide = workbook.create_sheet(i18n.t("roundtrip.workbook.guide", lang))
    guide.column_dimensions["A"].width = 110
    guide.append([i18n.t("roundtrip.workbook.title", lang, state=state_name)])
    guide["A1"].font = Font(bold=True, size=13)
    for number in range(1, 7):
        guide.append([i18n.t(f"roundtrip.workbook.step{number}", lang)])
    for (cell,) in guide.iter_rows(min_row=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def import_state_workbook(
    store: Store, actor: Actor, state_code: str, data: bytes, filename: str | None = None
) -> tuple[ImportPreview, ImportResult | None]:
    """Check a filled-in workbook of ``state_code`` and, if it has no problem, apply its updates (all or none)."""
    return import_file(store, actor, KIND, data, filename, updates_in=state_code)


def preview_state_workbook(
    store: Store, actor: Actor, state_code: str, data: bytes, filename: str | None = None
) -> ImportPreview:
    """The dry run of ``import_state_workbook``."""
    from accompaniment.io.importing import preview_import

    return preview_import(store, actor, KIND, data, filename, updates_in=state_code)
