"""The journal: durable, validated, private, and honest about stages."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import MIGRATIONS, SCHEMA_VERSION, Entry, Journal

from ..conftest import file_digest

UTC = UTC


def test_entries_round_trip_as_a_dataframe(journal_path):
    with Journal(journal_path) as j:
        j.add(4, 6, tags=["contact", "date"], note="coffee, then a walk", at="2026-05-01T19:30:00+02:00")
        j.add("2", None, at="2026-05-01T08:00:00+02:00")
        frame = j.entries()
    assert list(frame["mood"]) == [2, 4]  # oldest first, several a day is normal
    assert list(frame["mood_label"]) == ["bad", "good"]
    assert frame["readiness"].isna().tolist() == [True, False]
    assert frame.loc[1, "tags"] == ("contact", "date")
    assert frame.loc[1, "local_time"] == "2026-05-01T19:30:00+02:00"
    assert frame.loc[1, "timestamp"] == pd.Timestamp("2026-05-01T17:30:00Z")
    assert frame.loc[1, "date"] == pd.Timestamp("2026-05-01")
    assert str(frame["timestamp"].dt.tz) == "UTC"


def test_naive_times_are_local_and_stored_with_their_offset(journal_path):
    with Journal(journal_path) as j:
        j.add(3, at="2026-02-01T10:00")
        stored = j.entries().loc[0, "local_time"]
    expected = datetime(2026, 2, 1, 10).astimezone().isoformat(timespec="seconds")
    assert stored == expected


def test_stage_is_derived_from_the_timeline_at_its_boundaries(journal_path):
    with Journal(journal_path) as j:
        j.add(2, at="2026-01-31T23:59:00+00:00")
        j.set_stage(1, "2026-02-01")
        j.add(2, at="2026-02-01T00:00:00+00:00")
        j.add(3, at="2026-02-09T23:59:00+00:00")
        j.set_stage(2, "2026-02-10", note="feeling steadier")
        j.add(3, at="2026-02-10T00:01:00+00:00")
        j.set_stage(1, "2026-02-12")  # going back a stage is allowed: it is a timeline, not a score
        j.add(2, at="2026-02-12T12:00:00+00:00")
        frame = j.entries()
        assert frame["stage"].tolist() == [pd.NA, 1, 1, 2, 1]
        assert frame["stage_name"].tolist()[:4] == ["", "Bubble space", "Bubble space",
                                                     "Defining yourself without them"]
        assert j.stage_on(date(2026, 2, 11)) == 2
        assert j.current_stage() == 1


def test_entry_stage_uses_local_day_not_utc(journal_path):
    with Journal(journal_path) as j:
        j.set_stage(3, "2026-04-02")
        j.add(4, at="2026-04-02T00:30:00+02:00")  # 1 April in UTC, 2 April where it was written
        assert j.entries().loc[0, "stage"] == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mood": 0}, "mood must be a whole number from 1 to 5, not 0"),
        ({"mood": 6}, "mood must be a whole number from 1 to 5, not 6"),
        ({"mood": "great"}, "mood must be a whole number from 1 to 5"),
        ({"mood": True}, "mood must be a whole number"),
        ({"mood": 3.5}, "mood must be a whole number"),
        ({"mood": 3, "readiness": 11}, "readiness must be a whole number from 0 to 10, not 11"),
        ({"mood": 3, "readiness": -1}, "readiness must be a whole number from 0 to 10"),
        ({"mood": 3, "at": "yesterday"}, "is not a date-time"),
        ({"mood": 3, "at": "2026-02-30T10:00"}, "is not a date-time"),
        ({"mood": 3, "at": "2999-01-01"}, "is in the future"),
        ({"mood": 3, "at": "1066-10-14"}, "before 1900"),
        ({"mood": 3, "tags": ["a|b"]}, "may not contain '|'"),
        ({"mood": 3, "tags": ["x" * 65]}, "longer than 64"),
        ({"mood": 3, "note": "a\x00b"}, "NUL"),
        ({"mood": 3, "note": 42}, "note must be text"),
    ],
)
def test_invalid_entries_raise_and_write_nothing(journal_path, kwargs, message):
    with Journal(journal_path) as j:
        j.add(3, at="2026-01-01T10:00")
        before = file_digest(journal_path)
        with pytest.raises(RekindleError, match=message):
            j.add(**kwargs)
        assert j.count() == 1
    assert file_digest(journal_path) == before


@pytest.mark.parametrize(("stage", "since", "message"), [
    (8, None, "stage must be a whole number from 1 to 7, not 8"),
    (0, None, "stage must be a whole number from 1 to 7"),
    (2, "last tuesday", "is not a date"),
    (2, "2999-01-01", "in the future"),
])
def test_invalid_stage_changes_write_nothing(journal_path, stage, since, message):
    with Journal(journal_path) as j:
        with pytest.raises(RekindleError, match=message):
            j.set_stage(stage, since)
        assert j.stage_changes() == []


def test_a_failed_batch_leaves_nothing_behind(journal_path):
    good = Entry.make(mood=3, at="2026-01-01T10:00:00+00:00")
    with Journal(journal_path) as j:
        def entries():
            yield good
            raise RuntimeError("disk unplugged halfway")

        with pytest.raises(RuntimeError):
            j.add_entries(entries())
        assert j.count() == 0


def test_identical_entries_are_stored_once(journal_path):
    with Journal(journal_path) as j:
        first = j.add(3, 5, tags=["a"], note="same", at="2026-01-01T10:00:00+00:00")
        again = j.add(3, 5, tags=["a"], note="same", at="2026-01-01T11:00:00+01:00")  # same instant
        assert first == again and j.count() == 1
        j.add(3, 5, tags=["a"], note="same", at="2026-01-01T10:00:01+00:00")
        assert j.count() == 2


def test_files_and_folder_are_private_even_with_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "new" / "deeper" / "journal.sqlite"
        with Journal(path) as j:
            j.add(3)
        for p in [path, path.with_name("journal.sqlite-wal"), path.with_name("journal.sqlite-shm")]:
            if p.exists():
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    finally:
        os.umask(old)


def test_wal_mode_and_schema_version(journal_path):
    with Journal(journal_path) as j:
        assert j.version == SCHEMA_VERSION
    conn = sqlite3.connect(journal_path)  # WAL is a property of the file: any program opening it sees it
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_migrates_an_empty_version_0_file(journal_path):
    sqlite3.connect(journal_path).close()  # a 0-byte SQLite file: user_version 0, no tables
    with Journal(journal_path) as j:
        assert j.version == SCHEMA_VERSION
        j.add(3)
        assert j.count() == 1


def test_migration_steps_are_contiguous():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def test_refuses_a_foreign_sqlite_database(journal_path):
    with sqlite3.connect(journal_path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER)")
    conn.close()
    before = file_digest(journal_path)
    with pytest.raises(RekindleError, match="is a SQLite database but not a Rekindle journal"):
        Journal(journal_path)
    assert file_digest(journal_path) == before


def test_refuses_a_journal_from_a_newer_version(journal_path):
    with sqlite3.connect(journal_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RekindleError, match="written by a newer Rekindle"):
        Journal(journal_path)


def test_refuses_a_file_that_is_not_a_database(journal_path):
    journal_path.write_text("timestamp,mood\n" * 200)
    with pytest.raises(RekindleError, match="is not a readable Rekindle journal"):
        Journal(journal_path)
    assert journal_path.read_text().startswith("timestamp,mood")


def test_read_only_commands_do_not_create_a_journal(tmp_path):
    path = tmp_path / "missing.sqlite"
    with pytest.raises(RekindleError, match="there is no journal at"):
        Journal(path, create=False)
    assert not path.exists()


def test_a_busy_journal_reports_instead_of_hanging(journal_path):
    with Journal(journal_path) as j:
        j.add(3)
    blocker = sqlite3.connect(journal_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        started = datetime.now()
        with Journal(journal_path, timeout=0.3) as j:
            with pytest.raises(RekindleError, match="is busy"):
                j.add(4)
        assert datetime.now() - started < timedelta(seconds=5)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_date_range_filter_is_inclusive(journal_path):
    with Journal(journal_path) as j:
        for day in range(1, 6):
            j.add(3, at=datetime(2026, 1, day, 12, tzinfo=UTC))
        assert len(j.entries("2026-01-02", "2026-01-04")) == 3
        with pytest.raises(RekindleError, match="--since date 'soon' is not a date"):
            j.entries("soon")


def test_responses_are_stored_and_read_back(journal_path):
    with Journal(journal_path) as j:
        j.add_response("who5", [2, 2, 2, 2, 2], total=10, band="poor wellbeing", flags=["low-wellbeing"],
                       at="2026-03-01T09:00:00+00:00")
        frame = j.responses()
    assert frame.loc[0, "answers"] == [2, 2, 2, 2, 2]
    assert frame.loc[0, "flags"] == ("low-wellbeing",)
    assert frame.loc[0, "total"] == 10


def test_summary_is_deterministic_text(journal_path):
    with Journal(journal_path) as j:
        assert j.summary() == "no entries yet; no stage recorded yet"
        j.set_stage(2, "2026-01-01")
        j.add(4, at="2026-01-02T10:00:00+00:00")
        j.add(2, at="2026-01-02T20:00:00+00:00")
        assert j.summary() == ("2 entries on 1 days from 2026-01-02 to 2026-01-02, mean mood 3.0 of 5; "
                               "stage 2 (Defining yourself without them) since 2026-01-01")


# --------------------------------------------------------------------------
# What callers outside the journal ask it, instead of running SQL
# --------------------------------------------------------------------------


def test_activity_counts_entries_sessions_and_the_last_day(journal_path):
    with Journal(journal_path) as j:
        assert j.activity() == (0, None, 0)
        j.add(3, at="2026-01-05T23:30:00-08:00")  # the local day, not the UTC one (2026-01-06)
        j.add(4, at="2026-01-02T10:00:00+00:00")
        j.add_session(day="2026-01-03")
        activity = j.activity()
    assert activity == (2, "2026-01-05", 1)
    assert (activity.entries, activity.last_day, activity.sessions) == (2, "2026-01-05", 1)


def test_count_can_leave_out_one_source(journal_path):
    with Journal(journal_path) as j:
        j.add(3, at="2026-01-01T10:00:00+00:00", source="demo")
        j.add(4, at="2026-01-02T10:00:00+00:00", source="daylio")
        j.add(5, at="2026-01-03T10:00:00+00:00")
        counts = j.count(), j.count(excluding_source="demo"), j.count(excluding_source="nowhere")
    assert counts == (3, 2, 3)


def test_known_fingerprints_are_the_ones_already_stored(journal_path):
    stored = [Entry.make(mood=3, at=f"2026-01-01T10:{i:02d}:00+00:00") for i in range(3)]
    new = [Entry.make(mood=2, at=f"2026-02-01T10:{i % 60:02d}:{i // 60:02d}+00:00") for i in range(1200)]
    with Journal(journal_path) as j:
        j.add_entries(stored)
        asked = [e.fingerprint for e in new[:600]] + [stored[2].fingerprint]
        asked += [e.fingerprint for e in new[600:]] + [stored[0].fingerprint] * 2  # over 500, and repeats
        assert j.known_fingerprints(asked) == {stored[0].fingerprint, stored[2].fingerprint}
        assert j.known_fingerprints([]) == set()


def test_open_elsewhere_sees_another_connection(journal_path, tmp_path):
    from rekindle_widgets.journal import open_elsewhere

    assert not open_elsewhere(tmp_path / "none.sqlite")
    Journal(journal_path).close()
    assert not open_elsewhere(journal_path)
    with Journal(journal_path):
        assert open_elsewhere(journal_path)
    assert not open_elsewhere(journal_path)


def test_one_way_to_make_a_journal_from_a_journal_a_path_or_none(journal_path, private_home):
    from rekindle_widgets.journal import as_journal, opened, path_of

    with Journal(journal_path) as mine:
        assert as_journal(mine) is mine and path_of(mine) == journal_path
        with opened(mine) as same:
            assert same is mine
        assert mine.count() == 0  # still open: it is its owner's to close
    with opened(str(journal_path)) as j:
        assert j.path == journal_path
    with pytest.raises(RekindleError, match="is closed"):
        j.count()  # opened from a path: closed after the block
    assert path_of("~/x.sqlite") == path_of(os.path.expanduser("~/x.sqlite"))
    assert path_of(None) == private_home / "journal.sqlite"
    with pytest.raises(RekindleError, match="there is no journal at"):
        as_journal(journal_path.with_name("missing.sqlite"), create=False)
    assert not journal_path.with_name("missing.sqlite").exists()
