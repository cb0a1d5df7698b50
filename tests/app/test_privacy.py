"""Personal data and private notes never reach a public page or another state's view (DESIGN §6).

A member of Oaxaca's STL with a name, e-mail and phone, a dialogue session with a private summary and a workshop
with private notes are seeded with a unique marker; every public page is rendered as the public and as Tlaxcala's
secretariat, and no element of the main area or the sidebar may carry the marker. Public fields of the same records
carry another marker, which must show somewhere: the search looks where the data is drawn.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from accompaniment.access import PUBLIC, SYSTEM, Actor
from accompaniment.domain.enums import Role
from accompaniment.store import activity, secretariats
from accompaniment.store.database import open_store
from accompaniment.ui.navigation import PAGES, pages_for
from tests.app import auth_support as s

PRIVATE = "privmark-7f3a"  # compared case-insensitively
PUBLIC_MARK = "pubmark-9b1e"
OAXACA, TLAXCALA = "20", "29"
HELD_ON = date(2026, 11, 20)

VIEWERS = {
    "public": PUBLIC,
    "another_state_secretariat": Actor(Role.SECRETARIAT, state_code=TLAXCALA, username="tlaxcala.x"),
}


def seed_private_records(store) -> dict[str, int]:  # noqa: ANN001 - a Store
    member_id = secretariats.add_member(store, SYSTEM, {
        "state_code": OAXACA, "organization": f"Colectivo {PUBLIC_MARK.upper()}", "sector": "civil_society",
        "person_name": f"Ana {PRIVATE.upper()}", "person_email": f"{PRIVATE}@example.org",
        "person_phone": f"+52 951 {PRIVATE.upper()}",
    })  # fmt: skip
    session_id = activity.log_session(store, SYSTEM, {
        "state_code": OAXACA, "held_on": HELD_ON, "session_type": "plenary", "modality": "in_person",
        "topics": f"Agenda {PUBLIC_MARK.upper()}", "public_summary": f"Resumen público {PUBLIC_MARK.upper()}",
        "summary": f"Resumen privado {PRIVATE.upper()}: lo que se dijo en confianza",
        "participants": {"civil_society": {"women": 3, "men": 2}},
    })  # fmt: skip
    workshop_id = activity.log_workshop(store, SYSTEM, {
        "state_code": OAXACA, "held_on": HELD_ON, "title": f"Taller {PUBLIC_MARK.upper()}",
        "public_summary": f"Taller abierto {PUBLIC_MARK.upper()}", "notes": f"Notas privadas {PRIVATE.upper()}",
        "participants": {"government": {"women": 4, "men": 1}},
    })  # fmt: skip
    return {"member": member_id, "session": session_id, "workshop": workshop_id}


@pytest.fixture(scope="module")
def seeded_template(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    target = tmp_path_factory.mktemp("privacy") / "seeded.duckdb"
    shutil.copyfile(demo_template, target)
    store = open_store(f"duckdb:///{target}", upgrade=False)
    try:
        return target, seed_private_records(store)
    finally:
        store.close()


@pytest.fixture
def seeded(
    seeded_template: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict:
    s.use_database(seeded_template[0], tmp_path, monkeypatch)
    s.run_app_py_every_time(monkeypatch)
    return seeded_template[1]


def public_pages() -> list[str]:
    root = Path(s.APP).parent
    return [spec.path for spec in pages_for(PUBLIC) if (root / spec.path).is_file()]


def render(page: str, actor: Actor, state_code: str = OAXACA) -> str:
    """Everything ``page`` draws for ``actor``, with the Secretariado page opened on ``state_code``."""
    at = s.new_app(actor=actor, secretariat_state=state_code).run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, (page, [e.value for e in at.exception])
    return s.rendered_text(at).lower()


def test_every_public_page_is_in_the_privacy_walk() -> None:
    assert {"pages/overview.py", "pages/secretariat.py", "pages/commitments.py", "pages/agenda2030.py",
            "pages/training.py"} <= set(public_pages())  # fmt: skip
    assert all(Role.PUBLIC in spec.roles for spec in PAGES if spec.path in public_pages())


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_no_public_page_shows_personal_data_or_private_notes(seeded, viewer: str) -> None:
    shown_anywhere = ""
    for page in public_pages():
        text = render(page, VIEWERS[viewer])
        assert PRIVATE not in text, f"{page} shows private data to {viewer}"
        shown_anywhere += text
    assert PUBLIC_MARK in shown_anywhere  # the walk does see the seeded records' public fields


def test_the_walk_finds_personal_data_where_it_may_be_shown(seeded) -> None:
    """Oaxaca's own secretariat reads its members' personal data: the same walk finds the marker there."""
    own = Actor(Role.SECRETARIAT, state_code=OAXACA, username="oaxaca.x")
    assert PRIVATE in render("pages/secretariat.py", own)


# ---- the store hides the same fields from every path -------------------------------------------------------------


@pytest.fixture
def store(seeded_template: tuple[Path, dict[str, int]], tmp_path: Path):  # noqa: ANN201 - a Store
    target = tmp_path / "store.duckdb"
    shutil.copyfile(seeded_template[0], target)
    opened = open_store(f"duckdb:///{target}", upgrade=False)
    yield opened
    opened.close()


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_list_members_leaves_out_personal_data(store, viewer: str) -> None:
    members = secretariats.list_members(store, VIEWERS[viewer], OAXACA)
    assert not {"person_name", "person_email", "person_phone"} & set(members.columns)
    assert PRIVATE not in members.to_csv().lower()
    assert PUBLIC_MARK in members.to_csv().lower()


def test_list_members_shows_personal_data_to_the_own_states_secretariat(store) -> None:
    own = Actor(Role.SECRETARIAT, state_code=OAXACA, username="oaxaca.x")
    assert PRIVATE in secretariats.list_members(store, own, OAXACA).to_csv().lower()


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_get_session_and_get_workshop_leave_out_private_notes(store, seeded_template, viewer: str) -> None:
    ids = seeded_template[1]
    session = activity.get_session(store, VIEWERS[viewer], ids["session"])
    workshop = activity.get_workshop(store, VIEWERS[viewer], ids["workshop"])
    assert "summary" not in session and "notes" not in workshop
    assert PRIVATE not in repr(session).lower() + repr(workshop).lower()
    assert PUBLIC_MARK in session["public_summary"].lower()


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_session_and_workshop_lists_leave_out_private_notes(store, viewer: str) -> None:
    listed = activity.list_sessions(store, VIEWERS[viewer], OAXACA).to_csv().lower()
    listed += activity.list_workshops(store, VIEWERS[viewer], OAXACA).to_csv().lower()
    assert PRIVATE not in listed
    assert PUBLIC_MARK in listed
