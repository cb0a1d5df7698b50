"""One sheet row into the domain's input models, and every problem of its cells by column.

Cells are read by ``import_format``, then validated by the same input models the forms use (``domain.models``), so
an import says "Fecha: escriba una fecha válida" exactly as the form would. Columns that only a file has (the state
and plan of a commitment, the session of an agreement) are validated by small models built from the domain's types.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pydantic import Field

from accompaniment import i18n
from accompaniment.domain.enums import AgreementStatus, SessionType
from accompaniment.domain.errors import FieldProblem, ValidationError
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
from accompaniment.io.spreadsheet import UncomputedFormula
from accompaniment.store.imports import CommitmentRef, ImportKind, ImportRecord


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
        (MilestoneUpdateInput, ("progress", "status", "evidence_url", "evidence_note", "note")),
    ),
}
# placeholders for the references the store resolves (see ``store.imports.ImportRecord``)
_PLACEHOLDERS = {CommitmentInput: {"plan_id": 1}, MilestoneInput: {"commitment_id": 1}}

DATES = {"held_on", "session_held_on", "due_date", "closed_on", "start_date", "end_date", "completed_on"}
NUMBERS = {
    "consensus",
    "satisfaction",
    "hours",
    "plan_number",
    "number",
    "commitment_number",
    "commitment_plan_number",
    "weight",
    "progress",
    "id",
    "version",
}


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


class RowReader:
    """Turns one sheet row into model inputs, collecting the problems of each cell it cannot read."""

    def __init__(
        self,
        kind: ImportKind,
        states: dict[str, str],
        headers: dict[str, str],
        problems: list[ImportProblem],
        today: date,
    ) -> None:
        self.kind = kind
        self.states = states
        self.headers = headers  # column -> header as in the file
        self.problems = problems
        self.today = today  # the store's date: activity dates may be at most a year after it
        self.formulas: set[str] = set()  # this row's cells holding a formula without a value

    def problem(self, row: int, column: str, code: str, **params: Any) -> None:
        header = self.headers.get(column) or fmt.column_label(self.kind, column, "es")
        self.problems.append(ImportProblem(code, row, column, header, params))

    def parse(self, row: int, cells: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        grid: dict[str, dict[str, int]] = {}
        self.formulas: set[str] = set()
        for column, raw in cells.items():
            if isinstance(raw, UncomputedFormula):  # never read as empty: say what the cell holds
                self.problem(row, column, "formula_without_value", formula=raw.formula[:60])
                self.formulas.add(column)
                continue
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
        if column in DATES:
            return fmt.when(raw)
        if column in NUMBERS:
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
                models.append(validate(model, {**subset, **_PLACEHOLDERS.get(model, {})}, today=self.today))
            except ValidationError as exc:
                failed = True
                for problem in exc.problems:
                    if self._column(problem) not in self.formulas:  # already named as a formula
                        self.problem(row, self._column(problem), problem.code, **problem.params)
        if self.formulas:
            failed = True
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
        keys: dict[str, int] = {}
        for name in fmt.KEY_COLUMNS:
            if name in data:
                try:
                    number = float(data[name])
                except (TypeError, ValueError):
                    number = 0.5
                if not number.is_integer() or number < 1:
                    self.problem(row, name, "not_a_whole_number")
                    failed = True
                else:
                    keys[name] = int(number)
        if failed:
            return None
        record = self._build(row, models)
        return replace(
            record,
            record_id=keys.get("id"),
            version=keys.get("version"),
            columns=frozenset(self.headers),
        )

    def _column(self, problem: FieldProblem) -> str:
        name = problem.field.split(".")[0]
        if name == "participants":
            return next((c for c in self.headers if c.startswith("participants_")), "form")
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
