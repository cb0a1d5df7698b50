"""The scorecard's definitions in the data package's Table Schema: each indicator column carries its name as the
title and its formula, unit and source (docs/scorecard.md) as the description, so the figures read without the tool."""

from __future__ import annotations

from typing import Any

from accompaniment import i18n
from accompaniment.domain import scorecard as definitions


def indicator_field(name: str, lang: str) -> dict[str, Any]:
    """Title and description of the indicator column ``name``; empty for any other column."""
    indicator = definitions.BY_KEY.get(name)
    if indicator is None:
        return {}
    formula = i18n.t(f"scorecard.indicator.{name}.formula", lang)
    source = i18n.t(
        "scorecard.source_line", lang, source=i18n.t(f"scorecard.source.{indicator.source}", lang)
    )
    unit = i18n.t(f"scorecard.schema_unit.{indicator.unit}", lang)
    return {
        "title": i18n.t(f"scorecard.indicator.{name}.name", lang),
        "description": f"{formula} {unit} {source}. {i18n.t('scorecard.schema.empty', lang)}",
    }
