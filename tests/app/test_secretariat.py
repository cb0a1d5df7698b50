"""Secretariado: a state's profile, its real first-plan commitments, and profiles without commitments."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.ui import widgets
from tests.app.conftest import LANGS_AND_VIEWERS, VIEWERS, assert_rendered_cleanly, open_app, page_text

PAGE = "pages/secretariat.py"
OAXACA, CHIHUAHUA = "20", "08"
DATA = Path(__file__).resolve().parents[2] / "data"


def oaxaca_first_plan_titles() -> list[str]:
    with (DATA / "stl_commitments.csv").open(encoding="utf-8") as fh:
        return [row["title_es"] for row in csv.DictReader(fh) if row["state_name"] == "Oaxaca"]


def open_state(code: str, lang: str = "es", viewer: str = "public"):
    return open_app(lang, VIEWERS[viewer], PAGE, secretariat_state=code)


def listed_titles(at, lang: str = "es") -> list[str]:
    column = i18n.t("col.title", lang)
    return [title for frame in at.dataframe if column in frame.value.columns for title in frame.value[column]]


@pytest.mark.parametrize(("lang", "viewer"), LANGS_AND_VIEWERS)
def test_secretariat_of_oaxaca_renders_for_each_viewer_in_each_language(demo_db, lang, viewer):
    at = open_state(OAXACA, lang, viewer)
    assert_rendered_cleanly(at)
    assert at.selectbox(key="secretariat_state").value == OAXACA


def test_secretariat_of_oaxaca_lists_its_six_real_first_plan_commitments(demo_db):
    titles = oaxaca_first_plan_titles()
    assert len(titles) == 6
    at = open_state(OAXACA)
    assert set(titles) <= set(listed_titles(at))


def test_secretariat_of_oaxaca_lists_its_real_commitments_without_demo_data(reference_db):
    at = open_state(OAXACA)
    assert_rendered_cleanly(at)
    assert set(oaxaca_first_plan_titles()) <= set(listed_titles(at))


def test_a_state_without_commitments_still_has_a_profile(demo_db):
    at = open_state(CHIHUAHUA)
    assert_rendered_cleanly(at)
    assert i18n.t("secretariat.no_commitments") in page_text(at)
    assert "Chihuahua" in page_text(at)  # its members and events are listed


def test_secretariat_starts_on_the_home_state_when_one_is_set(demo_db):
    at = open_app(page=PAGE, home_state=OAXACA)
    assert at.selectbox(key="secretariat_state").value == OAXACA


def test_choosing_another_state_shows_its_profile(demo_db):
    at = open_app(page=PAGE)
    at.selectbox(key="secretariat_state").set_value(OAXACA).run()
    assert_rendered_cleanly(at)
    assert set(oaxaca_first_plan_titles()) <= set(listed_titles(at))


def test_secretariat_members_show_no_personal_data_to_the_public(demo_db):
    at = open_state(OAXACA)
    headers = {column for frame in at.dataframe for column in frame.value.columns}
    assert i18n.t("col.person_name") not in headers
    assert i18n.t("col.person_email") not in headers


def test_secretariat_commitment_detail_shows_milestones_and_evidence_links(demo_db):
    at = open_state(OAXACA)
    evidence = [m.value for m in at.markdown if i18n.t("commitment.evidence") in m.value]
    assert evidence, "the first commitment's evidence links are listed"
    assert all("](https://" in line for line in evidence[0].splitlines()[2:])


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_reader_picks_a_year_and_sees_that_years_sessions_and_workshops(demo_db, lang):
    from datetime import date

    from accompaniment.access import PUBLIC
    from accompaniment.store import activity
    from accompaniment.store.database import open_store

    store = open_store(f"duckdb:///{demo_db}")
    try:
        years = activity.activity_years(store, PUBLIC, OAXACA)
        year = years[1]  # a past, whole year
        period = {"held_from": date(year, 1, 1), "held_to": date(year, 12, 31), "limit": 500}
        sessions = len(activity.list_sessions(store, PUBLIC, OAXACA, **period))
        workshops = len(activity.list_workshops(store, PUBLIC, OAXACA, **period))
    finally:
        store.close()
    at = open_state(OAXACA, lang)
    picker = at.selectbox(key=f"activity_period_{OAXACA}")
    assert picker.value is None and picker.options[1:] == [str(y) for y in years]

    picker.set_value(year).run()

    assert_rendered_cleanly(at)
    said = i18n.t("secretariat.year_activity", lang, year=year, sessions=sessions, workshops=workshops)
    assert said in [caption.value for caption in at.caption]
    held = i18n.t("col.held_on_text", lang)
    shown = [frame.value[held] for frame in at.dataframe if held in frame.value.columns][0]
    assert len(shown) == sessions + workshops and all(text.endswith(str(year)) for text in shown)


# ---- issue 21, items 8 and 9: what is pending, the sessions one by one, a commitment's links ----------------------

SECRETARIAT = Actor(Role.SECRETARIAT, state_code=OAXACA, username="oaxaca.sec")
TOPICS = "Revisión del tablero de obra pública (prueba AppTest)"
PUBLIC_SUMMARY = "El STL acordó publicar el avance trimestral (prueba AppTest)."
PRIVATE_SUMMARY = "NOTA-PRIVADA-APPTEST: desacuerdo entre la contraloría y las OSC."
LINKED = "Acuerdo vinculado al primer compromiso (prueba AppTest)"


def log_session(demo_db: Path, **agreement: object) -> int:
    """A session of Oaxaca held yesterday with distinctive texts, and one agreement (``agreement`` overrides)."""
    from accompaniment.access import SYSTEM
    from accompaniment.store import activity
    from accompaniment.store.database import open_store

    store = open_store(f"duckdb:///{demo_db}")
    try:
        return activity.log_session(store, SYSTEM, {
            "state_code": OAXACA, "held_on": date.today() - timedelta(days=1), "session_type": "working_table",
            "modality": "online", "topics": TOPICS, "public_summary": PUBLIC_SUMMARY, "summary": PRIVATE_SUMMARY,
            "participants": {"civil_society": {"women": 3, "men": 2}, "government": {"men": 4}},
            "agreements": [{"text": LINKED, "responsible_sector": "government", **agreement}],
        })  # fmt: skip
    finally:
        store.close()


def first_listed_commitment(demo_db: Path) -> int:
    """The commitment Secretariado details first for Oaxaca (the first of its list)."""
    from accompaniment.access import PUBLIC
    from accompaniment.store import dashboard
    from accompaniment.store.database import open_store

    store = open_store(f"duckdb:///{demo_db}")
    try:
        return int(dashboard.list_commitments(store, PUBLIC, state_code=OAXACA, limit=1)["id"].iloc[0])
    finally:
        store.close()


def sessions_tab(at) -> str:
    """The text of the "Sesiones de diálogo" tab."""
    tab = next(tab for tab in at.tabs if tab.label == i18n.t("secretariat.tab.sessions"))
    texts = [str(e.value) for e in [*tab.markdown, *tab.caption]] + [str(e.label) for e in tab.expander]
    for table in tab.table:
        texts += [str(v) for v in table.value.to_numpy().ravel()] + [str(c) for c in table.value.columns]
    return "\n".join(texts)


def test_the_public_reads_each_sessions_topics_and_public_summary_but_never_its_private_summary(demo_db):
    log_session(demo_db)

    at = open_state(OAXACA)

    assert_rendered_cleanly(at)
    shown = sessions_tab(at)
    assert widgets.escape_markdown(TOPICS) in shown
    assert widgets.escape_markdown(PUBLIC_SUMMARY) in shown
    assert "NOTA" not in page_text(at) and i18n.t("secretariat.sessions.private_summary") not in shown
    assert LINKED in shown  # its agreements, with the participants by sector and gender
    assert i18n.t("enum.Sector.civil_society") in shown and i18n.t("enum.Gender.women") in shown


def test_the_working_group_reads_the_private_summary_of_each_session(demo_db):
    log_session(demo_db)

    at = open_state(OAXACA, viewer="working_group")

    assert_rendered_cleanly(at)
    assert widgets.escape_markdown(PRIVATE_SUMMARY) in sessions_tab(at)


def test_the_sessions_are_listed_ten_to_a_page(demo_db):
    at = open_state(OAXACA)
    tab = next(tab for tab in at.tabs if tab.label == i18n.t("secretariat.tab.sessions"))
    assert len(tab.expander) == 10


def test_a_commitments_detail_leaves_out_unknown_facts_and_says_sin_valorar_for_its_assessment(demo_db):
    at = open_state(OAXACA)

    facts = next(table.value for table in at.table if i18n.t("col.verifiable") in set(table.value.iloc[:, 0]))
    shown = dict(zip(facts.iloc[:, 0], facts.iloc[:, 1], strict=True))
    assert i18n.t("col.period") not in shown  # the real first plan's commitments carry no dates
    assert i18n.t("col.public_problem") not in shown
    assert i18n.t("common.none") not in shown.values()
    unassessed = i18n.t("assessment.unassessed")
    assessment = [shown[i18n.t(f"col.{name}")] for name in ("verifiable", "ambition", "early_results")]
    assert assessment == [unassessed] * 3


def test_a_commitments_detail_lists_the_agreements_linked_to_it_and_the_sessions_that_took_them(demo_db):
    log_session(demo_db, commitment_id=first_listed_commitment(demo_db))

    at = open_state(OAXACA)

    assert_rendered_cleanly(at)
    agreements = next(f.value for f in at.dataframe if i18n.t("col.session_held_on") in f.value.columns
                      and i18n.t("col.text") in f.value.columns)  # fmt: skip
    assert LINKED in set(agreements[i18n.t("col.text")])
    sessions = next(f.value for f in at.dataframe if i18n.t("col.linked_agreements") in f.value.columns)
    assert TOPICS in set(sessions[i18n.t("col.topics")])


def test_a_secretariat_lands_on_its_pending_items_with_the_update_form_of_a_pending_milestone(demo_db):
    at = open_app(actor=SECRETARIAT, page=PAGE)

    assert_rendered_cleanly(at)
    assert at.tabs[0].label == i18n.t("secretariat.tab.pending")
    pending = at.tabs[0]
    assert any(i18n.t("secretariat.pending.summary").split("**")[1] in m.value for m in pending.markdown)
    overdue_by = i18n.t("secretariat.pending.overdue_by", days=0).split("0")[0]
    situation = i18n.t("col.status_text")
    listed = [v for f in pending.dataframe if situation in f.value.columns for v in f.value[situation]]
    assert listed and listed[0].startswith(overdue_by)  # the most overdue first, named with its days
    picker = at.selectbox(key=f"pending_pick_{OAXACA}")
    assert picker.options and picker.options[0].startswith(overdue_by)
    assert at.selectbox(key=f"milestone_{picker.value}_status")  # the form of the milestone picked


def test_completing_a_pending_milestone_confirms_it_and_takes_it_off_the_list(demo_db):
    at = open_app(actor=SECRETARIAT, page=PAGE)
    pending = len(at.selectbox(key=f"pending_pick_{OAXACA}").options)
    picked = at.selectbox(key=f"pending_pick_{OAXACA}").value
    at.selectbox(key=f"milestone_{picked}_status").set_value("complete")
    at.text_input(key=f"milestone_{picked}_evidence_url").input("https://example.org/minuta-firmada.pdf")
    at.button(key=f"milestone_save_{picked}").click()
    at.run()

    assert_rendered_cleanly(at)
    assert any("guardada" in str(success.value) for success in at.tabs[0].success)
    assert at.selectbox(key=f"pending_pick_{OAXACA}").value != picked
    assert len(at.selectbox(key=f"pending_pick_{OAXACA}").options) == pending - 1


def test_the_public_reads_the_pending_items_but_gets_no_form(demo_db):
    at = open_app(page=PAGE, secretariat_state=OAXACA, secretariat_tab=i18n.t("secretariat.tab.pending"))

    assert_rendered_cleanly(at)
    assert at.tabs[0].label == i18n.t("secretariat.tab.phases")
    pending = next(tab for tab in at.tabs if tab.label == i18n.t("secretariat.tab.pending"))
    assert pending.dataframe
    keys = {str(w.key) for w in [*at.selectbox, *at.button, *at.text_input] if w.key}
    assert not any(k.startswith(("milestone_", "pending_pick_")) for k in keys)
