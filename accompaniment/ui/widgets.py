"""Rendering helpers every page shares: the KPI row, a chart with its numbers as a table and a CSV download, the
state picker, pagination, safe links and empty-state messages.

User-entered text never goes through HTML: tables show it as cell text, Markdown gets it escaped, and a link is
made only from an http(s) URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import altair as alt
import pandas as pd
import streamlit as st

from accompaniment.ui.context import current_actor, t

PAGE_SIZE = 25
HOME_STATE_KEY = "home_state"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


# ---- text and links ---------------------------------------------------------------------------------------------


def escape_markdown(value: object) -> str:
    """``value`` as literal text inside Markdown: no emphasis, links, HTML, LaTeX or Streamlit directives."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def safe_url(value: object) -> str | None:
    """``value`` if it is an http(s) URL with a host, else None (no javascript:, data:, relative links)."""
    if not isinstance(value, str) or not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return value.strip()


def markdown_link(label: str, url: object) -> str:
    """A Markdown link when ``url`` is safe; otherwise the label as plain escaped text."""
    safe = safe_url(url)
    if safe is None:
        return escape_markdown(label)
    return f"[{escape_markdown(label)}]({quote(safe, safe=':/?#[]@!$&*+,;=%~-._')})"


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")


# ---- figures, charts and their numbers -------------------------------------------------------------------------


def kpi_row(items: Sequence[tuple[str, str, str | None]], per_row: int = 4) -> None:
    """One bordered metric per (label, value, help), at most ``per_row`` to a row so labels stay readable."""
    for start in range(0, len(items), per_row):
        chunk = items[start : start + per_row]
        for column, (label, value, help_text) in zip(st.columns(per_row), chunk, strict=False):
            column.metric(label, value, help=help_text, border=True)


def _csv(table: pd.DataFrame) -> Callable[[], bytes]:
    return lambda: table.to_csv(index=False).encode("utf-8-sig")  # BOM: spreadsheets detect UTF-8


def numbers(
    table: pd.DataFrame, *, key: str, csv: pd.DataFrame | None = None, title: str | None = None
) -> None:
    """An expander with ``table`` (readable) and a CSV download (``csv``, raw figures, when given)."""
    with st.expander(title or t("widgets.numbers"), icon=":material/table:"):
        if table.empty:
            st.caption(t("common.no_data"))
            return
        st.dataframe(table, hide_index=True, width="stretch", placeholder=missing_text())
        st.download_button(
            t("widgets.download_csv"), data=_csv(table if csv is None else csv), file_name=f"{key}.csv",
            mime="text/csv", key=f"csv_{key}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip


def chart(
    figure: alt.TopLevelMixin | dict[str, Any],
    table: pd.DataFrame,
    *,
    key: str,
    description: str,
    csv: pd.DataFrame | None = None,
    stretch: bool = True,
) -> None:
    """A chart (our theme, not Streamlit's) followed by the same numbers as a table and a CSV.

    ``stretch=False`` keeps a chart's own size (the map's square tiles). ``figure`` is an Altair chart or a
    finished spec (``chart_specs.spec``, cached), drawn as the same Vega-Lite element.
    """
    width = "stretch" if stretch else "content"
    if isinstance(figure, dict):
        st.vega_lite_chart(figure, width=width, theme=None, alt=description)
    else:
        st.altair_chart(figure, width=width, theme=None, alt=description)
    numbers(table, key=key, csv=csv)


def table(frame: pd.DataFrame, **column_config: object) -> None:
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config=column_config or None,
        placeholder=missing_text(),
    )


def missing_text() -> str:
    """What a grid shows in a cell with no value: the catalogue's dash (Streamlit would draw a grey "None").

    Pass it as ``placeholder=`` to every ``st.dataframe`` and ``st.data_editor``; ``table`` and ``numbers`` do.
    """
    return t("common.none")


def choose_text() -> str:
    """A select box's placeholder (Streamlit's own is "Choose an option"): shown while nothing is chosen and
    while the person types to search the options. Pass it as ``placeholder=`` to every ``st.selectbox``."""
    return t("common.choose")


def progress_column(title: str) -> object:
    return st.column_config.ProgressColumn(title, min_value=0, max_value=100, format="%.0f %%")


def link_column(title: str, text: str) -> object:
    return st.column_config.LinkColumn(title, display_text=text)


# ---- choosing ---------------------------------------------------------------------------------------------------


def choice(
    label: str,
    labels: Mapping[Any, str],
    *,
    key: str,
    everything: str | None = None,
    default: Any = None,
    where: Any = st,
) -> Any:
    """A select box over ``labels`` (value → text, translated up front), optionally led by an "all" entry (None).

    The texts are computed once per run so the box never asks for the language later (AppTest formats values
    outside the script run, where the session's language is unknown).
    """
    names = ({None: everything} if everything is not None else {}) | dict(labels)
    options = list(names)
    index = options.index(default) if default in names else 0
    return where.selectbox(
        label, options, index=index, format_func=names.__getitem__, key=key, placeholder=choose_text()
    )


def keep_choice(widget_key: str, options: Mapping[Any, Any]) -> None:
    """Before a picker shows: make it show, and the forms under it act on, one and the same listed record.

    A choice no longer listed (archived, closed, filtered out) becomes the first listed one, and a kept choice is
    set again. Both are set rather than forgotten: a forgotten choice would leave the browser showing the old
    label while the page acts on the first record, and a label that changed (a progress just saved) would stay
    stale in the box.
    """
    if not options:
        st.session_state.pop(widget_key, None)
        return
    current = st.session_state.get(widget_key)
    st.session_state[widget_key] = current if current in options else next(iter(options))


def state_picker(states: pd.DataFrame, *, key: str, label: str | None = None) -> str | None:
    """A select box of states (``state_code``, ``state_name``); starts on the user's own state when there is one."""
    if states.empty:
        return None
    codes = list(states["state_code"])
    names = dict(zip(states["state_code"], states["state_name"], strict=True))
    home = st.session_state.get(HOME_STATE_KEY) or current_actor().state_code
    if key not in st.session_state and home in names:
        st.session_state[key] = home
    if st.session_state.get(key) not in names:
        st.session_state[key] = codes[0]
    return st.selectbox(
        label or t("widgets.state"), codes, format_func=names.__getitem__, key=key, placeholder=choose_text()
    )


def paginate(total: int, *, key: str, page_size: int = PAGE_SIZE) -> tuple[int, int]:
    """(limit, offset) of the page to show; a pagination control and a "showing a–b of n" line when needed."""
    pages = max((total + page_size - 1) // page_size, 1)
    if st.session_state.get(key, 1) > pages:
        st.session_state[key] = pages
    page = st.pagination(pages, key=key) if pages > 1 else 1
    offset = (page - 1) * page_size
    if total:
        st.caption(t("widgets.showing", first=offset + 1, last=min(offset + page_size, total), total=total))
    return page_size, offset


def page_of(frame: pd.DataFrame, *, key: str, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """One page of an already-read frame (a cached, bounded read), with the pagination control when needed."""
    limit, offset = (
        paginate(len(frame), key=key, page_size=page_size) if len(frame) > page_size else (page_size, 0)
    )
    return frame.iloc[offset : offset + limit]


def open_ended_pages(fetch: Callable[[int, int], pd.DataFrame], *, key: str, page_size: int = PAGE_SIZE):
    """Page through a list whose length is not counted: fetch one row more than a page to know if another follows."""
    page = max(int(st.session_state.get(key, 1)), 1)
    rows = fetch(page_size + 1, (page - 1) * page_size)
    while rows.empty and page > 1:
        page -= 1
        rows = fetch(page_size + 1, (page - 1) * page_size)
    if st.session_state.get(key, 1) != page:
        st.session_state[key] = page  # the list shrank under the reader
    pages = page + 1 if len(rows) > page_size else page
    if pages > 1:
        st.pagination(pages, key=key)
    return rows.head(page_size)
