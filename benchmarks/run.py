"""Rekindle's performance figures: ``make bench`` (or ``python benchmarks/run.py``).

Each figure times Rekindle against a plain baseline doing comparable work, both
measured in the same run, alternating, several times; the ratio of the medians
is printed one line per figure::

    P1 timeline-3y-png ratio=1.21 goal<=1.5

and the command exits 1 if any figure misses its goal. Times are the CPU time
of this process (``time.process_time``): on a busy machine it is much steadier
than wall-clock time, and both sides are single-threaded, CPU-bound work on
data already in memory or the page cache.

Add a figure by writing a function that takes the shared :class:`Setup` and
returns ``(ours_seconds, baseline_seconds)`` (use :func:`compare`), decorated
with ``@figure("P9", "short-name", goal=...)``.

Options: ``--smoke`` (tiny data, one repetition, never fails: checks the
harness runs), ``--only P1,P4``, ``--repeat N``, ``--verbose`` (seconds on stderr).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # the baseline's DataFrame.plot() goes through pyplot

import numpy as np
import pandas as pd

Clock = Callable[[], float]
CLOCK: Clock = time.process_time


@dataclass(frozen=True)
class Bench:
    id: str
    name: str
    goal: float
    run: Callable[[Setup], tuple[float, float]]


REGISTRY: list[Bench] = []


def figure(fig_id: str, name: str, *, goal: float) -> Callable[[Callable[[Setup], tuple[float, float]]], Any]:
    """Register a benchmark: ``fn(setup) -> (ours_seconds, baseline_seconds)``."""

    def register(fn: Callable[[Setup], tuple[float, float]]) -> Callable[[Setup], tuple[float, float]]:
        if any(f.id == fig_id for f in REGISTRY):
            raise ValueError(f"benchmark {fig_id} is registered twice")
        REGISTRY.append(Bench(fig_id, name, goal, fn))
        return fn

    return register


def compare(ours: Callable[[], Any], baseline: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median seconds of each, run alternately ``repeat`` times after one warm-up run of each."""
    ours()
    baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        t = CLOCK()
        ours()
        a.append(CLOCK() - t)
        t = CLOCK()
        baseline()
        b.append(CLOCK() - t)
    return statistics.median(a), statistics.median(b)


# --------------------------------------------------------------------------
# Shared data: made once, lazily, in a temporary folder
# --------------------------------------------------------------------------


@dataclass
class Setup:
    folder: Path
    smoke: bool = False
    repeat: int = 7
    _cache: dict[str, Any] = field(default_factory=dict)

    def journal(self, key: str, entries: int, days: int) -> Path:
        """A journal file with ``entries`` synthetic entries spread over ``days`` days, with stages."""
        if key not in self._cache:
            from rekindle_widgets.journal import Journal

            path = self.folder / f"{key}.sqlite"
            made, stages = synthetic(entries, days)
            with Journal(path) as journal:
                journal.add_entries(made, stages=stages, source="bench")
            self._cache[key] = path
        return self._cache[key]

    def frame(self, key: str, entries: int, days: int) -> tuple[pd.DataFrame, list[Any]]:
        from rekindle_widgets.journal import Journal

        with Journal(self.journal(key, entries, days), create=False) as journal:
            return journal.entries(), journal.stage_changes()


def synthetic(entries: int, days: int, end: date = date(2026, 8, 28)) -> tuple[list[Any], list[Any]]:
    """Made-up entries, evenly spread over ``days`` days up to ``end``, moving through six stages."""
    from rekindle_widgets.journal import Entry, StageChange

    rng = np.random.default_rng(20260302)
    start = datetime(end.year, end.month, end.day, tzinfo=UTC) - timedelta(days=days - 1)
    seconds = np.sort(rng.integers(0, days * 86400, entries)) if entries > days else \
        np.arange(entries) * (days * 86400 // max(entries, 1)) + 9 * 3600
    progress = seconds / (days * 86400)
    mood = np.clip(np.rint(2.2 + 1.8 * progress + rng.normal(0, 0.8, entries)), 1, 5).astype(int)
    readiness = np.clip(np.rint(1 + 8 * progress + rng.normal(0, 1, entries)), 0, 10).astype(int)
    has_readiness = rng.random(entries) < 0.6
    tag_pick = rng.random(entries)
    notes = ["", "", "Long walk, felt lighter.", "Short call, friendly.", "Quiet evening."]
    made = [
        Entry(at=start + timedelta(seconds=int(s)), mood=int(m), readiness=int(r) if has else None,
              tags=("contact",) if t < 0.1 else ("therapy", "friends") if t < 0.15 else (),
              note=notes[i % len(notes)], source="bench")
        for i, (s, m, r, has, t) in enumerate(zip(seconds, mood, readiness, has_readiness, tag_pick))
    ]
    stages = [StageChange(stage, start.date() + timedelta(days=int(days * share)))
              for stage, share in [(1, 0.0), (2, 0.15), (3, 0.35), (4, 0.55), (5, 0.7), (6, 0.85)]]
    return made, stages


# --------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------

DPI = 100


def _timeline_vs_plot(setup: Setup, key: str, entries: int, days: int) -> tuple[float, float]:
    import matplotlib.pyplot as plt

    from rekindle_widgets import charts

    frame, stages = setup.frame(key, entries, days)
    size = charts.KINDS["timeline"]
    series = frame.set_index("timestamp")["mood"]

    def ours() -> bytes:
        return charts.render(charts.timeline(frame, stages=stages).figure, "png", dpi=DPI)

    def baseline() -> bytes:
        ax = series.plot(figsize=size)
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png", dpi=DPI)
        plt.close(ax.figure)
        return buffer.getvalue()

    return compare(ours, baseline, setup.repeat)


@figure("P1", "timeline-3y-png", goal=1.5)
def p1(setup: Setup) -> tuple[float, float]:
    """The timeline of a 3-year daily log to PNG, against DataFrame.plot() + savefig at the same size and dpi."""
    days = 40 if setup.smoke else 1096
    return _timeline_vs_plot(setup, "daily", days, days)


@figure("P2", "timeline-100k-png", goal=2.0)
def p2(setup: Setup) -> tuple[float, float]:
    """The same with 100,000 entries over the three years."""
    return _timeline_vs_plot(setup, "large", *((300, 40) if setup.smoke else (100_000, 1096)))


@figure("P4", "load-100k-entries", goal=1.0)
def p4(setup: Setup) -> tuple[float, float]:
    """Journal.entries() of 100,000 entries (opening the journal included) against read_csv of our export."""
    from rekindle_widgets.export import export_csv
    from rekindle_widgets.journal import Journal

    path = setup.journal("large", *((300, 40) if setup.smoke else (100_000, 1096)))
    csv_path = setup.folder / "large.csv"
    with Journal(path, create=False) as journal:
        csv_path.write_text(export_csv(journal), encoding="utf-8")

    def ours() -> pd.DataFrame:
        with Journal(path, create=False) as journal:
            return journal.entries()

    def baseline() -> pd.DataFrame:
        return pd.read_csv(csv_path)

    return compare(ours, baseline, setup.repeat)


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data, one repetition, never fails")
    parser.add_argument("--only", help="comma-separated figure ids, e.g. P1,P4")
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions per side (default 7)")
    parser.add_argument("--verbose", action="store_true", help="print the seconds on stderr")
    args = parser.parse_args(argv)
    wanted = {s.strip().upper() for s in args.only.split(",")} if args.only else None
    chosen = [f for f in REGISTRY if wanted is None or f.id in wanted]
    if wanted and len(chosen) != len(wanted):
        parser.error(f"unknown figure id(s): {', '.join(sorted(wanted - {f.id for f in REGISTRY}))}")
    missed = []
    with tempfile.TemporaryDirectory(prefix="rekindle-bench-") as folder:
        setup = Setup(Path(folder), smoke=args.smoke, repeat=1 if args.smoke else max(1, args.repeat))
        for fig in chosen:
            ours, baseline = fig.run(setup)
            ratio = ours / baseline if baseline > 0 else float("inf")
            print(f"{fig.id} {fig.name} ratio={ratio:.2f} goal<={fig.goal:g}", flush=True)
            if args.verbose:
                print(f"  ours {ours:.4f} s, baseline {baseline:.4f} s (median of {setup.repeat})",
                      file=sys.stderr)
            if ratio > fig.goal:
                missed.append(fig.id)
    if missed and not args.smoke:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
