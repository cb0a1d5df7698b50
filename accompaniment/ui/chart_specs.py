"""The overview's charts as finished Vega-Lite specs, cached (issue 18).

Building an Altair chart and converting it to a spec was the largest part of a warm rerun of the overview (Altair
building, copying and validating the specs: 42 % at scale 100), though the charts only change when their data or
the reader's language does. So a chart is built once per (builder, language, data, options) and its spec, with
its data already serialised as Arrow the way Streamlit ships it, is kept in ``st.cache_data``; a rerun draws the
cached spec with ``st.vega_lite_chart``, the same element ``st.altair_chart`` makes.

The key is everything the spec depends on, so the cache, shared by every session, cannot serve one reader's chart
to another: the frame itself (its content is hashed, so role, state and data version are in it), the options
(tooltips, labels already translated) and the language (the column titles are looked up in it). The spec is not
validated against the Vega-Lite schema here: the builders are fixed code and tests/unit/test_charts.py validates
each builder's spec.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from accompaniment import charts
from accompaniment.ui.context import current_lang

MAX_SPECS = 256


def spec(builder: str, frame: pd.DataFrame, **options: Any) -> dict[str, Any]:
    """The spec of ``charts.<builder>(frame, **options)`` for the reader's language, built once and cached.

    ``titles`` (a lazy ``present.Titles``) is left out of the key: it follows from the language."""
    titles = options.pop("titles", None)
    return _cached(builder, current_lang(), frame, options, titles)


@st.cache_data(max_entries=MAX_SPECS, show_spinner=False)
def _cached(
    builder: str, lang: str, frame: pd.DataFrame, options: dict[str, Any], _titles: Any
) -> dict[str, Any]:
    kwargs = options if _titles is None else {**options, "titles": _titles}
    return vega_spec(getattr(charts, builder)(frame, **kwargs))


def vega_spec(figure: alt.TopLevelMixin) -> dict[str, Any]:
    """What ``st.altair_chart`` sends for ``figure`` (Streamlit's own conversion: no default theme, data as
    Arrow datasets), without the schema validation ``to_dict`` runs by default."""
    from streamlit.elements import vega_charts

    datasets: dict[str, Any] = {}
    alt.data_transformers.register("to_arrow_dataset", vega_charts._to_arrow_dataset)
    with vega_charts._altair_globals_lock:  # Altair's theme and transformer are global to every thread
        theme = alt.theme.enable("none") if alt.theme.active == "default" else nullcontext()
        with theme, alt.data_transformers.enable("to_arrow_dataset", datasets=datasets):
            result = figure.to_dict(validate=False)
    existing = result.get("datasets")
    result["datasets"] = {**existing, **datasets} if isinstance(existing, dict) else datasets
    return result
