"""The co-creation scorecard's indicators on hand-made cases (domain.scorecard)."""

from __future__ import annotations

from datetime import date

import pytest

from accompaniment.domain.enums import AgreementStatus
from accompaniment.domain.scorecard import (
    INDICATORS,
    AgreementFacts,
    CommitmentFacts,
    Period,
    Quarter,
    Rating,
    SessionFacts,
    agreements_on_time_share,
    aligned_commitments_share,
    civil_society_share,
    days_since_last_session,
    government_share,
    median_closing_delay,
    minutes_share,
    public_summary_share,
    rate,
    scorecard,
    sessions_per_quarter,
    shown_indicators,
    women_share,
)

AS_OF = date(2026, 11, 26)
Q4 = Period.single(Quarter(2026, 4), AS_OF)
YEAR = Period.last_quarters(AS_OF, 4)  # 2026Q1..2026Q4


def session(
    day: date, *groups: tuple[str, str, int], public: bool = False, minutes: bool = False
) -> SessionFacts:
    return SessionFacts(day, has_public_summary=public, has_minutes=minutes, participants=tuple(groups))


def done(due: date | None, closed: date | None) -> AgreementFacts:
    return AgreementFacts(due, AgreementStatus.DONE, closed)


def test_a_period_of_four_quarters_ends_with_the_quarter_of_the_day_it_is_seen_and_stops_on_that_day() -> (
    None
):
    assert [q.code for q in YEAR.quarters] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert YEAR.start == date(2026, 1, 1) and YEAR.end == AS_OF
    assert Quarter(2025, 4).end == date(2025, 12, 31) and Quarter.of(date(2026, 2, 28)) == Quarter(2026, 1)


def test_an_empty_period_has_no_sessions_per_quarter_and_no_data_for_every_share() -> None:
    values = scorecard([], [], [], YEAR)
    assert values["sessions_per_quarter"] == 0.0
    for key in (
        "civil_society_share", "government_share", "women_share", "public_summary_share", "minutes_share",
        "agreements_on_time_share", "median_closing_delay", "aligned_commitments_share", "days_since_last_session",
    ):  # fmt: skip
        assert values[key] is None, key
        assert rate(key, values[key]) is Rating.NO_DATA


def test_sessions_per_quarter_counts_only_sessions_inside_the_period_and_not_after_the_day_it_is_seen() -> (
    None
):
    sessions = [
        session(date(2025, 12, 31)),  # before
        session(date(2026, 1, 1)),
        session(date(2026, 6, 30)),
        session(date(2026, 11, 26)),
        session(date(2026, 11, 27)),  # after the day it is seen
    ]
    assert sessions_per_quarter(sessions, YEAR) == 3 / 4
    assert sessions_per_quarter(sessions, Q4) == 1.0


def test_a_single_session_gives_each_share_from_its_own_participants() -> None:
    only = session(
        date(2026, 10, 5),
        ("civil_society", "women", 3),
        ("government", "men", 4),
        ("guarantor_body", "women", 1),
        ("facilitator", "women", 2),  # facilitators stay out of the shares
        public=True,
    )
    assert sessions_per_quarter([only], Q4) == 1.0
    assert civil_society_share([only], Q4) == pytest.approx(100 * 3 / 8)
    assert government_share([only], Q4) == pytest.approx(50.0)
    assert women_share([only], Q4) == pytest.approx(50.0)
    assert public_summary_share([only], Q4) == 100.0
    assert minutes_share([only], Q4) == 0.0
    assert days_since_last_session([only], AS_OF) == (AS_OF - date(2026, 10, 5)).days


def test_all_women_is_a_full_share_of_women_rated_low_for_balance() -> None:
    sessions = [session(date(2026, 10, 1), ("civil_society", "women", 5), ("government", "women", 2))]
    assert women_share(sessions, Q4) == 100.0
    assert rate("women_share", 100.0) is Rating.LOW


def test_no_civil_society_participant_is_a_zero_share_not_missing_data() -> None:
    sessions = [session(date(2026, 10, 1), ("government", "men", 5), ("guarantor_body", "women", 2))]
    assert civil_society_share(sessions, Q4) == 0.0
    assert rate("civil_society_share", 0.0) is Rating.LOW


def test_a_session_with_no_participants_logged_leaves_the_participant_shares_without_data() -> None:
    sessions = [session(date(2026, 10, 1), public=True)]
    assert civil_society_share(sessions, Q4) is None
    assert women_share(sessions, Q4) is None
    assert public_summary_share(sessions, Q4) == 100.0


def test_agreements_without_a_due_date_or_cancelled_are_left_out_of_the_timeliness_figures() -> None:
    agreements = [
        done(None, date(2026, 10, 3)),
        AgreementFacts(None, AgreementStatus.PENDING),
        AgreementFacts(date(2026, 10, 9), AgreementStatus.CANCELLED, date(2026, 10, 9)),
    ]
    assert agreements_on_time_share(agreements, Q4) is None
    assert median_closing_delay(agreements, Q4) is None


def test_agreements_on_time_count_those_done_by_their_due_date_among_those_due_in_the_period() -> None:
    agreements = [
        done(date(2026, 10, 10), date(2026, 10, 10)),  # on the day: on time, 0
        done(date(2026, 10, 10), date(2026, 10, 4)),  # early: on time, -6
        done(date(2026, 10, 10), date(2026, 10, 30)),  # late: 20
        AgreementFacts(date(2026, 11, 1), AgreementStatus.PENDING),  # due and open: not on time
        AgreementFacts(date(2026, 12, 15), AgreementStatus.PENDING),  # not due yet on AS_OF: out
        done(date(2026, 9, 30), date(2026, 9, 30)),  # due in the previous quarter: out
    ]
    assert agreements_on_time_share(agreements, Q4) == pytest.approx(50.0)
    assert median_closing_delay(agreements, Q4) == 0.0
    assert median_closing_delay(agreements[1:3], Q4) == pytest.approx(7.0)  # median of -6 and 20


def test_aligned_commitments_need_both_an_sdg_target_and_an_ogp_value() -> None:
    commitments = [
        CommitmentFacts(True, True),
        CommitmentFacts(True, False),
        CommitmentFacts(False, True),
        CommitmentFacts(True, True),
    ]
    assert aligned_commitments_share(commitments) == 50.0
    assert aligned_commitments_share([]) is None


def test_days_since_last_session_ignores_sessions_after_the_day_it_is_seen_and_has_no_data_without_one() -> (
    None
):
    sessions = [session(date(2026, 9, 1)), session(date(2026, 12, 1))]
    assert days_since_last_session(sessions, AS_OF) == (AS_OF - date(2026, 9, 1)).days
    assert days_since_last_session([], AS_OF) is None


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("sessions_per_quarter", 3.0, Rating.GOOD),
        ("sessions_per_quarter", 0.5, Rating.FAIR),  # OGP's minimum: one meeting every six months
        ("sessions_per_quarter", 0.25, Rating.LOW),
        ("government_share", 35.0, Rating.GOOD),
        ("government_share", 80.0, Rating.LOW),
        ("median_closing_delay", -3.0, Rating.GOOD),
        ("median_closing_delay", 12.0, Rating.FAIR),
        ("days_since_last_session", 61.0, Rating.LOW),
    ],
)
def test_each_rating_follows_the_indicators_thresholds(key: str, value: float, expected: Rating) -> None:
    assert rate(key, value) is expected


def test_every_indicator_names_its_source_and_the_public_sees_only_those_on_public_data() -> None:
    assert all(i.source for i in INDICATORS)
    public_keys = {i.key for i in shown_indicators(may_read_private=False)}
    assert "minutes_share" not in public_keys
    assert {i.key for i in shown_indicators(may_read_private=True)} == {i.key for i in INDICATORS}
