"""Every chart of the dashboard: Altair builders that take a DataFrame and return a chart, with one shared theme.

Builders never translate or query: the caller passes frames whose label columns are already in the reader's
language (``phase_label``, ``gender_label``…) and a ``titles`` mapping from field name to its translated title.
All colours live here. Categorical palettes are Okabe–Ito (safe for the common colour-vision deficiencies);
ordered scales run light to dark in colour-blind-safe ramps (viridis for phases 0–4, ending in a near-black for
phase 5 so that the last two phases stay apart, also for the common dichromacies; ColorBrewer YlGnBu for
progress); the SDG colours are
the United Nations' official ones and come with the data. Every mark carries a tooltip, and no chart needs the
network: Streamlit bundles Vega, and nothing here loads tiles, fonts or data from a URL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd
from altair.utils.schemapi import disable_debug_mode

# Altair's debug mode validates every part of a chart against the Vega-Lite JSON schema as it is built, for better
# tracebacks while writing charts; on a page that cost more than building the charts and drawing them (a third of
# the overview's first run). The builders are fixed code, and the whole spec is still validated once when
# Streamlit converts it (``to_dict``), as the chart tests do, so a wrong spec still fails loudly.
disable_debug_mode()

FONT = "sans-serif"
TEXT = "#1B2631"
MUTED = "#5D6D7E"
PRIMARY = "#00689D"
OUTSIDE_PROGRAMME = "#D9D9D9"  # the 17 states outside the programme
NO_DATA = "#FFFFFF"  # a programme state with nothing to colour yet
TILE_STROKE = "#1B2631"
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Phases 0–5: viridis up to phase 4; viridis' own last step (#440154) was a purple that read as phase 4's indigo
# (CIEDE2000 18.5, about 11 for deuteranopia), so phase 5 is a near-black: 27 apart, and 26 or more for each
# dichromacy (tests/unit/test_charts.py measures it).
PHASE_COLOURS = ("#FDE725", "#7AD151", "#22A884", "#2A788E", "#414487", "#120612")
DARK_PHASE_FROM = 3  # phases drawn dark enough to need white labels
PROGRESS_RANGE = ("#EDF8B1", "#41B6C4", "#0C2C84")  # 0, 50, 100 %
DARK_PROGRESS_FROM = 60
GENDER_COLOURS = ("#E69F00", "#0072B2", "#009E73")  # women, men, other/undisclosed
STATUS_COLOURS = {"done": "#009E73", "overdue": "#D55E00", "pending": "#56B4E9", "cancelled": "#999999"}
MEASURE_COLOURS = ("#56B4E9", "#0072B2", "#CC79A7")  # applicants, fellows, of whom women
STALLED = "#D55E00"  # Okabe–Ito vermillion: the stalled STLs' marker, on any phase or progress colour
TILE = 58  # px per tile of the map

Titles = Mapping[str, str]


def themed(chart: alt.TopLevelMixin, title: str | None = None) -> alt.TopLevelMixin:
    """Apply the one theme: font, muted axes, no view frame, legends below."""
    if title:
        chart = chart.properties(title=alt.TitleParams(title, anchor="start", fontSize=15, color=TEXT))
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(
            labelColor=TEXT, titleColor=MUTED, gridColor="#E5E8EB", domainColor="#AAB7B8", labelLimit=220
        )
        .configure_legend(orient="bottom", labelColor=TEXT, titleColor=MUTED, labelLimit=260)
    )


def _tip(field: str, titles: Titles, kind: str = "N") -> alt.Tooltip:
    return alt.Tooltip(f"{field}:{kind}", title=titles.get(field, field))


def _tips(fields: Sequence[str], titles: Titles) -> list[alt.Tooltip]:
    return [_tip(field, titles) for field in fields]


def time_axis(month_names: Sequence[str] | None, **kwargs: object) -> alt.Axis:
    """A time axis labelled "ene 2017" / "Jan 2017" in the reader's language (Vega's own names are English)."""
    if not month_names:
        return alt.Axis(**kwargs)
    names = json.dumps(list(month_names), ensure_ascii=False)
    return alt.Axis(labelExpr=f"{names}[month(datum.value)] + ' ' + year(datum.value)", **kwargs)


def _palette(domain: Sequence[str], colours: Sequence[str]) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=[colours[i % len(colours)] for i in range(len(domain))])


# ---- the map ---------------------------------------------------------------------------------------------------


def state_tile_map(
    df: pd.DataFrame,
    *,
    colour_by: str,
    titles: Titles,
    phase_labels: Sequence[str],
    tooltip: Sequence[str],
    stalled_label: str | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """A tile-grid cartogram of the 32 states: one square per state at (grid_row, grid_col).

    Columns: state_name, short_name, programme (bool), grid_row, grid_col, phase, phase_label, progress (0–100 or
    null), and the ``tooltip`` fields (text, already formatted). ``colour_by`` is "progress" or "phase"; states
    outside the programme are grey, programme states without the measure white, both with their label.
    With ``stalled_label`` (and a ``stalled`` bool column), each stalled programme state gets a vermillion triangle
    in its corner, named in the legend by that label: a symbol, so it reads on every phase or progress colour.
    """
    base = alt.Chart(df).encode(
        x=alt.X("grid_col:O", axis=None),
        y=alt.Y("grid_row:O", axis=None),
        tooltip=_tips(tooltip, titles),
    )
    tiles = base.mark_rect(cornerRadius=4, strokeWidth=1.5).encode(
        fill=alt.when(alt.datum.programme).then(alt.value(NO_DATA)).otherwise(alt.value(OUTSIDE_PROGRAMME)),
        stroke=alt.when(alt.datum.programme).then(alt.value(TILE_STROKE)).otherwise(alt.value("#FFFFFF")),
    )
    if colour_by == "phase":
        measure = alt.Color(
            "phase_label:O", title=titles.get("phase_label"), scale=_palette(phase_labels, PHASE_COLOURS),
            legend=alt.Legend(columns=3, symbolType="square"),
        )  # fmt: skip
        valid = "datum.programme && isValid(datum.phase)"
        dark = f"datum.phase >= {DARK_PHASE_FROM}"
    else:
        measure = alt.Color(
            "progress:Q", title=titles.get("progress"),
            scale=alt.Scale(domain=[0, 50, 100], range=list(PROGRESS_RANGE)), legend=alt.Legend(format="d"),
        )  # fmt: skip
        valid = "datum.programme && isValid(datum.progress)"
        dark = f"datum.progress >= {DARK_PROGRESS_FROM}"
    coloured = (
        base.transform_filter(valid)
        .mark_rect(cornerRadius=4, stroke=TILE_STROKE, strokeWidth=1.5)
        .encode(color=measure)
    )
    labels = base.mark_text(fontSize=11, fontWeight="bold").encode(
        text="short_name:N",
        color=alt.when(f"({valid}) && {dark}")
        .then(alt.value("#FFFFFF"))
        .when(alt.datum.programme)
        .then(alt.value(TEXT))
        .otherwise(alt.value(MUTED)),
    )
    rows = int(df["grid_row"].max()) + 1 if len(df) else 1
    cols = int(df["grid_col"].max()) + 1 if len(df) else 1
    layers = [tiles, coloured, labels]
    if stalled_label is not None:
        layers.append(_stalled_marker(base, stalled_label))
    chart = alt.layer(*layers).properties(width=cols * TILE, height=rows * TILE)
    return themed(chart, title)


def _stalled_marker(base: alt.Chart, label: str) -> alt.Chart:
    """A triangle in the top-right corner of each stalled programme tile, clear of the state's label."""
    corner = TILE * 0.3
    return (
        base.transform_filter("datum.programme && datum.stalled")
        .transform_calculate(stalled_mark=json.dumps(label, ensure_ascii=False))
        .mark_point(shape="triangle-up", filled=True, size=120, opacity=1, color=STALLED, stroke=TILE_STROKE,
                    strokeWidth=1, xOffset=corner, yOffset=-corner)  # fmt: skip
        .encode(
            shape=alt.Shape(
                "stalled_mark:N", title=None, scale=alt.Scale(domain=[label], range=["triangle-up"]),
                legend=alt.Legend(symbolFillColor=STALLED, symbolStrokeColor=TILE_STROKE, symbolSize=120),
            )
        )
    )  # fmt: skip


# ---- national overview -----------------------------------------------------------------------------------------


def progress_by_state(
    df: pd.DataFrame,
    *,
    titles: Titles,
    tooltip: Sequence[str],
    no_plan_label: str | None = None,
    title: str | None = None,
):
    """Horizontal bars of each programme state's progress (0–100), best first.

    Columns: state_name, progress (null: no plan to measure), and the ``tooltip`` fields. A state without progress
    has no bar; with ``no_plan_label`` it gets that text where its bar would start, so its row is not just empty.
    """
    bars = (
        alt.Chart(df)
        .mark_bar(color=PRIMARY, cornerRadiusEnd=3)
        .encode(x=alt.X("progress:Q", title=titles.get("progress"), scale=alt.Scale(domain=[0, 100])))
    )
    layers = [bars]
    if no_plan_label is not None:
        layers.append(
            alt.Chart(df)
            .transform_filter("!isValid(datum.progress)")
            .transform_calculate(no_plan=json.dumps(no_plan_label, ensure_ascii=False))
            .mark_text(align="left", baseline="middle", dx=4, color=MUTED, fontStyle="italic")
            .encode(x=alt.datum(0), text="no_plan:N")
        )
    chart = (
        alt.layer(*layers)
        .encode(
            # "max": a domain shared by layers keeps only a sort by an aggregate (a state has one row anyway).
            y=alt.Y(
                "state_name:N",
                title=None,
                sort=alt.EncodingSortField("progress", op="max", order="descending"),
            ),  # fmt: skip
            tooltip=_tips(tooltip, titles),
        )
        .properties(width="container", height=alt.Step(22))
    )
    return themed(chart, title)


def phase_by_state(
    df: pd.DataFrame,
    *,
    titles: Titles,
    phase_labels: Sequence[str],
    tooltip: Sequence[str],
    title: str | None = None,
):
    """Each STL's phase as a dot on the ordered phase axis (every phase shown, empty or not).

    Columns: state_name, phase, phase_label, and the ``tooltip`` fields.
    """
    scale = _palette(phase_labels, PHASE_COLOURS)
    dots = (
        alt.Chart(df)
        .mark_circle(size=220, opacity=1, stroke=TILE_STROKE, strokeWidth=1)
        .encode(
            y=alt.Y("state_name:N", title=None, sort=alt.EncodingSortField("phase", order="descending")),
            x=alt.X(
                "phase_label:O",
                title=titles.get("phase_label"),
                scale=alt.Scale(domain=list(phase_labels)),
                axis=alt.Axis(labelAngle=-30, labelLimit=140),
            ),
            color=alt.Color("phase_label:O", scale=scale, legend=None),
            tooltip=_tips(tooltip, titles),
        )
        .properties(width="container", height=alt.Step(22))
    )
    return themed(dots, title)


def activity_by_month(
    df: pd.DataFrame,
    *,
    titles: Titles,
    kind_labels: Sequence[str],
    value: str = "activities",
    title: str | None = None,
):
    """Stacked monthly bars of sessions and workshops.

    Columns: month (first day), month_label (in the reader's language), kind_label, ``value``, and the text
    columns named in the tooltip (month_label, kind_label, ``value``).
    """
    order = list(dict.fromkeys(df.sort_values("month")["month_label"])) if len(df) else []
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("month_label:O", title=None, sort=order, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(f"{value}:Q", title=titles.get(value), axis=alt.Axis(format="d")),
            color=alt.Color(
                "kind_label:N", title=titles.get("kind_label"), scale=_palette(kind_labels, OKABE_ITO)
            ),
            tooltip=[_tip("month_label", titles), _tip("kind_label", titles), _tip(value, titles, "Q")],
        )
        .properties(width="container", height=260)
    )
    return themed(bars, title)


# ---- shared bar shapes -----------------------------------------------------------------------------------------


def gender_split_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    titles: Titles,
    gender_labels: Sequence[str],
    title: str | None = None,
):
    """Horizontal bars per ``category`` (a sector, a state), stacked by gender.

    Columns: ``category``, gender_label, ``value``. Gender colours follow ``gender_labels`` (women, men, other).
    """
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N", title=None, sort=alt.EncodingSortField(value, op="sum", order="descending")
            ),
            x=alt.X(f"{value}:Q", title=titles.get(value), axis=alt.Axis(format="d")),
            color=alt.Color(
                "gender_label:N",
                title=titles.get("gender_label"),
                scale=_palette(gender_labels, GENDER_COLOURS),
            ),
            order=alt.Order("gender_label:N"),
            tooltip=[_tip(category, titles), _tip("gender_label", titles), _tip(value, titles, "Q")],
        )
        .properties(width="container", height=alt.Step(24))
    )
    return themed(bars, title)


def count_bars(df: pd.DataFrame, *, category: str, value: str, titles: Titles, title: str | None = None):
    """Plain horizontal bars of a count per ``category`` (members by sector, commitments by goal)."""
    bars = (
        alt.Chart(df)
        .mark_bar(color=PRIMARY, cornerRadiusEnd=3)
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=alt.EncodingSortField(value, order="descending")),
            x=alt.X(f"{value}:Q", title=titles.get(value), axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[_tip(category, titles), _tip(value, titles, "Q")],
        )
        .properties(width="container", height=alt.Step(24))
    )
    return themed(bars, title)


# ---- Agenda 2030 -----------------------------------------------------------------------------------------------


def sdg_matrix(
    df: pd.DataFrame, *, titles: Titles, states: Sequence[str] | None = None, title: str | None = None
) -> alt.LayerChart:
    """States × the 17 SDGs, each cell filled with the goal's official colour; the count as text.

    Columns: state_name, goal (1–17), goal_label, colour (hex, from the data), commitments. Every goal has a
    column and every state in ``states`` a row, so empty cells read as empty.
    """
    x = alt.X("goal:O", title=titles.get("goal"), scale=alt.Scale(domain=list(range(1, 18))),
              axis=alt.Axis(labelAngle=0, orient="top"))  # fmt: skip
    y = alt.Y("state_name:N", title=None, scale=alt.Scale(domain=list(states)) if states else alt.Undefined)
    tips = [_tip("state_name", titles), _tip("goal_label", titles), _tip("commitments", titles, "Q")]
    base = alt.Chart(df).encode(x=x, y=y, tooltip=tips)
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=1).encode(
        color=alt.Color("colour:N", scale=None, legend=None)
    )
    counts = base.mark_text(color="#FFFFFF", fontWeight="bold").encode(text="commitments:Q")
    chart = alt.layer(cells, counts).properties(width="container", height=alt.Step(24))
    return themed(chart, title)


# ---- one STL ---------------------------------------------------------------------------------------------------


def milestone_gantt(
    df: pd.DataFrame,
    *,
    titles: Titles,
    status_labels: Mapping[str, str],
    today: pd.Timestamp,
    tooltip: Sequence[str],
    month_names: Sequence[str] | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """Milestones as bars from ``start`` to ``due_date``, coloured done / overdue / pending, with today as a rule.

    Columns: row_label (one per milestone, unique), start, due_date (dates), status_key (done, overdue, pending,
    cancelled), status_label, and the ``tooltip`` fields. ``status_labels`` maps each status_key to its label.
    The "today" rule is drawn only when the schedule reaches within a year of today, so an old plan keeps its scale.
    """
    keys = [k for k in STATUS_COLOURS if k in status_labels]
    colour = alt.Color(
        "status_label:N", title=titles.get("status_label"),
        scale=alt.Scale(domain=[status_labels[k] for k in keys], range=[STATUS_COLOURS[k] for k in keys]),
    )  # fmt: skip
    order = list(dict.fromkeys(df["row_label"])) if len(df) else []
    y = alt.Y("row_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(df).encode(y=y, color=colour, tooltip=_tips(tooltip, titles))
    bars = base.mark_bar(height=10, cornerRadius=3, opacity=0.55).encode(
        x=alt.X("start:T", title=titles.get("due_date"), axis=time_axis(month_names)), x2="due_date:T"
    )
    due = base.mark_point(filled=True, size=90, shape="diamond", opacity=1).encode(x="due_date:T")
    rule = (
        alt.Chart(pd.DataFrame({"today": [today], "today_label": [titles.get("today", "")]}))
        .mark_rule(color=TEXT, strokeDash=[4, 3])
        .encode(x="today:T", tooltip=[alt.Tooltip("today_label:N", title=titles.get("today"))])
    )
    recent = len(df) and pd.to_datetime(df["due_date"]).max() >= today - pd.Timedelta(days=365)
    layers = [bars, due, rule] if recent else [bars, due]
    chart = alt.layer(*layers).properties(width="container", height=alt.Step(20))
    return themed(chart, title)


def phase_timeline(
    df: pd.DataFrame,
    *,
    titles: Titles,
    phase_labels: Sequence[str],
    tooltip: Sequence[str],
    month_names: Sequence[str] | None = None,
    title: str | None = None,
):
    """The STL's phases as consecutive bars on a time axis, one row per phase (ordered 0–5).

    Columns: phase_label, start, end (dates; the current phase ends today), and the ``tooltip`` fields.
    """
    scale = _palette(phase_labels, PHASE_COLOURS)
    bars = (
        alt.Chart(df)
        .mark_bar(height=14, cornerRadius=3, stroke=TILE_STROKE, strokeWidth=0.5)
        .encode(
            y=alt.Y("phase_label:O", title=None, scale=alt.Scale(domain=list(phase_labels))),
            x=alt.X("start:T", title=None, axis=time_axis(month_names)),
            x2="end:T",
            color=alt.Color("phase_label:O", scale=scale, legend=None),
            tooltip=_tips(tooltip, titles),
        )
        .properties(width="container", height=alt.Step(24))
    )
    return themed(bars, title)


def activity_timeline(
    df: pd.DataFrame,
    *,
    titles: Titles,
    kind_labels: Sequence[str],
    tooltip: Sequence[str],
    month_names: Sequence[str] | None = None,
    title: str | None = None,
):
    """Sessions and workshops as dots on a time axis, sized by participants.

    Columns: held_on (date), kind_label, participant_total, and the ``tooltip`` fields.
    """
    dots = (
        alt.Chart(df)
        .mark_circle(opacity=0.8, stroke=TILE_STROKE, strokeWidth=0.5)
        .encode(
            x=alt.X("held_on:T", title=None, axis=time_axis(month_names)),
            y=alt.Y("kind_label:N", title=None, scale=alt.Scale(domain=list(kind_labels))),
            size=alt.Size(
                "participant_total:Q", title=titles.get("participant_total"), scale=alt.Scale(range=[30, 400])
            ),
            color=alt.Color("kind_label:N", scale=_palette(kind_labels, OKABE_ITO), legend=None),
            tooltip=_tips(tooltip, titles),
        )
        .properties(width="container", height=alt.Step(48))
    )
    return themed(dots, title)


# ---- training programme ----------------------------------------------------------------------------------------


def applicants_vs_fellows(
    df: pd.DataFrame, *, titles: Titles, measure_labels: Sequence[str], title: str | None = None
):
    """Grouped bars per call: applicants, fellows and women fellows side by side.

    Columns: year_label, measure_label, value, value_text (the figure as published, e.g. "más de 400").
    """
    bars = (
        alt.Chart(df)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X("year_label:N", title=titles.get("year_label"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure_label:N", sort=list(measure_labels)),
            y=alt.Y("value:Q", title=titles.get("value"), axis=alt.Axis(format="d")),
            color=alt.Color("measure_label:N", title=None, scale=_palette(measure_labels, MEASURE_COLOURS)),
            tooltip=[_tip("year_label", titles), _tip("measure_label", titles), _tip("value_text", titles)],
        )
        .properties(width="container", height=280)
    )
    return themed(bars, title)


# ---- co-creation scorecard (issue 16) --------------------------------------------------------------------------

# good, fair, low, no data: light blue, yellow and salmon (apart for the common dichromacies); dark text on each.
RATING_COLOURS = ("#92C5DE", "#FEE08B", "#F4A582", "#FFFFFF")


def scorecard_heatmap(
    df: pd.DataFrame,
    *,
    titles: Titles,
    indicators: Sequence[str],
    states: Sequence[str],
    rating_labels: Sequence[str],
    title: str | None = None,
) -> alt.LayerChart:
    """States × indicators, each cell coloured by its rating (``rating_labels``: good, fair, low, no data) with the
    value as text. Columns: state_name, indicator_label, rating_label, value_text."""
    x = alt.X("indicator_label:N", title=None, scale=alt.Scale(domain=list(indicators)),
              axis=alt.Axis(labelAngle=-35, orient="top", labelLimit=180))  # fmt: skip
    y = alt.Y("state_name:N", title=None, scale=alt.Scale(domain=list(states)))
    tips = [_tip(f, titles) for f in ("state_name", "indicator_label", "value_text", "rating_label")]
    base = alt.Chart(df).encode(x=x, y=y, tooltip=tips)
    cells = base.mark_rect(stroke="#AAB7B8", strokeWidth=0.5).encode(
        color=alt.Color(
            "rating_label:N", title=titles.get("rating_label"), scale=_palette(rating_labels, RATING_COLOURS)
        )
    )
    values = base.mark_text(color=TEXT, fontSize=11).encode(text="value_text:N")
    chart = alt.layer(cells, values).properties(width="container", height=alt.Step(26))
    return themed(chart, title)


def indicator_trend(df: pd.DataFrame, *, titles: Titles, value_title: str, title: str | None = None):
    """One indicator by quarter as a line with points (a quarter without data has no point).

    Columns: quarter (``2026Q4``, in order), value (number or empty), value_text, rating_label."""
    order = list(df["quarter"]) if len(df) else []
    base = alt.Chart(df).encode(
        x=alt.X("quarter:O", title=titles.get("quarter"), sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=value_title),
        tooltip=[_tip(f, titles) for f in ("quarter", "value_text", "rating_label")],
    )
    line = base.mark_line(color=PRIMARY) + base.mark_point(color=PRIMARY, filled=True, size=60)
    return themed(line.properties(width="container", height=240), title)
