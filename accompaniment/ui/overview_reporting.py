"""The reporting cycle on the Panorama nacional (issue 12): each programme state's standing in the current period
(not started, draft, submitted, returned, approved, late), the date its public figures were approved, a mark for
staff where a state's live figures are not yet approved, and, for the working group, how many reports wait for
review with a link to the page where they are reviewed.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store import published_figures, reporting
from accompaniment.ui import cached, present
from accompaniment.ui.context import get_store, t

REVIEW_PAGE = "pages/periodic_reports.py"
REVIEWERS = (Role.WORKING_GROUP.value, Role.ADMIN.value)


def _viewer(role: str, actor_state: str | None) -> Actor:
    return Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")


@cached.read_cache()
def period_status(role: str, actor_state: str | None, today: date) -> pd.DataFrame:
    return reporting.period_status_by_state(get_store(), _viewer(role, actor_state), today)


@cached.read_cache()
def approval_dates(role: str, actor_state: str | None) -> dict[str, date]:
    return reporting.approval_dates(get_store(), _viewer(role, actor_state))


@cached.read_cache()
def unapproved(role: str, actor_state: str | None) -> dict[str, int]:
    return published_figures.unapproved_milestones_by_state(get_store(), _viewer(role, actor_state))


@cached.read_cache()
def waiting_count(role: str, actor_state: str | None) -> int:
    return len(reporting.reports_waiting_for_review(get_store(), _viewer(role, actor_state)))


def with_reporting(programme: pd.DataFrame) -> pd.DataFrame:
    """The panorama's rows with ``report_status_text`` (the current period) and ``approved_on_text``; for staff,
    ``progress_text`` carries "sin aprobar" where the state's live figures are not the approved ones."""
    who = cached.viewer()
    out = programme.copy()
    statuses = period_status(*who, present.today())
    by_state = dict(zip(statuses["state_code"], statuses["status"], strict=True))
    out["report_status_text"] = [
        t(f"reporting.status.{by_state[code]}") if code in by_state else t("common.none")
        for code in out["state_code"]
    ]
    dates = approval_dates(*who)
    out["approved_on_text"] = [present.day(dates.get(code)) for code in out["state_code"]]
    marks = unapproved(*who)
    out["progress_text"] = [
        f"{text} · {t('reporting.unapproved_mark')}" if marks.get(code) else text
        for code, text in zip(out["state_code"], out["progress_text"], strict=True)
    ]
    return out


def notice() -> None:
    """Under the title: whose figures the page shows, and for the working group the reports waiting for review."""
    who = cached.viewer()
    dates = approval_dates(*who)
    if who[0] == Role.PUBLIC.value:
        if dates:
            st.caption(t("reporting.approved_on_states", date=present.day(max(dates.values()))))
    elif unapproved(*who):
        st.caption(t("reporting.unapproved_caption"))
    if who[0] in REVIEWERS:
        count = waiting_count(*who)
        if count:
            left, right = st.columns([3, 1])
            left.info(t("reporting.waiting.count", count=count), icon=":material/assignment:")
            right.page_link(REVIEW_PAGE, label=t("reporting.waiting.link"), icon=":material/arrow_forward:")


def state_approval_note(state_code: str) -> None:
    """On a state's page, for the public: the date its figures were approved (nothing when none are)."""
    who = cached.viewer()
    if who[0] != Role.PUBLIC.value:
        return
    approved_on = approval_dates(*who).get(state_code)
    if approved_on is not None:
        st.caption(t("reporting.approved_on", date=present.day(approved_on)))
