"""An import that streams (issue 25, item 7): a Daylio export read, checked and written a part at a time, in
one transaction, with the same result and account as reading it whole, and nothing left when it is refused.

The parts are made tiny here (a few rows), so that a file of a dozen rows crosses several of them: a repeat
of a row two parts back, an entry already in the journal, a damaged row in the last part.
"""

from __future__ import annotations

import sqlite3
from zoneinfo import ZoneInfo

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.importers import (
    Options,
    UnknownLabelsError,
    daylio,
    import_file,
    import_parsed,
    parse_file,
    stream_file,
)
from rekindle_widgets.journal import Journal, safety_copies

UTC = Options(tz=ZoneInfo("UTC"))
HEADER = "full_date,date,weekday,time,mood,activities,scales,note_title,note\n"


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    """Parts of three rows (the real ones hold 20,000)."""
    original = daylio.stream_daylio

    def three_rows(path, options, rows=3):
        return original(path, options, rows=3)

    monkeypatch.setattr(daylio, "stream_daylio", three_rows)
    from rekindle_widgets.io import importers

    monkeypatch.setitem(importers.STREAMS, "daylio", three_rows)


def _write(tmp_path, rows: list[str], name: str = "export.csv", end: str = "\n"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + end, encoding="utf-8")
    return path


def _row(day: int, hour: int, mood: str = "good", acts: str = "", scales: str = "", note: str = "") -> str:
    return f"2024-03-{day:02d},March {day},x,{hour}:00,{mood},{acts},{scales},,{note}"


ROWS = [_row(d, h, mood, acts, scales, note) for d, h, mood, acts, scales, note in [
    (1, 8, "rad", "work | friends", "Sleep Quality: 8/10 points", "<b>good</b> day"),
    (1, 20, "meh", "", "", ""),
    (2, 9, "bad", "gym", "Sleep Quality: 4/10 points", "tired"),
    (3, 9, "good", "", "", "plain"),
    (1, 8, "rad", "work | friends", "Sleep Quality: 8/10 points", "<b>good</b> day"),  # repeats the first
    (4, 7, "awful", "family", "", "\"a long note\nover two lines\""),
    (5, 21, "good", "reading", "Sleep Quality: 7/10 points", ""),
    (6, 6, "meh", "", "", ""),
]]


def _table(path):
    with sqlite3.connect(path) as conn:
        entries = conn.execute("SELECT ts, mood, tags, note, fingerprint FROM entries ORDER BY ts_utc, id").fetchall()
        trackers = conn.execute("SELECT name, value, ts FROM tracker_values ORDER BY ts_utc").fetchall()
    return entries, trackers


def test_a_file_streamed_in_parts_is_the_file_read_whole(tmp_path):
    path = _write(tmp_path, ROWS)
    fmt, parts = stream_file(path, options=UTC)
    assert fmt == "daylio"
    parts = list(parts)
    assert len(parts) == 4  # 8 rows in parts of 3, and the file's account
    assert [p.done for p in parts][-1] == path.stat().st_size
    with Journal(tmp_path / "streamed.sqlite") as journal:
        streamed = import_file(journal, path, options=UTC)
    _, parsed = parse_file(path, options=UTC)
    with Journal(tmp_path / "whole.sqlite") as journal:
        whole = import_parsed(journal, "daylio", parsed)
    assert str(streamed) == str(whole)
    assert str(streamed.account) == "read 8 rows: 7 entries added, 0 already in the journal, 1 repeated in this file"
    assert streamed.warnings == whole.warnings and "4 scale values (Sleep Quality) became trackers" in \
        streamed.warnings[0]
    assert _table(tmp_path / "streamed.sqlite") == _table(tmp_path / "whole.sqlite")


def test_a_streamed_reimport_finds_every_entry_across_parts_and_adds_nothing(tmp_path):
    path = _write(tmp_path, ROWS)
    journal_file = tmp_path / "j.sqlite"
    with Journal(journal_file) as journal:
        import_file(journal, path, options=UTC)
        before = _table(journal_file)
        again = import_file(journal, path, options=Options(tz=ZoneInfo("Europe/Warsaw")))
    assert str(again.account) == "read 8 rows: 0 entries added, 7 already in the journal, 1 repeated in this file"
    assert _table(journal_file) == before
    # a file with one row more adds that row only, whichever part it falls in
    bigger = _write(tmp_path, [*ROWS, _row(7, 12, "rad", note="new")], name="bigger.csv")
    with Journal(journal_file) as journal:
        more = import_file(journal, bigger, options=UTC)
    assert (more.added, more.account.already, more.account.repeated) == (1, 7, 1)


def test_two_rows_of_one_minute_that_differ_are_two_entries_across_a_part_boundary(tmp_path):
    rows = [_row(1, 8), _row(1, 9), _row(1, 10, "meh"), _row(1, 10, "meh", "walk")]  # the pair spans parts
    path = _write(tmp_path, rows)
    with Journal(tmp_path / "j.sqlite") as journal:
        result = import_file(journal, path, options=UTC)
    assert result.added == 4 and result.account.repeated == 0


@pytest.mark.parametrize(("damage", "says"), [
    (lambda rows: [*rows[:-1], rows[-1].replace("6:00", "6:75")], "line 10: time '6:75'"),
    (lambda rows: [*rows[:-1], "2024-03-06,March 6,x,6:00"], "line 10: expected 9 columns, found 4"),
    (lambda rows: [*rows, '2024-03-07,March 7,x,6:00,good,,,,"an open quote'], "line 11: a quoted cell is never"),
])
def test_a_damaged_row_in_the_last_part_rolls_back_every_part_and_leaves_no_copy(tmp_path, damage, says):
    journal_file = tmp_path / "j.sqlite"
    with Journal(journal_file) as journal:
        journal.add(3, note="mine, before the import")
    before = _table(journal_file)
    copies = len(safety_copies(journal_file))
    path = _write(tmp_path, damage(ROWS))
    with Journal(journal_file) as journal, pytest.raises(RekindleError, match=says):
        import_file(journal, path, options=UTC)
    assert _table(journal_file) == before  # the first parts were written, then rolled back with the last
    assert len(safety_copies(journal_file)) == copies  # and the copy taken before it is gone again


def test_a_file_cut_short_in_its_last_row_is_refused_when_streamed(tmp_path):
    path = _write(tmp_path, [*ROWS[:-1], "2024-03-06,March 6,x,6:00,meh,"], end="")
    with Journal(tmp_path / "j.sqlite") as journal, pytest.raises(RekindleError, match="line 10: .*cut short"):
        import_file(journal, path, options=UTC)


def test_unknown_labels_anywhere_are_listed_together_and_nothing_is_written(tmp_path):
    rows = [*ROWS[:2], _row(2, 9, "so-so"), *ROWS[3:6], _row(5, 9, "superb"), _row(5, 10, "so-so")]
    path = _write(tmp_path, rows)
    journal_file = tmp_path / "j.sqlite"
    with Journal(journal_file) as journal, pytest.raises(UnknownLabelsError) as info:
        import_file(journal, path, options=UTC)
    assert info.value.labels == ["so-so", "superb"] and info.value.counts == {"so-so": 2, "superb": 1}
    assert _table(journal_file) == ([], [])
    with Journal(journal_file) as journal:
        result = import_file(journal, path, options=Options(tz=ZoneInfo("UTC"), mood_map={"so-so": 3, "superb": 5}))
    assert result.added == 7 and result.account.repeated == 1
    assert sum("mood:so-so" in row[2] for row in _table(journal_file)[0]) == 2


def test_skip_invalid_skips_rows_in_any_part_and_counts_them_once(tmp_path):
    rows = [ROWS[0], ROWS[1].replace("20:00", "20:99"), *ROWS[2:4], ROWS[5], ROWS[6].replace("2024-03-05", "2024-13-05")]
    path = _write(tmp_path, rows)
    with Journal(tmp_path / "j.sqlite") as journal:
        result = import_file(journal, path, options=Options(tz=ZoneInfo("UTC"), skip_invalid=True))
    assert str(result.account) == ("read 6 rows: 4 entries added, 0 already in the journal, 2 not entries "
                                   "(2 rows that cannot be read, skipped (--skip-invalid))")
    assert [line.split(":")[0] for line in result.account.skipped] == ["line 3", "line 8"]  # the note before: 2 lines


def test_the_command_line_streams_and_a_refused_file_creates_no_journal(tmp_path, run):
    path = _write(tmp_path, ROWS)
    fresh = tmp_path / "fresh.sqlite"
    code, out, err = run("import", path, "--tz", "UTC", "--journal", fresh)
    assert code == 0 and "read 8 rows: 7 entries added" in out and "1 repeated in this file" in out, err
    broken = _write(tmp_path, [*ROWS[:-1], ROWS[-1].replace("meh", "")], name="broken.csv")
    other = tmp_path / "other.sqlite"
    code, out, err = run("import", broken, "--tz", "UTC", "--journal", other)
    assert code == 2 and out == "" and "broken.csv line 10: the mood cell is empty" in err
    assert not other.exists() and not (tmp_path / "other.sqlite-wal").exists()


def test_files_that_cannot_stream_fall_back_to_being_read_whole(tmp_path):
    spreadsheet = tmp_path / "resaved.csv"
    spreadsheet.write_text(HEADER + "30/06/2021,June 30,Wednesday,20:00,good,,,,\n", encoding="utf-8")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(HEADER + ROWS[0] + "\n", encoding="utf-16")
    pixels = tmp_path / "px.json"
    pixels.write_text('[{"date": "2024-03-01", "scores": [4]}]', encoding="utf-8")
    for path in (spreadsheet, utf16, pixels):
        assert stream_file(path, options=UTC) is None
        with Journal(tmp_path / f"{path.stem}.sqlite") as journal:
            assert import_file(journal, path, options=UTC).added == 1


def test_a_refused_or_idle_import_leaves_the_older_safety_copies_as_they_were(tmp_path):
    from rekindle_widgets.journal import KEEP, safety_copy

    path = _write(tmp_path, ROWS)
    journal_file = tmp_path / "j.sqlite"
    with Journal(journal_file) as journal:
        import_file(journal, path, options=UTC)
        for _ in range(KEEP):
            safety_copy(journal, "undo")
        kept = [c.path.name for c in safety_copies(journal_file)]
        assert len(kept) == KEEP
        again = import_file(journal, path, options=UTC)  # adds nothing
        assert again.added == 0
        assert [c.path.name for c in safety_copies(journal_file)] == kept  # the oldest was not pushed out
        broken = _write(tmp_path, [*ROWS[:-1], ROWS[-1].replace("6:00", "6:75")], name="broken.csv")
        with pytest.raises(RekindleError):
            import_file(journal, broken, options=UTC)
        assert [c.path.name for c in safety_copies(journal_file)] == kept
        more = _write(tmp_path, [*ROWS, _row(9, 9, note="new")], name="more.csv")
        assert import_file(journal, more, options=UTC).added == 1
        now = [c.path.name for c in safety_copies(journal_file)]
        assert len(now) == KEEP and now[1:] == kept[:-1] and "-import-" in now[0]  # a real change: one in, one out
