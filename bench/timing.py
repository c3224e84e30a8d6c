"""Timing helpers: repeated wall-clock measurements summarised as min / median / max."""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Stats:
    """Repeated measurements of one figure (seconds, bytes, rates: whatever ``unit`` says)."""

    values: tuple[float, ...]

    @property
    def min(self) -> float:
        """The smallest value."""
        return min(self.values)

    @property
    def median(self) -> float:
        """The median value (the figure quoted unless said otherwise)."""
        return statistics.median(self.values)

    @property
    def max(self) -> float:
        """The largest value."""
        return max(self.values)

    @property
    def n(self) -> int:
        """How many measurements."""
        return len(self.values)

    def scaled(self, factor: float) -> Stats:
        """Return the values multiplied by ``factor`` (e.g. seconds to milliseconds)."""
        return Stats(tuple(v * factor for v in self.values))

    def inverted(self, numerator: float) -> Stats:
        """Return ``numerator / value`` for each value (e.g. seconds to rows per second)."""
        return Stats(tuple(numerator / v if v > 0 else float("inf") for v in self.values))


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Call ``fn`` and return (seconds, result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def repeat(fn: Callable[[], Any], repeats: int, *, budget_s: float | None = None,
           setup: Callable[[], Any] | None = None) -> tuple[Stats, Any]:
    """Time ``fn`` ``repeats`` times (fewer when ``budget_s`` is spent); return the stats and the last result.

    Parameters
    ----------
    fn
        What to time.
    repeats
        How many times at most (at least once).
    budget_s
        Stop repeating once this many seconds have been spent in ``fn``.
    setup
        Called before each repetition, outside the timing (e.g. clearing a cache).
    """
    values: list[float] = []
    result: Any = None
    for _ in range(max(1, repeats)):
        if setup is not None:
            setup()
        elapsed, result = once(fn)
        values.append(elapsed)
        if budget_s is not None and sum(values) >= budget_s:
            break
    return Stats(tuple(values)), result


def profile(fn: Callable[[], Any], top: int = 12) -> tuple[str, Any]:
    """Run ``fn`` under cProfile; return the ``top`` functions by cumulative time as text, and the result."""
    profiler = cProfile.Profile()
    result = profiler.runcall(fn)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return _trim(out.getvalue()), result


def _trim(text: str) -> str:
    """Keep the table of a pstats listing, with paths shortened to the repository."""
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    kept = []
    for line in lines[start:]:
        for marker in ("/site-packages/", "/work/main/"):
            if marker in line:
                head, _, tail = line.partition(" /")
                line = f"{head} {tail.split(marker, 1)[-1]}" if marker in tail else line
        kept.append(line)
    return "\n".join(kept)
