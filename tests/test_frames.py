"""The fast columnar read gives exactly the DataFrame the plain row-by-row read gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd
import pytest

from rekindle_widgets.frames import entries_frame
from rekindle_widgets.journal import Entry, Journal, StageChange


def _both(journal: Journal, since=None, until=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    fast = journal.entries(since, until)
    plain = entries_frame(journal.rows(since, until), journal.stage_changes())
    return fast, plain


def _tricky(journal: Journal) -> None:
    zones = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-7)),
             timezone(timedelta(hours=14)), timezone(timedelta(hours=-9, minutes=-30))]
    entries = []
    for i in range(60):
        at = datetime(2025, 12, 25, 23, 50, tzinfo=zones[i % len(zones)]) + timedelta(hours=7 * i)
        entries.append(Entry(at=at, mood=1 + i % 5, readiness=None if i % 3 else i % 11,
                             tags=(("contact", "$x^2$") if i % 4 == 0 else ()),
                             note=["", "a, b; c", "line\nbreak", "ctrl \x01 inside", "ünïcödé ✓"][i % 5],
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
        j.conn.execute("DELETE FROM entries WHERE id = 2")  # ids no longer a dense range
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
