"""The benchmark registry and the timing helpers every benchmark shares."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Result:
    name: str
    ours_s: float
    baseline_s: float | None
    ratio: float | None
    target: float  # a ratio when there is a baseline, else seconds
    detail: str = ""

    def as_json(self) -> dict[str, object]:
        d = asdict(self)
        d.pop("detail")
        return d

    @property
    def met(self) -> bool:
        value = self.ratio if self.ratio is not None else self.ours_s
        return value <= self.target


BENCHMARKS: dict[str, Callable[[], Result]] = {}


def benchmark(name: str) -> Callable[[Callable[[], Result]], Callable[[], Result]]:
    def register(fn: Callable[[], Result]) -> Callable[[], Result]:
        BENCHMARKS[name] = fn
        return fn

    return register


def best_of(n: int, fn: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    """Fastest of n runs: the least disturbed by the other work on a shared two-core machine."""
    best = float("inf")
    for _ in range(n):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def compare(name: str, ours: float, baseline: float, target: float, detail: str = "") -> Result:
    return Result(name, round(ours, 4), round(baseline, 4), round(ours / baseline, 2), target, detail)
