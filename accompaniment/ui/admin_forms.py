"""The account forms of the Administración page: list, create, edit or deactivate, and a one-time password reset.

Each write runs in a form-submit callback (one store call, one transaction) before the page redraws, so the list
above the forms already shows the change. A generated password is kept in session state only until the next
redraw shows it once.
"""

from __future__ import annotations

import secrets
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.store import users
from accompaniment.store.secretariats import all_states
from accompaniment.ui import context, present
from accompaniment.ui.context import label, t
from accompaniment.ui.widgets import choose_text, escape_markdown, missing_text

ACCOUNT_ROLES = [role for role in Role if role != Role.PUBLIC]
_NOTICE = "admin_notice"
_ONE_TIME = "admin_one_time_password"  # (catalogue key, username, password), shown once
_NEW = "admin_new_"


def require_admin() -> Actor:
    """Stop the page for anyone who may not manage accounts. Navigation already hides it; this is the backstop."""
    actor = context.current_actor()
    if not allowed(actor, Action.MANAGE_ACCOUNTS):
        st.error(t("admin.denied"))
        st.stop()
    return actor


def state_names() -> dict[str, str]:
    states = all_states(context.get_store(), context.current_actor())
    return dict(zip(states["code"], states["name"], strict=True))


def notices() -> None:
    """The outcome of the last submitted form: an error, a confirmation, or a password to show once."""
    notice = st.session_state.pop(_NOTICE, None)
    if isinstance(notice, AccompanimentError):
        context.show_error(notice)
    elif notice is not None:
        key, params = notice
        st.success(t(key, **params))
    one_time = st.session_state.pop(_ONE_TIME, None)
    if one_time is not None:
        key, username, password = one_time
        st.success(t(key, username=escape_markdown(username)))
        st.code(password, language=None)


# ---- the list -------------------------------------------------------------------------------------------------------


def list_accounts(actor: Actor) -> pd.DataFrame:
    """Every account's public columns (never a hash): read fresh, since an admin acts on what it shows."""
    return users.list_users(context.get_store(), actor)


def accounts_table(accounts: pd.DataFrame, states: dict[str, str]) -> None:
    st.subheader(t("admin.accounts.heading"))
    if accounts.empty:
        st.info(t("admin.accounts.empty"))
        return
    st.dataframe(
        _readable_accounts(accounts, states),
        hide_index=True,
        width="stretch",
        column_config={
            "username": t("fields.username"),
            "display_name": t("fields.display_name"),
            "role": t("fields.role"),
            "state_code": t("fields.state_code"),
            "email": t("fields.email"),
            "active": st.column_config.CheckboxColumn(t("admin.accounts.active")),
            "locked_until": t("admin.accounts.locked"),
            "last_sign_in": t("admin.accounts.last_sign_in"),
        },
        placeholder=missing_text(),
    )


def _readable_accounts(accounts: pd.DataFrame, states: dict[str, str]) -> pd.DataFrame:
    """The list as the admin reads it: an absent state, e-mail or time shows the catalogue's dash, never "None"."""
    no_state = t("admin.no_state")
    state_names = [
        no_state if present.missing(c) or c == "" else states.get(c, c) for c in accounts["state_code"]
    ]
    return pd.DataFrame(
        {
            "username": accounts["username"],
            "display_name": accounts["display_name"],
            "role": [label("Role", v) for v in accounts["role"]],
            "state_code": state_names,
            "email": [present.text(v) for v in accounts["email"]],
            "active": accounts["active"].astype(bool),
            "locked_until": [present.moment(v) for v in accounts["locked_until"]],
            "last_sign_in": [present.moment(v) for v in accounts["last_sign_in"]],
        }
    )


# ---- create ---------------------------------------------------------------------------------------------------------


def create_form(states: dict[str, str]) -> None:
    st.subheader(t("admin.create.heading"))
    with st.form("admin_create", clear_on_submit=False):
        _account_fields(_NEW, states, {})
        st.form_submit_button(t("admin.create.submit"), on_click=_create, type="primary")


def _account_fields(
    prefix: str,
    states: dict[str, str],
    current: dict[str, Any],
    *,
    with_username: bool = True,
    own: bool = False,
) -> None:
    """The fields an account has; ``prefix`` keys them per form (and per account when editing)."""
    if with_username:
        st.text_input(t("fields.username"), key=f"{prefix}username", max_chars=40)
    st.text_input(
        t("fields.display_name"), value=current.get("display_name", ""), key=f"{prefix}display_name"
    )
    # Labelled now, not in a lambda: AppTest formats a chosen option outside the run, where the language is unknown.
    roles = {r.value: label("Role", r) for r in ACCOUNT_ROLES}
    places = {None: t("admin.no_state"), **states}
    st.selectbox(
        t("fields.role"),
        list(roles),
        index=list(roles).index(current.get("role", Role.SPECIALIST.value)),
        format_func=roles.__getitem__,
        key=f"{prefix}role",
        disabled=own,
        placeholder=choose_text(),
    )
    st.selectbox(
        t("admin.create.state"),
        list(places),
        index=list(places).index(current.get("state_code")),
        format_func=places.__getitem__,
        key=f"{prefix}state_code",
        placeholder=choose_text(),
    )
    st.text_input(t("fields.email"), value=current.get("email") or "", key=f"{prefix}email")


def _values(prefix: str) -> dict[str, Any]:
    return {
        "display_name": st.session_state.get(f"{prefix}display_name", ""),
        "role": st.session_state.get(f"{prefix}role"),
        "state_code": st.session_state.get(f"{prefix}state_code"),
        "email": st.session_state.get(f"{prefix}email") or None,
    }


def _create() -> None:
    data = {"username": str(st.session_state.get(f"{_NEW}username", "")).strip(), **_values(_NEW)}
    password = secrets.token_urlsafe(12)  # 16 characters; to be replaced at first sign-in
    try:
        users.create_user(
            context.get_store(), context.current_actor(), data, password, must_change_password=True
        )
    except AccompanimentError as exc:
        st.session_state[_NOTICE] = exc
        return
    context.clear_read_caches()
    st.session_state[_ONE_TIME] = ("admin.create.done", data["username"], password)
    for field in (
        "username",
        "display_name",
        "role",
        "state_code",
        "email",
    ):  # an empty form for the next one
        st.session_state.pop(f"{_NEW}{field}", None)


# ---- edit, deactivate, reset ---------------------------------------------------------------------------------------


def edit_form(accounts: pd.DataFrame, states: dict[str, str], actor: Actor) -> None:
    st.subheader(t("admin.edit.heading"))
    if accounts.empty:
        return
    by_id = {
        int(row["id"]): row
        for row in accounts.astype(object).where(accounts.notna(), None).to_dict("records")
    }
    names = {i: f"{row['username']} · {row['display_name']}" for i, row in by_id.items()}
    user_id = st.selectbox(
        t("admin.edit.pick"),
        list(names),
        key="admin_edit_user",
        format_func=names.__getitem__,
        placeholder=choose_text(),
    )
    current = by_id[user_id]
    own = user_id == actor.user_id
    prefix = (
        f"admin_edit_{user_id}_{current['version']}_"  # fresh fields when another account or version is shown
    )
    with st.form("admin_edit"):
        _account_fields(prefix, states, current, with_username=False, own=own)
        st.checkbox(
            t("admin.edit.active"), value=bool(current["active"]), key=f"{prefix}active", disabled=own
        )
        st.form_submit_button(t("admin.edit.submit"), on_click=_edit, args=(prefix, current, own))
    st.markdown(f"**{t('admin.reset.heading')}**")
    st.caption(t("admin.reset.help"))
    st.button(
        t("admin.reset.submit"),
        key="admin_reset",
        on_click=_reset,
        args=(user_id, current["username"]),
        icon=":material/key:",
    )


def _edit(prefix: str, current: dict[str, Any], own: bool) -> None:
    data = {"username": current["username"], **_values(prefix)}
    active = bool(st.session_state.get(f"{prefix}active", current["active"]))
    if own and (not active or data["role"] != Role.ADMIN.value):
        st.session_state[_NOTICE] = AccompanimentError("admin.edit.own_account")
        return
    try:
        users.edit_user(
            context.get_store(),
            context.current_actor(),
            int(current["id"]),
            int(current["version"]),
            data,
            active=active,
        )
    except AccompanimentError as exc:
        st.session_state[_NOTICE] = exc
        return
    context.clear_read_caches()
    st.session_state[_NOTICE] = ("admin.edit.done", {"username": escape_markdown(current["username"])})


def _reset(user_id: int, username: str) -> None:
    try:
        password = users.reset_password(context.get_store(), context.current_actor(), user_id)
    except AccompanimentError as exc:
        st.session_state[_NOTICE] = exc
        return
    st.session_state[_ONE_TIME] = ("admin.reset.done", username, password)
