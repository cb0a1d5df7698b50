"""The chart builders on small frames: each spec names the expected fields, colours and tooltips."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from accompaniment import charts
from tests.unit.colour_distance import DICHROMACIES, contrast, delta_e, simulate

TITLES = {"state_name": "Estado", "phase_label": "Fase", "progress": "Avance (%)", "progress_text": "Avance"}
PHASES = [f"{n} · fase" for n in range(6)]


def spec(chart) -> dict:
    return chart.to_dict()


def text(chart) -> str:
    return json.dumps(spec(chart), ensure_ascii=False)


def tooltip_fields(encoding: dict) -> list[str]:
    return [tip["field"] for tip in encoding["tooltip"]]


def states() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "state_name": ["Oaxaca", "Puebla", "Chihuahua"],
            "short_name": ["OAX", "PUE", "CHIH"],
            "programme": [True, False, True],
            "grid_row": [4, 3, 0],
            "grid_col": [5, 6, 2],
            "phase": pd.array([5, None, 2], dtype="Int64"),
            "phase_label": [PHASES[5], "Fuera del programa", PHASES[2]],
            "progress": pd.array([90.9, None, None], dtype="Float64"),
            "progress_text": ["91 %", "—", "Sin plan"],
        }
    )


@pytest.mark.parametrize("colour_by", ["phase", "progress"])
def test_tile_map_greys_states_outside_the_programme_and_labels_every_tile(colour_by):
    chart = charts.state_tile_map(
        states(), colour_by=colour_by, titles=TITLES, phase_labels=PHASES,
        tooltip=["state_name", "phase_label", "progress_text"],
    )  # fmt: skip
    tiles, coloured, labels = spec(chart)["layer"]
    assert tiles["encoding"]["fill"]["value"] == charts.OUTSIDE_PROGRAMME == "#D9D9D9"
    assert tiles["encoding"]["fill"]["condition"][0] == {"test": "datum.programme", "value": charts.NO_DATA}
    assert {tiles["encoding"]["x"]["field"], tiles["encoding"]["y"]["field"]} == {"grid_col", "grid_row"}
    assert labels["encoding"]["text"]["field"] == "short_name"
    for layer in (tiles, coloured, labels):
        assert tooltip_fields(layer["encoding"]) == ["state_name", "phase_label", "progress_text"]
    assert tiles["encoding"]["tooltip"][0]["title"] == "Estado"
    assert "datum.programme" in coloured["transform"][0]["filter"]


def test_tile_map_by_phase_uses_the_ordered_phase_palette():
    chart = charts.state_tile_map(states(), colour_by="phase", titles=TITLES, phase_labels=PHASES,
                                  tooltip=["state_name"])  # fmt: skip
    colour = spec(chart)["layer"][1]["encoding"]["color"]
    assert colour["field"] == "phase_label"
    assert colour["scale"] == {"domain": PHASES, "range": list(charts.PHASE_COLOURS)}
    assert colour["title"] == "Fase"


def test_tile_map_by_progress_scales_zero_to_a_hundred():
    chart = charts.state_tile_map(states(), colour_by="progress", titles=TITLES, phase_labels=PHASES,
                                  tooltip=["state_name"])  # fmt: skip
    colour = spec(chart)["layer"][1]["encoding"]["color"]
    assert colour["field"] == "progress" and colour["type"] == "quantitative"
    assert colour["scale"]["domain"] == [0, 50, 100]


def stalled_states() -> pd.DataFrame:
    frame = states()
    frame["stalled"] = [True, False, False]  # Oaxaca stalled; Puebla is outside the programme
    return frame


@pytest.mark.parametrize("colour_by", ["phase", "progress"])
def test_tile_map_marks_stalled_states_with_a_symbol_named_in_the_legend(colour_by):
    chart = charts.state_tile_map(
        stalled_states(), colour_by=colour_by, titles=TITLES, phase_labels=PHASES, tooltip=["state_name"],
        stalled_label="STL detenido",
    )  # fmt: skip
    layers = spec(chart)["layer"]
    marked = [layer for layer in layers if "datum.stalled" in json.dumps(layer.get("transform", []))]
    assert len(marked) == 1, "one layer marks the stalled states"
    marker = marked[0]
    assert "datum.programme" in json.dumps(marker["transform"])
    assert marker["mark"]["type"] == "point" and marker["mark"]["filled"] is True
    assert marker["mark"]["color"] == charts.STALLED
    shape = marker["encoding"]["shape"]
    assert shape["scale"]["domain"] == ["STL detenido"]
    assert shape["legend"] is not None
    assert tooltip_fields(marker["encoding"]) == ["state_name"]
    assert charts.STALLED not in charts.PHASE_COLOURS + charts.PROGRESS_RANGE


def test_progress_bars_name_a_state_without_a_plan_instead_of_an_empty_bar():
    chart = charts.progress_by_state(
        states(), titles=TITLES, tooltip=["state_name", "progress_text"], no_plan_label="Sin plan"
    )
    layers = spec(chart)["layer"]
    labels = [layer for layer in layers if layer["mark"]["type"] == "text"]
    assert len(labels) == 1
    label = labels[0]
    assert "!isValid(datum.progress)" in json.dumps(label["transform"])
    assert {"calculate": '"Sin plan"', "as": "no_plan"} in label["transform"]
    assert label["encoding"]["text"]["field"] == "no_plan"
    assert spec(chart)["encoding"]["tooltip"], "the label carries the bar's tooltip"


def test_neighbouring_phases_look_different_and_phases_4_and_5_clearly_so():
    """CIEDE2000 of about 20 or more reads as another colour at a glance; 4 and 5 (implementation and evaluation)
    stay apart for the three dichromacies too, where viridis' two last purples fell to about 11."""
    colours = charts.PHASE_COLOURS
    neighbours = [delta_e(a, b) for a, b in zip(colours, colours[1:], strict=False)]
    assert min(neighbours) >= 20, [round(d, 1) for d in neighbours]
    assert delta_e(colours[4], colours[5]) >= 25
    for dichromacy in DICHROMACIES:
        seen = delta_e(simulate(colours[4], dichromacy), simulate(colours[5], dichromacy))
        assert seen >= 20, (dichromacy, round(seen, 1))


def test_tile_labels_keep_their_contrast_on_every_phase_colour():
    for phase, colour in enumerate(charts.PHASE_COLOURS):
        label = "#FFFFFF" if phase >= charts.DARK_PHASE_FROM else charts.TEXT
        assert contrast(colour, label) >= 4.5, (phase, colour)


def test_sdg_matrix_fills_cells_with_the_colours_in_the_data():
    cells = pd.DataFrame(
        {
            "state_name": ["Oaxaca", "Oaxaca"],
            "goal": [4, 16],
            "goal_label": ["ODS 4 · Educación", "ODS 16 · Paz"],
            "colour": ["#C5192D", "#00689D"],
            "commitments": [1, 5],
        }
    )
    chart = charts.sdg_matrix(cells, titles={"goal": "ODS"}, states=["Oaxaca", "Sonora"])
    rect, counts = spec(chart)["layer"]
    assert rect["encoding"]["color"] == {"field": "colour", "legend": None, "scale": None, "type": "nominal"}
    assert rect["encoding"]["x"]["scale"]["domain"] == list(range(1, 18))
    assert rect["encoding"]["y"]["scale"]["domain"] == ["Oaxaca", "Sonora"]
    assert tooltip_fields(rect["encoding"]) == ["state_name", "goal_label", "commitments"]
    assert counts["encoding"]["text"]["field"] == "commitments"
    assert "#C5192D" in text(chart) and "#00689D" in text(chart)


def test_milestone_gantt_colours_done_overdue_and_pending_and_marks_today():
    rows = pd.DataFrame(
        {
            "row_label": ["P1·C1 · H 1", "P1·C1 · H 2", "P1·C1 · H 3"],
            "start": pd.to_datetime(["2026-01-01", "2026-03-01", "2026-06-01"]),
            "due_date": pd.to_datetime(["2026-03-01", "2026-06-01", "2027-01-01"]),
            "status_key": ["done", "overdue", "pending"],
            "status_label": ["Cumplido", "Vencido", "Pendiente"],
        }
    )
    labels = {"done": "Cumplido", "overdue": "Vencido", "pending": "Pendiente"}
    chart = charts.milestone_gantt(rows, titles={"today": "Hoy"}, status_labels=labels,
                                   today=pd.Timestamp("2026-11-26"), tooltip=["row_label", "status_label"],
                                   month_names=["ene"] * 12)  # fmt: skip
    bars, due, rule = spec(chart)["layer"]
    scale = bars["encoding"]["color"]["scale"]
    assert scale == {
        "domain": ["Cumplido", "Vencido", "Pendiente"],
        "range": ["#009E73", "#D55E00", "#56B4E9"],
    }
    assert bars["encoding"]["x"]["field"] == "start" and bars["encoding"]["x2"]["field"] == "due_date"
    assert "labelExpr" in bars["encoding"]["x"]["axis"]
    assert tooltip_fields(bars["encoding"]) == ["row_label", "status_label"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["tooltip"][0]["title"] == "Hoy"


def test_milestone_gantt_of_an_old_plan_leaves_today_out():
    rows = pd.DataFrame({"row_label": ["a"], "start": pd.to_datetime(["2016-01-01"]),
                         "due_date": pd.to_datetime(["2016-06-01"]), "status_key": ["done"],
                         "status_label": ["Cumplido"]})  # fmt: skip
    chart = charts.milestone_gantt(rows, titles={}, status_labels={"done": "Cumplido"},
                                   today=pd.Timestamp("2026-11-26"), tooltip=["row_label"])  # fmt: skip
    assert len(spec(chart)["layer"]) == 2


def test_gender_split_bars_stack_by_gender_in_the_gender_palette():
    rows = pd.DataFrame({"sector_label": ["Gobierno", "Gobierno"], "gender_label": ["Mujeres", "Hombres"],
                         "participants": [10, 8]})  # fmt: skip
    chart = charts.gender_split_bars(rows, category="sector_label", value="participants", titles={},
                                     gender_labels=["Mujeres", "Hombres", "Otro"])  # fmt: skip
    encoding = spec(chart)["encoding"]
    assert encoding["color"]["scale"] == {
        "domain": ["Mujeres", "Hombres", "Otro"],
        "range": list(charts.GENDER_COLOURS),
    }
    assert tooltip_fields(encoding) == ["sector_label", "gender_label", "participants"]


def test_applicants_vs_fellows_groups_the_measures_of_each_call():
    rows = pd.DataFrame({"year_label": ["2018", "2018"], "measure_label": ["Aspirantes", "Becarios"],
                         "value": [400.0, 40.0], "value_text": ["Más de 400", "40"]})  # fmt: skip
    chart = charts.applicants_vs_fellows(
        rows, titles={}, measure_labels=["Aspirantes", "Becarios", "Mujeres"]
    )
    encoding = spec(chart)["encoding"]
    assert encoding["xOffset"]["field"] == "measure_label"
    assert tooltip_fields(encoding) == ["year_label", "measure_label", "value_text"]


def test_bars_dots_and_timelines_carry_tooltips():
    frame = pd.DataFrame({"state_name": ["Oaxaca"], "progress": [50.0], "progress_text": ["50 %"], "phase": [4],
                          "phase_label": [PHASES[4]], "start": pd.to_datetime(["2026-01-01"]),
                          "end": pd.to_datetime(["2026-11-26"]), "held_on": pd.to_datetime(["2026-11-01"]),
                          "kind_label": ["Taller"], "participant_total": [20], "members": [3],
                          "sector_label": ["Gobierno"]})  # fmt: skip
    built = [
        charts.progress_by_state(frame, titles=TITLES, tooltip=["state_name", "progress_text"]),
        charts.phase_by_state(
            frame, titles=TITLES, phase_labels=PHASES, tooltip=["state_name", "phase_label"]
        ),
        charts.phase_timeline(frame, titles=TITLES, phase_labels=PHASES, tooltip=["phase_label"]),
        charts.activity_timeline(frame, titles={}, kind_labels=["Sesión", "Taller"], tooltip=["kind_label"]),
        charts.count_bars(frame, category="sector_label", value="members", titles={}),
    ]
    for chart in built:
        assert spec(chart)["encoding"]["tooltip"], chart


def test_activity_by_month_keeps_months_in_calendar_order():
    rows = pd.DataFrame({"month": pd.to_datetime(["2026-02-01", "2026-01-01"]), "month_label": ["feb 2026",
                         "ene 2026"], "kind_label": ["Taller", "Taller"], "activities": [2, 1]})  # fmt: skip
    chart = charts.activity_by_month(rows, titles={}, kind_labels=["Sesión", "Taller"])
    encoding = spec(chart)["encoding"]
    assert encoding["x"]["sort"] == ["ene 2026", "feb 2026"]
    assert tooltip_fields(encoding) == ["month_label", "kind_label", "activities"]


def test_every_chart_shares_the_one_theme():
    chart = charts.count_bars(
        pd.DataFrame({"c": ["a"], "n": [1]}), category="c", value="n", titles={}, title="T"
    )
    config = spec(chart)["config"]
    assert config["font"] == charts.FONT and config["view"]["stroke"] is None
    assert spec(chart)["title"]["text"] == "T"


def test_no_chart_loads_anything_from_the_network():
    chart = charts.state_tile_map(states(), colour_by="phase", titles=TITLES, phase_labels=PHASES,
                                  tooltip=["state_name"])  # fmt: skip
    body = {key: value for key, value in spec(chart).items() if key != "$schema"}
    assert '"url"' not in json.dumps(body)
