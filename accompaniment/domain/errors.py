"""Typed errors with a message for a person, in the person's language.

The layer that knows what went wrong raises one of these with a catalogue key and parameters; the page that catches
it calls ``message(lang)`` and shows the text with ``st.error``. No page ever shows a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from accompaniment import i18n


class AccompanimentError(Exception):
    """Base of every error meant to be shown to a user."""

    key = "errors.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(self.message("es"))

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(self.key, lang, **self.params)


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field: ``code`` names the catalogue message under ``validation.``."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        label = field_label(self.field, lang)
        params = {name: _shown(value, lang) for name, value in self.params.items()}
        text = i18n.t(f"validation.{self.code}", lang, field=label, **params)
        if self.row is not None:
            return i18n.t("validation.in_row", lang, row=self.row, message=text)
        return text


def _shown(value: Any, lang: str) -> Any:
    """A date in a message reads as the interface writes dates ("2 dic 2026"), never as ISO."""
    if isinstance(value, date):
        return i18n.format_date(value, lang)
    return value


def field_label(name: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The human name of a field; nested names (``agreements.2.text``) read as 'Acuerdo 3: Texto', list items
    (``organizations.0``) as 'Organización 1'."""
    parts = name.split(".")
    if len(parts) == 2 and parts[1].isdigit():
        collection, index = parts
        return i18n.t(f"fields.{collection}_item", lang, number=int(index) + 1)
    if len(parts) == 3 and parts[1].isdigit():
        collection, index, leaf = parts
        item = i18n.t(f"fields.{collection}_item", lang, number=int(index) + 1)
        return f"{item}: {i18n.t(f'fields.{leaf}', lang)}"
    return i18n.t(f"fields.{parts[-1]}", lang)


class ValidationError(AccompanimentError):
    """Input that cannot be stored; ``problems`` names each field and what is wrong with it."""

    key = "errors.validation"

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__()

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return " ".join(problem.message(lang) for problem in self.problems)

    def for_field(self, name: str) -> list[FieldProblem]:
        return [p for p in self.problems if p.field == name or p.field.startswith(name + ".")]

    @classmethod
    def single(cls, field_name: str, code: str, **params: Any) -> ValidationError:
        return cls([FieldProblem(field_name, code, params)])


class PermissionDenied(AccompanimentError):
    key = "errors.permission_denied"


class NotFound(AccompanimentError):
    key = "errors.not_found"


class ConflictError(AccompanimentError):
    """Someone else saved the record first; ``current`` holds the values now stored, to show the user."""

    key = "errors.conflict"

    def __init__(self, current: dict[str, Any] | None = None, **params: Any) -> None:
        self.current = current or {}
        super().__init__(**params)


class StoreUnavailable(AccompanimentError):
    """The database cannot be opened (locked by another process, damaged, unreachable)."""

    key = "errors.store_unavailable"


class TransitionRefused(AccompanimentError):
    """A move of the reporting cycle that the report's status does not allow (a second submit, approving a draft,
    editing a submitted report); the message names the status and the move."""

    key = "reporting_store.errors.transition_refused"

    def __init__(self, status: str, move: str) -> None:
        super().__init__(status=status, move=move)

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(
            self.key,
            lang,
            status=i18n.t(f"reporting_store.status.{self.params['status']}", lang),
            move=i18n.t(f"reporting_store.move.{self.params['move']}", lang),
        )


class EvidenceRefused(AccompanimentError):
    """An evidence file that cannot be kept (its type, size, emptiness or name); the message names the file."""

    key = "reporting_store.errors.file_refused"


class EvidenceCorrupted(AccompanimentError):
    """A stored evidence file whose bytes no longer match its SHA-256, or that is missing: reported, never served."""

    key = "reporting_store.errors.file_corrupted"
