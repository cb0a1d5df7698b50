"""The evidence download page (issue 12): the link an export or a milestone gives for a file serves a public file
to anyone, a private one only to who may read it, and never says to the public that a private file exists."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store.database import open_store
from accompaniment.store.evidence_files import store_evidence_file
from tests.app.conftest import APP, TIMEOUT, assert_rendered_cleanly
from tests.app.conftest import page_text as raw_text

OAXACA = "20"
SPECIALIST = Actor(Role.SPECIALIST, username="especialista")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def files(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """One public and one private PDF of Oaxaca, by name → SHA-256."""
    monkeypatch.setenv("ACCOMPANIMENT_EVIDENCE_DIR", str(tmp_path / "evidence"))
    store = open_store(f"duckdb:///{demo_db}")
    try:
        public = store_evidence_file(
            store, SPECIALIST, OAXACA, "acta-publica.pdf", io.BytesIO(PDF), is_public=True
        )
        private = store_evidence_file(store, SPECIALIST, OAXACA, "minuta-interna.pdf", io.BytesIO(PDF + b"x"))
    finally:
        store.close()
    return {"public": public.sha256, "private": private.sha256}


def page_text(at: AppTest) -> str:
    """The page's text with Markdown's escapes removed (a file name is shown escaped)."""
    return raw_text(at).replace("\\", "")


def open_download(archivo: str, actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "es"
    if actor is not None:
        at.session_state["actor"] = actor
    at.query_params["archivo"] = archivo
    at.run()
    at.switch_page("pages/evidence.py")
    at.query_params["archivo"] = archivo
    return at.run()


def test_a_public_file_is_offered_to_the_public_with_its_name_and_hash(files) -> None:  # noqa: ANN001
    at = open_download(files["public"])
    assert_rendered_cleanly(at)
    text = page_text(at)
    assert "acta-publica.pdf" in text and files["public"] in text
    assert [button.label for button in at.get("download_button")] == ["Descargar el archivo"]


def test_a_private_file_is_not_offered_to_the_public_and_reads_like_a_missing_one(files) -> None:  # noqa: ANN001
    private, missing = open_download(files["private"]), open_download("0" * 64)
    for at in (private, missing):
        assert_rendered_cleanly(at)
        assert not at.get("download_button")
        assert "no está disponible para usted" in page_text(at)
    assert "minuta-interna" not in page_text(private)
    assert page_text(private) == page_text(missing)


def test_staff_who_may_read_a_private_file_get_it(files) -> None:  # noqa: ANN001
    at = open_download(files["private"], actor=SPECIALIST)
    assert "minuta-interna.pdf" in page_text(at)
    assert at.get("download_button")


@pytest.mark.parametrize(
    "value", ["", "abc", "'; DROP TABLE evidence_file; --", "<b>x</b>", "á" * 64, "f" * 10_000]
)
def test_a_malformed_link_says_so_without_a_traceback(files, value: str) -> None:  # noqa: ANN001
    at = open_download(value)
    assert_rendered_cleanly(at)
    assert "no nombra un archivo de evidencia" in page_text(at)
    assert not at.get("download_button")


def test_the_page_is_reachable_by_link_but_not_listed_in_the_menu() -> None:
    from accompaniment.access import PUBLIC
    from accompaniment.ui.navigation import menu_pages_for, pages_for

    spec = next(spec for spec in pages_for(PUBLIC) if spec.path == "pages/evidence.py")
    assert (spec.url_path, spec.hidden) == ("evidencia", True)
    assert spec not in menu_pages_for(PUBLIC)
