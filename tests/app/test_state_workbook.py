"""Secretariado's "Pendientes" offers the pre-filled milestone workbook (issue 20) to those who may update the
state's milestones, and to nobody else."""

from __future__ import annotations

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from tests.app.conftest import assert_rendered_cleanly, open_app

PAGE = "pages/secretariat.py"
OAXACA = "20"
OAXACA_OFFICE = Actor(Role.SECRETARIAT, state_code=OAXACA, username="sec-oaxaca")


def labels(at) -> list[str]:
    return [element.proto.label for element in at.get("download_button")] + [
        u.proto.label for u in at.get("file_uploader")
    ]


def test_oaxacas_secretariat_is_offered_its_milestone_workbook_to_download_and_upload(demo_db):
    at = open_app("es", OAXACA_OFFICE, PAGE, secretariat_state=OAXACA)
    assert_rendered_cleanly(at)
    shown = labels(at)
    assert i18n.t("roundtrip.workbook.download") in shown and i18n.t("roundtrip.workbook.upload") in shown


def test_the_public_is_not_offered_a_milestone_workbook(demo_db):
    at = open_app("es", None, PAGE, secretariat_state=OAXACA)
    assert_rendered_cleanly(at)
    assert i18n.t("roundtrip.workbook.download") not in labels(at)
