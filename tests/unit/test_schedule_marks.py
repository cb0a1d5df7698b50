"""The Gantt of a state's milestones marks, for staff, the milestones whose live figures are not yet approved
(issue 12); the store sends ``unapproved`` False for the public, so the public never sees the mark."""

from __future__ import annotations

from datetime import date

import pandas as pd

from accompaniment import i18n
from accompaniment.ui.frames import schedule_frame


def test_only_the_milestones_not_yet_approved_carry_the_mark() -> None:
    schedule = pd.DataFrame(
        {
            "commitment_id": [1, 1],
            "plan_number": [1, 1],
            "commitment_number": [3, 3],
            "number": [1, 2],
            "commitment_title": ["Compromiso", "Compromiso"],
            "description": ["Hito uno", "Hito dos"],
            "commitment_start": [date(2026, 1, 1), date(2026, 1, 1)],
            "due_date": [date(2026, 6, 1), date(2026, 12, 1)],
            "progress": [40.0, 90.0],
            "status": ["in_progress", "in_progress"],
            "overdue": [False, False],
            "unapproved": [False, True],
        }
    )
    texts = list(schedule_frame(schedule, date(2026, 11, 26))["progress_text"])
    mark = i18n.t("reporting.unapproved_mark", "es")
    assert mark not in texts[0] and texts[1].endswith(mark)
