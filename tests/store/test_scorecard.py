"""The scorecard's SQL figures (store.scorecard) equal the domain's definitions (domain.scorecard) on the demo data,
on both backends; the public does not get the indicators that rest on private fields."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from accompaniment import i18n
from accompaniment.demo import load_demo
from accompaniment.domain import scorecard as definitions
from accompaniment.domain.enums import AgreementStatus
from accompaniment.domain.scorecard import AgreementFacts, CommitmentFacts, Period, SessionFacts
from accompaniment.io.datapackage import build_datapackage
from accompaniment.store import archive, scorecard
from accompaniment.store.database import Store
from accompaniment.store.export_queries import PUBLIC_ENTITIES, export_table
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    participation,
)
from tests.conftest import ACTORS, FIXED_NOW, OAXACA
from tests.store.builders import log_session

TODAY = FIXED_NOW.date()


def _facts(store: Store) -> tuple[dict, dict, dict]:
    """Each state's sessions, agreements and current-plan commitments, read row by row as the domain sees them."""
    sessions: dict[str, list[SessionFacts]] = defaultdict(list)
    agreements: dict[str, list[AgreementFacts]] = defaultdict(list)
    commitments: dict[str, list[CommitmentFacts]] = defaultdict(list)
    with store.read() as connection:
        groups: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
        for row in connection.execute(select(participation).where(participation.c.session_id.is_not(None))):
            groups[row.session_id].append((row.sector, row.gender, row.count))
        live_sessions = connection.execute(
            select(dialogue_session).where(dialogue_session.c.archived_at.is_(None))
        )
        state_of = {}
        for row in live_sessions:
            state_of[row.id] = row.state_code
            sessions[row.state_code].append(
                SessionFacts(
                    row.held_on,
                    has_public_summary=bool(row.public_summary.strip()),
                    has_minutes=bool(row.summary.strip()),
                    participants=tuple(groups[row.id]),
                )
            )
        for row in connection.execute(select(agreement).where(agreement.c.archived_at.is_(None))):
            if row.session_id in state_of:
                agreements[state_of[row.session_id]].append(
                    AgreementFacts(row.due_date, AgreementStatus(row.status), row.closed_on)
                )
        plans = connection.execute(select(action_plan).where(action_plan.c.archived_at.is_(None))).all()
        latest = {}
        for plan in plans:
            if plan.state_code not in latest or plan.number > latest[plan.state_code].number:
                latest[plan.state_code] = plan
        current = {plan.id: plan.state_code for plan in latest.values()}
        targets = {r.commitment_id for r in connection.execute(select(commitment_sdg_target))}
        values = {r.commitment_id for r in connection.execute(select(commitment_ogp_value))}
        for row in connection.execute(select(commitment).where(commitment.c.archived_at.is_(None))):
            if row.plan_id in current:
                commitments[current[row.plan_id]].append(CommitmentFacts(row.id in targets, row.id in values))
    return sessions, agreements, commitments


def _same(sql: float | None, domain: float | None) -> bool:
    if domain is None:
        return sql is None or sql != sql  # None, or NaN in a float column
    return sql == pytest.approx(domain)


@pytest.fixture
def demo_store(store: Store) -> Store:
    load_demo(store)
    return store


def test_each_states_sql_figures_equal_the_domain_definitions_on_the_demo_data(demo_store: Store) -> None:
    period = Period.last_quarters(TODAY, 4)
    sessions, agreements, commitments = _facts(demo_store)
    frame = scorecard.state_scorecards(demo_store, ACTORS["admin"], period)
    assert len(frame) == 15
    checked = 0
    for row in frame.to_dict("records"):
        code = row["state_code"]
        expected = definitions.scorecard(sessions[code], agreements[code], commitments[code], period)
        for key in definitions.KEYS:
            assert _same(row[key], expected[key]), (code, key, row[key], expected[key])
            checked += expected[key] is not None
    assert (
        checked > 15 * 5
    )  # the demo gives most indicators a value, so the comparison is not of empty figures


def test_each_quarters_sql_figures_equal_the_domain_definitions_on_the_demo_data(demo_store: Store) -> None:
    period = Period.last_quarters(TODAY, 8)
    sessions, agreements, _ = _facts(demo_store)
    trends = scorecard.scorecard_trends(demo_store, ACTORS["working_group"], period)
    assert len(trends) == 15 * 8
    for row in trends.to_dict("records"):
        quarter = scorecard.quarter_from_code(row["quarter"])
        expected = definitions.scorecard(
            sessions[row["state_code"]], agreements[row["state_code"]], [], Period.single(quarter, TODAY)
        )
        for key in definitions.PERIODIC_KEYS:
            assert _same(row[key], expected[key]), (row["state_code"], row["quarter"], key)


def test_the_public_and_a_secretariat_get_no_indicator_resting_on_private_fields(demo_store: Store) -> None:
    for actor in (ACTORS["public"], ACTORS["secretariat_own"]):
        frame = scorecard.state_scorecards(demo_store, actor)
        assert "minutes_share" not in frame.columns
        assert "women_share" in frame.columns
        assert "minutes_share" not in scorecard.scorecard_trends(demo_store, actor, state_code=OAXACA).columns
    assert "minutes_share" in scorecard.state_scorecard(demo_store, ACTORS["specialist"], OAXACA)


def test_an_archived_session_and_its_participants_drop_out_of_the_scorecard(store: Store) -> None:
    period = Period.single(definitions.Quarter.of(TODAY), TODAY)
    before = scorecard.state_scorecard(store, ACTORS["admin"], OAXACA, period)
    session_id = log_session(store, held_on=date(2026, 11, 2))
    logged = scorecard.state_scorecard(store, ACTORS["admin"], OAXACA, period)
    assert logged["sessions_per_quarter"] == before["sessions_per_quarter"] + 1
    assert logged["days_since_last_session"] == (TODAY - date(2026, 11, 2)).days
    archive.archive(store, ACTORS["admin"], "dialogue_session", session_id, 1)
    assert scorecard.state_scorecard(store, ACTORS["admin"], OAXACA, period) == before


def test_the_scorecard_export_holds_each_state_and_quarter_as_the_trends_do(demo_store: Store) -> None:
    public = export_table(demo_store, ACTORS["public"], "scorecard")
    assert "scorecard" in PUBLIC_ENTITIES
    assert public.primary_key == ("state_code", "quarter")
    assert "minutes_share" not in public.column_names
    assert len(public.rows) == 15 * 8
    trends = scorecard.scorecard_trends(demo_store, ACTORS["public"], Period.last_quarters(TODAY, 8))
    expected = {(r["state_code"], r["quarter"]): r for r in trends.to_dict("records")}
    for row in public.rows:
        record = dict(zip(public.column_names, row, strict=True))
        wanted = expected[(record["state_code"], record["quarter"])]
        for key in definitions.PERIODIC_KEYS:
            if key in record:
                assert _same(record[key], None if wanted[key] != wanted[key] else round(wanted[key], 4)), key
    staff = export_table(demo_store, ACTORS["working_group"], "scorecard", state_code=OAXACA)
    assert "minutes_share" in staff.column_names and {row[0] for row in staff.rows} == {OAXACA}


def test_the_data_package_describes_each_indicator_with_its_formula_and_source(demo_store: Store) -> None:
    files = build_datapackage(demo_store, "en")
    descriptor = json.loads(files["datapackage.json"])
    resource = next(r for r in descriptor["resources"] if r["name"] == "scorecard")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    women = fields["women_share"]
    assert women["title"] == i18n.t("scorecard.indicator.women_share.name", "en")
    assert i18n.t("scorecard.indicator.women_share.formula", "en") in women["description"]
    assert "Participation and Co-Creation Standards" in women["description"]
    assert "minutes_share" not in fields
    assert b"minutes_share" not in files["data/scorecard.csv"]
