"""Import of sessions, workshops, agreements, commitments and milestones from CSV or XLSX files.

``preview_import`` is the dry run: it reads the file (``io.import_format``), validates every row with the domain's
input models, asks the store what each row would do (``store.imports.check_import``) and returns every problem
by row and column, in plain words from the catalogues, plus the rows to show. ``commit_preview`` then writes the
rows in one transaction (``store.imports.commit_import``, which repeats the checks), so a file goes in whole or
not at all. ``template`` gives the empty file to fill in, with the Spanish headers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import Field

from accompaniment import i18n
from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import AgreementStatus, SessionType
from accompaniment.domain.errors import AccompanimentError, FieldProblem, ValidationError
from accompaniment.domain.models import (
    MAX_COUNT,
    ActivityDate,
    AgreementInput,
    CommitmentInput,
    InputModel,
    MilestoneInput,
    MilestoneUpdateInput,
    OptionalPlannedDate,
    RequiredLongText,
    SessionInput,
    StateCode,
    WorkshopInput,
    validate,
)
from accompaniment.io import import_format as fmt
from accompaniment.io.tabular import write_csv, write_xlsx
from accompaniment.store.database import Store
from accompaniment.store.imports import (
    CommitmentRef,
    ImportCheck,
    ImportKind,
    ImportRecord,
    ImportResult,
    Outcome,
    check_import,
    commit_import,
)
from accompaniment.store.secretariats import all_states

Progress = Callable[[int, int, str], None]
KINDS: tuple[str, ...] = tuple(k.value for k in ImportKind)


# ---- problems ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One problem of a file: its row in the sheet (None for the whole file), the column as the file names it."""

    code: str
    row: int | None = None
    column: str | None = None
    header: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        key = (
            f"validation.{self.code}"
            if i18n.has(f"validation.{self.code}", lang)
            else f"io.problem.{self.code}"
        )
        label = self.header or i18n.t("io.problem.whole_row", lang)
        text = i18n.t(key, lang, field=label, **self.params)
        if self.row is not None:
            return i18n.t("validation.in_row", lang, row=self.row, message=text)
        return text


class ImportRejected(AccompanimentError):
    """The file has problems: nothing was written."""

    key = "io.import.rejected"


# ---- extra columns of each kind (references and states), validated like the domain's inputs --------------------


class _AgreementRow(InputModel):
    state_code: StateCode
    session_held_on: ActivityDate
    session_type: SessionType
    status: AgreementStatus = AgreementStatus.PENDING
    closed_on: OptionalPlannedDate = None
    commitment_plan_number: int | None = Field(default=None, ge=1, le=50)
    commitment_number: int | None = Field(default=None, ge=1, le=500)


class _CommitmentRow(InputModel):
    state_code: StateCode
    plan_number: int = Field(ge=1, le=50)


class _MilestoneRow(InputModel):
    state_code: StateCode
    plan_number: int = Field(ge=1, le=50)
    commitment_number: int | None = Field(default=None, ge=1, le=500)
    commitment_title: RequiredLongText | None = None
    completed_on: OptionalPlannedDate = None


# kind -> (model, its columns) in validation order; the first model is the record's ``values``
_MODELS: dict[ImportKind, tuple[tuple[type[InputModel], tuple[str, ...]], ...]] = {
    ImportKind.SESSIONS: (
        (
            SessionInput,
            (
                "state_code",
                "held_on",
                "session_type",
                "modality",
                "phase",
                "topics",
                "organizations",
                "consensus",
                "public_summary",
                "summary",
                "evidence_url",
                "participants",
            ),
        ),
    ),
    ImportKind.WORKSHOPS: (
        (
            WorkshopInput,
            (
                "state_code",
                "held_on",
                "title",
                "topic",
                "modality",
                "hours",
                "satisfaction",
                "public_summary",
                "notes",
                "evidence_url",
                "participants",
            ),
        ),
    ),
    ImportKind.AGREEMENTS: (
        (AgreementInput, ("text", "responsible_sector", "responsible_organization", "due_date")),
        (
            _AgreementRow,
            (
                "state_code",
                "session_held_on",
                "session_type",
                "status",
                "closed_on",
                "commitment_plan_number",
                "commitment_number",
            ),
        ),
    ),
    ImportKind.COMMITMENTS: (
        (
            CommitmentInput,
            (
                "number",
                "title",
                "public_problem",
                "objective",
                "lead_institution",
                "co_responsible",
                "start_date",
                "end_date",
                "proactive",
                "ogp_values",
                "sdg_targets",
            ),
        ),
        (_CommitmentRow, ("state_code", "plan_number")),
    ),
    ImportKind.MILESTONES: (
        (MilestoneInput, ("number", "description", "responsible", "due_date", "weight")),
        (
            _MilestoneRow,
            ("state_code", "plan_number", "commitment_number", "commitment_title", "completed_on"),
        ),
        (MilestoneUpdateInput, ("progress", "status", "evidence_url", "evidence_note")),
    ),
}
# placeholders for the references the store resolves (see ``store.imports.ImportRecord``)
_PLACEHOLDERS = {CommitmentInput: {"plan_id": 1}, MilestoneInput: {"commitment_id": 1}}

_DATES = {"held_on", "session_held_on", "due_date", "closed_on", "start_date", "end_date", "completed_on"}
_NUMBERS = {
    "consensus",
    "satisfaction",
    "hours",
    "plan_number",
    "number",
    "commitment_number",
    "commitment_plan_number",
    "weight",
    "progress",
}


# ---- the preview ---------------------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    """What a file would do: the rows read, their records, every problem and notice, the store's verdict."""

    kind: ImportKind
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


def _map_headers(kind: ImportKind, headers: list[str], preview: ImportPreview) -> dict[int, str]:
    aliases = fmt.header_aliases(kind)
    positions: dict[int, str] = {}
    for index, header in enumerate(headers):
        column = aliases.get(fmt.fold(header))
        if column is None:
            if header:
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


def _count(value: Any) -> tuple[int, tuple[str, dict[str, Any]] | None]:
    raw = fmt.number(value)
    if raw is None:
        return 0, None
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return 0, ("not_a_number", {})
    if not number.is_integer():
        return 0, ("not_a_whole_number", {})
    if number < 0:
        return 0, ("too_small", {"min": 0})
    if number > MAX_COUNT:
        return 0, ("too_large", {"max": MAX_COUNT})
    return int(number), None


class _RowReader:
    """Turns one sheet row into model inputs, collecting the problems of each cell it cannot read."""

    def __init__(self, kind: ImportKind, states: dict[str, str], preview: ImportPreview) -> None:
        self.kind = kind
        self.states = states
        self.preview = preview

    def problem(self, row: int, column: str, code: str, **params: Any) -> None:
        header = self.preview.headers.get(column) or fmt.column_label(self.kind, column, "es")
        self.preview.problems.append(ImportProblem(code, row, column, header, params))

    def parse(self, row: int, cells: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        grid: dict[str, dict[str, int]] = {}
        for column, raw in cells.items():
            if column.startswith("participants_"):
                count, bad = _count(raw)
                if bad:
                    self.problem(row, column, bad[0], **bad[1])
                elif count:
                    _, sector, gender = next(p for p in fmt.PARTICIPANT_FIELDS if p[0] == column)
                    grid.setdefault(sector.value, {})[gender.value] = count
                continue
            value = self.value(column, raw)
            if value is not None and value != []:
                data[column] = value
        if any(c.name.startswith("participants_") for c in fmt.COLUMNS[self.kind]):
            data["participants"] = grid
        return data

    def value(self, column: str, raw: Any) -> Any:
        if column == "state_code":
            folded = fmt.fold(raw) if fmt.text(raw) else ""
            return self.states.get(folded, fmt.text(raw))
        if column in _DATES:
            return fmt.when(raw)
        if column in _NUMBERS:
            return fmt.number(raw)
        if column == "status":
            return fmt.choice(raw, fmt.STATUS_ENUM[self.kind])
        if column in fmt.ENUMS and column != "ogp_values":
            return fmt.choice(raw, fmt.ENUMS[column])
        if column == "ogp_values":
            return [fmt.choice(item, fmt.ENUMS["ogp_values"]) for item in fmt.items(raw)]
        if column == "organizations":
            return fmt.items(raw)
        if column == "sdg_targets":
            return fmt.codes(raw)
        if column == "proactive":
            return fmt.flag(raw)
        return fmt.text(raw)

    def record(self, row: int, data: dict[str, Any]) -> ImportRecord | None:
        models: list[Any] = []
        failed = False
        for model, columns in _MODELS[self.kind]:
            subset = {c: data[c] for c in columns if c in data}
            if model is MilestoneUpdateInput and not subset:
                models.append(None)
                continue
            try:
                models.append(validate(model, {**subset, **_PLACEHOLDERS.get(model, {})}))
            except ValidationError as exc:
                failed = True
                for problem in exc.problems:
                    self.problem(row, self._column(problem), problem.code, **problem.params)
        if (
            self.kind == ImportKind.MILESTONES
            and "commitment_number" not in data
            and "commitment_title" not in data
        ):
            self.problem(row, "commitment_number", "required")
            failed = True
        if (
            self.kind == ImportKind.AGREEMENTS
            and "commitment_number" in data
            and "commitment_plan_number" not in data
        ):
            self.problem(row, "commitment_plan_number", "required")
            failed = True
        if failed:
            return None
        return self._build(row, models)

    def _column(self, problem: FieldProblem) -> str:
        name = problem.field.split(".")[0]
        if name == "participants":
            return next((c for c in self.preview.headers if c.startswith("participants_")), "form")
        if name == "form":
            return "form"
        return name

    def _build(self, row: int, models: list[Any]) -> ImportRecord:
        values = models[0]
        extra: dict[str, Any] = {}
        if self.kind in (ImportKind.SESSIONS, ImportKind.WORKSHOPS):
            extra["state_code"] = values.state_code
        elif self.kind == ImportKind.AGREEMENTS:
            ref: _AgreementRow = models[1]
            link = None
            if ref.commitment_number is not None:
                link = CommitmentRef(ref.state_code, ref.commitment_plan_number or 0, ref.commitment_number)
            extra.update(
                state_code=ref.state_code,
                session_held_on=ref.session_held_on,
                session_type=ref.session_type.value,
                commitment=link,
                agreement_status=ref.status,
                closed_on=ref.closed_on,
            )
        elif self.kind == ImportKind.COMMITMENTS:
            extra.update(state_code=models[1].state_code, plan_number=models[1].plan_number)
        else:
            ref_m: _MilestoneRow = models[1]
            state_now: MilestoneUpdateInput | None = models[2]
            if (
                state_now is not None
                and state_now.progress == 0
                and not state_now.has_evidence
                and state_now.status.value == "not_started"
            ):
                state_now = None
            extra.update(
                state_code=ref_m.state_code,
                plan_number=ref_m.plan_number,
                commitment=CommitmentRef(
                    ref_m.state_code,
                    ref_m.plan_number,
                    ref_m.commitment_number,
                    None if ref_m.commitment_number else ref_m.commitment_title,
                ),
                milestone_state=state_now,
                completed_on=ref_m.completed_on,
            )
        content = {
            "kind": self.kind.value,
            "models": [
                m.model_dump(mode="json", exclude=set(_PLACEHOLDERS.get(type(m), {})))
                if m is not None
                else None
                for m in models
            ],
        }
        digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return ImportRecord(row=row, content_hash=digest, values=values, **extra)


def preview_import(
    store: Store,
    actor: Actor,
    kind: ImportKind | str,
    data: bytes,
    filename: str | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """The dry run: read and check ``data`` as a file of ``kind``; nothing is written."""
    kind = ImportKind(kind)
    require(actor, Action.IMPORT_DATA)
    preview = ImportPreview(kind)
    say = progress or (lambda done, total, stage: None)
    try:
        table = fmt.read_table(data, filename)
    except fmt.FileProblem as exc:
        preview.problems.append(ImportProblem(exc.code, params=exc.params))
        return preview
    positions = _map_headers(kind, table.headers, preview)
    if preview.problems:
        return preview
    reader = _RowReader(kind, _state_lookup(store, actor), preview)
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
        preview.check = check_import(store, actor, kind, preview.records)
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
) -> tuple[ImportPreview, ImportResult | None]:
    """Dry run, then commit if there is no problem. Returns the preview and the result (None if rejected)."""
    preview = preview_import(store, actor, kind, data, filename, progress)
    if not preview.ok:
        return preview, None
    try:
        return preview, commit_preview(store, actor, preview, progress)
    except ImportRejected:
        return preview, None


# ---- templates -----------------------------------------------------------------------------------------------


def _accepted(kind: ImportKind, column: str, lang: str) -> str:
    if column == "status":
        enum_class = fmt.STATUS_ENUM[kind]
    else:
        enum_class = fmt.ENUMS.get(column)
    if enum_class is not None:
        labels = [i18n.t(f"enum.{enum_class.__name__}.{m.value}", lang) for m in enum_class]
        return "; ".join(labels)
    if column in _DATES:
        return i18n.t("io.template.date", lang)
    if column in _NUMBERS or column.startswith("participants_"):
        return i18n.t("io.template.number", lang)
    if column in ("organizations", "sdg_targets"):
        return i18n.t(f"io.template.{column}", lang)
    if column == "state_code":
        return i18n.t("io.template.state", lang)
    if column == "proactive":
        return i18n.t("io.template.yes_no", lang)
    return i18n.t("io.template.text", lang)


def template(kind: ImportKind | str, file_format: str, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """An empty file of ``kind`` with the Spanish headers; the XLSX adds a sheet explaining each column."""
    kind = ImportKind(kind)
    headers = [fmt.column_label(kind, c.name, "es") for c in fmt.COLUMNS[kind]]
    if file_format == "csv":
        return write_csv(headers, [])
    yes, no = i18n.t("common.yes", lang), i18n.t("common.no", lang)
    guide = [
        (fmt.column_label(kind, c.name, "es"), yes if c.required else no, _accepted(kind, c.name, lang))
        for c in fmt.COLUMNS[kind]
    ]
    guide_header = [
        i18n.t("io.template.column", lang),
        i18n.t("io.template.required", lang),
        i18n.t("io.template.accepted", lang),
    ]
    return write_xlsx(
        [
            (i18n.t(f"io.kind.{kind.value}", "es"), headers, []),
            (i18n.t("io.template.guide", lang), guide_header, guide),
        ]
    )
