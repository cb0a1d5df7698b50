"""Helpers for the sign-in, administration and privacy AppTests: accounts in a copy of the demo database, a clock
the test moves, signing in through the real form, and every piece of text a run rendered.

``run_app_py_every_time`` matters: AppTest resets Streamlit's "this app uses a pages/ folder" flag before each run,
so a rerun that asks for a page (every run after the first) would execute that page file alone, skipping app.py
and with it the sign-in check. A deployed server runs app.py once st.navigation has been seen; the patch makes
AppTest do the same, so these tests see what a signed-in browser would.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import SYSTEM
from accompaniment.store import users
from accompaniment.store.database import open_store
from accompaniment.ui import auth, context
from tests.app.conftest import APP, TIMEOUT

START = datetime(2026, 11, 26, 12, 0, 0)
PASSWORD = "correct horse battery"  # 21 characters; every test account has it

# username -> (role, state, display name)
ACCOUNTS = {
    "admin.test": ("admin", None, "Administración de prueba"),
    "oaxaca.test": ("secretariat", "20", "Secretariado de Oaxaca (prueba)"),
    "especialista.test": ("specialist", None, "Especialista de prueba"),
}


STREAMLIT_MPA_V1 = script_runner._mpa_v1


def _main_script_only(main_script_path: str) -> None:
    code = compile(Path(main_script_path).read_text(encoding="utf-8"), main_script_path, "exec")
    exec(code, sys.modules["__main__"].__dict__)  # noqa: S102 - what Streamlit itself does with app.py


def run_app_py_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(script_runner, "_mpa_v1", _main_script_only)


def build_accounts_template(demo_template: Path, target: Path) -> dict[str, int]:
    """A copy of the demo database holding ``ACCOUNTS``; returns their ids. (Argon2 costs ~0.2 s per account.)"""
    shutil.copyfile(demo_template, target)
    store = open_store(f"duckdb:///{target}", upgrade=False)
    try:
        return {
            username: users.create_user(
                store,
                SYSTEM,
                {"username": username, "display_name": name, "role": role, "state_code": state},
                PASSWORD,
            )
            for username, (role, state, name) in ACCOUNTS.items()
        }
    finally:
        store.close()


def use_database(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "app.duckdb"
    shutil.copyfile(template, target)
    monkeypatch.setenv("ACCOMPANIMENT_DATABASE_URL", f"duckdb:///{target}")
    monkeypatch.setenv("ACCOMPANIMENT_DEMO_ON_EMPTY", "false")
    monkeypatch.setenv("ACCOMPANIMENT_AUTO_BACKUP", "false")
    return target


@dataclass
class Clock:
    """One clock for the store (lockouts) and the session (idle timeout), moved by the test."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def use_clock(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    monkeypatch.setattr(context, "open_store", lambda url: open_store(url, clock=clock))
    monkeypatch.setattr(auth, "now", clock)


def app_store():  # noqa: ANN201 - the Store the app under test opened (one per process, cached)
    return context.get_store()


def new_app(lang: str = "es", **session: Any) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    for key, value in session.items():
        at.session_state[key] = value
    return at


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    button(at, {"es": "Entrar", "en": "Sign in"}[at.session_state["lang"]]).click()
    return at.run()


def button(at: AppTest, label: str):  # noqa: ANN201 - an AppTest Button
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} among {[b.label for b in at.button]}"
    return matches[0]


def has_sign_in_form(at: AppTest) -> bool:
    return any(w.key == "sign_in_username" for w in at.sidebar.text_input)


def alerts(at: AppTest) -> list[str]:
    """Errors, warnings, notes and confirmations, but not the demo-data banner every page carries."""
    banners = {i18n.t("app.demo_banner", lang) for lang in i18n.LANGUAGES}
    found = [str(e.value) for kind in ("error", "warning", "info", "success") for e in getattr(at, kind)]
    return [text for text in found if text not in banners]


def rendered_text(at: AppTest) -> str:
    """Everything the run sent to the browser, main area and sidebar: each element's message (Markdown, captions,
    metrics, alerts, widget labels and options, chart specs and data, tables) plus each table's cells."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))  # Arrow tables are bytes here; their ASCII text stays readable
        if type(node).__name__ in {"Dataframe", "Table"}:
            frame = node.value
            parts.append(frame.to_csv())
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    for root in (at.main, at.sidebar):
        walk(root)
    return "\n".join(parts)


def texts(elements: Iterable[Any]) -> list[str]:
    return [str(e.value) for e in elements]
