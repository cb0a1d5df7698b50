"""Validated input models: every write to the store goes through one of these first.

Pydantic does the parsing; ``validate`` turns its errors into our ``ValidationError`` whose problems name the field
and a catalogue code, so the page can say "Fecha: no puede ser posterior a …" in the user's language.
Limits are module constants so the forms, the import templates and the tests share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from accompaniment.domain.enums import (
    AgreementStatus,
    Ambition,
    EarlyResults,
    Gender,
    MilestoneStatus,
    Modality,
    OgpValue,
    Phase,
    Role,
    Seat,
    Sector,
    SessionType,
)
from accompaniment.domain.errors import FieldProblem, ValidationError

EARLIEST_DATE = date(2010, 1, 1)
LATEST_PLANNED_DATE = date(2045, 12, 31)
ACTIVITY_MAX_DAYS_AHEAD = 0  # sessions, workshops and follow-ups are logged once held: no day after today
SHORT_TEXT = 300
LONG_TEXT = 5000
MAX_AGREEMENTS = 50
MAX_ORGANISATIONS = 100
MAX_COUNT = 100_000
MAX_ID = 2_147_483_647  # keys are 32-bit integers on both backends
STATE_CODE = re.compile(r"^(0[1-9]|[12][0-9]|3[0-2])$")
TARGET_CODE = re.compile(r"^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])$")
URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _clean_text(value: str) -> str:
    if _FORBIDDEN_CHARS.search(value):
        raise PydanticCustomError("bad_characters", "control characters")
    return value


def _url(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not URL.match(value):
        raise PydanticCustomError("not_a_url", "not a link")
    return value


def _state(value: str) -> str:
    if not STATE_CODE.match(value):
        raise PydanticCustomError("unknown_state", "unknown state")
    return value


def _in_range(value: date | None) -> date | None:
    if value is None:
        return None
    if value < EARLIEST_DATE:
        raise PydanticCustomError("date_too_early", "too early", {"min": EARLIEST_DATE})
    if value > LATEST_PLANNED_DATE:
        raise PydanticCustomError("date_too_late", "too late", {"max": LATEST_PLANNED_DATE})
    return value


def _activity_date(value: date, info: ValidationInfo) -> date:
    """Within the fixed range and, when the caller says what today is (``validate(..., today=)``), not after it:
    sessions and workshops are logged once held. Today comes from the caller's clock (the store's), never from
    here."""
    _in_range(value)
    today = (info.context or {}).get("today")
    if today is not None and value > today + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD):
        raise PydanticCustomError("date_in_future", "after today", {"max": today})
    return value


Text = Annotated[str, Field(min_length=1, max_length=SHORT_TEXT), AfterValidator(_clean_text)]
LongText = Annotated[str, Field(max_length=LONG_TEXT), AfterValidator(_clean_text)]
RequiredLongText = Annotated[str, Field(min_length=1, max_length=LONG_TEXT), AfterValidator(_clean_text)]
OptionalText = Annotated[
    str | None,
    Field(default=None, max_length=SHORT_TEXT),
    AfterValidator(lambda v: None if v in (None, "") else _clean_text(v)),
]
Url = Annotated[str | None, Field(default=None, max_length=2000), AfterValidator(_url)]
StateCode = Annotated[str, AfterValidator(_state)]
PlannedDate = Annotated[date, AfterValidator(_in_range)]
OptionalPlannedDate = Annotated[date | None, Field(default=None), AfterValidator(_in_range)]
ActivityDate = Annotated[date, AfterValidator(_activity_date)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=False)]
Rating = Annotated[int | None, Field(default=None, ge=1, le=5)]
ParticipantGrid = dict[Sector, dict[Gender, Count]]


class InputModel(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, frozen=True, extra="forbid", use_enum_values=False)


class _Participation(InputModel):
    participants: ParticipantGrid = Field(default_factory=dict)

    @property
    def participant_total(self) -> int:
        return sum(sum(by_gender.values()) for by_gender in self.participants.values())


class WorkshopInput(_Participation):
    state_code: StateCode
    held_on: ActivityDate
    title: Text
    topic: OptionalText = None
    modality: Modality = Modality.IN_PERSON
    hours: float = Field(default=2.0, gt=0, le=200)
    satisfaction: Rating = None
    public_summary: LongText = ""
    notes: LongText = ""
    evidence_url: Url = None


class AgreementTerms(InputModel):
    """What a session agreed: the text, who answers for it and by when. A new agreement and a correction of a
    stored one share these rules (lengths, sectors, the date range), so both refuse the same input."""

    text: RequiredLongText
    responsible_sector: Sector | None = None
    responsible_organization: OptionalText = None
    due_date: OptionalPlannedDate = None


class AgreementInput(AgreementTerms):
    commitment_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class AgreementCorrection(AgreementTerms):
    """A stored agreement's terms as they should read: every one is replaced (one left out is cleared). Its status
    and commitment link change through a follow-up (``AgreementStatusChange``), which keeps them in its history."""


class SessionInput(_Participation):
    state_code: StateCode
    held_on: ActivityDate
    session_type: SessionType
    modality: Modality = Modality.IN_PERSON
    phase: Phase | None = None
    topics: LongText = ""
    organizations: list[Text] = Field(default_factory=list, max_length=MAX_ORGANISATIONS)
    consensus: Rating = None
    public_summary: LongText = ""
    summary: LongText = ""
    evidence_url: Url = None
    agreements: list[AgreementInput] = Field(default_factory=list, max_length=MAX_AGREEMENTS)


class AgreementStatusChange(InputModel):
    status: AgreementStatus
    changed_on: ActivityDate
    note: LongText = ""
    commitment_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class MilestoneUpdateInput(InputModel):
    progress: float = Field(ge=0, le=100)
    status: MilestoneStatus
    evidence_url: Url = None
    evidence_note: LongText = ""
    note: LongText = ""

    @model_validator(mode="before")
    @classmethod
    def _complete_means_full(cls, data: Any) -> Any:
        # Before, not after: an after-validator's replacement copy is ignored by ``__init__``.
        if isinstance(data, dict) and str(data.get("status", "")).strip() == MilestoneStatus.COMPLETE:
            return {**data, "progress": 100.0}
        return data

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_url) or bool(self.evidence_note)


class PhaseChangeInput(InputModel):
    phase: Phase
    changed_on: ActivityDate
    note: LongText = ""


class AssessmentInput(InputModel):
    verifiable: bool | None = None
    ambition: Ambition | None = None
    early_results: EarlyResults | None = None


class ActionPlanInput(InputModel):
    state_code: StateCode
    number: int = Field(ge=1, le=50)
    period_start: OptionalPlannedDate = None
    period_end: OptionalPlannedDate = None
    published_on: OptionalPlannedDate = None
    link: Url = None

    @model_validator(mode="after")
    def _period_in_order(self) -> ActionPlanInput:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise PydanticCustomError("end_before_start", "end before start")
        return self


class CommitmentInput(InputModel):
    plan_id: int = Field(ge=1, le=MAX_ID)
    number: int | None = Field(default=None, ge=1, le=500)
    title: RequiredLongText
    public_problem: LongText = ""
    objective: LongText = ""
    lead_institution: OptionalText = None
    co_responsible: OptionalText = None
    start_date: OptionalPlannedDate = None
    end_date: OptionalPlannedDate = None
    proactive: bool = False
    ogp_values: list[OgpValue] = Field(default_factory=list, max_length=4)
    sdg_targets: list[str] = Field(default_factory=list, max_length=40)

    @field_validator("sdg_targets")
    @classmethod
    def _target_codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not TARGET_CODE.match(code):
                raise PydanticCustomError("unknown_target", "unknown target", {"value": code[:20]})
        return list(dict.fromkeys(codes))

    @field_validator("ogp_values")
    @classmethod
    def _unique_values(cls, values: list[OgpValue]) -> list[OgpValue]:
        return list(dict.fromkeys(values))

    @model_validator(mode="after")
    def _dates_in_order(self) -> CommitmentInput:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise PydanticCustomError("end_before_start", "end before start")
        return self


class MilestoneInput(InputModel):
    commitment_id: int = Field(ge=1, le=MAX_ID)
    number: int = Field(ge=1, le=500)
    description: RequiredLongText
    responsible: OptionalText = None
    due_date: OptionalPlannedDate = None
    weight: float = Field(default=1.0, ge=0, le=100)


class MemberInput(InputModel):
    state_code: StateCode
    organization: Text
    sector: Sector
    seat: Seat = Seat.TITULAR
    active_from: OptionalPlannedDate = None
    active_to: OptionalPlannedDate = None
    person_name: OptionalText = None
    person_email: OptionalText = None
    person_phone: OptionalText = None

    @field_validator("person_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not EMAIL.match(value):
            raise PydanticCustomError("not_an_email", "not an e-mail")
        return value


class UserInput(InputModel):
    username: Annotated[str, AfterValidator(lambda v: _username(v))]
    display_name: Text
    role: Role
    state_code: StateCode | None = None
    email: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _only_secretariats_have_a_state(cls, data: Any) -> Any:
        # Before, not after: an after-validator's replacement copy is ignored by ``__init__``.
        if isinstance(data, dict) and str(data.get("role", "")).strip() != Role.SECRETARIAT:
            return {**data, "state_code": None}
        return data

    @model_validator(mode="after")
    def _secretariat_has_a_state(self) -> UserInput:
        if self.role == Role.SECRETARIAT and not self.state_code:
            raise PydanticCustomError("state_required", "a secretariat needs a state")
        return self


def _username(value: str) -> str:
    if not USERNAME.match(value):
        raise PydanticCustomError("bad_username", "bad username")
    return value


MIN_PASSWORD_LENGTH = 12


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError.single("password", "password_too_short", min=MIN_PASSWORD_LENGTH)
    if len(password) > 256:
        raise ValidationError.single("password", "too_long", max=256)


_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_short": "required",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "greater_than_equal": "too_small",
    "greater_than": "too_small",
    "less_than_equal": "too_large",
    "less_than": "too_large",
    "int_parsing": "not_a_number",
    "int_type": "not_a_number",
    "int_from_float": "not_a_whole_number",
    "float_parsing": "not_a_number",
    "float_type": "not_a_number",
    "finite_number": "not_a_number",
    "date_parsing": "not_a_date",
    "date_type": "not_a_date",
    "date_from_datetime_parsing": "not_a_date",
    "date_from_datetime_inexact": "not_a_date",
    "enum": "not_an_option",
    "bool_parsing": "not_a_boolean",
    "bool_type": "not_a_boolean",
    "string_type": "not_text",
    "list_type": "not_a_list",
    "dict_type": "not_a_grid",
    "model_type": "not_a_record",
    "extra_forbidden": "unknown_field",
    "string_unicode": "bad_characters",
}

# Model-level problems have no location: name the first of these fields the model has.
_ROOT_FIELD = {
    "end_before_start": ("end_date", "period_end"),
    "state_required": ("state_code",),
}

M = TypeVar("M", bound=InputModel)


def _plain(value: Any) -> Any:
    """100.0 reads as 100 in a message."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _problem(error: dict[str, Any], fields: Iterable[str] = ()) -> FieldProblem:
    kind = error["type"]
    location = [str(part) for part in error.get("loc", ()) if not str(part).startswith("function-")]
    ctx = dict(error.get("ctx") or {})
    code = _PYDANTIC_CODES.get(kind, kind)
    params: dict[str, Any] = {}
    if code == "too_long":
        params["max"] = ctx.get("max_length", "")
    elif code == "too_many":
        params["max"] = ctx.get("max_length", "")
    elif code == "too_small":
        params["min"] = _plain(ctx.get("ge", ctx.get("gt", "")))
    elif code == "too_large":
        params["max"] = _plain(ctx.get("le", ctx.get("lt", "")))
    else:
        params = {k: v for k, v in ctx.items() if k in {"min", "max", "value"}}
    # Participant grids report sector/gender keys in the location; the field is the grid itself.
    if location and location[0] == "participants":
        location = ["participants"]
    root = next((name for name in _ROOT_FIELD.get(code, ()) if name in fields), "form")
    field_name = ".".join(location) if location else root
    if kind == "extra_forbidden":
        params["value"] = location[-1] if location else ""
    return FieldProblem(field_name, code, params)


def validate(model: type[M], data: dict[str, Any] | M, *, today: date | None = None) -> M:
    """Parse ``data`` into ``model`` or raise ``ValidationError`` naming every bad field.

    ``today`` is the date activity dates are checked against (none may be after it); the store passes
    its own clock's date. Without it only the fixed date range is checked. A value that already is a ``model`` is
    returned as it is when no ``today`` is given, and checked again against ``today`` when one is (whoever built it
    may not have known the store's date).
    """
    if isinstance(data, model):
        if today is None:
            return data
        data = data.model_dump()
    try:
        return model.model_validate(data, context={"today": today})
    except PydanticValidationError as exc:
        problems = []
        seen = set()
        for error in exc.errors(include_url=False, include_input=False):
            problem = _problem(error, model.model_fields)
            if (problem.field, problem.code) not in seen:
                seen.add((problem.field, problem.code))
                problems.append(problem)
        raise ValidationError(problems) from None


def coerce_date(value: Any) -> Any:
    """Accept dd/mm/aaaa as well as ISO dates (used by imports and forms)."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return value
    if isinstance(value, datetime):
        return value.date()
    return value
