"""Ratios b and c: the overview's data layer against hand-written SQL, and naive pandas against the data layer.

Both run in this process on one store (one engine): the store's functions check out their own connections from
its pool, as on a page; the hand-written queries and the naive reads run on a connection from the same pool.
The three answers are compared first; if they differ the figure reports that instead of a time.
"""

from __future__ import annotations

from accompaniment.access import PUBLIC
from accompaniment.store.database import open_store
from benchmarks import overview
from benchmarks.databases import DEMO_TODAY, Built
from benchmarks.stats import Figure, paired, ratios, seconds

B_TITLE = "overview data layer ÷ hand-written SQL (one query per figure)"
C_TITLE = "naive pandas (whole tables) ÷ overview data layer"


def measure(built: Built, repeat: int) -> tuple[Figure, Figure]:
    backend = f"{built.backend} (scale {built.scale})"
    b = Figure("b", B_TITLE, backend, ("<=", 1.5))
    c = Figure("c", C_TITLE, backend, (">=", 10.0))
    store = open_store(built.url, upgrade=False)
    try:

        def by_store() -> dict:
            return overview.store_numbers(store, PUBLIC, DEMO_TODAY)

        def by_hand() -> dict:
            with store.read() as connection:
                return overview.handwritten_numbers(connection, DEMO_TODAY)

        def by_pandas() -> dict:
            with store.read() as connection:
                return overview.naive_numbers(connection, DEMO_TODAY)

        reference = by_store()
        for figure, other, name in ((b, by_hand, "hand-written SQL"), (c, by_pandas, "naive pandas")):
            differing = overview.differences(reference, other())
            if differing:
                figure.error = f"{name} and the store disagree on: {', '.join(differing)}"
        if not b.error:
            store_times, hand_times = paired(by_store, by_hand, repeat, warmup=False)
            b.ratios = ratios(store_times, hand_times)
            b.detail = f"store {seconds(store_times)}, hand-written {seconds(hand_times)}"
        if not c.error:
            pandas_times, store_times = paired(by_pandas, by_store, repeat, warmup=False)
            c.ratios = ratios(pandas_times, store_times)
            c.detail = f"pandas {seconds(pandas_times)}, store {seconds(store_times)}"
    finally:
        store.engine.dispose()
    return b, c
