"""Secretariado's "Pendientes": what one STL has overdue or due soon (milestones, then open agreements, each named
with the days it is overdue) and, for those who may update the state's milestones, a picker of the pending
milestones with the milestone update form (``milestone_forms.update_form``) beside the lists.

It is the first tab a secretariat lands on (issue 21, item 8): the form sits beside the lists, not under them, so
it is in view without scrolling. The store's rule decides who may write; the form's absence is a courtesy.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.store import pending as pending_store
from accompaniment.store.pending import PendingItems
from accompaniment.ui import cached, form_outcome, milestone_forms, present, widgets
from accompaniment.ui.context import current_actor, get_store, t

DONE_ICON = ":material/check_circle:"


@cached.read_cache(max_entries=256)
def items(role: str, actor_state: str | None, state_code: str) -> PendingItems:
    """The state's pending items (cached per viewer, cleared on every write)."""
    viewer = Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")
    return pending_store.pending_items(get_store(), viewer, state_code)


def may_update(state_code: str) -> bool:
    """Whether the viewer may update this state's milestones: then "Pendientes" is where Secretariado opens."""
    return allowed(current_actor(), Action.WRITE_MILESTONE, state_code)


def situation(days_overdue: Any) -> str:
    """ "Vencido hace 12 días", "Vence hoy", "Vence en 5 días" (``days_overdue`` negative: days left)."""
    if present.missing(days_overdue):
        return t("secretariat.pending.no_due_date")
    days = int(days_overdue)
    if days > 0:
        return t(
            "secretariat.pending.overdue_by_one" if days == 1 else "secretariat.pending.overdue_by", days=days
        )
    if days == 0:
        return t("secretariat.pending.due_today")
    return t("secretariat.pending.due_in_one" if days == -1 else "secretariat.pending.due_in", days=-days)


def render(state_code: str) -> None:
    """The tab's content: a one-line count, the lists, and (for those allowed) the update form beside them."""
    found = items(*cached.viewer(), state_code)
    st.markdown(
        t(
            "secretariat.pending.summary",
            overdue=present.number(found.overdue_milestones),
            soon=present.number(found.due_soon_milestones),
            days=found.soon_days,
            agreements_overdue=present.number(found.overdue_agreements),
            agreements_open=present.number(found.open_agreements),
        )
    )
    if not may_update(state_code):
        left, right = st.columns(2)
        with left:
            _milestone_list(found)
        with right:
            _agreement_list(found)
        return
    left, right = st.columns([5, 4], gap="large")
    with left:
        _milestone_list(found)
        _agreement_list(found)
    with right:
        _update(found, state_code)


def _milestone_list(found: PendingItems) -> None:
    st.markdown(f"##### {t('secretariat.pending.milestones')}")
    if found.milestones.empty:
        st.success(t("secretariat.pending.no_milestones", days=found.soon_days), icon=DONE_ICON)
        return
    rows = found.milestones.copy()
    rows["status_text"] = [situation(v) for v in rows["days_overdue"]]
    rows["title_text"] = [_commitment(r) for r in rows.itertuples()]
    rows["row_label"] = [
        f"{t('milestone_form.number', number=n)} · {d}"
        for n, d in zip(rows["number"], rows["description"], strict=True)
    ]
    rows["progress_text"] = [present.percent(v) for v in rows["progress"]]
    widgets.table(
        present.readable(
            rows, ["status_text", "row_label", "title_text", "due_date", "progress_text"], dates=["due_date"]
        )
    )
    _more(len(rows), found.overdue_milestones + found.due_soon_milestones)


def _agreement_list(found: PendingItems) -> None:
    st.markdown(f"##### {t('secretariat.pending.agreements')}")
    if found.agreements.empty:
        st.success(t("secretariat.pending.no_agreements"), icon=DONE_ICON)
        return
    rows = present.with_labels(found.agreements, responsible_sector="Sector", status="AgreementStatus")
    rows["status_text"] = [situation(v) for v in rows["days_overdue"]]
    rows = rows.rename(columns={"held_on": "session_held_on"})
    columns = [
        "status_text",
        "text",
        "responsible_sector_label",
        "due_date",
        "status_label",
        "session_held_on",
    ]
    widgets.table(present.readable(rows, columns, dates=["due_date", "session_held_on"]))
    _more(len(rows), found.open_agreements)


def _more(shown: int, total: int) -> None:
    if total > shown:
        st.caption(t("secretariat.pending.more", shown=present.number(shown), total=present.number(total)))


def _commitment(row: Any) -> str:
    code = present.commitment_code(row.plan_number, row.commitment_number)
    return f"{code} · {present.shorten(row.commitment_title, 80)}"


def _update(found: PendingItems, state_code: str) -> None:
    """A picker of the pending milestones, then the update form of the one picked (and only that one: what the
    picker names is what the form saves)."""
    pick = f"pending_pick_{state_code}"
    options = {int(r.milestone_id): r for r in found.milestones.itertuples()}
    previous = st.session_state.get(pick)
    if previous is not None and previous not in options:
        form_outcome.show(milestone_forms.outcome(previous))  # saved and no longer pending: say so here
    if not options:
        st.caption(t("secretariat.pending.other_milestones"))
        return
    widgets.keep_choice(pick, options)
    names = {
        i: f"{situation(r.days_overdue)} · {present.commitment_code(r.plan_number, r.commitment_number)} · "
        f"{t('milestone_form.number', number=r.number)} · {present.shorten(r.description, 60)}"
        for i, r in options.items()
    }
    chosen = st.selectbox(
        t("secretariat.pending.pick"),
        list(names),
        key=pick,
        format_func=names.__getitem__,
        placeholder=widgets.choose_text(),
    )
    try:
        item = cached.get_commitment(*cached.viewer(), int(options[chosen].commitment_id))
    except AccompanimentError:
        return
    picked = [m for m in item["milestones"] if int(m["id"]) == chosen]
    if picked:
        milestone_forms.update_form({**item, "milestones": picked}, pick=False)
    st.caption(t("secretariat.pending.other_milestones"))
