"""The co-creation scorecard on the pages: one STL's indicators with a plain-language sentence each and their trend
by quarter (Secretariado), and the states × indicators comparison for the working group (Panorama nacional).

Values come from ``cached.scorecards``/``cached.scorecard_trends`` (the store already left out what the viewer may
not see); ratings and units from ``domain.scorecard``; colours from ``charts``. No user text is shown here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from accompaniment import charts
from accompaniment.access import Action, allowed
from accompaniment.domain import scorecard as definitions
from accompaniment.domain.enums import Role
from accompaniment.domain.scorecard import Period, Rating
from accompaniment.ui import cached, present, widgets
from accompaniment.ui.context import current_actor, t

RATING_ORDER = (Rating.GOOD, Rating.FAIR, Rating.LOW, Rating.NO_DATA)
RATING_BADGE = {Rating.GOOD: "blue", Rating.FAIR: "yellow", Rating.LOW: "orange", Rating.NO_DATA: "gray"}
RATING_ICON = {
    Rating.GOOD: ":material/check_circle:",
    Rating.FAIR: ":material/error:",
    Rating.LOW: ":material/warning:",
    Rating.NO_DATA: ":material/help:",
}
QUARTERS = 4
TREND_QUARTERS = 8


def titles() -> dict[str, str]:
    names = ("state_name", "indicator", "value", "rating", "meaning", "source", "quarter", "figure")
    shown = {name: t(f"scorecard.col.{name}") for name in names}
    return shown | {
        "indicator_label": shown["indicator"],
        "value_text": shown["value"],
        "rating_label": shown["rating"],
    }


def name(key: str) -> str:
    return t(f"scorecard.indicator.{key}.name")


def value_text(key: str, value: Any, short: bool = False) -> str:
    """A value in its unit and the reader's language; "sin datos" when the records do not allow it. ``short``: the
    bare number for a cell under the indicator's name (which names the unit), percentages keeping their sign."""
    if present.missing(value):
        return t("scorecard.no_data")
    unit = definitions.BY_KEY[key].unit
    if unit == "percent":
        return present.percent(value)
    if short:
        return present.number(value, 0 if float(value).is_integer() else 1)
    if unit == "per_quarter":
        return t("scorecard.unit.per_quarter", value=present.number(value, 1))
    decimals = 0 if float(value).is_integer() else 1
    return t("scorecard.unit.days", value=present.number(value, decimals))


def rating_label(rating: Rating) -> str:
    return t(f"scorecard.rating.{rating.value}")


def _rating(key: str, value: Any) -> Rating:
    return definitions.rate(key, None if present.missing(value) else float(value))


def shown_keys(frame: pd.DataFrame, periodic: bool = False) -> list[str]:
    keys = definitions.PERIODIC_KEYS if periodic else definitions.KEYS
    return [key for key in keys if key in frame.columns]


def _period(as_of: Any, quarters: int) -> Period:
    return Period.last_quarters(as_of, quarters)


def _public_note() -> None:
    if not allowed(current_actor(), Action.READ_PRIVATE_NOTES, None):
        st.caption(t("scorecard.public_note"))


# ---- one STL ---------------------------------------------------------------------------------------------------


def indicator_rows(record: dict[str, Any], keys: list[str]) -> pd.DataFrame:
    """One readable row per indicator: name, value, rating, what it means, source."""
    rows = []
    for key in keys:
        value = record.get(key)
        rows.append(
            {
                "indicator": name(key),
                "value": value_text(key, value),
                "rating": rating_label(_rating(key, value)),
                "meaning": t(f"scorecard.indicator.{key}.meaning"),
                "source": t(f"scorecard.source.{definitions.BY_KEY[key].source}"),
            }
        )
    names = titles()
    return pd.DataFrame(rows, columns=list(names)[1:6]).rename(columns=names)


def state_card(code: str) -> None:
    """The STL's scorecard over the last four quarters and each periodic indicator's trend by quarter."""
    who = cached.viewer()
    today = present.today()
    frame = cached.scorecards(*who, today, QUARTERS, code)  # this state's rows only: read what the tab shows
    chosen = frame[frame["state_code"] == code]
    if chosen.empty:
        widgets.empty(t("scorecard.empty"))
        return
    record = chosen.iloc[0].to_dict()
    period = _period(today, QUARTERS)
    st.subheader(t("scorecard.title"))
    st.caption(t("scorecard.intro", start=present.day(period.start), end=present.day(period.end)))
    _public_note()
    keys = shown_keys(frame)
    for start in range(0, len(keys), 2):
        for column, key in zip(st.columns(2), keys[start : start + 2], strict=False):
            with column.container(border=True):
                rating = _rating(key, record.get(key))
                source = t(f"scorecard.source.{definitions.BY_KEY[key].source}")
                st.metric(
                    name(key),
                    value_text(key, record.get(key)),
                    help=t("scorecard.source_line", source=source),
                )
                st.badge(rating_label(rating), icon=RATING_ICON[rating], color=RATING_BADGE[rating])
                st.caption(t(f"scorecard.indicator.{key}.meaning"))
    widgets.numbers(indicator_rows(record, keys), key=f"scorecard_{code}", title=t("scorecard.numbers"))
    trend(cached.scorecard_trends(*who, code, today, TREND_QUARTERS), code)


def trend_rows(trends: pd.DataFrame, key: str) -> pd.DataFrame:
    """One indicator's quarters for the chart: quarter, value (float or NaN), value_text, rating_label."""
    values = pd.to_numeric(trends[key], errors="coerce") if len(trends) else pd.Series(dtype=float)
    return pd.DataFrame(
        {
            "quarter": list(trends["quarter"]),
            "value": list(values),
            "value_text": [value_text(key, v) for v in trends[key]],
            "rating_label": [rating_label(_rating(key, v)) for v in trends[key]],
        }
    )


def trend(trends: pd.DataFrame, code: str) -> None:
    st.subheader(t("scorecard.trend_title"))
    st.caption(t("scorecard.trend_intro"))
    keys = shown_keys(trends, periodic=True)
    key = widgets.choice(t("scorecard.trend_pick"), {k: name(k) for k in keys}, key=f"scorecard_trend_{code}")
    rows = trend_rows(trends, key)
    figure = charts.indicator_trend(rows, titles=titles(), value_title=name(key))
    table = pd.DataFrame(
        {t("scorecard.col.quarter"): list(trends["quarter"])}
        | {name(k): [value_text(k, v) for v in trends[k]] for k in keys}
    )
    csv = trends[["quarter", *keys]]
    widgets.chart(
        figure, table, key=f"scorecard_trend_{code}", description=t("scorecard.trend_description"), csv=csv
    )


# ---- the states side by side -----------------------------------------------------------------------------------


def comparison_cells(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One cell per state and indicator: state_name, indicator_label, value_text, rating_label."""
    rows = [
        {
            "state_name": record["state_name"],
            "indicator_label": name(key),
            "value_text": value_text(key, record[key], short=True),
            "rating_label": rating_label(_rating(key, record[key])),
        }
        for record in frame.to_dict("records")
        for key in keys
    ]
    return pd.DataFrame(rows, columns=["state_name", "indicator_label", "value_text", "rating_label"])


def sorted_states(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """States by name, or by an indicator's value (best first for its thresholds; "sin datos" last)."""
    if by is None or by not in frame.columns:
        return frame.sort_values("state_name")
    lower_is_better = definitions.BY_KEY[by].good[0] == -definitions.INF
    values = pd.to_numeric(frame[by], errors="coerce")
    order = values.sort_values(ascending=lower_is_better, na_position="last", kind="stable").index
    return frame.loc[order]


def comparison() -> None:
    """The working group's states × indicators comparison: a sortable heat map and its table twin.

    Drawn on request (a toggle, on by default for the working group): its reads aggregate every state's sessions,
    participants and agreements of a year, the overview's heaviest by far at national scale (benchmarks, ratio g),
    so the overview's first run does not pay for them unless the reader wants them."""
    st.subheader(t("scorecard.comparison_title"))
    role = current_actor().role  # a toggle per role: signing in as the working group finds it on
    shown = st.toggle(
        t("scorecard.show_comparison"), value=role is Role.WORKING_GROUP, key=f"scorecard_compare_{role}"
    )
    if not shown:
        st.caption(t("scorecard.comparison_hint"))
        return
    who = cached.viewer()
    today = present.today()
    frame = cached.scorecards(*who, today, QUARTERS)
    if frame.empty:
        widgets.empty(t("scorecard.empty"))
        return
    period = _period(today, QUARTERS)
    st.caption(t("scorecard.comparison_intro"))
    st.caption(t("scorecard.intro", start=present.day(period.start), end=present.day(period.end)))
    _public_note()
    keys = shown_keys(frame)
    by = widgets.choice(
        t("scorecard.sort_by"),
        {k: name(k) for k in keys},
        key="scorecard_sort",
        everything=t("scorecard.by_name"),
    )
    ordered = sorted_states(frame, by)
    figure = charts.scorecard_heatmap(
        comparison_cells(ordered, keys),
        titles=titles(),
        indicators=[name(k) for k in keys],
        states=list(ordered["state_name"]),
        rating_labels=[rating_label(r) for r in RATING_ORDER],
    )
    numeric = ordered[["state_name", *keys]].rename(columns={"state_name": t("scorecard.col.state_name")})
    table = numeric.rename(columns={k: name(k) for k in keys})
    for key in keys:  # numbers stay numbers, so a click on a header sorts the table by value
        table[name(key)] = pd.to_numeric(table[name(key)], errors="coerce").round(1)
    widgets.chart(
        figure,
        table,
        key="scorecard_comparison",
        description=t("scorecard.comparison_description"),
        csv=ordered[["state_code", "state_name", *keys]],
    )
