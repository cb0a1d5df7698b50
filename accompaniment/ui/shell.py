"""What app.py runs on every rerun: open the store, language switch, sign-in, demo banner, navigation.

The navigation is built from the signed-in user's role after the sign-in check, so a page the role may not open
is never registered and cannot be reached by URL or ``switch_page``; a secretariat lands on its own state's page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from accompaniment import i18n
from accompaniment.domain.errors import StoreUnavailable
from accompaniment.ui import auth, context, links
from accompaniment.ui.navigation import build_navigation, landing_for

LANGUAGE_NAMES = {"es": "Español", "en": "English"}
FAVICON = str(Path(__file__).parent / "assets" / "favicon.png")


def language_switch() -> None:
    """Español / English, kept in the session so every page honours it, and in the URL (``?lang=en``, issue 13)
    so a link or a reload opens in the same language."""
    if context.LANG_KEY not in st.session_state:
        st.session_state[context.LANG_KEY] = i18n.DEFAULT_LANGUAGE
    links.open_language(context.LANG_KEY, i18n.LANGUAGES)
    lang = st.sidebar.radio(
        context.t("nav.language"),
        options=list(i18n.LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=context.LANG_KEY,
        horizontal=True,
    )
    links.show_language(lang, i18n.DEFAULT_LANGUAGE)


def run() -> None:
    try:
        store = context.get_store()
        # Once per run: what the cached reads are keyed by (ui/cached.py), and what the open data follows.
        version = context.refresh_data_version(store)
    except StoreUnavailable as exc:
        st.error(exc.message(context.current_lang()))
        st.stop()
    links.publish_open_data(store, version)  # the static open-data package (issue 13)
    language_switch()
    actor = auth.sign_in_panel(store)
    from accompaniment.demo import has_demo_data

    if has_demo_data(store):
        st.sidebar.caption(context.t("app.demo_banner"))
        st.info(context.t("app.demo_banner"), icon=":material/science:")
    landing = landing_for(actor)
    page = build_navigation(actor, landing)
    if auth.take_landing() and landing and page.url_path != "":  # the landing page is the default, at ""
        st.switch_page(landing)
    if auth.must_change_password():
        auth.change_password_form()
        return
    page.run()
