"""Which pages each role sees. Hiding a page is navigation only; the store enforces the rules itself.

A page missing from a role's navigation cannot be opened by URL or ``switch_page``: ``st.navigation`` only
serves the pages it was given.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.settings import PROJECT_ROOT
from accompaniment.ui.context import t

EVERYONE = frozenset(Role)
STAFF = frozenset({Role.SPECIALIST, Role.ADMIN})


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    roles: frozenset[Role]
    section_key: str = "nav.section.dashboard"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "nav.overview", ":material/map:", EVERYONE),
    PageSpec("pages/secretariat.py", "nav.secretariat", ":material/groups:", EVERYONE),
    PageSpec("pages/commitments.py", "nav.commitments", ":material/flag:", EVERYONE),
    PageSpec("pages/agenda2030.py", "nav.agenda2030", ":material/public:", EVERYONE),
    PageSpec("pages/training.py", "nav.training", ":material/school:", EVERYONE),
    PageSpec("pages/logbook.py", "nav.logbook", ":material/edit_note:", STAFF, "nav.section.work"),
    PageSpec("pages/reports.py", "nav.reports", ":material/download:", EVERYONE, "nav.section.data"),
    PageSpec(
        "pages/admin.py",
        "nav.admin",
        ":material/admin_panel_settings:",
        frozenset({Role.ADMIN}),
        "nav.section.data",
    ),
)


# Where a role lands after signing in (others stay on the page they were on).
LANDING: dict[Role, str] = {Role.SECRETARIAT: "pages/secretariat.py"}


def pages_for(actor: Actor) -> list[PageSpec]:
    return [spec for spec in PAGES if actor.role in spec.roles]


def landing_for(actor: Actor) -> str | None:
    return LANDING.get(actor.role)


def _shipped(spec: PageSpec) -> bool:
    """A page of a later release is registered here before its file exists; it joins the navigation then."""
    return (PROJECT_ROOT / spec.path).is_file()


def build_navigation(actor: Actor, landing: str | None = None):  # noqa: ANN201 - streamlit's page type
    """The ``st.navigation`` object for ``actor``, grouped in sections; ``landing`` marks the default page."""
    sections: dict[str, list] = {}
    for spec in filter(_shipped, pages_for(actor)):
        page = st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, default=(spec.path == landing))
        sections.setdefault(t(spec.section_key), []).append(page)
    return st.navigation(sections)
