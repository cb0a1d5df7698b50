"""The Bitácora's entry form: log (or edit) a dialogue session with its agreements, or a workshop.

Every field is a keyed widget inside one ``st.form`` that is not cleared on submit, so what the person typed stays
after a refused save. The save runs in the submit callback as one store call (``log_session`` writes the session,
its participants, organisations and agreements in one transaction); the widget values become input values through
the pure helpers of ``accompaniment.domain.grid``. A likely duplicate (same state, date and type) is saved only
after an explicit confirmation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.access import Action, allowed
from accompaniment.domain import grid
from accompaniment.domain.enums import Modality, Phase, SessionType
from accompaniment.domain.errors import AccompanimentError
from accompaniment.domain.models import (
    EARLIEST_DATE,
    LATEST_PLANNED_DATE,
    SessionInput,
    validate,
)
from accompaniment.store import activity
from accompaniment.ui import cached, form_outcome, present
from accompaniment.ui.context import current_actor, get_store, label, t

SESSION, WORKSHOP = "session", "workshop"
FORM = "logbook_entry"
KIND = "logbook_kind"
EDITING = "logbook_editing"  # {"kind", "id", "version", "agreements"} while a stored entry is open
DUPLICATE = "logbook_duplicate"  # {"cell": (state, date, type), "count": n} while a likely duplicate waits
CONFIRM = "logbook_confirm_duplicate"
TAB = "logbook_tab"
AGREEMENTS = "logbook_agreements"
RATINGS = [None, 1, 2, 3, 4, 5]
FIELDS = {
    SESSION: (
        "state_code",
        "held_on",
        "session_type",
        "modality",
        "phase",
        "topics",
        "participants",
        "organizations",
        "consensus",
        "public_summary",
        "summary",
        "evidence_url",
        "agreements",
    ),
    WORKSHOP: (
        "state_code",
        "held_on",
        "title",
        "topic",
        "modality",
        "hours",
        "satisfaction",
        "participants",
        "public_summary",
        "notes",
        "evidence_url",
    ),
}
ENUMS = {"session_type": "SessionType", "modality": "Modality", "phase": "Phase"}
GENERATION = (
    "logbook_form_generation"  # bumped by every reset: the agreements grid is then a new, empty widget
)
# What every widget of the form holds when it starts empty. Each one is set (not just forgotten) on a reset: a
# widget whose state is only deleted keeps showing, and sending, what the browser last had in it.
DEFAULTS: dict[str, Any] = {
    "state_code": None,
    "session_type": None,
    "modality": Modality.IN_PERSON.value,
    "phase": None,
    "consensus": None,
    "satisfaction": None,
    "hours": 2.0,
    "title": "",
    "topic": "",
    "topics": "",
    "public_summary": "",
    "summary": "",
    "notes": "",
    "evidence_url": "",
    "organizations": "",
}


def key(name: str) -> str:
    return f"logbook_{name}"


def cell_key(sector: str, gender: str) -> str:
    return f"logbook_p_{sector}_{gender}"


def agreements_key() -> str:
    """The key of the agreements grid now shown; a data editor's edits cannot be set back, only replaced."""
    return f"{AGREEMENTS}_{st.session_state.get(GENERATION, 0)}"


def require_writer() -> None:
    """Stop the page for anyone who may not log activity. Navigation already hides it; this is the backstop."""
    if not allowed(current_actor(), Action.WRITE_ACTIVITY):
        st.error(t("logbook.denied"))
        st.stop()


def tab_labels() -> list[str]:
    return [t("logbook.tab.entry"), t("logbook.tab.recent"), t("logbook.tab.agreements")]


def state_names() -> dict[str, str]:
    states = cached.programme_states(*cached.viewer())
    return dict(zip(states["state_code"], states["state_name"], strict=True))


# ---- the form ------------------------------------------------------------------------------------------------------


def entry_form() -> None:
    editing = st.session_state.get(EDITING)
    _set_defaults()
    names = state_names()
    if editing:
        kind = editing["kind"]
        st.info(t(f"logbook.editing.{kind}", number=editing["id"]), icon=":material/edit:")
        st.button(t("logbook.editing.new"), key="logbook_new", on_click=reset_form, icon=":material/add:")
    else:
        # Labels computed now, not in a lambda, here and in every choice below: AppTest formats a chosen option
        # outside the run, where the language is unknown.
        kinds = {k: t(f"activity_kind.{k}") for k in (SESSION, WORKSHOP)}
        kind = st.radio(
            t("logbook.kind"), list(kinds), key=KIND, horizontal=True, format_func=kinds.__getitem__
        )
    form_outcome.show(FORM, FIELDS[kind], ENUMS, stored=FIELDS[kind][1:])  # a bare state code says little
    duplicate = st.session_state.get(DUPLICATE)
    if duplicate and kind == SESSION:
        st.warning(t("logbook.duplicate.warning", count=duplicate["count"]), icon=":material/content_copy:")
    with st.form(FORM, clear_on_submit=False, enter_to_submit=False):
        _what_and_when(kind, names)
        _participants()
        if kind == SESSION:
            _field(
                st.text_area,
                "organizations",
                t("logbook.form.organizations"),
                help=t("logbook.form.organizations_help"),
            )
        _texts(kind)
        if kind == SESSION:
            _agreements_editor(editing)
        if duplicate and kind == SESSION:
            st.checkbox(t("logbook.duplicate.confirm"), key=CONFIRM)
        st.form_submit_button(
            t(f"logbook.save.{kind}"),
            on_click=_save,
            args=(kind, names),
            key="logbook_save",
            type="primary",
            icon=":material/save:",
        )


def _set_defaults() -> None:
    for name, value in {**DEFAULTS, "held_on": date.today()}.items():
        st.session_state.setdefault(key(name), value)
    for sector in grid.SECTORS:
        for gender in grid.GENDERS:
            st.session_state.setdefault(cell_key(sector.value, gender.value), 0)
    st.session_state.setdefault(KIND, SESSION)


def _field(widget: Any, name: str, title: str, **options: Any) -> None:
    """One labelled widget keyed ``logbook_<name>``, with its problems (if any) right under it."""
    widget(title, key=key(name), **options)
    form_outcome.problems(FORM, name)


def _what_and_when(kind: str, names: dict[str, str]) -> None:
    chosen = st.session_state.get(key("state_code"))
    places = {**names, **({chosen: chosen} if chosen and chosen not in names else {})}
    types = {s.value: label("SessionType", s) for s in SessionType}
    modalities = {m.value: label("Modality", m) for m in Modality}
    phases = {None: t("logbook.form.not_given")} | {int(p): label("Phase", p) for p in Phase}
    first, second, third = st.columns(3)
    with first:
        _field(
            st.selectbox,
            "state_code",
            t("fields.state_code"),
            options=list(places),
            format_func=places.__getitem__,
            placeholder=t("logbook.form.choose_state"),
        )
    with second:
        _field(
            st.date_input,
            "held_on",
            t("fields.held_on"),
            min_value=EARLIEST_DATE,
            max_value=LATEST_PLANNED_DATE,
            format="DD/MM/YYYY",
        )
    with third:
        if kind == SESSION:
            _field(
                st.selectbox,
                "session_type",
                t("fields.session_type"),
                options=list(types),
                format_func=types.__getitem__,
                placeholder=t("logbook.form.choose_type"),
            )
        else:
            _field(st.text_input, "title", t("fields.title"))
    first, second, third = st.columns(3)
    with first:
        _field(
            st.selectbox,
            "modality",
            t("fields.modality"),
            options=list(modalities),
            format_func=modalities.__getitem__,
        )
    with second:
        if kind == SESSION:
            _field(
                st.selectbox,
                "phase",
                t("logbook.form.phase"),
                options=list(phases),
                format_func=phases.__getitem__,
                placeholder=t("logbook.form.not_given"),
            )  # a None value shows the placeholder
        else:
            _field(st.text_input, "topic", t("fields.topic"))
    with third:
        if kind == SESSION:
            _rating("consensus", t("fields.consensus"), t("logbook.form.consensus_help"))
        else:
            _field(st.number_input, "hours", t("fields.hours"), step=0.5)
    if kind == SESSION:
        _field(st.text_area, "topics", t("fields.topics"), height=80)
    else:
        _rating("satisfaction", t("fields.satisfaction"), t("logbook.form.satisfaction_help"))


def _rating(name: str, title: str, help_text: str) -> None:
    ratings = {
        r: t("logbook.form.not_rated") if r is None else t("logbook.form.rating", value=r) for r in RATINGS
    }
    _field(
        st.selectbox,
        name,
        title,
        options=list(ratings),
        help=help_text,
        format_func=ratings.__getitem__,
        placeholder=t("logbook.form.not_rated"),
    )  # a None value shows the placeholder


def _participants() -> None:
    st.markdown(f"**{t('fields.participants')}**")
    cells = {}
    for sector in grid.SECTORS:
        for column, gender in zip(st.columns(len(grid.GENDERS)), grid.GENDERS, strict=True):
            name = cell_key(sector.value, gender.value)
            title = t("logbook.form.cell", sector=label("Sector", sector), gender=label("Gender", gender))
            # No bounds in the widget: the browser would refuse them in English and block the save without a word;
            # the store's check names the field in the person's language.
            column.number_input(title, step=1, key=name)
            cells[(sector.value, gender.value)] = st.session_state.get(name)
    form_outcome.problems(FORM, "participants")
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(t("logbook.form.total", total=grid.grid_total(cells)))
    with right:
        st.form_submit_button(
            t("logbook.form.recalculate"), key="logbook_recalculate", icon=":material/calculate:"
        )


def _texts(kind: str) -> None:
    private = "summary" if kind == SESSION else "notes"
    left, right = st.columns(2)
    with left:
        _field(st.text_area, "public_summary", t("fields.public_summary"), help=t("logbook.form.public_help"))
    with right:
        _field(
            st.text_area,
            private,
            t(f"fields.{private}"),
            help=t("logbook.form.private_help"),
        )
    _field(
        st.text_input,
        "evidence_url",
        t("fields.evidence_url"),
        placeholder=t("logbook.form.url_placeholder"),
    )


def _agreements_editor(editing: dict[str, Any] | None) -> None:
    st.markdown(f"**{t('fields.agreements')}**")
    if editing and editing.get("agreements"):
        st.caption(t("logbook.agreements.existing"))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("fields.text"): a["text"],
                        t("fields.responsible_sector"): label("Sector", a["responsible_sector"])
                        if a["responsible_sector"]
                        else t("common.none"),
                        t("fields.due_date"): a["due_date"],
                        t("fields.status"): label("AgreementStatus", a["status"]),
                    }
                    for a in editing["agreements"]
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    st.caption(t("logbook.agreements.help"))
    empty = pd.DataFrame({column: pd.Series([], dtype="object") for column in grid.AGREEMENT_COLUMNS})
    sectors = {s.value: label("Sector", s) for s in grid.SECTORS}
    st.data_editor(
        empty,
        key=agreements_key(),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        alt=t("logbook.agreements.alt"),
        column_config={
            "text": st.column_config.TextColumn(t("fields.text"), width="large"),
            "responsible_sector": st.column_config.SelectboxColumn(
                t("fields.responsible_sector"), options=list(sectors), format_func=sectors.__getitem__
            ),
            "responsible_organization": st.column_config.TextColumn(t("fields.responsible_organization")),
            "due_date": st.column_config.DateColumn(
                t("fields.due_date"),
                format="DD/MM/YYYY",
                min_value=EARLIEST_DATE,
                max_value=LATEST_PLANNED_DATE,
            ),
        },
    )
    form_outcome.problems(FORM, "agreements")


# ---- reading the form and saving -----------------------------------------------------------------------------------


def entry_values(kind: str) -> dict[str, Any]:
    """What the form holds, as the input the store validates. Unset values are left out, so a missing state or
    type reads "este dato es obligatorio" rather than a type error."""
    s = st.session_state
    private = "summary" if kind == SESSION else "notes"
    names = ["state_code", "held_on", "modality", "public_summary", private, "evidence_url"]
    names += (
        ["session_type", "phase", "topics", "consensus"]
        if kind == SESSION
        else ["title", "topic", "hours", "satisfaction"]
    )
    values = {name: s.get(key(name)) for name in names}
    cells = {
        (sec.value, gen.value): s.get(cell_key(sec.value, gen.value))
        for sec in grid.SECTORS
        for gen in grid.GENDERS
    }
    values["participants"] = grid.nest_counts(cells)
    if kind == SESSION:
        values["organizations"] = grid.organisation_names(s.get(key("organizations")))
        values["agreements"] = grid.agreement_records(grid.apply_editor_state([], s.get(agreements_key())))
    return {name: value for name, value in values.items() if value is not None and value != ""}


def _save(kind: str, names: dict[str, str]) -> None:
    editing = st.session_state.get(EDITING)
    values = entry_values(kind)
    if kind == SESSION and _waits_for_confirmation(values, editing):
        return
    done = form_outcome.Done(
        f"logbook.saved.{kind}",
        {
            "state": names.get(values.get("state_code"), ""),
            "date": present.day(values.get("held_on")),
            "agreements": len(values.get("agreements", [])),
        },
    )
    version = editing["version"] if editing else None
    form_outcome.submit(FORM, _writer(kind, editing, values), version, done, on_success=reset_form)


def _writer(kind: str, editing: dict[str, Any] | None, values: dict[str, Any]) -> form_outcome.Write:
    """The one store call that saves the entry: a new one, or the opened one at the version given."""
    store, actor = get_store(), current_actor()
    if editing:
        edit = activity.edit_session if kind == SESSION else activity.edit_workshop
        return lambda version: edit(store, actor, editing["id"], version, values)
    log = activity.log_session if kind == SESSION else activity.log_workshop
    return lambda _version: log(store, actor, values)


def _waits_for_confirmation(values: dict[str, Any], editing: dict[str, Any] | None) -> bool:
    """True (and the warning set) when a session with the same state, date and type is stored and the person has
    not yet confirmed this is another one."""
    try:
        data = validate(SessionInput, values, today=get_store().today())
        found = activity.likely_duplicates(
            get_store(), current_actor(), data.state_code, data.held_on, data.session_type.value
        )
    except AccompanimentError as exc:  # a validation error, or a permission refused
        form_outcome.remember(FORM, exc)
        return True
    others = [i for i in found if not editing or i != editing["id"]]
    cell = (data.state_code, data.held_on.isoformat(), data.session_type.value)
    pending = st.session_state.get(DUPLICATE)
    if not others or (pending and pending["cell"] == cell and st.session_state.get(CONFIRM)):
        return False
    st.session_state[DUPLICATE] = {"cell": cell, "count": len(others)}
    form_outcome.remember(FORM, None)
    return True


def reset_form() -> None:
    """An empty form for the next entry (after a save, or when leaving an opened entry): every widget is set to
    its starting value and the agreements grid is replaced by a new, empty one."""
    for name, value in {**DEFAULTS, "held_on": date.today()}.items():
        st.session_state[key(name)] = value
    for sector in grid.SECTORS:
        for gender in grid.GENDERS:
            st.session_state[cell_key(sector.value, gender.value)] = 0
    st.session_state.pop(agreements_key(), None)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    for name in (EDITING, DUPLICATE, CONFIRM):
        st.session_state.pop(name, None)


def open_entry(kind: str, entry_id: int) -> None:
    """Fill the form with a stored entry (read fresh, with its current version) and show the form's tab."""
    store, actor = get_store(), current_actor()
    try:
        stored = (activity.get_session if kind == SESSION else activity.get_workshop)(store, actor, entry_id)
    except AccompanimentError as exc:
        form_outcome.remember("logbook_recent", exc)
        return
    reset_form()
    form_outcome.remember(FORM, None)
    for name in FIELDS[kind]:
        if name in stored and name not in ("participants", "organizations", "agreements"):
            st.session_state[key(name)] = stored[name] if stored[name] is not None else DEFAULTS.get(name, "")
    for (sector, gender), count in grid.flatten_counts(stored.get("participants")).items():
        st.session_state[cell_key(sector, gender)] = count
    if kind == SESSION:
        st.session_state[key("organizations")] = "\n".join(stored.get("organizations", []))
    st.session_state[KIND] = kind
    st.session_state[EDITING] = {
        "kind": kind,
        "id": entry_id,
        "version": stored["version"],
        "agreements": stored.get("agreements", []),
    }
    st.session_state[TAB] = tab_labels()[0]
