"""Which pages each role sees. Hiding a page is navigation only; the store enforces the rules itself.

A page missing from a role's navigation cannot be opened by URL or ``switch_page``: ``st.navigation`` only
serves the pages it was given. In their place, at the same URL, it is given a hidden page that says, in the
user's language, that the page needs signing in (or that the user's role cannot open it), instead of Streamlit's
English "Page not found". Streamlit names a page by its URL path, so once the user signs in with the sidebar's
form, the rerun asks for the same name and gets the real page: signing in from a page's URL lands on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

import streamlit as st

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.settings import PROJECT_ROOT
from accompaniment.store import evidence_files
from accompaniment.ui.context import label, t
from accompaniment.ui.reminders import nav_count

EVERYONE = frozenset(Role)
STAFF = frozenset({Role.SPECIALIST, Role.ADMIN})
SIGNED_IN = EVERYONE - {Role.PUBLIC}
PENDING_PAGE = "pages/pending.py"  # its title carries the count of overdue items (issue 14)


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    roles: frozenset[Role]
    section_key: str = "nav.section.dashboard"
    address: str = ""  # the URL path when it is not the file's name
    hidden: bool = False  # reached by links only, never listed in the menu

    @property
    def url_path(self) -> str:
        """The page's address under the app's root (``/logbook``), as Streamlit would name it from the file."""
        return self.address or PurePosixPath(self.path).stem


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "nav.overview", ":material/map:", EVERYONE),
    PageSpec("pages/secretariat.py", "nav.secretariat", ":material/groups:", EVERYONE),
    PageSpec("pages/commitments.py", "nav.commitments", ":material/flag:", EVERYONE),
    PageSpec("pages/agenda2030.py", "nav.agenda2030", ":material/public:", EVERYONE),
    PageSpec("pages/training.py", "nav.training", ":material/school:", EVERYONE),
    PageSpec(PENDING_PAGE, "reminders.nav", ":material/notifications:", SIGNED_IN, "nav.section.work"),
    PageSpec("pages/logbook.py", "nav.logbook", ":material/edit_note:", STAFF, "nav.section.work"),
    PageSpec(  # issue 12: the reporting cycle (draft, submit, review, approve)
        "pages/periodic_reports.py",
        "nav.periodic_reports",
        ":material/assignment:",
        SIGNED_IN,
        "nav.section.work",
    ),
    PageSpec("pages/reports.py", "nav.reports", ":material/download:", EVERYONE, "nav.section.data"),
    PageSpec(
        "pages/admin.py",
        "nav.admin",
        ":material/admin_panel_settings:",
        frozenset({Role.ADMIN}),
        "nav.section.data",
    ),
    PageSpec(  # issue 12: an evidence file by its link; the store decides who may read it
        "pages/evidence.py",
        "evidence_page.nav",
        ":material/attach_file:",
        EVERYONE,
        "nav.section.data",
        address=evidence_files.DOWNLOAD_PAGE,
        hidden=True,
    ),
)


# Where a role lands after signing in (others stay on the page they were on).
LANDING: dict[Role, str] = {Role.SECRETARIAT: "pages/secretariat.py"}


def pages_for(actor: Actor) -> list[PageSpec]:
    return [spec for spec in PAGES if actor.role in spec.roles]


def menu_pages_for(actor: Actor) -> list[PageSpec]:
    """The pages the role's menu lists: its pages less those reached by links only (the evidence download)."""
    return [spec for spec in pages_for(actor) if not spec.hidden]


def landing_for(actor: Actor) -> str | None:
    return LANDING.get(actor.role)


def _shipped(spec: PageSpec) -> bool:
    """A page of a later release is registered here before its file exists; it joins the navigation then."""
    return (PROJECT_ROOT / spec.path).is_file()


def _title(spec: PageSpec, actor: Actor) -> str:
    """The page's name in the navigation; "Pendientes (3)" when the person has overdue items."""
    if spec.path == PENDING_PAGE:
        count = nav_count(actor)
        if count:
            return t("reminders.nav_count", count=count)
    return t(spec.title_key)


def _closed_page(spec: PageSpec, actor: Actor) -> Callable[[], None]:
    """What a page the actor may not open shows at its URL: sign in (the form is in the sidebar), or, signed in,
    that the role cannot open it. Nothing of the page itself runs."""

    def closed() -> None:
        name = t(spec.title_key)
        if actor.is_public:
            st.title(t("nav.sign_in_required.title"))
            st.info(t("nav.sign_in_required.body", page=name), icon=":material/login:")
        else:
            st.title(t("nav.role_cannot_open.title"))
            st.warning(t("nav.role_cannot_open.body", page=name, role=label("Role", actor.role)))

    return closed


def build_navigation(actor: Actor, landing: str | None = None):  # noqa: ANN201 - streamlit's page type
    """The ``st.navigation`` object for ``actor``, grouped in sections; ``landing`` marks the default page. The
    pages the role may not open are there too, hidden, each saying so at its URL."""
    sections: dict[str, list] = {}
    closed: list = []
    for spec in filter(_shipped, PAGES):
        if actor.role in spec.roles:
            page = st.Page(
                spec.path,
                title=_title(spec, actor),
                icon=spec.icon,
                url_path=spec.url_path,
                default=(spec.path == landing),
                visibility="hidden" if spec.hidden else "visible",
            )
            sections.setdefault(t(spec.section_key), []).append(page)
        else:
            closed.append(
                st.Page(
                    _closed_page(spec, actor),
                    title=t(spec.title_key),
                    icon=spec.icon,
                    url_path=spec.url_path,
                    visibility="hidden",
                )
            )
    first = next(iter(sections))  # a section of its own would show a heading with no link under it
    sections[first].extend(closed)
    return st.navigation(sections)
