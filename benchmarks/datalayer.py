"""Ratios b and c: the overview's data layer against its own SQL on a bare connection, and naive pandas against
the data layer.

Method (b): the statements ``dashboard.national_overview`` sends are captured once (``bare.captured_statements``)
and each sample times the store's call against the same statements, with the same parameters, run on the driver's
own connection (DuckDB's Python API, psycopg) and fetched as tuples: the floor is the database's own work plus
the driver's, so the ratio is what SQLAlchemy, the DataFrames and the stall rule add. Method (c): naive pandas
reads the eight tables whole with DuckDB's own DataFrame read (``.df()``; psycopg's fetchall on PostgreSQL) and
computes every figure in pandas, against the store's call.

Both run in this process on one store (one engine); the bare side borrows a pooled connection's driver
connection (a DuckDB file has one opener per process). The answers are compared first: the store against
hand-written SQL (one query per figure) and against naive pandas; if they differ the figure reports that
instead of a time, since a fast answer to another question proves nothing.
"""

from __future__ import annotations

from accompaniment.access import PUBLIC
from accompaniment.store.database import open_store
from benchmarks import bare, overview
from benchmarks.databases import DEMO_TODAY, Built
from benchmarks.stats import Figure, paired, ratios, seconds

B_TITLE = "overview data layer ÷ its own SQL statements on the bare driver connection"
C_TITLE = "naive pandas (whole tables by DuckDB's .df()) ÷ overview data layer"
B_TARGET = ("<=", 1.25)
C_TARGET = (">=", 10.0)


def measure(built: Built, repeat: int) -> tuple[Figure, Figure]:
    backend = f"{built.backend} (scale {built.scale})"
    b = Figure("b", B_TITLE, backend, B_TARGET)
    c = Figure("c", C_TITLE, backend, C_TARGET)
    store = open_store(built.url, upgrade=False)
    try:
        statements = bare.captured_statements(store, PUBLIC, DEMO_TODAY, overview.LIST_LIMIT, overview.MONTHS)

        def by_store() -> dict:
            return overview.store_numbers(store, PUBLIC, DEMO_TODAY)

        def by_bare() -> list:
            with bare.bare_connection(store) as driver:
                return bare.run_statements(driver, statements)

        def by_pandas() -> dict:
            with bare.bare_connection(store) as driver:
                return overview.naive_numbers(bare.table_reader(driver), DEMO_TODAY)

        def by_hand() -> dict:
            with store.read() as connection:
                return overview.handwritten_numbers(connection, DEMO_TODAY)

        reference = by_store()
        for figure, other, name in ((b, by_hand, "hand-written SQL"), (c, by_pandas, "naive pandas")):
            differing = overview.differences(reference, other())
            if differing:
                figure.error = f"{name} and the store disagree on: {', '.join(differing)}"
        if not b.error:
            store_times, bare_times = paired(by_store, by_bare, repeat)
            b.ratios = ratios(store_times, bare_times)
            b.detail = (
                f"store {seconds(store_times)}, the same {len(statements)} statements on the bare "
                f"connection {seconds(bare_times)}"
            )
        if not c.error:
            pandas_times, store_times = paired(by_pandas, by_store, repeat)
            c.ratios = ratios(pandas_times, store_times)
            c.detail = f"pandas {seconds(pandas_times)}, store {seconds(store_times)}"
    finally:
        store.engine.dispose()
    return b, c
