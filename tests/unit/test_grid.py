"""The logbook form's widget values become the store's input values: the participant grid, the organisations typed
one per line, and the agreements table edited in ``st.data_editor``."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from accompaniment.domain import grid
from accompaniment.domain.errors import ValidationError
from accompaniment.domain.models import AgreementInput, SessionInput, validate

# ---- participants --------------------------------------------------------------------------------------------------


def test_counted_cells_nest_by_sector_then_gender_and_empty_cells_are_left_out():
    cells = {("government", "women"): 3, ("government", "men"): 0, ("civil_society", "other"): 2,
             ("academia", "men"): None}  # fmt: skip
    assert grid.nest_counts(cells) == {"government": {"women": 3}, "civil_society": {"other": 2}}


def test_a_negative_count_is_passed_on_and_the_model_refuses_it_naming_the_grid():
    nested = grid.nest_counts({("government", "women"): -4})
    assert nested == {"government": {"women": -4}}
    with pytest.raises(ValidationError) as caught:
        validate(SessionInput, {"state_code": "20", "held_on": "2026-11-20", "session_type": "plenary",
                                "participants": nested})  # fmt: skip
    assert [(p.field, p.code) for p in caught.value.problems] == [("participants", "too_small")]


def test_a_stored_grid_fills_every_cell_of_the_form_with_zero_where_nothing_was_counted():
    cells = grid.flatten_counts({"government": {"women": 3}, "academia": {"men": 1}})
    assert len(cells) == len(grid.SECTORS) * len(grid.GENDERS)
    assert cells[("government", "women")] == 3
    assert cells[("academia", "men")] == 1
    assert cells[("civil_society", "other")] == 0
    assert grid.flatten_counts(None)[("government", "men")] == 0


def test_the_total_adds_every_number_and_ignores_empty_cells():
    assert grid.grid_total({("a", "w"): 3, ("b", "m"): 4, ("c", "o"): None, ("d", "o"): float("nan")}) == 7
    assert grid.grid_total({}) == 0


def test_nesting_then_flattening_keeps_the_counts():
    cells = grid.flatten_counts({"guarantor_body": {"women": 2, "men": 5}})
    assert grid.nest_counts(cells) == {"guarantor_body": {"women": 2, "men": 5}}


# ---- organisations -------------------------------------------------------------------------------------------------


def test_organisations_are_one_per_line_trimmed_without_blank_lines_or_repeats():
    text = "  Colectivo Ciudadano \n\nIAIP Oaxaca\ncolectivo   ciudadano\n  \nSecretaría de Finanzas"
    assert grid.organisation_names(text) == ["Colectivo Ciudadano", "IAIP Oaxaca", "Secretaría de Finanzas"]
    assert grid.organisation_names("") == []
    assert grid.organisation_names(None) == []


# ---- the agreements table ------------------------------------------------------------------------------------------


def test_rows_added_in_an_empty_editor_are_the_rows():
    state = {"edited_rows": {}, "added_rows": [{"text": "Uno"}, {"text": "Dos"}], "deleted_rows": []}
    assert grid.apply_editor_state([], state) == [{"text": "Uno"}, {"text": "Dos"}]


def test_edits_apply_by_position_then_deletions_then_additions_are_appended():
    base = [{"text": "A"}, {"text": "B"}, {"text": "C"}]
    state = {"edited_rows": {"1": {"text": "B2"}, 2: {"text": "C2"}}, "deleted_rows": [0],
             "added_rows": [{"text": "D"}]}  # fmt: skip
    assert grid.apply_editor_state(base, state) == [{"text": "B2"}, {"text": "C2"}, {"text": "D"}]
    assert base[1] == {"text": "B"}, "the base rows are not modified"


def test_an_editor_without_state_shows_its_base_rows():
    assert grid.apply_editor_state([{"text": "A"}], None) == [{"text": "A"}]


def test_agreement_rows_become_agreement_inputs_with_typed_values():
    rows = [
        {"text": "  Publicar la minuta ", "responsible_sector": "government",
         "responsible_organization": "Secretaría de Administración", "due_date": "2026-12-15"},
        {"text": "Convocar la mesa", "responsible_sector": None, "responsible_organization": "",
         "due_date": pd.Timestamp("2027-01-10")},
        {"text": "Revisar el tablero", "due_date": datetime(2027, 2, 1, 0, 0)},
    ]  # fmt: skip
    records = grid.agreement_records(rows)
    assert records == [
        {"text": "Publicar la minuta", "responsible_sector": "government",
         "responsible_organization": "Secretaría de Administración", "due_date": date(2026, 12, 15)},
        {"text": "Convocar la mesa", "responsible_sector": None, "responsible_organization": None,
         "due_date": date(2027, 1, 10)},
        {"text": "Revisar el tablero", "responsible_sector": None, "responsible_organization": None,
         "due_date": date(2027, 2, 1)},
    ]  # fmt: skip
    assert [validate(AgreementInput, r).text for r in records] == [r["text"] for r in records]


def test_rows_left_empty_are_dropped():
    rows = [{"text": None, "responsible_sector": None, "responsible_organization": "  ", "due_date": pd.NaT},
            {"text": "Algo"}, {}]  # fmt: skip
    assert [r["text"] for r in grid.agreement_records(rows)] == ["Algo"]


def test_a_row_without_text_is_kept_so_the_model_names_it():
    records = grid.agreement_records([{"text": "Uno"}, {"responsible_sector": "academia"}])
    assert records[1]["text"] == ""
    with pytest.raises(ValidationError) as caught:
        validate(SessionInput, {"state_code": "20", "held_on": "2026-11-20", "session_type": "plenary",
                                "agreements": records})  # fmt: skip
    assert [(p.field, p.code) for p in caught.value.problems] == [("agreements.1.text", "required")]
    assert caught.value.problems[0].message("es").startswith("Acuerdo 2: Texto")


def test_day_month_year_dates_are_understood_and_nonsense_is_left_for_the_model():
    records = grid.agreement_records([{"text": "a", "due_date": "15/12/2026"}, {"text": "b", "due_date": "pronto"},
                                      {"text": "c", "due_date": "2026-13-40"}])  # fmt: skip
    assert records[0]["due_date"] == date(2026, 12, 15)
    assert records[1]["due_date"] == "pronto"
    with pytest.raises(ValidationError) as caught:
        validate(AgreementInput, records[1])
    assert caught.value.problems[0].field == "due_date"
    assert records[2]["due_date"] == "2026-13-40"


def test_a_linked_commitment_is_kept_when_the_table_has_one():
    assert grid.agreement_records([{"text": "a", "commitment_id": 7}])[0]["commitment_id"] == 7
    assert "commitment_id" not in grid.agreement_records([{"text": "a", "commitment_id": None}])[0]


def test_editor_state_then_records_is_what_the_form_saves():
    state = {"edited_rows": {}, "deleted_rows": [1],
             "added_rows": [{"text": "Uno", "due_date": "2026-12-01"}, {"text": "Borrado"},
                            {"text": "Dos", "responsible_sector": "civil_society"}]}  # fmt: skip
    records = grid.agreement_records(grid.apply_editor_state([], state))
    assert [r["text"] for r in records] == ["Uno", "Borrado", "Dos"], "deleted_rows index the base rows"
    assert records[2]["responsible_sector"] == "civil_society"


@pytest.mark.parametrize("value", [None, "", "   ", float("nan"), pd.NaT, pd.NA])
def test_blank_values(value):
    assert grid.is_blank(value)


@pytest.mark.parametrize("value", [0, "x", date(2026, 1, 1), False])
def test_values_that_are_not_blank(value):
    assert not grid.is_blank(value)
