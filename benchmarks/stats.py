"""Timing and the figures of the table: each figure is the median of several paired repetitions, with min and max.

A ratio is measured pairwise: in each repetition the numerator and the denominator run one right after the other
(their order alternating), and the ratio of that pair is one sample. On a shared machine the load changes from
second to second; a pair sees the same load, so its ratio is steadier than a ratio of two separate medians.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spread:
    """Median, min and max of some samples."""

    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        if not samples:
            raise ValueError("no samples")
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))


@dataclass
class Figure:
    """One row of the results table.

    ``ratios`` are the per-repetition samples; ``target`` is ("<=" or ">=", bound); ``detail`` says what the two
    sides measured (their medians); ``note`` explains a missed target or a figure that could not be measured.
    """

    key: str
    title: str
    backend: str
    target: tuple[str, float]
    ratios: list[float] = field(default_factory=list)
    detail: str = ""
    note: str = ""
    error: str = ""

    @property
    def spread(self) -> Spread | None:
        return Spread.of(self.ratios) if self.ratios else None

    @property
    def met(self) -> bool | None:
        """None when nothing was measured (an error, or skipped)."""
        spread = self.spread
        if spread is None or self.error:
            return None
        sense, bound = self.target
        return spread.median <= bound if sense == "<=" else spread.median >= bound


def timed(work: Callable[[], object]) -> float:
    """Seconds ``work`` took (wall clock, monotonic)."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def paired(
    numerator: Callable[[], object], denominator: Callable[[], object], repeat: int, warmup: bool = True
) -> tuple[list[float], list[float]]:
    """``repeat`` pairs of timings, numerator and denominator back to back (order alternating each time)."""
    if warmup:
        numerator()
        denominator()
    tops: list[float] = []
    bottoms: list[float] = []
    for index in range(repeat):
        if index % 2 == 0:
            tops.append(timed(numerator))
            bottoms.append(timed(denominator))
        else:
            bottoms.append(timed(denominator))
            tops.append(timed(numerator))
    return tops, bottoms


def ratios(tops: Sequence[float], bottoms: Sequence[float]) -> list[float]:
    return [top / bottom for top, bottom in zip(tops, bottoms, strict=True)]


def seconds(samples: Sequence[float]) -> str:
    """A median time, readable: 0.042 s, 1.7 s."""
    value = statistics.median(samples)
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
