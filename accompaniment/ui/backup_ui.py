"""Backups on the Administración page: make one now, download the automatic ones, restore one.

Call ``backup_panel(store, actor)`` from the admin page; it renders nothing for a user without the backup
permission (the store refuses them anyway). Restoring replaces every row, so it asks for an explicit confirmation;
the data it replaces is first saved as a backup of its own (``io.backup.restore_backup``).
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import partial
from pathlib import Path

import streamlit as st

from accompaniment import i18n, settings
from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.errors import AccompanimentError
from accompaniment.io import backup
from accompaniment.store.database import Store
from accompaniment.ui.context import clear_read_caches, current_lang, show_error, t

ZIP_MIME = "application/zip"


def _backup_bytes(store: Store, actor: Actor) -> bytes:
    buffer = io.BytesIO()
    backup.write_backup(store, actor, buffer)
    return buffer.getvalue()


def _restore(store: Store, actor: Actor, content: bytes) -> None:
    try:
        summary = backup.restore_backup(store, actor, io.BytesIO(content), replace=True)
    except AccompanimentError as exc:
        show_error(exc)
        return
    clear_read_caches()
    st.success(
        t(
            "io.backup.restored",
            rows=i18n.format_number(summary.rows, current_lang()),
            tables=summary.tables,
            revision=summary.revision,
        )
    )


def backup_panel(store: Store, actor: Actor) -> None:
    """The backups section of the admin page."""
    if not allowed(actor, Action.BACKUP):
        return
    st.subheader(t("io.backup.header"))
    st.caption(t("io.backup.intro"))
    st.download_button(
        t("io.backup.create"),
        icon=":material/backup:",
        mime=ZIP_MIME,
        on_click="ignore",
        data=partial(_backup_bytes, store, actor),
        file_name=f"accompaniment-{datetime.now():%Y%m%d-%H%M%S}.zip",
    )
    folder = Path(settings.get("backup_dir"))
    files = backup.list_backups(folder)
    with st.expander(t("io.backup.automatic", folder=str(folder))):
        if not files:
            st.caption(t("io.backup.none"))
        for path in files:
            st.download_button(
                f"{path.name} ({path.stat().st_size / 1_048_576:.1f} MB)",
                data=path.read_bytes,
                file_name=path.name,
                mime=ZIP_MIME,
                on_click="ignore",
                key=f"io_backup_{path.name}",
            )
    st.subheader(t("io.backup.restore_header"))
    st.warning(t("io.backup.restore_warning"))
    upload = st.file_uploader(t("io.backup.restore_file"), type=["zip"], key="io_restore_upload")
    confirmed = st.checkbox(t("io.backup.restore_confirm"), key="io_restore_confirm")
    if st.button(t("io.backup.restore_button"), type="primary", disabled=upload is None or not confirmed):
        _restore(store, actor, upload.getvalue())
