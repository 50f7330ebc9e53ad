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
    """Collect the writer's complete lines.

    A kill can cut a line part-way through its write ("pend"); the writer flushes a line before it
    starts the change that line announces, so a cut line announced nothing and is dropped.
    """
    for line in proc.stdout:
        if line.endswith("\n"):
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
            # kill once a writer is part-way through (a count, not a time: appends take a fraction of a
            # millisecond on some disks, and a writer could finish its 1,000 before any sleep ran out). The
            # first to reach the count decides: waiting for both let a fast one finish while a slow one
            # started, on a loaded machine, and then no writer was killed early
            target = rng.randint(50, 900)
            deadline = time.monotonic() + 120
            while (all(len(sink) < target + 1 and proc.poll() is None for sink, proc in zip(sinks, procs, strict=True))
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
    killed_early = [(w, r) for r in range(rounds - 1) for w in (1, 2)
                    if sum(1 for n in returned if n.startswith(f"w{w}-r{r}-")) < 1000]
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


CORRECTOR = """
import hashlib, json, random, sys
from rekindle_widgets.journal import Entry, Journal
path, round_, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(round_)

def digest(model):
    return hashlib.sha256(json.dumps(sorted(model.values())).encode()).hexdigest()[:16]

with Journal(path) as journal:
    model = {r[0]: [r[3], r[6]] for r in journal.rows()}
    stack = []  # the model before each change this writer made: what undo must bring back
    print("ready", digest(model), flush=True)
    for i in range(count):
        op = rng.choice(["add", "add", "edit", "delete", "undo", "import"])
        if op in ("edit", "delete") and not model or op == "undo" and not stack:
            op = "add"
        after = {k: list(v) for k, v in model.items()}
        if op == "add":
            after[-1] = [1 + i % 5, f"r{round_}-a{i}"]
        elif op == "import":
            for k in range(3):
                after[-1 - k] = [1 + k, f"r{round_}-i{i}-{k}"]
        elif op == "edit":
            target = rng.choice(sorted(model))
            after[target] = [1 + model[target][0] % 5, f"r{round_}-e{i}"]
        elif op == "delete":
            target = rng.choice(sorted(model))
            del after[target]
        else:
            after = stack[-1]
        print("pending", digest(after), flush=True)
        if op == "add":
            new = journal.add(1 + i % 5, note=f"r{round_}-a{i}", at=f"2026-01-01T00:{i % 60:02d}:00+00:00")
            after[new] = after.pop(-1)
        elif op == "import":
            journal.add_entries([Entry.make(mood=1 + k, note=f"r{round_}-i{i}-{k}", at="2026-02-01T00:00:00+00:00")
                                 for k in range(3)], source="crash.csv")
            after = {r[0]: [r[3], r[6]] for r in journal.rows()}
        elif op == "edit":
            journal.edit_entry(target, mood=after[target][0], note=after[target][1])
        elif op == "delete":
            journal.delete_entry(target)
        else:
            journal.undo()
            stack.pop()
        if op != "undo":
            stack.append(model)
        model = after
        print("done", digest(model), flush=True)  # printed only after the change was committed
"""


def _digest_of(path) -> str:
    import hashlib
    import json

    conn = sqlite3.connect(path)
    try:
        values = sorted([mood, note] for mood, note in conn.execute("SELECT mood, note FROM entries"))
    finally:
        conn.close()
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


@pytest.mark.slow
def test_sigkill_during_edits_deletes_imports_and_undos_loses_no_committed_change(journal_path):
    """After a kill -9 the journal is as the last change that returned left it, or one change on."""
    rng = random.Random(16)
    Journal(journal_path).close()
    rounds, killed, done_total = 5, 0, 0
    for round_ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", CORRECTOR, str(journal_path), str(round_), "600"],
                                stdout=subprocess.PIPE, text=True)
        sink: list[str] = []
        thread = threading.Thread(target=_reader, args=(proc, sink), daemon=True)
        thread.start()
        last_round = round_ == rounds - 1
        if not last_round:
            target = rng.randint(20, 500)  # killed once it has returned this many of its 600 changes
            started = time.monotonic()
            while sum(1 for line in sink if line.startswith("done")) < target and proc.poll() is None \
                    and time.monotonic() - started < 120:
                time.sleep(0.001)
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=300)
        thread.join(timeout=10)
        done = [line.split()[1] for line in sink if line.startswith(("ready", "done"))]
        pending = sink[-1].split()[1] if sink and sink[-1].startswith("pending") else None
        done_total += len(done) - 1
        if proc.returncode != 0:
            killed += 1
        assert _digest_of(journal_path) in {done[-1], pending}, f"round {round_}: a committed change was lost"
    conn = sqlite3.connect(journal_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    with Journal(journal_path) as journal:
        pd.testing.assert_frame_equal(journal.entries(), entries_frame(journal.rows(), journal.stage_changes()))
    assert killed, "no writer was killed before it finished: the test proved nothing"
    assert done_total > 600
