"""The per-state milestone workbook on Secretariado's "Pendientes" tab (issue 20): download it pre-filled, upload it
filled in, see each change (before → after), then save all of them or none. Drawn only for those who may update
the state's milestones; the store checks that again on every path."""

from __future__ import annotations

from functools import partial

import streamlit as st

from accompaniment.access import Action, allowed
from accompaniment.domain.errors import AccompanimentError
from accompaniment.io import importing, state_workbook
from accompaniment.io.tabular import XLSX_MIME
from accompaniment.ui.context import clear_read_caches, current_actor, current_lang, get_store, show_error, t

PREVIEW_KEY = "state_workbook_preview"


def render(state_code: str) -> None:
    actor, store, lang = current_actor(), get_store(), current_lang()
    if not allowed(actor, Action.WRITE_MILESTONE, state_code):
        return
    st.subheader(t("roundtrip.workbook.header"))
    st.caption(t("roundtrip.workbook.intro"))
    st.download_button(
        t("roundtrip.workbook.download"),
        icon=":material/download:",
        mime=XLSX_MIME,
        on_click="ignore",
        data=partial(state_workbook.state_workbook, store, actor, state_code, lang),
        file_name=state_workbook.file_name(state_code),
        key=f"state_workbook_download_{state_code}",
    )
    upload = st.file_uploader(
        t("roundtrip.workbook.upload"), type=["xlsx"], key=f"state_workbook_{state_code}"
    )
    if upload is None:
        st.session_state.pop(PREVIEW_KEY, None)
        return
    token = (state_code, upload.file_id)
    if st.button(
        t("roundtrip.workbook.check"), icon=":material/fact_check:", key=f"state_workbook_check_{state_code}"
    ):
        try:
            preview = state_workbook.preview_state_workbook(
                store, actor, state_code, upload.getvalue(), upload.name
            )
        except AccompanimentError as exc:
            show_error(exc)
            return
        st.session_state[PREVIEW_KEY] = (token, preview)
    stored = st.session_state.get(PREVIEW_KEY)
    if stored is None or stored[0] != token:
        return
    _show(store, actor, stored[1], lang)


def _show(store, actor, preview: importing.ImportPreview, lang: str) -> None:  # noqa: ANN001 - store and actor
    if preview.problems:
        st.error(t("io.page.import_problems", count=len(preview.problems)))
        for problem in preview.problems:
            st.text(problem.message(lang))
        return
    st.success(t("roundtrip.page.ok", summary=preview.summary(lang)))
    for line in preview.change_lines(lang):
        st.text(line)
    if not preview.updated_rows:
        st.info(t("roundtrip.page.nothing"))
        return
    if st.button(
        t("roundtrip.page.commit", summary=preview.summary(lang)), type="primary", icon=":material/upload:"
    ):
        try:
            result = importing.commit_preview(store, actor, preview)
        except AccompanimentError as exc:
            show_error(exc)
            return
        clear_read_caches()
        st.session_state.pop(PREVIEW_KEY, None)
        summary = t("roundtrip.summary", new=result.created, updated=result.updated, unchanged=result.skipped)
        st.success(t("roundtrip.page.done", summary=summary))
