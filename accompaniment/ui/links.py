"""Deep links (issue 13): the state, the commitment and the language as query parameters, read and written back.

A page calls ``open_*`` before its picker and ``show_*`` after it. ``open_*`` applies a parameter only when it is
new to this session (a pasted link, a reload, the browser's back button), so a choice the person makes on the page is
never overridden by the URL it replaces; ``show_*`` writes the choice back, so the URL always names the view and a
reload or a shared link shows the same. Parsing is in ``domain/links.py`` and answers None for anything unknown or
hostile: the page then says so in the user's language (never echoing the value) and shows the nearest view.
Nothing about identity or role is ever read from the URL (PLATFORM-NOTES): the store decides what is shown.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlencode

import streamlit as st

from accompaniment import settings
from accompaniment.domain.errors import NotFound
from accompaniment.domain.links import (
    COMMITMENT_PARAM,
    GOAL_PARAM,
    LANGUAGE_PARAM,
    MILESTONE_PARAM,
    STATE_PARAM,
    parse_commitment_ref,
    parse_goal,
    parse_language,
    parse_milestone_ref,
    parse_state,
)
from accompaniment.io import static_package
from accompaniment.store import links as stored
from accompaniment.store.database import Store
from accompaniment.ui import cached
from accompaniment.ui.context import get_store, t

_log = logging.getLogger(__name__)
APPLIED_KEY = "links_applied"  # parameter name → the value this session last applied or wrote
PINNED_KEY = "links_pinned_commitment"  # the commitment a link opened, and the filters it was opened under
SHARED_PARAMS = (
    STATE_PARAM,
    COMMITMENT_PARAM,
    GOAL_PARAM,
    LANGUAGE_PARAM,
)  # the only parameters a shared link carries


@cached.read_cache()
def _state_keys(role: str, actor_state: str | None) -> list[tuple[str, str, str]]:
    return stored.state_keys(get_store(), cached._actor(role, actor_state))


@cached.read_cache()
def _commitment_id(role: str, actor_state: str | None, ref: str) -> int | None:
    parsed = parse_commitment_ref(ref)
    try:
        return stored.commitment_id(get_store(), cached._actor(role, actor_state), parsed) if parsed else None
    except NotFound:
        return None


@cached.read_cache()
def _milestone_ids(role: str, actor_state: str | None, ref: str) -> tuple[int, int] | None:
    parsed = parse_milestone_ref(ref)
    try:
        return stored.milestone_id(get_store(), cached._actor(role, actor_state), *parsed) if parsed else None
    except NotFound:
        return None


@cached.read_cache()
def _commitment_ref(role: str, actor_state: str | None, commitment_id: int) -> str | None:
    return stored.commitment_ref_of(get_store(), cached._actor(role, actor_state), commitment_id)


def _new_value(name: str) -> str | None:
    """The parameter's value when this session has not applied it yet, else None."""
    value = st.query_params.get(name)
    applied = st.session_state.setdefault(APPLIED_KEY, {})
    if value is None or applied.get(name) == value:
        return None
    applied[name] = value
    return value


def _write(name: str, value: str | None) -> None:
    st.session_state.setdefault(APPLIED_KEY, {})[name] = value
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def tab_title(record: str, page: str) -> str:
    """The browser tab's title: the record first, then the page and the app."""
    return " · ".join(part for part in (record, page, t("links.app_name")) if part)


def set_tab_title(record: str, page_key: str) -> None:
    st.set_page_config(page_title=tab_title(record, t(page_key)))


def shared_link(url_path: str) -> str:
    """The view's address at the app's configured address (``app_base_url``, never the request's Host header),
    with the parameters this module wrote: nothing else a visitor put in the URL is repeated."""
    written = st.session_state.get(APPLIED_KEY, {})
    query = [(name, written[name]) for name in SHARED_PARAMS if written.get(name)]
    base = f"{str(settings.get('app_base_url')).rstrip('/')}/{url_path}"
    return f"{base}?{urlencode(query)}" if query else base


def copy_link(url_path: str) -> None:
    """A "copiar enlace" button that shows the view's link in a code block, whose own button copies it."""
    with st.popover(t("links.copy"), icon=":material/link:"):
        st.caption(t("links.copy_hint"))
        st.code(shared_link(url_path), language=None)


# ---- the state ---------------------------------------------------------------------------------------------------


def open_state(widget_key: str) -> None:
    """Before the state picker: a new ``?estado=`` (INEGI code, ISO code or short name) becomes its choice."""
    value = _new_value(STATE_PARAM)
    if value is None:
        return
    code = parse_state(value, _state_keys(*cached.viewer()))
    if code is None:
        st.warning(t("links.state_unknown"))
    else:
        st.session_state[widget_key] = code


def show_state(code: str, state_name: str) -> None:
    """After it: the URL and the tab title name the state shown. (The page places ``copy_link`` itself.)"""
    _write(STATE_PARAM, code)
    set_tab_title(state_name, "nav.secretariat")


def show_state_filter(code: str | None) -> None:
    """After a state filter: the URL names the state filtered by, or none for every state."""
    _write(STATE_PARAM, code)


# ---- the commitment ----------------------------------------------------------------------------------------------


def open_commitment(widget_key: str) -> None:
    """Before the commitment picker: a new ``?compromiso=`` (``OAX-1-3``) becomes its choice and is pinned (see
    ``linked_commitment``); one that does not exist or cannot be shown is dropped with a message. Only a value new to
    the session counts: the reference the page itself wrote must never hold the picker once the filters move (the
    first slice did, and the milestone form edited another state's commitment)."""
    value = _new_value(COMMITMENT_PARAM)
    if value is None:
        return
    found = _commitment_id(*cached.viewer(), value) if parse_commitment_ref(value) else None
    if found is None:
        st.warning(t("links.commitment_unknown"))
        _write(COMMITMENT_PARAM, None)
        st.session_state.pop(PINNED_KEY, None)
        return
    st.session_state[widget_key] = found
    st.session_state[PINNED_KEY] = {"id": found, "filters": None}


def open_milestone(widget_key: str, picker_key: str) -> None:
    """Before the commitment picker: a new ``?hito=OAX-1-3-2`` opens commitment OAX-1-3 as ``open_commitment`` does,
    with milestone 2 chosen in its update form's picker (``picker_key`` formatted with the commitment id) for those
    who see the form. The URL then names the commitment: which milestone the form shows is the form's own choice."""
    value = _new_value(MILESTONE_PARAM)
    if value is None:
        return
    _write(MILESTONE_PARAM, None)
    found = _milestone_ids(*cached.viewer(), value) if parse_milestone_ref(value) else None
    if found is None:
        st.warning(t("links.milestone_unknown"))
        return
    commitment_id, milestone_id = found
    st.session_state[widget_key] = commitment_id
    st.session_state[PINNED_KEY] = {"id": commitment_id, "filters": None}
    st.session_state[picker_key.format(commitment_id)] = milestone_id


def linked_commitment(filters_digest: str) -> int | None:
    """The commitment a link opened, offered in the picker even when the filtered page does not list it, for as long
    as the filters stay those it was opened under; None once they change (the page's own list decides again)."""
    pinned = st.session_state.get(PINNED_KEY)
    if pinned is None:
        return None
    if pinned["filters"] is None:
        pinned["filters"] = filters_digest
    elif pinned["filters"] != filters_digest:
        st.session_state.pop(PINNED_KEY, None)
        return None
    return int(pinned["id"])


def show_commitment(commitment_id: int | None, title: str = "") -> None:
    """After it: the URL names the commitment shown (none for one without a readable identifier), the tab too; a
    pinned link gives way once another commitment is chosen."""
    pinned = st.session_state.get(PINNED_KEY)
    if pinned is not None and pinned["id"] != commitment_id:
        st.session_state.pop(PINNED_KEY, None)
    ref = _commitment_ref(*cached.viewer(), int(commitment_id)) if commitment_id is not None else None
    _write(COMMITMENT_PARAM, ref)
    set_tab_title(" ".join(part for part in (ref, title) if part), "nav.commitments")
    if ref is not None:
        copy_link("commitments")


# ---- the SDG goal ------------------------------------------------------------------------------------------------


def open_goal(widget_key: str) -> None:
    """Before the goal picker on Agenda 2030: a new ``?ods=5`` becomes its choice; anything else is said so."""
    value = _new_value(GOAL_PARAM)
    if value is None:
        return
    goal = parse_goal(value)
    if goal is None:
        st.warning(t("links.goal_unknown"))
    else:
        st.session_state[widget_key] = goal


def show_goal(goal: int | None, goal_name: str = "") -> None:
    """After it: the URL and the tab title name the goal shown."""
    _write(GOAL_PARAM, None if goal is None else str(goal))
    set_tab_title(goal_name, "nav.agenda2030")


# ---- the language ------------------------------------------------------------------------------------------------


def open_language(widget_key: str, languages: Iterable[str]) -> None:
    """Before the language switch: a new ``?lang=`` naming a supported language becomes the session's."""
    lang = parse_language(_new_value(LANGUAGE_PARAM), languages)
    if lang is not None:
        st.session_state[widget_key] = lang


def show_language(lang: str, default: str) -> None:
    """After it: the URL carries the language unless it is the default (Spanish links stay short)."""
    _write(LANGUAGE_PARAM, None if lang == default else lang)


# ---- the open data at a stable URL -------------------------------------------------------------------------------


def publish_open_data(store: Store, version: int) -> None:
    """Once per page run (``shell.run``): rebuild the static open-data package when the data version moved (a write
    here or in another process, or the first run after a start). Only when Streamlit serves static files (not in
    AppTest, which has no server); a failure is logged, never shown: the page itself does not depend on it."""
    if not st.runtime.exists() or not st.get_option("server.enableStaticServing"):
        return
    try:
        static_package.refresh(store, static_package.static_dir(settings.PROJECT_ROOT / "app.py"), version)
    except Exception:  # noqa: BLE001 - a side publication must never break the page a person is on
        _log.exception("the static open-data package could not be published")


def open_data_urls() -> None:
    """Under the data package download: the stable addresses a script or a data portal harvests."""
    urls = static_package.package_urls(str(settings.get("app_base_url")))
    st.caption(t("links.open_data_urls"))
    st.code(urls["descriptor"], language=None)
