"""What every write form of the logging work shares: one store call in a submit callback, and its outcome shown
where the person is looking when the page redraws.

``submit`` runs the write (one store call, one transaction) inside the form's callback, before the page redraws,
so a rerun started meanwhile cannot cut it in half. It remembers the outcome under the form's key: a confirmation
(shown once), a validation error (each problem shown under its field by ``problems``, the rest above the form),
or a conflict, shown with the values now stored and a button that applies the person's input, which the form kept,
over that newer version. The read caches are cleared after every successful write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment import i18n
from accompaniment.domain.errors import AccompanimentError, ConflictError, ValidationError, field_label
from accompaniment.ui.context import clear_read_caches, current_lang, label, show_error, t

Write = Callable[[int | None], Any]


@dataclass(frozen=True)
class Done:
    message_key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    error: ConflictError
    write: Write
    done: Done
    on_success: Callable[[], None] | None


def _key(form: str) -> str:
    return f"{form}__outcome"


def submit(
    form: str, write: Write, version: int | None, done: Done, on_success: Callable[[], None] | None = None
) -> bool:
    """Run ``write(version)``; remember the outcome for ``form``; True when it was saved."""
    try:
        write(version)
    except ConflictError as exc:
        st.session_state[_key(form)] = Conflict(exc, write, done, on_success)
        return False
    except AccompanimentError as exc:
        st.session_state[_key(form)] = exc
        return False
    clear_read_caches()
    st.session_state[_key(form)] = done
    if on_success is not None:
        on_success()
    return True


def forgetting(keys: Sequence[str]) -> Callable[[], None]:
    """A success hook that drops the form's keyed values, so the form starts again from what is now stored."""

    def forget() -> None:
        for name in keys:
            st.session_state.pop(name, None)

    return forget


def remember(form: str, outcome: AccompanimentError | Done | None) -> None:
    """Set (or, with None, clear) what ``form`` shows next, e.g. a check made before any write."""
    if outcome is None:
        st.session_state.pop(_key(form), None)
    else:
        st.session_state[_key(form)] = outcome


def error(form: str) -> AccompanimentError | None:
    outcome = st.session_state.get(_key(form))
    if isinstance(outcome, Conflict):
        return outcome.error
    return outcome if isinstance(outcome, AccompanimentError) else None


def show(
    form: str,
    fields: Sequence[str] = (),
    enums: Mapping[str, str] | None = None,
    stored: Sequence[str] | None = None,
) -> None:
    """Above the form: the confirmation (once), the error, or the conflict with the values now stored of
    ``stored`` (by default ``fields``; ``enums`` names the vocabulary of coded ones).

    Validation problems of ``fields`` are left for ``problems`` to show under each field.
    """
    outcome = st.session_state.get(_key(form))
    if isinstance(outcome, Done):
        st.session_state.pop(_key(form))
        st.success(t(outcome.message_key, **outcome.params), icon=":material/check_circle:")
    elif isinstance(outcome, Conflict):
        _conflict(form, outcome, fields if stored is None else stored, enums or {})
    elif isinstance(outcome, ValidationError):
        st.error(t("errors.validation"), icon=":material/error:")
        others = [
            p
            for p in outcome.problems
            if not any(p.field == f or p.field.startswith(f + ".") for f in fields)
        ]
        if others:
            show_error(ValidationError(others))
    elif isinstance(outcome, AccompanimentError):
        show_error(outcome)


def problems(form: str, name: str) -> None:
    """Under one field: what is wrong with it, naming it (nothing when all is well)."""
    found = error(form)
    if isinstance(found, ValidationError):
        lang = current_lang()
        for problem in found.for_field(name):
            st.error(problem.message(lang), icon=":material/error:")


def _conflict(form: str, outcome: Conflict, fields: Sequence[str], enums: Mapping[str, str]) -> None:
    st.error(outcome.error.message(current_lang()), icon=":material/sync_problem:")
    current = outcome.error.current
    rows = [
        (field_label(name, current_lang()), _shown(current.get(name), enums.get(name)))
        for name in fields
        if name in current
    ]
    if rows:
        st.caption(t("form_outcome.current_values"))
        st.table(
            pd.DataFrame(rows, columns=[t("form_outcome.field"), t("form_outcome.stored")]), hide_index=True
        )
    version = current.get("version")
    st.button(
        t("form_outcome.reapply"),
        key=f"{form}__reapply",
        icon=":material/published_with_changes:",
        help=t("form_outcome.reapply_help"),
        on_click=submit,
        args=(form, outcome.write, version, outcome.done, outcome.on_success),
    )


def _shown(value: Any, enum_name: str | None) -> str:
    lang = current_lang()
    if value is None or value == "":
        return t("common.none")
    if enum_name:
        return label(enum_name, value)
    if isinstance(value, bool):
        return t("common.yes") if value else t("common.no")
    if isinstance(value, (date, datetime)):
        return i18n.format_date(value, lang)
    if isinstance(value, float):
        return i18n.format_number(value, lang, 0 if value.is_integer() else 1)
    return str(value)
