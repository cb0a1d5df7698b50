"""Per-process and per-session context for pages: the store, the acting user, the language, error display.

The store is one per process (``st.cache_resource``). The actor and the language live in the browser session's
state; nothing about identity is read from query parameters, which a user controls.
"""

from __future__ import annotations

import atexit
from typing import Any

import streamlit as st

from accompaniment import i18n, settings
from accompaniment.access import PUBLIC, Actor
from accompaniment.domain.errors import AccompanimentError, ValidationError
from accompaniment.store import data_version as stored_data_version
from accompaniment.store.database import Store, open_store

ACTOR_KEY = "actor"
DATA_VERSION_KEY = "data_version"
LANG_KEY = "lang"


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> Store:
    store = open_store(url)
    if settings.get("demo_on_empty"):
        _fill_empty_default(store, url)
    from accompaniment.io.backup import auto_backup

    auto_backup(store)  # once a day, keeping the last N; never raises
    atexit.register(store.close)  # checkpoint DuckDB on clean shutdown
    return store


def _fill_empty_default(store: Store, url: str) -> None:
    """The default DuckDB file is created, migrated and filled with the demo set on first run."""
    from accompaniment.demo import load_demo
    from accompaniment.store.activity import list_sessions

    if url == settings.SETTINGS[0].default and list_sessions(store, PUBLIC, limit=1).empty:
        load_demo(store)


def get_store() -> Store:
    from accompaniment.io.backup import daily_backup

    store = _store_for(str(settings.get("database_url")))
    daily_backup(
        store
    )  # a date comparison on most runs; the day's backup on the first run of a day; never raises
    return store


def current_actor() -> Actor:
    return st.session_state.get(ACTOR_KEY, PUBLIC)


def current_lang() -> str:
    lang = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def t(key: str, **params: Any) -> str:
    """The message ``key`` in the session's language."""
    return i18n.t(key, current_lang(), **params)


def label(enum_name: str, value: Any) -> str:
    """The display label of an enum value (``label("Sector", "government")``)."""
    raw = getattr(value, "value", value)
    return i18n.t(f"enum.{enum_name}.{raw}", current_lang())


def show_error(exc: AccompanimentError) -> None:
    """Show a typed error in the user's language; validation problems one per line, each naming its field."""
    lang = current_lang()
    if isinstance(exc, ValidationError):
        st.error("\n\n".join(problem.message(lang) for problem in exc.problems))
    else:
        st.error(exc.message(lang))


def refresh_data_version(store: Store | None = None) -> int:
    """Read the data version (store/data_version.py) for this page run: once per run, from ``shell.run``, and
    again after a write of this session. The cached reads (ui/cached.py) are keyed by it."""
    version = stored_data_version.current(store or get_store())
    st.session_state[DATA_VERSION_KEY] = version
    return version


def data_version() -> int:
    """The data version this page run reads at (read now if no run has read it yet)."""
    version = st.session_state.get(DATA_VERSION_KEY)
    return refresh_data_version() if version is None else version


def clear_read_caches() -> None:
    """After any write, so the new data shows on every page at once (other processes see it by the data version:
    ui/cached.py)."""
    st.cache_data.clear()
    refresh_data_version()
