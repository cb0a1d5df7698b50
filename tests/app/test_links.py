"""Deep links (issue 13): ``?estado=`` opens a state's Secretariado, ``?compromiso=OAX-1-3`` a commitment,
``?lang=en`` the language; a choice made on the page is written back to the URL, so a reload (a new session
with the same URL) shows the same view. Unknown, malformed and hostile values, and another state's records
asked for by a secretariat, show a clear message and the nearest view the viewer may see: never an exception,
never anything private."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from tests.app import auth_support as s
from tests.app.conftest import APP, TIMEOUT, assert_rendered_cleanly, page_text
from tests.app.test_privacy import PRIVATE, seeded, seeded_template  # noqa: F401 - fixtures

SECRETARIAT, COMMITMENTS = "pages/secretariat.py", "pages/commitments.py"
OAXACA, CHIHUAHUA, TLAXCALA = "20", "08", "29"
TLAXCALA_SECRETARIAT = Actor(Role.SECRETARIAT, state_code=TLAXCALA, username="tlaxcala.x")
HOSTILE = ["99", "01", "' OR 1=1 --", "20; DROP TABLE state", "<script>alert('x')</script>", "<b>OAX</b>",
           "x" * 10_000, "Оахака 🇲🇽", "%00", ""]  # fmt: skip
HOSTILE_REFS = ["OAX-1-999", "OAX-9-1", "ZZZ-1-1", "OAX-1-6", *HOSTILE]  # fmt: skip


def open_link(
    page: str, actor: Actor | None = None, session_lang: str | None = "es", **params: str
) -> AppTest:
    """A new session opening ``page`` with the query ``params``, as ``actor`` (a link pasted in a new tab)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if session_lang is not None:
        at.session_state["lang"] = session_lang
    if actor is not None:
        at.session_state["actor"] = actor
    at.query_params.update(params)  # the first run (the app's root) sees them too, as in a browser
    at.run()
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def reload(at: AppTest, page: str, actor: Actor | None = None) -> AppTest:
    """The same URL opened again in a new session."""
    return open_link(
        page, actor, session_lang=None, **{k: v for k, v in at.query_params.items() if isinstance(v, str)}
    )


# ---- the state ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [OAXACA, "oax", "MX-OAX", "Oax"])
def test_a_state_link_opens_that_states_secretariado(demo_db, value):
    at = open_link(SECRETARIAT, estado=value)
    assert_rendered_cleanly(at)
    assert at.selectbox(key="secretariat_state").value == OAXACA
    assert not at.warning
    assert at.query_params["estado"] == OAXACA  # the URL names the state by its INEGI code


def test_choosing_a_state_writes_it_to_the_url_and_a_reload_shows_it(demo_db):
    at = open_link(SECRETARIAT, estado=OAXACA)
    at.selectbox(key="secretariat_state").set_value(CHIHUAHUA).run()
    assert at.query_params["estado"] == CHIHUAHUA
    again = reload(at, SECRETARIAT)
    assert_rendered_cleanly(again)
    assert again.selectbox(key="secretariat_state").value == CHIHUAHUA


def test_the_secretariado_without_a_state_in_the_link_writes_the_state_it_shows(demo_db):
    at = open_link(SECRETARIAT, actor=TLAXCALA_SECRETARIAT)
    assert at.selectbox(key="secretariat_state").value == TLAXCALA
    assert at.query_params["estado"] == TLAXCALA


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_an_unknown_or_hostile_state_says_so_and_shows_a_state_the_viewer_may_see(demo_db, value, lang):
    at = open_link(SECRETARIAT, session_lang=lang, estado=value)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert [w.value for w in at.warning] == [i18n.t("links.state_unknown", lang)]
    shown = at.selectbox(key="secretariat_state").value
    assert shown in at.selectbox(key="secretariat_state").options or shown
    assert at.query_params["estado"] == shown  # the URL now names what is shown
    if len(value) > 3:
        assert value not in page_text(at)


@pytest.mark.parametrize("value", ["' OR 1=1 --", "<script>alert('x')</script>", "x" * 10_000])
def test_a_secretariat_given_a_bad_state_link_falls_back_to_its_own_state(demo_db, value):
    at = open_link(SECRETARIAT, actor=TLAXCALA_SECRETARIAT, estado=value)
    assert not at.exception
    assert at.selectbox(key="secretariat_state").value == TLAXCALA


def test_another_states_secretariat_following_a_link_sees_only_the_public_profile(seeded):  # noqa: F811
    at = open_link(SECRETARIAT, actor=TLAXCALA_SECRETARIAT, estado=OAXACA)
    assert not at.exception
    assert at.selectbox(key="secretariat_state").value == OAXACA
    assert PRIVATE not in s.rendered_text(at).lower()
    assert not at.get("form")  # no milestone update or phase form for another state


def test_the_tab_title_names_the_state():
    from accompaniment.ui.links import tab_title

    assert tab_title("Oaxaca", i18n.t("nav.secretariat", "es")) == "Oaxaca · Secretariado · Monitor STL"


# ---- the language ------------------------------------------------------------------------------------------------


def test_a_language_link_opens_the_page_in_that_language(demo_db):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    assert at.session_state["lang"] == "en"
    assert_rendered_cleanly(at)
    assert i18n.t("overview.title", "en") in [t.value for t in at.title]


def test_the_language_stays_in_the_url_as_the_view_changes_and_a_reload_keeps_both(demo_db):
    at = open_link(SECRETARIAT, session_lang=None, estado=OAXACA, lang="en")
    at.selectbox(key="secretariat_state").set_value(CHIHUAHUA).run()
    assert (at.query_params["lang"], at.query_params["estado"]) == ("en", CHIHUAHUA)
    again = reload(at, SECRETARIAT)
    assert_rendered_cleanly(again)
    assert again.selectbox(key="secretariat_state").value == CHIHUAHUA
    assert i18n.t("secretariat.title", "en") in [t.value for t in again.title]


def test_spanish_the_default_needs_no_language_in_the_url(demo_db):
    at = open_link(SECRETARIAT, estado=OAXACA)
    assert "lang" not in at.query_params


@pytest.mark.parametrize("value", ["fr", "<b>en</b>", "x" * 10_000, "ｅｎ"])
def test_an_unknown_language_in_the_link_keeps_spanish_without_an_error(demo_db, value):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = value
    at.run()
    assert_rendered_cleanly(at)
    assert at.session_state["lang"] == "es"


# ---- the commitment ----------------------------------------------------------------------------------------------


def test_a_commitment_link_opens_that_commitment(demo_db):
    at = open_link(COMMITMENTS, compromiso="oax-1-3")
    assert_rendered_cleanly(at)
    assert at.query_params["compromiso"] == "OAX-1-3"
    text = page_text(at)
    assert "Fortalecimiento de la participación ciudadana" in text
    assert "Oaxaca" in text


def test_choosing_a_commitment_writes_its_reference_and_a_reload_shows_it(demo_db):
    at = open_link(COMMITMENTS, compromiso="OAX-1-3")
    box = at.selectbox(key="commitments_detail")
    box.select_index(1 if box.index == 0 else 0).run()  # another commitment: the first page's first or second
    written = at.query_params["compromiso"]
    assert written != "OAX-1-3"
    again = reload(at, COMMITMENTS)
    assert_rendered_cleanly(again)
    assert again.selectbox(key="commitments_detail").value == at.selectbox(key="commitments_detail").value


@pytest.mark.parametrize("value", HOSTILE_REFS)
def test_an_unknown_or_hostile_commitment_link_says_so_and_shows_the_list(demo_db, value):
    at = open_link(COMMITMENTS, compromiso=value)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert [w.value for w in at.warning] == [i18n.t("links.commitment_unknown")]
    assert at.selectbox(key="commitments_detail").value is not None  # the nearest view: the list and a detail
    if len(value) > 3:
        assert value not in page_text(at)


def test_another_states_secretariat_following_a_commitment_link_sees_it_without_update_forms(demo_db):
    at = open_link(COMMITMENTS, actor=TLAXCALA_SECRETARIAT, compromiso="OAX-1-3")
    assert_rendered_cleanly(at)
    assert "Fortalecimiento de la participación ciudadana" in page_text(at)
    assert not at.get("form")  # no milestone update or assessment form for another state's commitment


# ---- copy link ---------------------------------------------------------------------------------------------------


def shared_links(at: AppTest) -> list[str]:
    return [str(block.value) for block in at.code]


def test_the_secretariado_offers_its_link_to_copy_at_the_apps_address(demo_db):
    at = open_link(SECRETARIAT, estado="oax")
    assert "http://localhost:8501/secretariat?estado=20" in shared_links(at)


def test_the_link_to_copy_carries_the_language_when_it_is_not_spanish(demo_db):
    at = open_link(SECRETARIAT, session_lang=None, estado=OAXACA, lang="en")
    assert "http://localhost:8501/secretariat?estado=20&lang=en" in shared_links(at)


def test_a_commitment_offers_its_link_to_copy(demo_db):
    at = open_link(COMMITMENTS, compromiso="oax-1-3")
    assert "http://localhost:8501/commitments?compromiso=OAX-1-3" in shared_links(at)


# ---- the commitments' state filter -------------------------------------------------------------------------------


def test_a_state_link_to_the_commitments_filters_them_by_that_state(demo_db):
    at = open_link(COMMITMENTS, estado="oax")
    assert_rendered_cleanly(at)
    assert at.selectbox(key="commitments_state").value == OAXACA
    assert at.query_params["estado"] == OAXACA


def test_choosing_all_states_in_the_commitments_filter_drops_the_state_from_the_url(demo_db):
    at = open_link(COMMITMENTS, estado=OAXACA)
    at.selectbox(key="commitments_state").set_value(None).run()
    assert "estado" not in at.query_params
    at.selectbox(key="commitments_state").set_value(CHIHUAHUA).run()
    assert at.query_params["estado"] == CHIHUAHUA


@pytest.mark.parametrize("value", ["<b>x</b>", "x" * 10_000, "01"])
def test_a_bad_state_link_to_the_commitments_says_so_and_lists_every_state(demo_db, value):
    at = open_link(COMMITMENTS, estado=value)
    assert not at.exception
    assert [w.value for w in at.warning] == [i18n.t("links.state_unknown")]
    assert at.selectbox(key="commitments_state").value is None


def test_changing_the_state_filter_after_the_detail_was_written_to_the_url_shows_that_states_commitment(
    demo_db,
):
    """The regression of the first slice: the commitment the URL named (written there by the page itself) was kept
    in the detail's picker after the state filter changed, so the milestone form edited another state's commitment."""
    at = open_link(COMMITMENTS)
    assert at.query_params["compromiso"]  # the page wrote the commitment it shows
    at.selectbox(key="commitments_state").set_value("25").run()  # Sinaloa
    assert_rendered_cleanly(at)
    assert at.query_params["compromiso"].startswith("SIN-"), at.query_params["compromiso"]


def test_a_commitment_link_stays_chosen_while_the_person_works_on_it_then_gives_way_to_a_filter(demo_db):
    at = open_link(COMMITMENTS, compromiso="OAX-1-3")
    at.toggle(key="commitments_overdue").set_value(False).run()  # another run with the same filters
    assert at.query_params["compromiso"] == "OAX-1-3"
    at.selectbox(key="commitments_state").set_value("25").run()
    assert at.query_params["compromiso"].startswith("SIN-")


# ---- the open data at a stable URL -------------------------------------------------------------------------------


def test_the_data_package_page_names_the_stable_url_of_the_open_data(demo_db):
    at = open_link("pages/reports.py")
    assert_rendered_cleanly(at)
    assert "http://localhost:8501/app/static/open-data/datapackage.json" in shared_links(at)


# ---- the SDG goal ------------------------------------------------------------------------------------------------

AGENDA = "pages/agenda2030.py"


@pytest.mark.parametrize("value", ["5", "05", " 5 "])
def test_a_goal_link_opens_the_agenda_on_that_goal(demo_db, value):
    at = open_link(AGENDA, ods=value)
    assert_rendered_cleanly(at)
    assert at.selectbox(key="agenda_goal").value == 5
    assert at.query_params["ods"] == "5"


def test_choosing_a_goal_writes_it_to_the_url(demo_db):
    at = open_link(AGENDA)
    at.selectbox(key="agenda_goal").set_value(13).run()
    assert at.query_params["ods"] == "13"
    assert reload(at, AGENDA).selectbox(key="agenda_goal").value == 13


@pytest.mark.parametrize("value", ["0", "18", "-1", "5.5", *(v for v in HOSTILE if v != "01")])
def test_an_unknown_or_hostile_goal_says_so_and_shows_the_default_goal(demo_db, value):
    at = open_link(AGENDA, ods=value)
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [i18n.t("links.goal_unknown")]
    assert at.selectbox(key="agenda_goal").value == 16
    if len(value) > 3:
        assert value not in page_text(at)


# ---- the milestone -----------------------------------------------------------------------------------------------


SPECIALIST = Actor(Role.SPECIALIST, username="especialista")


def test_a_milestone_link_opens_its_commitment_with_that_milestone_in_the_update_form(demo_db):
    at = open_link(COMMITMENTS, actor=SPECIALIST, hito="oax-1-3-2")
    assert_rendered_cleanly(at)
    assert at.query_params["compromiso"] == "OAX-1-3"
    chosen = at.selectbox(key="commitments_detail").value
    picker = at.selectbox(key=f"milestone_pick_{chosen}")
    assert picker.format_func(picker.value).startswith(i18n.t("milestone_form.number", number=2) + " · ")


def test_the_public_following_a_milestone_link_sees_its_commitment(demo_db):
    at = open_link(COMMITMENTS, hito="OAX-1-3-2")
    assert_rendered_cleanly(at)
    assert not at.warning
    assert at.query_params["compromiso"] == "OAX-1-3"
    assert not at.get("form")


@pytest.mark.parametrize("value", ["OAX-1-3-99", "OAX-1-3", "OAX-1-3-0", *HOSTILE_REFS])
def test_an_unknown_or_hostile_milestone_link_says_so_and_shows_the_list(demo_db, value):
    at = open_link(COMMITMENTS, hito=value)
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [i18n.t("links.milestone_unknown")]
    assert "hito" not in at.query_params
    if len(value) > 3:
        assert value not in page_text(at)
