"""Performance benchmarks: does the dashboard feel the same at national scale as today?

``python -m benchmarks.run`` (``make bench``) builds deterministic demo databases at several scales, measures the
ratios of issue 8 side by side in one run (each the median of several repetitions, with min and max) and writes
``benchmarks/results.md``. Ratios, not seconds: the machine is shared and noisy, but two things timed next to each
other suffer the same noise.

Modules: ``run`` (the command), ``databases`` (build or reuse the scale sets), ``stats`` (timing, paired
ratios), ``overview`` (the overview's numbers three ways: the store, hand-written SQL, naive pandas),
``bare`` (the floor of b: the store's own statements on the driver's bare connection), ``datalayer`` (b, c), ``apprun`` (a subprocess running pages in AppTest) and ``app_figures`` (a, d), ``writes``
(e), ``coldstart`` (f), ``scorecard`` (g, the co-creation scorecard's reads), ``report`` (the table and results.md).
"""
