"""Milestone updates, under a commitment's detail on Compromisos and Secretariado: progress, status, a note and
evidence (a link or a written note), then the milestone's dated timeline with who recorded each update.

The form is shown only to those who may update the commitment's milestones (the state's own secretariat, the
specialist, admins); the store checks the same rule on every write, so the form's absence is a courtesy, not the
protection. Complete needs evidence and sets progress to 100: the store says so, naming the evidence field.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.enums import MilestoneStatus, Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.store import commitments
from accompaniment.ui import cached, form_outcome, phase_forms, present, widgets
from accompaniment.ui.context import current_actor, get_store, label, t

FIELDS = ("progress", "status", "evidence_url", "evidence_note", "note")
ENUMS = {"status": "MilestoneStatus"}


@cached.read_cache(max_entries=256)
def timeline(role: str, actor_state: str | None, milestone_id: int) -> pd.DataFrame:
    """The milestone's updates, oldest first (cached per viewer, cleared on every write)."""
    viewer = Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")
    return commitments.milestone_timeline(get_store(), viewer, milestone_id)


def key(milestone_id: int, name: str) -> str:
    return f"milestone_{milestone_id}_{name}"


def outcome(milestone_id: int) -> str:
    return f"milestone_update_{milestone_id}"


def render(commitment_id: int, *, assessment: bool = False) -> None:
    """Under a commitment's detail: the update form for those allowed, and (with ``assessment``, on Compromisos)
    the IRM-style assessment for the working group and admins."""
    try:
        item = cached.get_commitment(*cached.viewer(), commitment_id)
    except AccompanimentError:
        return  # the detail above already says why
    if item["milestones"] and allowed(current_actor(), Action.WRITE_MILESTONE, item["state_code"]):
        update_form(item)
    if assessment:
        phase_forms.assessment_form(item)


def update_form(item: dict[str, Any], *, pick: bool = True) -> None:
    """The update form of one of ``item``'s milestones, chosen in its own picker; with ``pick=False`` the caller
    has already picked (``item`` then holds that one milestone) and its name stands in for the picker."""
    st.markdown(f"##### {t('milestone_form.heading')}")
    milestones = {int(m["id"]): m for m in item["milestones"]}
    # Labels computed now, not in a lambda: AppTest formats a chosen option outside the run, where the language
    # is unknown.
    names = {i: _name(m) for i, m in milestones.items()}
    statuses = {s.value: label("MilestoneStatus", s) for s in MilestoneStatus}
    if pick:
        widgets.keep_choice(f"milestone_pick_{item['id']}", milestones)
        chosen = st.selectbox(
            t("milestone_form.pick"),
            list(names),
            key=f"milestone_pick_{item['id']}",
            format_func=names.__getitem__,
            placeholder=widgets.choose_text(),
        )
    else:
        chosen = next(iter(milestones))
        st.markdown(f"**{widgets.escape_markdown(names[chosen])}**")
    milestone = milestones[chosen]
    form_outcome.show(outcome(chosen), FIELDS, ENUMS)
    _current_evidence(milestone)
    defaults = {
        "progress": float(milestone["progress"] or 0),
        "status": milestone["status"],
        "evidence_url": "",
        "evidence_note": "",
        "note": "",
    }
    for name, value in defaults.items():
        st.session_state.setdefault(key(chosen, name), value)
    with st.form(f"milestone_form_{chosen}", clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        with left:
            # No bounds in the widget (the browser would refuse in English and block the save silently): the
            # store's check names the field in the person's language.
            st.number_input(t("fields.progress"), step=5.0, format="%.0f", key=key(chosen, "progress"))
            form_outcome.problems(outcome(chosen), "progress")
        with right:
            st.selectbox(
                t("fields.status"),
                list(statuses),
                key=key(chosen, "status"),
                format_func=statuses.__getitem__,
                placeholder=widgets.choose_text(),
            )
            form_outcome.problems(outcome(chosen), "status")
        st.caption(t("milestone_form.complete_rule"))
        st.text_input(
            t("fields.evidence_url"),
            key=key(chosen, "evidence_url"),
            placeholder=t("logbook.form.url_placeholder"),
        )
        form_outcome.problems(outcome(chosen), "evidence_url")
        st.text_area(t("fields.evidence_note"), key=key(chosen, "evidence_note"), height=80)
        form_outcome.problems(outcome(chosen), "evidence_note")
        st.text_area(t("fields.note"), key=key(chosen, "note"), height=80, help=t("milestone_form.note_help"))
        form_outcome.problems(outcome(chosen), "note")
        st.form_submit_button(
            t("milestone_form.save"),
            key=f"milestone_save_{chosen}",
            type="primary",
            on_click=_save,
            args=(chosen, int(milestone["version"]), milestone["number"]),
            icon=":material/save:",
        )
    _timeline(chosen)


def _name(milestone: dict[str, Any]) -> str:
    number = t("milestone_form.number", number=milestone["number"])
    return f"{number} · {present.shorten(milestone['description'], 90)} · {present.percent(milestone['progress'])}"


def _current_evidence(milestone: dict[str, Any]) -> None:
    url = widgets.safe_url(milestone.get("evidence_url"))
    note = milestone.get("evidence_note")
    if not url and not note:
        st.caption(t("milestone_form.no_evidence"))
        return
    parts = [widgets.markdown_link(t("milestone_form.evidence_link"), url)] if url else []
    if note:
        parts.append(widgets.escape_markdown(present.shorten(note, 200)))
    # Markdown, not a caption: a link in the caption's grey text fails the colour-contrast check (axe).
    st.markdown(t("milestone_form.current_evidence", evidence=" · ".join(parts)))


def _save(milestone_id: int, version: int, number: Any) -> None:
    s = st.session_state
    data = {
        "progress": s.get(key(milestone_id, "progress")),
        "status": s.get(key(milestone_id, "status")),
        "evidence_url": (s.get(key(milestone_id, "evidence_url")) or "").strip() or None,
        "evidence_note": s.get(key(milestone_id, "evidence_note")) or "",
        "note": s.get(key(milestone_id, "note")) or "",
    }
    store, actor = get_store(), current_actor()
    form_outcome.submit(
        outcome(milestone_id),
        lambda v: commitments.update_milestone(store, actor, milestone_id, v, data),
        version,
        form_outcome.Done("milestone_form.saved", {"number": number}),
        on_success=form_outcome.forgetting([key(milestone_id, name) for name in FIELDS]),
    )


def _timeline(milestone_id: int) -> None:
    st.markdown(f"**{t('milestone_form.timeline')}**")
    entries = timeline(*cached.viewer(), milestone_id)
    if entries.empty:
        st.caption(t("milestone_form.no_updates"))
        return
    out = present.with_labels(entries.iloc[::-1], status="MilestoneStatus")
    out["recorded_at"] = [f"{present.day(v)} {pd.Timestamp(v):%H:%M}" for v in out["recorded_at"]]
    out["progress"] = [present.percent(v) for v in out["progress"]]
    out["evidence_url"] = [widgets.safe_url(v) for v in out["evidence_url"]]
    columns = {
        "recorded_at": "milestone_form.when",
        "recorded_by": "milestone_form.who",
        "progress": "fields.progress",
        "status_label": "fields.status",
        "evidence_url": "fields.evidence_url",
        "evidence_note": "fields.evidence_note",
        "note": "fields.note",
    }
    out = out.loc[:, [c for c in columns if c in out]]
    widgets.table(
        out.rename(columns={c: t(columns[c]) for c in out.columns}),
        **{t("fields.evidence_url"): widgets.link_column(t("fields.evidence_url"), t("milestone_form.open"))},
    )
