"""What app.py runs on every rerun: open the store, language switch, sign-in, demo banner, navigation."""

from __future__ import annotations

import streamlit as st

from accompaniment import i18n
from accompaniment.domain.errors import StoreUnavailable
from accompaniment.ui import context
from accompaniment.ui.navigation import build_navigation

LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def language_switch() -> None:
    """Español / English, kept in the session so every page honours it."""
    if context.LANG_KEY not in st.session_state:
        st.session_state[context.LANG_KEY] = i18n.DEFAULT_LANGUAGE
    st.sidebar.radio(
        context.t("nav.language"),
        options=list(i18n.LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=context.LANG_KEY,
        horizontal=True,
    )


def run() -> None:
    try:
        store = context.get_store()
    except StoreUnavailable as exc:
        st.error(exc.message(context.current_lang()))
        st.stop()
    language_switch()
    actor = context.current_actor()
    from accompaniment.demo import has_demo_data

    if has_demo_data(store):
        st.sidebar.caption(context.t("app.demo_banner"))
    navigation = build_navigation(actor)
    navigation.run()
