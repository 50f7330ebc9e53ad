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
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
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
    #: what the two figures are: seconds, or (peak memory) megabytes
    unit: str = "s"


REGISTRY: list[Bench] = []


def figure(fig_id: str, name: str, *, goal: float, unit: str = "s") -> \
        Callable[[Callable[[Setup], tuple[float, float]]], Any]:
    """Register a benchmark: ``fn(setup) -> (ours, baseline)``, in seconds (or ``unit``: "MB")."""

    def register(fn: Callable[[Setup], tuple[float, float]]) -> Callable[[Setup], tuple[float, float]]:
        if any(f.id == fig_id for f in REGISTRY):
            raise ValueError(f"benchmark {fig_id} is registered twice")
        REGISTRY.append(Bench(fig_id, name, goal, fn, unit))
        return fn

    return register


def compare(ours: Callable[[], Any], baseline: Callable[[], Any], repeat: int,
            clock: Clock = CLOCK) -> tuple[float, float]:
    """Median seconds of each, run alternately ``repeat`` times after one warm-up run of each.

    ``clock`` is CPU time by default; figures whose cost is waiting (fsync, a
    subprocess, a browser) pass ``time.perf_counter``.
    """
    ours()
    baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        t = clock()
        ours()
        a.append(clock() - t)
        t = clock()
        baseline()
        b.append(clock() - t)
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
        for i, (s, m, r, has, t) in enumerate(zip(seconds, mood, readiness, has_readiness, tag_pick, strict=True))
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


@figure("P3", "durable-append", goal=1.5)
def p3(setup: Setup) -> tuple[float, float]:
    """Journal.add() (validated, one transaction, WAL, synchronous=FULL) against a bare sqlite3
    INSERT + COMMIT of the same row with sqlite3's defaults. Wall-clock time: the cost is fsync."""
    import sqlite3

    from rekindle_widgets.journal import Journal

    batch = 3 if setup.smoke else 40
    bare_path = setup.folder / "bare.sqlite"
    bare = sqlite3.connect(bare_path)
    bare.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, ts TEXT, ts_utc TEXT, day TEXT, mood INTEGER,"
                 " readiness INTEGER, tags TEXT, note TEXT, source TEXT, fingerprint TEXT, created_utc TEXT)")
    bare.commit()
    journal = Journal(setup.folder / "append.sqlite")
    counter = iter(range(10**9))

    def ours() -> None:
        for _ in range(batch):
            i = next(counter)
            at = f"2026-03-01T10:{i // 60 % 60:02d}:{i % 60:02d}+00:00"
            journal.add(4, 6, tags=["contact"], note=f"entry {i}", at=at)

    def baseline() -> None:
        for _ in range(batch):
            i = next(counter)
            bare.execute("INSERT INTO entries (ts, ts_utc, day, mood, readiness, tags, note, source, fingerprint,"
                         " created_utc) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (f"2026-03-01T10:00:{i % 60:02d}+00:00", "2026-03-01T10:00:00+00:00", "2026-03-01", 4,
                          6, "contact", f"entry {i}", "manual", f"{i:032x}", "2026-03-01T10:00:00+00:00"))
            bare.commit()

    try:
        return compare(ours, baseline, setup.repeat, clock=time.perf_counter)
    finally:
        journal.close()
        bare.close()


@figure("P4", "load-100k-entries", goal=1.0)
def p4(setup: Setup) -> tuple[float, float]:
    """Journal.entries() of 100,000 entries (opening the journal included) against read_csv of our export
    with its timestamps parsed (``pd.to_datetime(..., utc=True)``): both sides end with a frame whose times
    can be charted; without the parse the baseline would hold text, not times. The journal is as an import
    leaves it: 97 packed blocks of 1,024 entries (schema 3) and 672 entries after them, read unpacked."""
    from rekindle_widgets.io.export import export_csv
    from rekindle_widgets.journal import Journal

    path = setup.journal("large", *((300, 40) if setup.smoke else (100_000, 1096)))
    csv_path = setup.folder / "large.csv"
    with Journal(path, create=False) as journal:
        csv_path.write_text(export_csv(journal), encoding="utf-8")

    def ours() -> pd.DataFrame:
        with Journal(path, create=False) as journal:
            return journal.entries()

    def baseline() -> pd.DataFrame:
        frame = pd.read_csv(csv_path)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True, format="ISO8601")
        return frame

    return compare(ours, baseline, setup.repeat)


@figure("P5", "cold-import", goal=1.2)
def p5(setup: Setup) -> tuple[float, float]:
    """A cold ``python -c "import rekindle_widgets"`` against ``python -c "import ipywidgets"`` (wall clock)."""
    import subprocess

    def run(module: str) -> Callable[[], None]:
        return lambda: subprocess.run([sys.executable, "-c", f"import {module}"], check=True)

    return compare(run("rekindle_widgets"), run("ipywidgets"), setup.repeat, clock=time.perf_counter)


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.servers import CHROMIUM_ARGS  # noqa: E402  (Chromium as the browser tests start it)


def serve_voila(notebook: Path, env: dict[str, str], extra: Sequence[str] = ()) -> tuple[Any, str]:
    """Voila serving ``notebook`` on a free port of 127.0.0.1: (the process, its address), once it answers."""
    import socket
    import subprocess
    import urllib.error
    import urllib.request

    for _attempt in range(3):  # a kernel's socket may take the free port first: Voila then exits, try another
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        # the server's log, in the run's folder: what to read when a page hangs
        log = Path(env["REKINDLE_HOME"]).parent / f"voila-{notebook.stem}-{port}.log"
        with log.open("wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
                                     "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
                                     "--KernelManager.transport=ipc",  # as `rekindle app`: no port to race for
                                     *extra],
                                    env=env, cwd=notebook.parent, stdout=subprocess.DEVNULL, stderr=err)
        url = f"http://127.0.0.1:{port}/"
        for _ in range(300):
            if proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(url + "api", timeout=2)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
                continue
            break
        if proc.poll() is None:
            break
    return proc, url


def one_cell_notebook(path: Path, cell_id: str, source: str) -> Path:
    """A notebook of one code cell at ``path``: a bare page for Voila to serve beside ours."""
    import json

    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "id": cell_id, "metadata": {}, "execution_count": None, "outputs": [],
                   "source": source.splitlines(keepends=True)}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    return path


def open_page(page: Any, url: str, *, attempts: int = 3, **kwargs: Any) -> None:
    """``page.goto(url)``, loaded again (a new kernel) when it has not loaded in 40 s.

    About one load in 14 of a plain Voila page whose notebook imports matplotlib never finishes here
    (Voila 0.5.13, ipykernel 7.4.0; seen with ipykernel 6.31 too): the kernel runs the cell and goes idle,
    but Voila's executor never gets the cell's ``execute_reply`` and the page waits for it. A slider page
    did not hang in 30 loads, nor did the app (20 loads through ``rekindle app``). A new load starts a new
    kernel, which is what a person would do; the figure's median absorbs the lost attempt.
    """
    from playwright.sync_api import TimeoutError as PageTimeout

    for attempt in range(attempts):
        try:
            page.goto(url, timeout=40_000, **kwargs)
            return
        except PageTimeout:
            if attempt == attempts - 1:
                raise
            print(f"  {url} did not load in 40 s; loading it again", file=sys.stderr)


def demo_env(setup: Setup, key: str, **extra: str) -> dict[str, str]:
    """The environment of a Voila server on a fresh demo journal of its own (``key`` names its files)."""
    import os
    import subprocess

    demo = setup.folder / f"{key}-demo.sqlite"
    subprocess.run([sys.executable, "-m", "rekindle_widgets.cli", "demo", "--journal", str(demo)], check=True,
                   capture_output=True)
    return {**os.environ, "REKINDLE_JOURNAL": str(demo), "REKINDLE_HOME": str(setup.folder / f"{key}-home"),
            **extra}


@figure("P6", "voila-start-interactive", goal=1.0)
def p6(setup: Setup) -> tuple[float, float]:
    """Opening the app until its Start page is interactive (its first control, the helplines' region, can be
    used), served as ``rekindle app`` serves it (Rekindle's template and Voila settings, one kernel kept ready
    with the app's modules imported: cli/app.py), against a bare one-slider notebook in plain Voila. Both on
    127.0.0.1 in Debian's Chromium via Playwright; wall clock. Before each open of the app, untimed, the kept
    kernel is given the time to be ready again, as it is for a person who opens the app once.

    Measured here (2026-12-08): the workbook's start notebook, 7 cells, in plain Voila: 1.04-1.29; the app
    without a kept kernel: 1.05 (2.07 s against 1.97 s)."""
    from playwright.sync_api import sync_playwright

    from rekindle_widgets.cli.app import KEPT_KERNELS, preheat
    from rekindle_widgets.server.appserver import jupyter_env

    root = Path(__file__).resolve().parents[1]
    app = root / "rekindle_widgets" / "server" / "app.ipynb"
    slider = one_cell_notebook(setup.folder / "slider.ipynb", "slider",
                               "import ipywidgets as w\nw.IntSlider(description='Slide')")
    env = demo_env(setup, "p6")

    servers = [serve_voila(app, {**env, **jupyter_env(env)}, preheat(KEPT_KERNELS)), serve_voila(slider, env)]
    ready_again = 5  # a kernel's start with the app's modules imported, with room to spare
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            times: dict[str, list[float]] = {"ours": [], "bare": []}

            def visit(key: str, url: str, ready: str) -> Callable[[], None]:
                def go() -> None:
                    if key == "ours" and not setup.smoke:
                        time.sleep(ready_again)
                    page = browser.new_page()
                    start = time.perf_counter()
                    open_page(page, url)
                    page.locator(ready).first.wait_for(state="visible", timeout=120_000)
                    times[key].append(time.perf_counter() - start)
                    page.close()
                return go

            # the first interactive control each page shows: the region selector / the slider
            time.sleep(0 if setup.smoke else ready_again)  # the server's first kept kernel
            ours = visit("ours", servers[0][1], ".jupyter-widgets select:enabled")
            bare = visit("bare", servers[1][1], ".jupyter-widgets .slider-container, .widget-slider .noUi-handle")
            compare(ours, bare, 1 if setup.smoke else max(3, setup.repeat // 2), clock=time.perf_counter)
            browser.close()
            # the medians of the timed part only (the warm-up run of each left out)
            return statistics.median(times["ours"][1:]), statistics.median(times["bare"][1:])
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)


@figure("P8", "mood-save-to-chart", goal=1.2)
def p8(setup: Setup) -> tuple[float, float]:
    """Clicking "Save entry" on the app's Mood log until the redrawn chart is shown, against a bare
    ipywidgets page whose button redraws a matplotlib chart of as many points (same size) in an Output.
    Both pages served by Voila on 127.0.0.1 and open in Debian's Chromium; wall clock. Measured here
    (2026-12): 1.5-2.3x while each save opened about 110 new widgets for the recent entries, 1.05-1.8x with
    the rows reused; what is left is the timeline itself: building it (about 40 ms, a twinned readiness
    axis, stage bands) and drawing its 57 texts with Agg (about 100 ms), against one line in the bare page.
    Until 2026-12-07 the bare chart was 10 x 4.2 in, a quarter fewer pixels than the timeline's 11 x 5.2:
    now the same size, 1.32-1.42 at 9 repetitions (1.40 on 2026-12-08). Two thirds of drawing the timeline was its
    35 texts, each shaped and rasterised again at every draw by matplotlib 3.11's Agg: with the canvas that
    keeps them (charts/agg.py, same pixels) 1.07 and 1.17 at 9 repetitions."""
    import itertools

    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parents[1]
    app = root / "rekindle_widgets" / "server" / "app.ipynb"
    bare = setup.folder / "redraw.ipynb"
    source = """import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
out = w.Output()
button = w.Button(description="Redraw")


def redraw(_button=None):
    with out:
        out.clear_output(wait=True)
        fig, ax = plt.subplots(figsize=(11, 5.2), layout="constrained")  # the timeline's size (charts/kinds.py)
        ax.plot(np.arange(280), np.clip(3 + rng.normal(0, 1, 280).cumsum() / 10, 1, 5))
        ax.set_title("Mood")
        plt.show()


button.on_click(redraw)
redraw()
w.VBox([button, out])
"""
    one_cell_notebook(bare, "redraw", source)
    env = demo_env(setup, "p8", REKINDLE_REGION="US")

    servers = [serve_voila(app, env), serve_voila(bare, env)]
    args = CHROMIUM_ARGS
    #: the image's address changed and the new picture is decoded and laid out
    shown = ("([selector, before]) => { const img = document.querySelector(selector);"
             " return img && img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0"
             " && img.getBoundingClientRect().height > 0; }")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            ours_page = browser.new_page(viewport={"width": 1280, "height": 900})
            # setting up, not timed: the DOM is enough, the waits below are for what matters (plain Voila's page
            # links FontAwesome from a CDN, and with no network its "load" once hung past two minutes here)
            open_page(ours_page, servers[0][1], wait_until="domcontentloaded")
            ours_page.get_by_role("tab", name="Mood log").click(timeout=120_000)
            ours_page.locator(".widget-tab-contents img[alt]").first.wait_for(timeout=120_000)
            bare_page = browser.new_page(viewport={"width": 1280, "height": 900})
            open_page(bare_page, servers[1][1], wait_until="domcontentloaded")
            bare_page.locator(".jp-OutputArea-output img").first.wait_for(timeout=120_000)

            def ours() -> None:
                chart = ".widget-tab-contents img[alt]"
                before = ours_page.locator(chart).first.get_attribute("src")
                # choosing the mood is not timed; 5 and 1 in turn, so that today's point moves every time
                mood = next(moods)
                ours_page.get_by_role("button", name=mood).click()
                # a note of its own: the same mood twice in one second with nothing else is one entry (a double
                # tap), which left the chart as it was and the wait below hanging
                ours_page.get_by_label("Note", exact=True).fill(f"benchmark save {next(saves)}")
                ours_page.wait_for_function("() => document.querySelector('.widget-toggle-button.mod-active')")
                start = time.perf_counter()
                ours_page.get_by_role("button", name="Save entry").click()
                ours_page.wait_for_function(shown, arg=[chart, before], timeout=60_000, polling="raf")
                times["ours"].append(time.perf_counter() - start)

            def baseline() -> None:
                chart = ".jp-OutputArea-output .widget-output img, .widget-output img"
                before = bare_page.locator(chart).first.get_attribute("src")
                start = time.perf_counter()
                bare_page.get_by_role("button", name="Redraw").click()
                bare_page.wait_for_function(shown, arg=[chart, before], timeout=60_000, polling="raf")
                times["bare"].append(time.perf_counter() - start)

            times: dict[str, list[float]] = {"ours": [], "bare": []}
            moods = itertools.cycle(["5 rad", "1 awful"])
            saves = itertools.count(1)
            compare(ours, baseline, 1 if setup.smoke else setup.repeat, clock=time.perf_counter)
            browser.close()
            # the median of the timed part only (compare's own clock would include the untimed mood click)
            return statistics.median(times["ours"][1:] or times["ours"]), \
                statistics.median(times["bare"][1:] or times["bare"])
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)


def daylio_export(path: Path, rows: int, every: int = 57) -> Path:
    """A made-up Daylio CSV export in today's 9-column layout: ``rows`` entries, newest first, as Daylio writes it
    (times in 12- and 24-hour form, default mood names, activities, some scales, titles and formatted notes)."""
    import csv

    rng = np.random.default_rng(20261201)
    labels = ["awful", "bad", "meh", "good", "rad"]
    acts = ["work", "friends", "family", "walk", "reading", "gaming", "bad sleep", "good sleep", "cooking", "gym"]
    start = datetime(2015, 1, 1, 7, 0)
    # about one every ``every`` minutes (an hour by default; 5 puts a million rows within ten years), no two alike
    minutes = (np.arange(rows) * every + rng.integers(0, max(1, every * 50 // 57), rows))[::-1]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["full_date", "date", "weekday", "time", "mood", "activities", "scales", "note_title", "note"])
        for i, m in enumerate(minutes):
            when = start + timedelta(minutes=int(m))
            clock = when.strftime("%H:%M") if i % 2 else f"{when.hour % 12 or 12}:{when.minute:02d} " \
                f"{'am' if when.hour < 12 else 'pm'}"
            chosen = " | ".join(acts[j] for j in sorted(set(rng.integers(0, len(acts), int(rng.integers(0, 4))))))
            scales = f"Sleep Quality: {int(rng.integers(1, 11))}/10 points" if i % 5 == 0 else ""
            note = "" if i % 3 else f"Day {i}: a <b>short</b> note &amp; a second line<br>about it"
            writer.writerow([when.date().isoformat(), f"{when.strftime('%B')} {when.day}", when.strftime("%A"), clock,
                             labels[int(rng.integers(0, 5))], chosen, scales, "Title" if i % 7 == 0 else "", note])
    return path


@figure("P10", "import-daylio-100k", goal=2.5)
def p10(setup: Setup) -> tuple[float, float]:
    """Importing a 100,000-row Daylio CSV (today's 9-column layout) into a new journal, everything included:
    decoding, the layout check, dates, times, mood names, HTML notes, duplicate check, the account and the
    journal's one transaction with its packed blocks; against ``pandas.read_csv`` of the same file plus one
    ``executemany`` of its rows into a bare SQLite table and a commit. Measured here (2026-12, a busy 2-core
    machine): 6.1-10.0x before the column reading of clean files, 3.7-4.1x after; of about 2.3 s, the parse
    takes 0.9 (csv 0.25, building and checking 100,000 entries 0.3), the rows' texts and fingerprints 0.45,
    SQLite's inserts into the table and its three indexes 0.5-0.6 and the commit 0.1."""
    import sqlite3

    from rekindle_widgets.io.importers import Options, import_file
    from rekindle_widgets.journal import Journal

    rows = 300 if setup.smoke else 100_000
    csv_path = daylio_export(setup.folder / "daylio_export.csv", rows)
    options = Options(tz=UTC)
    runs = iter(range(10_000))

    def ours() -> None:
        with Journal(setup.folder / f"import-{next(runs)}.sqlite") as journal:
            result = import_file(journal, csv_path, options=options)
        assert result.added == rows, result

    def baseline() -> None:
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        with sqlite3.connect(setup.folder / f"bare-{next(runs)}.sqlite") as conn:
            conn.execute("CREATE TABLE entries (full_date, date, weekday, time, mood, activities, scales,"
                         " note_title, note)")
            conn.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?)", frame.itertuples(index=False))
            conn.commit()
        conn.close()

    return compare(ours, baseline, max(1, min(setup.repeat, 5)))


def peak_megabytes(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Run ``argv`` to its end and return its peak resident memory (``ru_maxrss``, of that process alone)."""
    import subprocess

    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed: {err[-500:]}")
    return usage.ru_maxrss / 1024  # KiB on Linux


@figure("P11", "undo-import-10k", goal=6.0)
def p11(setup: Setup) -> tuple[float, float]:
    """Undoing a 10,000-entry import into a journal that already holds 10,000 entries (issue 16): the safety
    copy of the whole journal taken first (issue 16 part 4), then the journal's one transaction that removes
    the import's id span, drops its packed blocks and its change record; against
    one ``DELETE`` of the same 10,000 rows from a bare SQLite table with the same indexes, in the same
    WAL/synchronous=FULL mode, and a commit. Wall-clock time (the commit waits for fsync); the imports before
    each undo are not timed. Measured here: about 51-65 ms against 12-24 ms; without the safety copy the
    undo alone took 28 ms of 51, so the goal leaves room for that copy."""
    import sqlite3

    from rekindle_widgets.journal import Journal

    size = 300 if setup.smoke else 10_000
    kept, _ = synthetic(size, 400, end=date(2025, 6, 1))
    imported, _ = synthetic(size, 400)
    columns = "ts, ts_utc, day, mood, readiness, tags, note, source, fingerprint, created_utc"
    ours_times, base_times = [], []
    with Journal(setup.folder / "undo.sqlite") as journal:
        journal.add_entries(kept, source="kept")
        bare = sqlite3.connect(setup.folder / "undo-bare.sqlite", isolation_level=None)
        bare.execute("PRAGMA journal_mode=WAL").fetchone()
        bare.execute("PRAGMA synchronous=FULL")
        bare.execute(f"CREATE TABLE entries (id INTEGER PRIMARY KEY, {columns})")
        bare.execute("CREATE INDEX entries_by_time ON entries (ts_utc)")  # the journal's two indexes
        bare.execute("CREATE UNIQUE INDEX entries_by_fingerprint ON entries (fingerprint)")
        rows = [(e.at.isoformat(), e.at.isoformat(), e.at.date().isoformat(), e.mood, e.readiness,
                 "|".join(e.tags), e.note, e.source, str(i), "") for i, e in enumerate(kept + imported)]
        bare.execute("BEGIN")
        bare.executemany(f"INSERT INTO entries ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows[:size])
        bare.execute("COMMIT")
        for _ in range(1 + setup.repeat):  # the first of each is a warm-up
            assert journal.add_entries(imported, source="import").added == size
            t = time.perf_counter()
            change = journal.undo()
            ours_times.append(time.perf_counter() - t)
            assert change.kind == "import" and journal.count() == size
            bare.execute("BEGIN")
            bare.executemany(f"INSERT INTO entries ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows[size:])
            bare.execute("COMMIT")
            t = time.perf_counter()
            bare.execute("BEGIN")
            bare.execute("DELETE FROM entries WHERE id > ?", (size,))
            bare.execute("COMMIT")
            base_times.append(time.perf_counter() - t)
        bare.close()
    return statistics.median(ours_times[1:]), statistics.median(base_times[1:])


# --------------------------------------------------------------------------


@figure("P12", "tab-first-open", goal=1.5)
def p12(setup: Setup) -> tuple[float, float]:
    """Each of the app's tabs opened for the first time (click until the page is drawn and its "Opening …"
    line gone), the slowest of them, against the slowest first open of a bare ipywidgets Tab whose pages are
    built on first open (a dashboard page each: 40 controls and a matplotlib chart), served and opened the same
    way. Issue 24's budget is 1.5 s a tab on a quiet machine: ``--verbose`` prints each tab's seconds."""

    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parents[1]
    app = root / "rekindle_widgets" / "server" / "app.ipynb"
    bare = setup.folder / "tabs.ipynb"
    source = """import base64
import io

import ipywidgets as w
import numpy as np
from matplotlib.figure import Figure

tabs = w.Tab(children=[w.VBox() for _ in range(8)], titles=[f"Page {i}" for i in range(8)])


def chart(seed):
    fig = Figure(figsize=(10, 4.2))
    fig.add_subplot().plot(np.random.default_rng(seed).normal(0, 1, 280).cumsum())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return f'<img alt="chart" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def build(change):
    box = tabs.children[change["new"]]
    if not box.children:  # a dashboard page: a form of 40 controls and a chart
        controls = [[w.HTML(f"<b>Question {i}</b>"), w.Dropdown(options=["a", "b", "c"]), w.Text(), w.Button(
            description="Save")][i % 4] for i in range(40)]
        box.children = [w.HTML(f"<h3>Page {change['new']}</h3>"), *controls, w.HTML(chart(change["new"]))]


tabs.observe(build, names="selected_index")
build({"new": 0})
tabs
"""
    one_cell_notebook(bare, "tabs", source)
    env = demo_env(setup, "p12", REKINDLE_REGION="US")
    from rekindle_widgets.app import PAGES

    #: the tab's page is drawn: its panel holds widgets and no "Opening …" line
    drawn = ("() => { const panel = [...document.querySelectorAll('.widget-tab-contents > *')]"
             ".find(e => e.offsetParent !== null && !e.classList.contains('lm-mod-hidden'));"
             " return panel && !panel.querySelector('.rk-loading')"
             " && panel.querySelectorAll('.jupyter-widgets').length > 2; }")
    servers = [serve_voila(app, env), serve_voila(bare, env)]
    per_tab: dict[str, list[float]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

            def first_opens(url: str, names: list[str], ready: str) -> float:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                open_page(page, url, wait_until="domcontentloaded")
                page.locator(ready).first.wait_for(timeout=120_000)
                slowest = 0.0
                for name in names:
                    start = time.perf_counter()
                    page.get_by_role("tab", name=name).click()
                    page.wait_for_function(drawn, timeout=60_000, polling="raf")
                    took = time.perf_counter() - start
                    per_tab.setdefault(name, []).append(took)
                    slowest = max(slowest, took)
                page.close()
                return slowest

            ours_times: list[float] = []
            bare_times: list[float] = []
            for _ in range(1 if setup.smoke else max(2, setup.repeat // 2)):
                tabs = list(PAGES)[1:] if not setup.smoke else ["Check-up", "Mood log"]  # smoke: the two heaviest
                ours_times.append(first_opens(servers[0][1], tabs, ".widget-tab-contents .rk-safety-panel"))
                bare_times.append(first_opens(servers[1][1], [f"Page {i}" for i in range(1, len(tabs) + 1)],
                                              ".widget-tab"))
            browser.close()
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)
    if "--verbose" in sys.argv:
        for name, times in per_tab.items():
            print(f"  {name}: {statistics.median(times):.2f} s first open", file=sys.stderr)
    return statistics.median(ours_times), statistics.median(bare_times)


@figure("P13", "insights-100k", goal=1.0)
def p13(setup: Setup) -> tuple[float, float]:
    """The insights (issue 27) on 100,000 entries over three years: each tag's same-day and next-day
    comparison with its Welch interval, the day-to-day swing for the last 30 days, the 30 before and each
    stage, and this day a month and a year ago; against a pandas groupby of the same means (daily mean mood,
    then the mean of the days with and without each tag). CPU time. Measured here (2026-12): 0.021 s against
    0.036 s (0.6x); the issue's own goal is under a second (--verbose prints the seconds)."""
    from rekindle_widgets.model.insights import insights

    frame, _ = setup.frame("large", *((300, 40) if setup.smoke else (100_000, 1096)))

    def ours() -> None:
        found = insights(frame, today=date(2026, 8, 28))
        assert found.effects and found.recent is not None

    def baseline() -> None:
        days = frame["date"].dt.normalize()
        daily = frame.groupby(days)["mood"].mean()
        tags = frame[["tags"]].assign(day=days).explode("tags").dropna()
        for _tag, on in tags.groupby("tags")["day"]:
            has = daily.index.isin(on.unique())
            daily.groupby(has).mean()

    return compare(ours, baseline, setup.repeat)


@figure("P14", "import-daylio-1m-memory", goal=1.0, unit="MB")
def p14(setup: Setup) -> tuple[float, float]:
    """Peak memory of importing a 1,000,000-row Daylio CSV (today's layout, ten years of entries every five
    minutes, 82 MB) into a new journal with ``rekindle import``, in a process of its own, against the P10
    baseline (``pandas.read_csv`` + one ``executemany`` into a bare table) on the same file, also in its own
    process: no more than that plain route holds. Issue 25's own goal is under 300 MB (``--verbose`` prints
    both). Measured here (2026-12): 1,258 MB and 34 s before the import streamed (the whole file parsed
    first); 229-235 MB and 23 s after, against the baseline's 273 MB (0.84); importing it again (all 1,000,000
    already in the journal) 218 MB."""
    rows = 2_000 if setup.smoke else 1_000_000
    csv_path = daylio_export(setup.folder / "daylio_1m.csv", rows, every=5)
    journal = setup.folder / "import-1m.sqlite"
    ours = peak_megabytes([sys.executable, "-m", "rekindle_widgets.cli", "import", str(csv_path), "--tz", "UTC",
                           "--journal", str(journal)], env={**os.environ, "REKINDLE_HOME": str(setup.folder)})
    bare = setup.folder / "bare-1m.sqlite"
    baseline = peak_megabytes([sys.executable, "-c", (
        "import sqlite3, sys, pandas as pd\n"
        "frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)\n"
        "conn = sqlite3.connect(sys.argv[2])\n"
        "conn.execute('CREATE TABLE entries (full_date, date, weekday, time, mood, activities, scales,"
        " note_title, note)')\n"
        "conn.executemany('INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?)', frame.itertuples(index=False))\n"
        "conn.commit()\n"), str(csv_path), str(bare)])
    return ours, baseline


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
        os.environ["REKINDLE_HOME"] = str(Path(folder) / "home")  # safety copies stay in the temporary folder
        setup = Setup(Path(folder), smoke=args.smoke, repeat=1 if args.smoke else max(1, args.repeat))
        for fig in chosen:
            try:
                ours, baseline = fig.run(setup)
            except Exception:
                for log in sorted(Path(folder).glob("voila-*.log")):  # a page that hung: what its server said
                    print(f"--- {log.name} (last lines)\n" + "\n".join(log.read_text(errors="replace")
                                                                    .splitlines()[-15:]), file=sys.stderr)
                raise
            ratio = ours / baseline if baseline > 0 else float("inf")
            print(f"{fig.id} {fig.name} ratio={ratio:.2f} goal<={fig.goal:g}", flush=True)
            if args.verbose:
                print(f"  ours {ours:.4f} {fig.unit}, baseline {baseline:.4f} {fig.unit} (median of "
                      f"{1 if fig.unit == 'MB' else setup.repeat})", file=sys.stderr)
            if ratio > fig.goal:
                missed.append(fig.id)
    if missed and not args.smoke:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
