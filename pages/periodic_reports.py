"""Informes del periodo (issue 12): each period, a state's secretariat (or the specialist on its behalf) drafts and
submits its report; the working group opens periods, reviews what was submitted, returns it with comments or
approves it, which publishes its figures."""

import streamlit as st

from accompaniment.ui import periodic_reports as drafting
from accompaniment.ui import periodic_reports_review as review
from accompaniment.ui.context import current_actor, t

actor = current_actor()
st.title(t("reporting.title"))
st.caption(t("reporting.intro"))

if drafting.may_review(actor):
    review.open_period_form()
    review.periods_table()
    waiting = review.waiting_list()
    review.review_panel(waiting)

if drafting.may_draft(actor):
    drafting.draft_panel(actor, drafting.drafting_state(actor))
