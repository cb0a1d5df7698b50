"""The es and en catalogues stay complete and in step, and numbers and dates read naturally in each language."""

from __future__ import annotations

import ast
import inspect
import string
import typing
from datetime import date, datetime
from enum import Enum, IntEnum
from pathlib import Path

import pytest

from accompaniment import i18n
from accompaniment.domain import enums, models

NNBSP = "\u202f"


def enum_classes() -> list[type[Enum]]:
    return [
        obj
        for obj in vars(enums).values()
        if inspect.isclass(obj) and issubclass(obj, Enum) and obj.__module__ == enums.__name__
    ]


def input_models() -> list[type[models.InputModel]]:
    found, pending = [], [models.InputModel]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


def custom_validation_codes() -> set[str]:
    """Codes models.py raises itself: ``PydanticCustomError("code", …)`` and ``ValidationError.single(field, "code")``."""
    tree = ast.parse(Path(models.__file__).read_text(encoding="utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "PydanticCustomError" and node.args:
            codes.add(node.args[0].value)
        elif name == "single" and len(node.args) >= 2:
            codes.add(node.args[1].value)
    return codes


def is_list_field(annotation: object) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(is_list_field(arg) for arg in typing.get_args(annotation))


# the catalogues


def test_spanish_and_english_catalogues_have_exactly_the_same_keys():
    spanish, english = set(i18n.catalogue("es")), set(i18n.catalogue("en"))
    assert sorted(spanish - english) == [], "missing in English"
    assert sorted(english - spanish) == [], "missing in Spanish"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_message_is_empty(lang):
    assert [key for key, text in i18n.catalogue(lang).items() if not text.strip()] == []


def test_spanish_and_english_messages_use_the_same_placeholders():
    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = i18n.catalogue("en")
    differ = [
        key
        for key, text in i18n.catalogue("es").items()
        if placeholders(text) != placeholders(english.get(key, ""))
    ]
    assert differ == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_enum_value_has_a_label(lang):
    missing = []
    for enum_class in enum_classes():
        for member in enum_class:
            value = int(member) if isinstance(member, IntEnum) else member.value
            key = f"enum.{enum_class.__name__}.{value}"
            if not i18n.has(key, lang):
                missing.append(key)
    assert missing == []


def test_phase_labels_are_keyed_by_number():
    assert i18n.t("enum.Phase.3", "es").startswith("3")
    assert i18n.t("enum.Phase.3", "en").startswith("3")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_validation_code_has_a_message(lang):
    codes = set(models._PYDANTIC_CODES.values()) | custom_validation_codes()
    assert {"unknown_target", "state_required", "end_before_start", "password_too_short"} <= codes
    assert sorted(code for code in codes if not i18n.has(f"validation.{code}", lang)) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_input_field_has_a_label(lang):
    names = {name for model in input_models() for name in model.model_fields}
    assert {"held_on", "participants", "agreements", "sdg_targets", "state_code"} <= names
    assert sorted(name for name in names if not i18n.has(f"fields.{name}", lang)) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_list_field_has_a_label_for_its_items(lang):
    names = {
        name
        for model in input_models()
        for name, info in model.model_fields.items()
        if is_list_field(info.annotation)
    }
    assert {"agreements", "organizations"} <= names
    assert sorted(name for name in names if not i18n.has(f"fields.{name}_item", lang)) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_fallback_field_labels_exist(lang):
    for name in ("form", "password"):
        assert i18n.has(f"fields.{name}", lang)


# lookup


def test_a_missing_key_renders_a_visible_marker():
    assert i18n.t("no.such.key", "es") == "⟦no.such.key⟧"
    assert i18n.t("no.such.key", "en", field="x") == "⟦no.such.key⟧"


def test_placeholders_are_filled():
    assert i18n.t("validation.in_row", "en", row=3, message="Bad.") == "Row 3: Bad."


def test_an_unknown_language_falls_back_to_spanish():
    assert i18n.t("common.yes", "fr") == i18n.t("common.yes", "es") == "Sí"


# formatting


def test_format_date_in_spanish():
    assert i18n.format_date(date(2026, 11, 26), "es") == "26 nov 2026"


def test_format_date_in_english():
    assert i18n.format_date(date(2026, 11, 26), "en") == "Nov 26, 2026"


def test_format_date_accepts_a_datetime_and_none():
    assert i18n.format_date(datetime(2026, 1, 5, 23, 59), "es") == "5 ene 2026"
    assert i18n.format_date(None, "es") == "—"


def test_format_number_in_spanish_groups_with_a_narrow_no_break_space_and_a_decimal_comma():
    assert i18n.format_number(1234.5, "es", 1) == f"1{NNBSP}234,5"
    assert i18n.format_number(1234567, "es") == f"1{NNBSP}234{NNBSP}567"


def test_format_number_in_english():
    assert i18n.format_number(1234.5, "en", 1) == "1,234.5"
    assert i18n.format_number(1234567, "en") == "1,234,567"


def test_format_number_of_nothing_is_a_dash():
    assert i18n.format_number(None, "es") == "—"


def test_format_percent_spaces_the_sign_in_spanish_only():
    assert i18n.format_percent(45.3, "es", 1) == "45,3 %"
    assert i18n.format_percent(100, "en") == "100%"
    assert i18n.format_percent(None, "en") == "—"
