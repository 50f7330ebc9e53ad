"""The fast columnar read gives exactly the DataFrame the plain row-by-row read gives."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd
import pytest

from rekindle_widgets.journal import Entry, Journal, StageChange
from rekindle_widgets.journal.frames import entries_frame


def _both(journal: Journal, since=None, until=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    fast = journal.entries(since, until)
    plain = entries_frame(journal.rows(since, until), journal.stage_changes())
    return fast, plain


def _outside(path, *statements: str) -> None:
    """Change the file as another program would (someone with the sqlite3 shell), not through the Journal."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def _tricky(journal: Journal, *, separator_in_a_note: bool = True) -> None:
    zones = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-7)),
             timezone(timedelta(hours=14)), timezone(timedelta(hours=-9, minutes=-30))]
    entries = []
    for i in range(60):
        at = datetime(2025, 12, 25, 23, 50, tzinfo=zones[i % len(zones)]) + timedelta(hours=7 * i)
        entries.append(Entry(at=at, mood=1 + i % 5, readiness=None if i % 3 else i % 11,
                             tags=(("contact", "$x^2$") if i % 4 == 0 else ()),
                             note=["", "a, b; c", "line\nbreak", "ctrl \x01 inside" if separator_in_a_note
                                   else "ctrl \x02 inside", "ünïcödé ✓"][i % 5],
                             source=["manual", "daylio", "pixels"][i % 3]))
    entries.reverse()  # inserted newest first: ids and time order disagree
    journal.add_entries(entries, stages=[StageChange(1, date(2025, 12, 27)), StageChange(3, date(2026, 1, 2)),
                                         StageChange(2, date(2026, 1, 9))])


def test_fast_read_matches_the_plain_read(journal_path):
    with Journal(journal_path) as j:
        _tricky(j)
        for since, until in [(None, None), ("2025-12-28", None), (None, "2026-01-03"),
                             ("2026-01-01", "2026-01-05"), ("2030-01-01", None)]:
            fast, plain = _both(j, since, until)
            assert list(fast.columns) == list(plain.columns)
            if len(plain):
                pd.testing.assert_frame_equal(fast, plain)
            else:
                assert fast.empty


def test_fast_read_keeps_time_order_and_ids_with_gaps(journal_path):
    with Journal(journal_path) as j:
        for hour in (9, 7, 8, 6):
            j.add(3, at=f"2026-02-01T{hour:02d}:00:00+00:00")
        _outside(journal_path, "DELETE FROM entries WHERE id = 2")  # ids no longer a dense range
        fast, plain = _both(j)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast["id"].tolist() == [4, 3, 1]


def test_offsets_with_seconds_fall_back_to_the_plain_read(journal_path):
    with Journal(journal_path) as j:
        j.add(4, at=datetime(1910, 5, 1, 12, tzinfo=timezone(timedelta(minutes=19, seconds=32))))
        j.add(2, at="2026-02-01T10:00:00+01:00")
        fast, plain = _both(j)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast.loc[0, "local_time"].endswith("+00:19:32")


@pytest.mark.parametrize("n", [1, 2])
def test_small_journals(journal_path, n):
    with Journal(journal_path) as j:
        for i in range(n):
            j.add(5, 10, tags="a|b", at=f"2026-03-0{i + 1}T10:00:00-05:00")
        fast, plain = _both(j)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast["readiness"].tolist() == [10] * n


# --------------------------------------------------------------------------
# Packed blocks (schema 3): a long journal reads most entries ready packed
# --------------------------------------------------------------------------

BLOCK = 8  # rows per block in these tests, so that a few dozen entries make several blocks


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of BLOCK rows, and Journal.entries() may not fall back to the plain read."""
    from rekindle_widgets.journal import codec, frames

    def plain_read(*args):
        raise AssertionError("Journal.entries() fell back to the row-by-row read")

    monkeypatch.setattr(codec, "BLOCK_ROWS", BLOCK)
    monkeypatch.setattr(frames, "entries_frame", plain_read)


def _blocks(journal: Journal) -> list[tuple[int, int, int]]:
    """The packed blocks in the journal's file, read as another program would."""
    conn = sqlite3.connect(journal.path)
    try:
        return conn.execute("SELECT first_id, last_id, rows FROM entry_blocks ORDER BY first_id").fetchall()
    finally:
        conn.close()


def test_full_runs_of_entries_are_packed_in_the_write_that_fills_them(journal_path, small_blocks):
    with Journal(journal_path) as j:
        for i in range(BLOCK - 1):
            j.add(3, at=f"2026-02-01T10:{i:02d}:00+00:00")
        assert _blocks(j) == []
        j.add(4, at="2026-02-01T11:00:00+00:00")  # the BLOCK-th entry fills the first block
        assert _blocks(j) == [(1, BLOCK, BLOCK)]
        _tricky(j, separator_in_a_note=False)  # 60 more, in one transaction, newest first
        assert [b[2] for b in _blocks(j)] == [BLOCK] * ((BLOCK + 60) // BLOCK)
        fast, plain = _both(j)
    pd.testing.assert_frame_equal(fast, plain)
    assert len(fast) == BLOCK + 60


def test_a_failed_write_leaves_no_block_behind(journal_path, small_blocks):
    with Journal(journal_path) as j:
        good = [Entry.make(mood=3, at=f"2026-02-01T10:{i:02d}:00+00:00") for i in range(BLOCK * 2)]

        def entries():
            yield from good
            raise ValueError("the file ended half-way")

        with pytest.raises(ValueError):
            j.add_entries(entries())
        assert j.count() == 0 and _blocks(j) == []


@pytest.mark.parametrize(("change", "kept"), [
    ("DELETE FROM entries WHERE id = 11", [8]),
    ("UPDATE entries SET note = 'changed elsewhere' WHERE id = 3", []),
    ("UPDATE entries SET id = 1000 WHERE id = 12", [8]),
    (("INSERT INTO entries (id, ts, ts_utc, day, mood, tags, note, source, fingerprint, created_utc) VALUES "
      "(0, '2026-01-01T09:00:00+00:00', '2026-01-01T09:00:00+00:00', '2026-01-01', 2, '', 'typed in by hand', "
      "'sqlite3', 'hand', '2026-01-01T09:00:00+00:00')"), []),
])
def test_changes_made_outside_the_journal_drop_the_blocks_they_touch(journal_path, small_blocks, change, kept):
    with Journal(journal_path) as j:
        _tricky(j, separator_in_a_note=False)  # ids 1..60: 7 blocks, 4 entries after them
        assert [last for _, last, _ in _blocks(j)] == [8, 16, 24, 32, 40, 48, 56]
        _outside(journal_path, change)  # e.g. someone with the sqlite3 shell
        assert [last for _, last, _ in _blocks(j)] == kept  # the block holding the row, and every later one, go
        fast, plain = _both(j)
        pd.testing.assert_frame_equal(fast, plain)  # never a stale entry
        if "changed elsewhere" in change:
            assert "changed elsewhere" in set(fast["note"])
        j.add(5, at="2026-03-01T10:00:00+00:00")  # the next write packs them again
        assert sum(rows for *_, rows in _blocks(j)) == len(j.rows()) // BLOCK * BLOCK
        fast, plain = _both(j)
    pd.testing.assert_frame_equal(fast, plain)


def test_blocks_out_of_step_are_noticed_and_not_used(journal_path, small_blocks):
    with Journal(journal_path) as j:
        _tricky(j, separator_in_a_note=False)
        _outside(journal_path, "DROP TRIGGER entry_blocks_delete",  # only a deliberate act can do this
                 "DELETE FROM entries WHERE id = 5")
        fast, plain = _both(j)
    pd.testing.assert_frame_equal(fast, plain)
    assert 5 not in set(fast["id"])


def test_a_schema_2_journal_is_packed_when_it_is_upgraded(journal_path, small_blocks):
    from rekindle_widgets.journal import MIGRATIONS, SCHEMA_VERSION

    with Journal(journal_path) as j:
        _tricky(j, separator_in_a_note=False)
        expected = j.entries()
    triggers = ("entry_blocks_insert", "entry_blocks_update", "entry_blocks_delete")
    later = [f"DROP TABLE {table}" for version in range(SCHEMA_VERSION, 3, -1)  # schema 4 on, newest first
             for table in reversed(re.findall(r"CREATE TABLE (\w+)", MIGRATIONS[version]))]
    _outside(journal_path, "DELETE FROM entry_blocks", *(f"DROP TRIGGER {name}" for name in triggers),
             "DROP TABLE entry_blocks", *later, "PRAGMA user_version = 2")
    assert SCHEMA_VERSION >= 3 and "entry_blocks" in MIGRATIONS[3]
    with Journal(journal_path) as j:
        assert j.version == SCHEMA_VERSION
        assert [rows for *_, rows in _blocks(j)] == [BLOCK] * (60 // BLOCK)
        pd.testing.assert_frame_equal(j.entries(), expected)
    from rekindle_widgets.journal import safety_copies

    assert [c.reason for c in safety_copies(journal_path)] == ["migration"]  # the old file, kept as a safety copy
    assert not journal_path.with_name("journal.sqlite.v2.bak").exists()
