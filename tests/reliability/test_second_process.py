"""A second process on a DuckDB file another process holds gets a clear message, never a lock traceback.

DuckDB locks its file to the process that opened it. The command line run while the app is up, or a second app
instance, must say the file is in use and that several processes need PostgreSQL (the catalogue's
``errors.store_locked``), and exit or stop cleanly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.store.database import Store
from accompaniment.store.engine import duckdb_path

APP = str(Path(__file__).resolve().parents[2] / "app.py")
HOLDER = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(300)
"""


def cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``accompaniment`` command against ``url``, as an operator would."""
    script = Path(sys.executable).with_name("accompaniment")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "accompaniment.cli"]
    env = {**os.environ, "ACCOMPANIMENT_DATABASE_URL": url}
    return subprocess.run([*command, *args], env=env, capture_output=True, text=True, timeout=180)


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_cli_on_a_file_the_app_holds_says_it_is_in_use_and_points_to_postgresql(
    duckdb_store: Store, lang: str
) -> None:
    url = url_of(duckdb_store)
    with duckdb_store.read():  # this process is "the app": it holds the file
        result = cli("init", f"--lang={lang}", url=url)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    expected = i18n.t("errors.store_locked", lang, path=str(duckdb_path(url)))
    assert expected in result.stderr
    assert "PostgreSQL" in expected
    assert "ok:" not in result.stdout


@pytest.fixture
def held_file(tmp_path: Path) -> Iterator[Path]:
    """A DuckDB file held open by another process for the length of the test."""
    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield path
    finally:
        holder.kill()
        holder.wait(timeout=30)


@pytest.fixture
def clean_streamlit() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_second_app_instance_shows_the_file_in_use_message_and_no_traceback(
    held_file: Path, monkeypatch: pytest.MonkeyPatch, clean_streamlit: None
) -> None:
    monkeypatch.setenv("ACCOMPANIMENT_DATABASE_URL", f"duckdb:///{held_file}")
    monkeypatch.setenv("ACCOMPANIMENT_DEMO_ON_EMPTY", "false")
    monkeypatch.setenv("ACCOMPANIMENT_AUTO_BACKUP", "false")

    at = AppTest.from_file(APP, default_timeout=60).run()

    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [i18n.t("errors.store_locked", "es", path=str(held_file))]
