"""The evidence download page (issue 12): the address an export or a milestone's evidence link gives for a file,
``evidencia?archivo=<sha256>``.

The store decides who may read the file and checks its bytes against the hash before anything is served; this
page only asks. A file the visitor may not read and a file that does not exist get the same message, so a link
never tells the public that a private file exists. The bytes are read when the person clicks the button.
"""

from __future__ import annotations

import re

import streamlit as st

from accompaniment.domain.errors import AccompanimentError, NotFound, PermissionDenied
from accompaniment.store import evidence_files
from accompaniment.ui import present
from accompaniment.ui.context import current_actor, get_store, show_error, t
from accompaniment.ui.widgets import escape_markdown

PARAMETER = evidence_files.DOWNLOAD_PARAMETER
SHA256 = re.compile(r"[0-9a-f]{64}")


def requested_hash() -> str | None:
    """The link's file hash, or None when the parameter is missing or is not a SHA-256 in hex."""
    value = st.query_params.get(PARAMETER, "")
    value = value.strip().lower() if isinstance(value, str) else ""
    return value if SHA256.fullmatch(value) else None


def download_view() -> None:
    st.title(t("evidence_page.title"))
    sha256 = requested_hash()
    if sha256 is None:
        st.warning(t("evidence_page.bad_link"), icon=":material/link_off:")
        return
    store, actor = get_store(), current_actor()
    try:
        info, chunks = evidence_files.open_evidence_by_hash(store, actor, sha256)
        chunks.close()  # opened to check the hash; the bytes are read again on the click
    except (NotFound, PermissionDenied):
        st.info(t("evidence_page.unavailable"), icon=":material/lock:")
        return
    except AccompanimentError as exc:  # a damaged file: reported, never served
        show_error(exc)
        return
    st.markdown(t("evidence_page.file", name=escape_markdown(info.file_name)))
    st.caption(
        t(
            "evidence_page.details",
            size=present.number(info.size_bytes / 1024, decimals=1),
            day=present.day(info.uploaded_at),
        )
    )
    st.caption(t("evidence_page.hash", sha256=sha256))

    def file_bytes() -> bytes:
        _info, again = evidence_files.open_evidence_by_hash(store, actor, sha256)
        return b"".join(again)

    st.download_button(
        t("evidence_page.download"),
        data=file_bytes,
        file_name=info.file_name,
        mime=info.media_type,
        icon=":material/download:",
        on_click="ignore",
    )
