"""Co-creation quality: the indicators of an STL's dialogue, each defined once with its formula, source and thresholds.

The working group asks whether each STL is a real multi-actor space, in the terms of OGP's Participation and
Co-Creation Standards (2021) and the IRM's co-creation assessments (docs/scorecard.md cites each one). Each indicator
below is a pure function of the logged records (sessions with their participants, agreements, commitments) over a
period of whole calendar quarters. The store computes the same figures in SQL (``store.scorecard``), through the
same ``share``/``per_quarter``/``median_days`` helpers, and its tests check the two agree on the demo data.

A value is a number, or None ("sin datos") when the records do not allow the indicator: a share with nothing to
divide by, a median of no agreements, the days since a session that never happened. Shares are percentages (0–100).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import median

from accompaniment.domain.enums import AgreementStatus, Gender, Sector

INF = math.inf


class Rating(StrEnum):
    GOOD = "good"
    FAIR = "fair"
    LOW = "low"
    NO_DATA = "no_data"


# ---- periods of whole quarters ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int  # 1–4

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        following = self.next()
        return following.start - timedelta(days=1)

    @property
    def code(self) -> str:
        """``2026Q4``: the quarter's key in tables and exports."""
        return f"{self.year}Q{self.quarter}"

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar quarters from ``first`` to ``last``, seen on ``as_of``: nothing after ``as_of`` counts."""

    first: Quarter
    last: Quarter
    as_of: date

    @classmethod
    def last_quarters(cls, as_of: date, count: int = 4) -> Period:
        """The ``count`` quarters ending with the one holding ``as_of`` (the default scorecard: about a year)."""
        last = Quarter.of(as_of)
        first = last
        for _ in range(count - 1):
            first = first.previous()
        return cls(first, last, as_of)

    @classmethod
    def single(cls, quarter: Quarter, as_of: date) -> Period:
        return cls(quarter, quarter, as_of)

    @property
    def quarters(self) -> list[Quarter]:
        shown, quarter = [], self.first
        while quarter <= self.last:
            shown.append(quarter)
            quarter = quarter.next()
        return shown

    @property
    def start(self) -> date:
        return self.first.start

    @property
    def end(self) -> date:
        """The last day that counts: the last quarter's end, or ``as_of`` if earlier."""
        return min(self.last.end, self.as_of)

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


# ---- the facts the indicators read -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFacts:
    """A live dialogue session: its date, whether its public summary and its (private) minutes are written, and its
    participants as (sector, gender, count) groups."""

    held_on: date
    has_public_summary: bool = False
    has_minutes: bool = False
    participants: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class AgreementFacts:
    due_date: date | None
    status: AgreementStatus = AgreementStatus.PENDING
    closed_on: date | None = None


@dataclass(frozen=True)
class CommitmentFacts:
    """A live commitment of the state's current plan: whether it names an SDG target and an OGP value."""

    has_sdg_target: bool = False
    has_ogp_value: bool = False


# ---- shared arithmetic (the store's figures go through these too) ----------------------------------------------


def share(part: float | None, whole: float | None) -> float | None:
    """``part`` as a percentage of ``whole``; None when there is nothing to divide by."""
    if not whole:
        return None
    return 100.0 * float(part or 0) / float(whole)


def per_quarter(count: float | None, quarters: int) -> float | None:
    return None if quarters <= 0 else float(count or 0) / quarters


def median_days(days: Iterable[int]) -> float | None:
    values = list(days)
    return float(median(values)) if values else None


def days_between(earlier: date | None, later: date) -> int | None:
    return None if earlier is None else (later - earlier).days


# Facilitators help the STL but are not one of its sectors, so they stay out of the balance and gender shares.
COUNTED_OUT_SECTORS = frozenset({Sector.FACILITATOR.value})


def _participants(sessions: Iterable[SessionFacts]) -> list[tuple[str, str, int]]:
    return [group for s in sessions for group in s.participants if group[0] not in COUNTED_OUT_SECTORS]


def _in_period(sessions: Iterable[SessionFacts], period: Period) -> list[SessionFacts]:
    return [s for s in sessions if period.holds(s.held_on)]


# ---- the indicators' formulas ---------------------------------------------------------------------------------


def sessions_per_quarter(sessions: Sequence[SessionFacts], period: Period) -> float | None:
    """Sessions held in the period ÷ the period's quarters (no session is a real 0, not a missing figure)."""
    return per_quarter(len(_in_period(sessions, period)), len(period.quarters))


def _sector_share(sessions: Sequence[SessionFacts], period: Period, sectors: frozenset[str]) -> float | None:
    groups = _participants(_in_period(sessions, period))
    return share(sum(c for s, _, c in groups if s in sectors), sum(c for _, _, c in groups))


CIVIL_SOCIETY_SECTORS = frozenset({Sector.CIVIL_SOCIETY.value})
GOVERNMENT_SECTORS = frozenset({Sector.GOVERNMENT.value})


def civil_society_share(sessions: Sequence[SessionFacts], period: Period) -> float | None:
    """Civil-society participants ÷ all participants (facilitators aside) of the period's sessions."""
    return _sector_share(sessions, period, CIVIL_SOCIETY_SECTORS)


def government_share(sessions: Sequence[SessionFacts], period: Period) -> float | None:
    """State-government participants ÷ all participants (facilitators aside) of the period's sessions."""
    return _sector_share(sessions, period, GOVERNMENT_SECTORS)


def women_share(sessions: Sequence[SessionFacts], period: Period) -> float | None:
    """Women ÷ all participants (facilitators aside; 'other or undisclosed' counts in the whole)."""
    groups = _participants(_in_period(sessions, period))
    return share(sum(c for _, g, c in groups if g == Gender.WOMEN.value), sum(c for _, _, c in groups))


def public_summary_share(sessions: Sequence[SessionFacts], period: Period) -> float | None:
    """Sessions of the period with a public summary ÷ the period's sessions."""
    held = _in_period(sessions, period)
    return share(sum(1 for s in held if s.has_public_summary), len(held))


def minutes_share(sessions: Sequence[SessionFacts], period: Period) -> float | None:
    """Sessions of the period whose (private) minutes are written ÷ the period's sessions."""
    held = _in_period(sessions, period)
    return share(sum(1 for s in held if s.has_minutes), len(held))


def _due_in_period(agreements: Iterable[AgreementFacts], period: Period) -> list[AgreementFacts]:
    """Agreements due within the period (so already due by its end), cancelled ones aside."""
    return [a for a in agreements if period.holds(a.due_date) and a.status != AgreementStatus.CANCELLED]


def closed_on_time(agreement: AgreementFacts) -> bool:
    return (
        agreement.status == AgreementStatus.DONE
        and agreement.closed_on is not None
        and agreement.due_date is not None
        and agreement.closed_on <= agreement.due_date
    )


def agreements_on_time_share(agreements: Sequence[AgreementFacts], period: Period) -> float | None:
    """Agreements due in the period and done by their due date ÷ agreements due in the period (cancelled ones and
    those without a due date aside)."""
    due = _due_in_period(agreements, period)
    return share(sum(1 for a in due if closed_on_time(a)), len(due))


def median_closing_delay(agreements: Sequence[AgreementFacts], period: Period) -> float | None:
    """Median of (closed on − due date) in days over the agreements due in the period and done (negative: early)."""
    closed = [
        a for a in _due_in_period(agreements, period) if a.status == AgreementStatus.DONE and a.closed_on
    ]
    return median_days((a.closed_on - a.due_date).days for a in closed)  # type: ignore[operator]


def aligned_commitments_share(commitments: Sequence[CommitmentFacts]) -> float | None:
    """Commitments of the current plan naming an SDG target and an OGP value ÷ its commitments."""
    return share(sum(1 for c in commitments if c.has_sdg_target and c.has_ogp_value), len(commitments))


def days_since_last_session(sessions: Sequence[SessionFacts], as_of: date) -> int | None:
    """Days from the latest session held on or before ``as_of`` to ``as_of`` (of all time, not only the period)."""
    held = [s.held_on for s in sessions if s.held_on <= as_of]
    return days_between(max(held) if held else None, as_of)


# ---- the indicators ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One indicator: its key (catalogue ``scorecard.indicator.<key>``), the source it reflects (a citation key of
    docs/scorecard.md), its unit, its thresholds as closed ranges (``good`` first, then ``fair``; anything else is
    low), whether it rests only on public data, and whether it is measured per period (else: a state of affairs)."""

    key: str
    source: str
    unit: str  # "per_quarter" | "percent" | "days"
    good: tuple[float, float]
    fair: tuple[float, float]
    public: bool = True
    periodic: bool = True


INDICATORS: tuple[Indicator, ...] = (
    Indicator("sessions_per_quarter", "ogp-s1", "per_quarter", (3, INF), (0.5, INF)),
    Indicator("civil_society_share", "ogp-s1", "percent", (30, 100), (15, 100)),
    Indicator("government_share", "ogp-s1", "percent", (20, 50), (10, 65)),
    Indicator("women_share", "ogp-inclusion", "percent", (40, 60), (30, 70)),
    Indicator("public_summary_share", "ogp-s2", "percent", (80, 100), (50, 100)),
    Indicator("minutes_share", "ogp-s2", "percent", (90, 100), (60, 100), public=False),
    Indicator("agreements_on_time_share", "ogp-s4", "percent", (80, 100), (50, 100)),
    Indicator("median_closing_delay", "ogp-s5", "days", (-INF, 0), (-INF, 30)),
    Indicator("aligned_commitments_share", "irm-design", "percent", (90, 100), (60, 100), periodic=False),
    Indicator("days_since_last_session", "ogp-s1", "days", (-INF, 30), (-INF, 60), periodic=False),
)
BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
PERIODIC_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS if i.periodic)


def shown_indicators(may_read_private: bool) -> tuple[Indicator, ...]:
    """The indicators a viewer sees: those resting on private fields only for who may read private notes."""
    return tuple(i for i in INDICATORS if i.public or may_read_private)


def rate(indicator: Indicator | str, value: float | None) -> Rating:
    chosen = BY_KEY[indicator] if isinstance(indicator, str) else indicator
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Rating.NO_DATA
    for rating, (low, high) in ((Rating.GOOD, chosen.good), (Rating.FAIR, chosen.fair)):
        if low <= value <= high:
            return rating
    return Rating.LOW


_PERIOD_FORMULAS: dict[
    str, Callable[[Sequence[SessionFacts], Sequence[AgreementFacts], Period], float | None]
] = {
    "sessions_per_quarter": lambda s, a, p: sessions_per_quarter(s, p),
    "civil_society_share": lambda s, a, p: civil_society_share(s, p),
    "government_share": lambda s, a, p: government_share(s, p),
    "women_share": lambda s, a, p: women_share(s, p),
    "public_summary_share": lambda s, a, p: public_summary_share(s, p),
    "minutes_share": lambda s, a, p: minutes_share(s, p),
    "agreements_on_time_share": lambda s, a, p: agreements_on_time_share(a, p),
    "median_closing_delay": lambda s, a, p: median_closing_delay(a, p),
}


def scorecard(
    sessions: Sequence[SessionFacts],
    agreements: Sequence[AgreementFacts],
    commitments: Sequence[CommitmentFacts],
    period: Period,
) -> dict[str, float | None]:
    """Every indicator of one STL over ``period``, by key (None: "sin datos")."""
    values: dict[str, float | None] = {
        key: formula(sessions, agreements, period) for key, formula in _PERIOD_FORMULAS.items()
    }
    values["aligned_commitments_share"] = aligned_commitments_share(commitments)
    last = days_since_last_session(sessions, period.as_of)
    values["days_since_last_session"] = None if last is None else float(last)
    return {key: values[key] for key in KEYS}
