"""The dialogue sessions of one state as a reader sees them (Secretariado's "Sesiones de diálogo"), a page at a
time: each with its date, type, topics, public summary, participants by sector and gender, attending
organisations and agreements; and, under a commitment's detail, the agreements and sessions linked to it.

The private summary shows only when the store handed it over (``SessionRecord.summary`` is None for readers who
may not see private notes): the rule is the store's, not this module's. Text people typed goes into escaped
Markdown or table cells, never HTML.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from accompaniment.access import Actor
from accompaniment.domain.enums import Gender, Role, Sector
from accompaniment.store import session_records
from accompaniment.store.session_records import CommitmentLinks, SessionRecord
from accompaniment.ui import cached, present, widgets
from accompaniment.ui.context import get_store, label, t

PAGE_SIZE = 10


def _viewer(role: str, actor_state: str | None) -> Actor:
    return Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")


@cached.read_cache(max_entries=256)
def count(role: str, actor_state: str | None, state_code: str) -> int:
    return session_records.count_sessions(get_store(), _viewer(role, actor_state), state_code)


@cached.read_cache(max_entries=256)
def records(
    role: str, actor_state: str | None, state_code: str, limit: int, offset: int
) -> list[SessionRecord]:
    return session_records.session_records(
        get_store(), _viewer(role, actor_state), state_code, limit=limit, offset=offset
    )


@cached.read_cache(max_entries=256)
def links(role: str, actor_state: str | None, commitment_id: int) -> CommitmentLinks:
    return session_records.commitment_links(get_store(), _viewer(role, actor_state), commitment_id)


def escape(value: object) -> str:
    return widgets.escape_markdown(present.text(value))


# ---- a state's sessions ----------------------------------------------------------------------------------------


def render(state_code: str) -> None:
    """The state's sessions, newest first, one expander each, a page at a time."""
    who = cached.viewer()
    total = count(*who, state_code)
    if total == 0:
        widgets.empty(t("secretariat.sessions.none"))
        return
    limit, offset = widgets.paginate(total, key=f"session_list_{state_code}", page_size=PAGE_SIZE)
    for record in records(*who, state_code, limit, offset):
        with st.expander(_title(record), icon=":material/groups:"):
            _detail(record)


def _title(record: SessionRecord) -> str:
    return t(
        "secretariat.sessions.title",
        date=present.day(record.held_on),
        type=label("SessionType", record.session_type),
        participants=present.number(record.participant_total),
        agreements=present.number(len(record.agreements)),
    )


def _detail(record: SessionRecord) -> None:
    facts = [f"{t('fields.modality')}: {label('Modality', record.modality)}"]
    if record.phase is not None:
        facts.append(f"{t('fields.phase')}: {label('Phase', record.phase)}")
    st.caption(" · ".join(facts))
    st.markdown(f"**{t('fields.topics')}:** {escape(record.topics)}")
    st.markdown(f"**{t('fields.public_summary')}:** {escape(record.public_summary)}")
    if record.summary is not None:  # handed over only to those who may read private notes
        st.markdown(f"**{t('secretariat.sessions.private_summary')}:** {escape(record.summary)}")
    if record.organizations:
        names = ", ".join(widgets.escape_markdown(name) for name in record.organizations)
        st.markdown(f"**{t('fields.organizations')}:** {names}")
    if widgets.safe_url(record.evidence_url):
        st.markdown(widgets.markdown_link(t("secretariat.sessions.evidence"), record.evidence_url))
    st.markdown(f"**{t('secretariat.sessions.participants')}**")
    grid = participants_table(record.participants)
    if grid.empty:
        st.caption(t("secretariat.sessions.no_participants"))
    else:
        st.table(grid, hide_index=True)
    st.markdown(f"**{t('fields.agreements')}**")
    if record.agreements.empty:
        st.caption(t("secretariat.sessions.no_agreements"))
    else:
        st.table(agreement_rows(record.agreements), hide_index=True)


def participants_table(participants: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Sector × gender counts with totals, in the catalogue's order of sectors and genders."""
    genders = [g.value for g in Gender]
    rows = [
        [label("Sector", sector.value)]
        + [present.number(participants[sector.value].get(g, 0)) for g in genders]
        + [present.number(sum(participants[sector.value].values()))]
        for sector in Sector
        if sector.value in participants
    ]
    columns = [t("col.sector_label"), *[label("Gender", g) for g in genders], t("secretariat.sessions.total")]
    return pd.DataFrame(rows, columns=columns)


def agreement_rows(agreements: pd.DataFrame) -> pd.DataFrame:
    out = present.with_labels(agreements, status="AgreementStatus", responsible_sector="Sector")
    out["overdue_text"] = [t("secretariat.overdue") if flag else "" for flag in out["overdue"]]
    columns = [
        "text",
        "responsible_sector_label",
        "responsible_organization",
        "due_date",
        "status_label",
        "overdue_text",
    ]
    return present.readable(out, columns, dates=["due_date"])


# ---- under a commitment ----------------------------------------------------------------------------------------


def commitment_links(commitment_id: int) -> None:
    """The agreements that name the commitment and the sessions that took them."""
    st.markdown(f"##### {t('commitment.linked')}")
    found = links(*cached.viewer(), commitment_id)
    if found.agreements.empty:
        st.caption(t("commitment.linked_none"))
        return
    st.markdown(f"**{t('commitment.linked_agreements')}**")
    out = present.with_labels(found.agreements, status="AgreementStatus", responsible_sector="Sector")
    out["overdue_text"] = [t("secretariat.overdue") if flag else "" for flag in out["overdue"]]
    out = out.rename(columns={"held_on": "session_held_on"})
    columns = [
        "session_held_on",
        "text",
        "responsible_sector_label",
        "due_date",
        "status_label",
        "overdue_text",
    ]
    widgets.table(present.readable(out, columns, dates=["session_held_on", "due_date"]))
    st.markdown(f"**{t('commitment.linked_sessions')}**")
    sessions = present.with_labels(found.sessions, session_type="SessionType")
    sessions = sessions.rename(columns={"held_on": "session_held_on"})
    columns = [
        "session_held_on",
        "session_type_label",
        "topics",
        "public_summary",
        "participant_total",
        "linked_agreements",
    ]
    widgets.table(
        present.readable(
            sessions, columns, dates=["session_held_on"], numbers=["participant_total", "linked_agreements"]
        )
    )
