"""No entry is lost: SIGKILL during writes, two writers at once, and a locked journal."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from rekindle_widgets.journal import Journal
from rekindle_widgets.journal.frames import entries_frame

WRITER = """
import sys
from rekindle_widgets.journal import Journal
path, worker, round_, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with Journal(path) as journal:
    print("ready", flush=True)
    for i in range(count):
        note = f"w{worker}-r{round_}-{i}"
        journal.add(1 + i % 5, i % 11, tags=["crash-test"], note=note, at=f"2026-01-01T00:00:{i % 60:02d}+00:00")
        print(note, flush=True)  # printed only after add() returned: the entry is committed
"""


def _reader(proc: subprocess.Popen, sink: list[str]) -> None:
    for line in proc.stdout:
        sink.append(line.strip())


@pytest.mark.slow
def test_sigkill_during_appends_loses_no_returned_entry(journal_path):
    rng = random.Random(8)
    Journal(journal_path).close()
    returned: list[str] = []
    rounds = 4
    for round_ in range(rounds):
        procs, sinks, threads = [], [], []
        for worker in (1, 2):
            proc = subprocess.Popen([sys.executable, "-c", WRITER, str(journal_path), str(worker), str(round_),
                                     "1000"], stdout=subprocess.PIPE, text=True)
            sink: list[str] = []
            thread = threading.Thread(target=_reader, args=(proc, sink), daemon=True)
            thread.start()
            procs.append(proc)
            sinks.append(sink)
            threads.append(thread)
        last_round = round_ == rounds - 1
        if not last_round:
            # kill once each writer is part-way through (a count, not a time: appends take a fraction of a
            # millisecond on some disks, and a writer could finish its 1,000 before any sleep ran out)
            target = rng.randint(50, 900)
            deadline = time.monotonic() + 120
            while (any(len(sink) < target + 1 and proc.poll() is None for sink, proc in zip(sinks, procs, strict=True))
                   and time.monotonic() < deadline):
                time.sleep(0.001)
            for proc in procs:
                os.kill(proc.pid, signal.SIGKILL)  # mid-transaction, most likely
        for proc, thread in zip(procs, threads, strict=True):
            proc.wait(timeout=300)
            thread.join(timeout=10)
        for sink in sinks:
            returned += [line for line in sink if line != "ready"]
        if last_round:
            assert all(p.returncode == 0 for p in procs)
    conn = sqlite3.connect(journal_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {row[0] for row in conn.execute("SELECT note FROM entries")}
    finally:
        conn.close()
    missing = [note for note in returned if note not in present]
    assert missing == []
    conn = sqlite3.connect(journal_path)
    try:
        assert conn.execute("SELECT count(*) FROM entry_blocks").fetchone()[0] >= 2
    finally:
        conn.close()
    with Journal(journal_path) as journal:  # the packed blocks, written with the entries, agree with them
        pd.testing.assert_frame_equal(journal.entries(), entries_frame(journal.rows(), []))
    assert sum(1 for n in returned if n.startswith("w1-r3-")) == 1000  # the last round ran to the end
    assert len(returned) > 2000
    killed_early = [r for r in range(rounds - 1) if sum(1 for n in returned if n.startswith(f"w1-r{r}-")) < 1000]
    assert killed_early, "no writer was killed before it finished: the test proved nothing"


def test_two_writers_at_once_lose_nothing_and_see_each_other(journal_path):
    Journal(journal_path).close()
    a, b = Journal(journal_path), Journal(journal_path)
    try:
        errors: list[BaseException] = []

        def write(j: Journal, name: str) -> None:
            try:
                for i in range(200):
                    j.add(3, note=f"{name}-{i}", at=f"2026-02-01T10:{i // 60:02d}:{i % 60:02d}+00:00")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(a, "a")), threading.Thread(target=write, args=(b, "b"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert a.count() == b.count() == 400
        notes = set(b.entries()["note"])
        assert {f"a-{i}" for i in range(200)} <= notes
    finally:
        a.close()
        b.close()
