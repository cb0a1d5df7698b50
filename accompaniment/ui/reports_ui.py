"""The widgets of the Reportes y datos abiertos page: report downloads, open-data downloads, and the import flow.

Downloads are generated when the button is clicked (Streamlit runs the callable then, in a thread of its own), so
the page does not build every file on every rerun; the report and data-package stacks (fpdf2, openpyxl, icalendar)
are imported only then too, so a visit that downloads nothing never loads them (issue 18). The import keeps its checked preview in the session between
the "check" and the "import" clicks; the commit is one store transaction, so an interrupted run writes nothing.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from accompaniment import i18n
from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.io import export, importing
from accompaniment.io.report_common import default_period
from accompaniment.io.tabular import CSV_MIME, XLSX_MIME
from accompaniment.store.database import Store
from accompaniment.store.export_queries import exportable_entities
from accompaniment.store.secretariats import list_programme_states
from accompaniment.ui import cached, widgets
from accompaniment.ui.context import clear_read_caches, current_lang, show_error, t
from accompaniment.ui.shell import LANGUAGE_NAMES

PDF_MIME = "application/pdf"
ZIP_MIME = "application/zip"
PREVIEW_KEY = "io_import_preview"
NATIONAL_ROLES = frozenset({Role.WORKING_GROUP, Role.SPECIALIST, Role.ADMIN})
PACKAGE_FILE = "stl-accompaniment-monitor.zip"  # io.datapackage.PACKAGE_NAME, without importing it for a name


def _state_report(*args: object) -> bytes:
    from accompaniment.io import report

    return report.state_report(*args)  # type: ignore[arg-type]


def _national_report(*args: object) -> bytes:
    from accompaniment.io import report_national

    return report_national.national_report(*args)  # type: ignore[arg-type]


def _datapackage_zip(store: Store, lang: str) -> bytes:
    from accompaniment.io import datapackage

    return datapackage.datapackage_zip(store, lang)


@cached.read_cache(ttl=300)
def _programme_states(role: str, state_code: str | None) -> dict[str, str]:
    from accompaniment.ui.context import get_store

    frame = list_programme_states(get_store(), Actor(Role(role), state_code))
    return dict(zip(frame["state_code"], frame["state_name"], strict=True))


def report_section(store: Store, actor: Actor) -> None:
    """Per-state PDF report (and the national summary for staff), for a period and in either language."""
    lang = current_lang()
    st.subheader(t("io.page.report_header"))
    states = _programme_states(actor.role.value, actor.state_code)
    codes = list(states)
    default = codes.index(actor.state_code) if actor.state_code in codes else 0
    start_default, end_default = default_period(store.today())
    left, middle, right, last = st.columns([3, 2, 2, 2])
    code = left.selectbox(t("io.page.report_state"), codes, index=default, format_func=states.__getitem__,
                          placeholder=widgets.choose_text())  # fmt: skip
    start = middle.date_input(t("io.page.report_from"), value=start_default, format="DD/MM/YYYY")
    end = right.date_input(t("io.page.report_to"), value=end_default, format="DD/MM/YYYY")
    report_lang = last.radio(
        t("io.page.report_lang"),
        i18n.LANGUAGES,
        index=i18n.LANGUAGES.index(lang),
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
    )
    if not isinstance(start, date) or not isinstance(end, date) or code is None:
        return
    if end < start:  # the report refuses it too (io.report_common.report_period); say so before the download
        st.error(t("validation.end_before_start", field=t("io.page.report_to")))
        return
    st.download_button(
        t("io.page.report_download"),
        icon=":material/picture_as_pdf:",
        mime=PDF_MIME,
        data=partial(_state_report, store, actor, code, start, end, report_lang),
        file_name=f"reporte_stl_{code}_{start:%Y%m%d}_{end:%Y%m%d}.pdf",
        on_click="ignore",
    )
    if actor.role in NATIONAL_ROLES:
        st.download_button(
            t("io.page.national_download"),
            icon=":material/summarize:",
            mime=PDF_MIME,
            data=partial(_national_report, store, actor, start, end, report_lang),
            file_name=f"resumen_nacional_{start:%Y%m%d}_{end:%Y%m%d}.pdf",
            on_click="ignore",
        )


def open_data_section(store: Store, actor: Actor) -> None:
    """One table as CSV or XLSX (what the user's role may read), and the public data package."""
    lang = current_lang()
    st.subheader(t("io.page.data_header"))
    st.caption(t("io.page.data_intro"))
    entities = exportable_entities(actor)
    states = _programme_states(actor.role.value, actor.state_code)
    # Labels computed now, not in a lambda: AppTest formats a chosen option outside the run, where the language
    # is unknown.
    tables = {e: i18n.t(f"io.entity.{e}", lang) for e in entities}
    places = {None: t("io.page.all_states"), **states}
    left, right = st.columns(2)
    name = left.selectbox(t("io.page.data_entity"), list(tables), format_func=tables.__getitem__,
                          placeholder=widgets.choose_text())  # fmt: skip
    state_code = right.selectbox(t("io.page.data_state"), list(places), format_func=places.__getitem__,
                                 placeholder=widgets.choose_text())  # fmt: skip
    if name is None:
        return
    csv_column, xlsx_column, package_column = st.columns(3)
    csv_column.download_button(
        t("io.page.download_csv"),
        icon=":material/table_view:",
        mime=CSV_MIME,
        on_click="ignore",
        data=partial(export.entity_file, store, actor, name, "csv", state_code, lang),
        file_name=export.file_name(name, "csv", state_code),
    )
    xlsx_column.download_button(
        t("io.page.download_xlsx"),
        icon=":material/grid_on:",
        mime=XLSX_MIME,
        on_click="ignore",
        data=partial(export.entity_file, store, actor, name, "xlsx", state_code, lang),
        file_name=export.file_name(name, "xlsx", state_code),
    )
    package_column.download_button(
        t("io.page.download_package"),
        icon=":material/dataset:",
        mime=ZIP_MIME,
        on_click="ignore",
        data=partial(_datapackage_zip, store, lang),
        file_name=PACKAGE_FILE,
    )


def import_section(store: Store, actor: Actor) -> None:
    """Templates, upload, dry run with every problem listed, and the all-or-nothing import."""
    if not allowed(actor, Action.IMPORT_DATA):
        return
    lang = current_lang()
    st.divider()
    st.subheader(t("io.page.import_header"))
    st.caption(t("io.page.import_intro"))
    kinds = {k: t(f"io.kind.{k}") for k in importing.KINDS}  # labelled now: AppTest formats outside the run
    kind = st.selectbox(t("io.page.import_kind"), list(kinds), format_func=kinds.__getitem__,
                        placeholder=widgets.choose_text())  # fmt: skip
    csv_column, xlsx_column = st.columns(2)
    csv_column.download_button(
        t("io.page.template_csv"),
        icon=":material/download:",
        mime=CSV_MIME,
        on_click="ignore",
        data=partial(importing.template, kind, "csv", lang),
        file_name=f"plantilla_{kind}.csv",
    )
    xlsx_column.download_button(
        t("io.page.template_xlsx"),
        icon=":material/download:",
        mime=XLSX_MIME,
        on_click="ignore",
        data=partial(importing.template, kind, "xlsx", lang),
        file_name=f"plantilla_{kind}.xlsx",
    )
    upload = st.file_uploader(t("io.page.import_file"), type=["csv", "xlsx", "txt"], key=f"io_upload_{kind}")
    if upload is None:
        st.session_state.pop(PREVIEW_KEY, None)
        return
    token = (kind, upload.file_id)
    if st.button(t("io.page.import_check"), icon=":material/fact_check:"):
        bar = st.progress(0.0)
        preview = importing.preview_import(
            store,
            actor,
            kind,
            upload.getvalue(),
            upload.name,
            progress=partial(_progress, bar, "io.page.progress_validate"),
        )
        bar.empty()
        st.session_state[PREVIEW_KEY] = (token, preview)
    stored = st.session_state.get(PREVIEW_KEY)
    if stored is None or stored[0] != token:
        return
    _show_preview(store, actor, stored[1], lang)


def _progress(bar, key: str, done: int, total: int, stage: str) -> None:  # noqa: ANN001 - a Streamlit element
    bar.progress(done / total if total else 1.0, text=t(key, done=done, total=total))


def _show_preview(store: Store, actor: Actor, preview: importing.ImportPreview, lang: str) -> None:
    if preview.problems:
        st.error(t("io.page.import_problems", count=len(preview.problems)))
        st.dataframe(
            preview.problem_table(lang),
            hide_index=True,
            placeholder=widgets.missing_text(),
            column_config={
                "row": t("io.preview.row"),
                "column": t("io.preview.column"),
                "message": t("io.preview.problem"),
            },
        )
    else:
        st.success(t("roundtrip.page.ok", summary=preview.summary(lang)))
    if preview.updates:
        with st.expander(t("roundtrip.page.changes", count=len(preview.updates)), expanded=True):
            for line in preview.change_lines(lang):
                st.text(line)
    if preview.notices:
        with st.expander(f"{t('io.page.import_notices')} ({len(preview.notices)})"):
            for notice in preview.notices:
                st.write(notice.message(lang))
    if preview.rows:
        with st.expander(f"{t('io.page.rows_header')} ({len(preview.rows)})", expanded=not preview.ok):
            st.dataframe(preview.row_table(lang), hide_index=True, placeholder=widgets.missing_text())
    if not preview.ok:
        return
    if preview.new_rows == 0 and preview.updated_rows == 0:
        st.info(t("roundtrip.page.nothing"))
        return
    if st.button(
        t("roundtrip.page.commit", summary=preview.summary(lang)), type="primary", icon=":material/upload:"
    ):
        bar = st.progress(0.0)
        try:
            result = importing.commit_preview(
                store, actor, preview, progress=partial(_progress, bar, "io.page.progress_write")
            )
        except AccompanimentError as exc:
            bar.empty()
            show_error(exc)
            return
        bar.empty()
        clear_read_caches()
        st.session_state.pop(PREVIEW_KEY, None)
        summary = t("roundtrip.summary", new=result.created, updated=result.updated, unchanged=result.skipped)
        st.success(t("roundtrip.page.done", summary=summary))
