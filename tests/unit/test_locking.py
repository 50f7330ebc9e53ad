"""A locked journal: a writer waits and retries within a bound, then says so in one line instead of hanging.

Another program (a second app kernel, a sync tool, an SQLite browser) holds
the journal's write lock from its own process here, as it would in life. The
bound is ``REKINDLE_BUSY_TIMEOUT`` seconds (default 10).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import BUSY_TIMEOUT, Journal

from ..conftest import file_digest

#: holds the journal's lock from another process until a line arrives on stdin, then commits
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":  # like a database tool that locks the whole file: readers wait too
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
else:  # another writer in the middle of its transaction
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO stage_changes (stage, since, note, created_utc) "
                 "VALUES (2, '2026-01-01', 'written by the other program', '2026-01-01T00:00:00+00:00')")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""
#: how much longer than the bound a failing write may take (process start, the error path)
MARGIN = 3.0


@contextmanager
def held(path: Path, mode: str = "write") -> Iterator[subprocess.Popen]:
    """The journal at ``path`` locked by another process until the block ends (or ``release(proc)``)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        release(proc)
        proc.wait(timeout=30)


def release(proc: subprocess.Popen) -> None:
    if proc.poll() is None and not proc.stdin.closed:
        proc.stdin.write("\n")
        proc.stdin.close()


@pytest.fixture
def journal(journal_path) -> Path:
    with Journal(journal_path) as j:
        j.add(3, note="before the lock", at="2026-01-02T10:00:00+00:00")
    return journal_path


def _notes(path: Path) -> set[str]:
    with Journal(path, create=False) as j:
        return set(j.entries()["note"])


def test_a_writer_waits_for_a_lock_released_within_the_bound_and_both_writes_survive(journal):
    with held(journal) as proc, Journal(journal, timeout=8) as j:
        threading.Timer(1.5, release, args=(proc,)).start()
        started = time.monotonic()
        j.add(4, note="written once the lock was free", at="2026-01-03T10:00:00+00:00")
        waited = time.monotonic() - started
    assert 1.2 <= waited < 8, waited  # it waited for the other program, and no longer than needed
    assert _notes(journal) == {"before the lock", "written once the lock was free"}
    with Journal(journal, create=False) as j:
        assert [c.note for c in j.stage_changes()] == ["written by the other program"]


def test_a_writer_gives_up_after_the_bound_with_one_clear_line_and_changes_nothing(journal):
    before = file_digest(journal)
    with held(journal), Journal(journal, timeout=1.0) as j:
        started = time.monotonic()
        with pytest.raises(RekindleError) as caught:
            j.add(4, note="never written", at="2026-01-03T10:00:00+00:00")
        waited = time.monotonic() - started
        assert file_digest(journal) == before  # read while locked: the other program's row is not committed
    assert 0.9 <= waited < 1.0 + MARGIN, waited
    message = str(caught.value)
    assert "\n" not in message and "is busy" in message and str(journal) in message and "try again" in message
    assert "never written" not in _notes(journal)


def _rekindle(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str, float]:
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "rekindle_widgets.cli", *args], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, timeout=120, check=False)
    return run.returncode, run.stdout, run.stderr, time.monotonic() - started


def test_rekindle_log_against_a_locked_journal_exits_2_with_one_line_within_the_bound(journal):
    before = file_digest(journal)
    with held(journal):
        code, out, err, took = _rekindle("log", "--journal", str(journal), "--mood", "4", "--note", "blocked",
                                         env={"REKINDLE_BUSY_TIMEOUT": "1.5"})
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith(f"rekindle: error: journal {journal} is busy"), err
    assert 1.5 <= took < 1.5 + MARGIN + 2, took  # the bound, plus starting Python
    assert file_digest(journal) != before  # the other program's own transaction went in ...
    assert "blocked" not in _notes(journal)  # ... and ours did not


def test_rekindle_log_waits_for_a_short_lock_and_saves(journal):
    with held(journal) as proc:
        threading.Timer(1.0, release, args=(proc,)).start()
        code, out, err, took = _rekindle("log", "--journal", str(journal), "--mood", "4", "--note", "waited",
                                         env={"REKINDLE_BUSY_TIMEOUT": "20"})
    assert code == 0, err
    assert out.startswith("saved entry") and took < 20
    assert "waited" in _notes(journal)


def test_readers_are_not_held_up_by_a_writer(journal):
    """WAL: summary and export read the last committed state while another program writes."""
    with held(journal):
        code, out, err, took = _rekindle("summary", "--journal", str(journal), env={"REKINDLE_BUSY_TIMEOUT": "30"})
        assert code == 0 and out.startswith("1 entries"), err
        assert took < 15
        code, out, err, _ = _rekindle("export", "--journal", str(journal), env={"REKINDLE_BUSY_TIMEOUT": "30"})
        assert code == 0 and "before the lock" in out, err


def test_a_file_locked_whole_makes_readers_wait_then_report_too(journal):
    with held(journal, "exclusive"):
        code, out, err, took = _rekindle("summary", "--journal", str(journal), env={"REKINDLE_BUSY_TIMEOUT": "1"})
    assert code == 2 and err.count("\n") == 1 and "is busy" in err, (out, err)
    assert took < 1 + MARGIN + 2


def test_the_mood_page_says_on_the_page_when_the_journal_cannot_be_read_then_recovers(journal):
    """A failed read (here SQLite refusing every statement) is one line on the page, not a kernel traceback.

    (An open journal in WAL mode is not blocked by other programs' locks; the
    refusal stands in for what can still fail: a damaged file, a vanished disk.)
    """
    from rekindle_widgets.widgets.mood import MoodLog

    with Journal(journal) as j:
        page = MoodLog(j)
        assert "<img " in page.chart.value
        j._conn.set_authorizer(lambda *args: sqlite3.SQLITE_DENY)  # a fault only the open connection can have
        page.kind.value = "pixels"  # redraws
        assert "The chart cannot be drawn just now: journal " in page.chart.value, page.chart.value
        assert "not authorized" in page.chart.value and "\n" not in page.chart.value and page.alt.value == ""
        with pytest.raises(RekindleError, match="not authorized"):
            j.stage_changes()  # every read fails in one line, never with a bare sqlite3 error
        j._conn.set_authorizer(None)
        page.refresh()
        assert "<img " in page.chart.value and "cannot be drawn" not in page.chart.value


def test_the_bound_is_10_seconds_unless_rekindle_busy_timeout_says_otherwise(journal, monkeypatch):
    def bound_ms() -> int:
        with Journal(journal) as j:
            return j._conn.execute("PRAGMA busy_timeout").fetchone()[0]  # the connection's own setting

    monkeypatch.delenv("REKINDLE_BUSY_TIMEOUT", raising=False)
    assert BUSY_TIMEOUT == 10 and bound_ms() == 10_000
    monkeypatch.setenv("REKINDLE_BUSY_TIMEOUT", " 2.5 ")
    assert bound_ms() == 2_500
    monkeypatch.setenv("REKINDLE_BUSY_TIMEOUT", "0")
    assert bound_ms() == 0
    with Journal(journal, timeout=4) as j:  # an explicit timeout wins
        assert j._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 4_000


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "3601", "1e9"])
def test_a_wrong_rekindle_busy_timeout_is_one_line_and_creates_nothing(value, run, tmp_path, monkeypatch):
    monkeypatch.setenv("REKINDLE_BUSY_TIMEOUT", value)
    new = tmp_path / "new.sqlite"
    code, _, err = run("log", "--journal", new, "--mood", "3")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("rekindle: error: REKINDLE_BUSY_TIMEOUT=") and "from 0 to 3600" in err
    assert not new.exists()
    with pytest.raises(RekindleError, match="REKINDLE_BUSY_TIMEOUT"):
        Journal(new)
    assert not new.exists()


def test_the_locking_program_is_real(journal):
    """Guard: while held, a plain SQLite writer is refused (the tests above would prove nothing otherwise)."""
    with held(journal):
        conn = sqlite3.connect(journal, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                conn.execute("BEGIN IMMEDIATE")
        finally:
            conn.close()
