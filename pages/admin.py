"""Administración (admin only): accounts (create, edit, deactivate, one-time password reset), the audit log and
backups."""

import streamlit as st

from accompaniment.ui import admin_forms, audit_view, backup_ui
from accompaniment.ui.context import get_store, t

actor = admin_forms.require_admin()
st.title(t("admin.title"))
admin_forms.notices()

accounts_tab, audit_tab, backup_tab = st.tabs(
    [t("admin.tab.accounts"), t("admin.tab.audit"), t("admin.tab.backups")]
)
with accounts_tab:
    states = admin_forms.state_names()
    accounts = admin_forms.list_accounts(actor)
    admin_forms.accounts_table(accounts, states)
    left, right = st.columns(2, gap="large")
    with left:
        admin_forms.create_form(states)
    with right:
        admin_forms.edit_form(accounts, states, actor)
with audit_tab:
    audit_view.audit_log_view(actor)
with backup_tab:
    backup_ui.backup_panel(get_store(), actor)
