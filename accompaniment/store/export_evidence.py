"""Evidence files as an export entity (issue 12): every file the acting user may read, with its SHA-256 so anyone
can check a copy, and for public files the path the app serves them at.

Rows follow the same rule as a download (store/evidence_files.py): public files for everyone; private ones for
staff and for the secretariat of the file's state. A private file's download path stays empty (it is served only
to those signed in with the right to it), and the uploader is selected only for those who may read the state's
detail, so the public data package names no person.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, String, case, false, literal, null, or_, select, true

from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.enums import Role
from accompaniment.store.evidence_files import DOWNLOAD_PAGE
from accompaniment.store.schema import evidence_file

NAME = "evidence_file"


def _readable(actor: Actor) -> ColumnElement[bool]:
    """Which rows the actor may see: all for staff, public plus its own state's for a secretariat."""
    if allowed(actor, Action.READ_MILESTONE_DETAIL, None):
        return true()
    if actor.role == Role.SECRETARIAT and actor.state_code and not actor.must_change_password:
        return or_(evidence_file.c.is_public, evidence_file.c.state_code == actor.state_code)
    return evidence_file.c.is_public


def evidence_file_query(actor: Actor, today: date) -> Select:
    """One SELECT: id, state_code, file_name, media_type, size_bytes, sha256, is_public, uploaded_at, download_path
    and, for staff and the state's own secretariat, uploaded_by."""
    c = evidence_file.c
    path = literal(f"{DOWNLOAD_PAGE}?archivo=", String) + c.sha256
    columns = [
        c.id,
        c.state_code,
        c.file_name,
        c.media_type,
        c.size_bytes,
        c.sha256,
        c.is_public,
        c.uploaded_at,
        case((c.is_public, path), else_=null()).label("download_path"),
    ]
    if allowed(actor, Action.READ_MILESTONE_DETAIL, None):
        columns.append(c.uploaded_by)
    elif actor.role == Role.SECRETARIAT and actor.state_code:
        own = c.state_code == literal(actor.state_code, String)
        columns.append(case((own, c.uploaded_by), else_=null()).label("uploaded_by"))
    query = select(*columns).where(_readable(actor)).order_by(c.id)
    if actor.must_change_password:
        query = query.where(false())
    return query
