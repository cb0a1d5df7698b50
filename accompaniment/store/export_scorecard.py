"""The scorecard as an export: one row per state and quarter of the last eight quarters, each periodic indicator a
column (empty for "sin datos"), as ``store.scorecard.scorecard_trends`` computes them for the acting user — so the
indicator resting on private fields (the minutes) is in staff exports only, never in the public data package.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from accompaniment.access import Actor
from accompaniment.domain import scorecard as definitions
from accompaniment.domain.scorecard import Period
from accompaniment.store.database import Store
from accompaniment.store.export_queries import ExportColumn, ExportTable, ForeignKey
from accompaniment.store.scorecard import quarter_from_code, scorecard_trends

NAME = "scorecard"
EXPORT_QUARTERS = 8


def scorecard_table(
    store: Store, actor: Actor, state_code: str | None = None, today: date | None = None
) -> ExportTable:
    period = Period.last_quarters(today or store.today(), EXPORT_QUARTERS)
    trends = scorecard_trends(store, actor, period, state_code=state_code)
    keys = [key for key in definitions.PERIODIC_KEYS if key in trends.columns]
    columns = (
        ExportColumn("state_code", "string"),
        ExportColumn("quarter", "string"),
        ExportColumn("quarter_start", "date"),
        ExportColumn("quarter_end", "date"),
        *(ExportColumn(key, "number") for key in keys),
    )
    rows = []
    for record in trends.to_dict("records"):
        quarter = quarter_from_code(record["quarter"])
        values = [None if pd.isna(record[key]) else round(float(record[key]), 4) for key in keys]
        rows.append((record["state_code"], record["quarter"], quarter.start, quarter.end, *values))
    return ExportTable(
        NAME, columns, rows, ("state_code", "quarter"), (ForeignKey(("state_code",), "state", ("code",)),)
    )
