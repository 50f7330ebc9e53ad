"""A backup someone hands in is hostile until checked: restore accepts only what Rekindle writes."""

from __future__ import annotations

import sqlite3

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.backup import restore
from rekindle_widgets.journal import Journal
from rekindle_widgets.journal.checks import ROW_CHECKS
from rekindle_widgets.journal.tables import KINDS

from ..conftest import file_digest


def _backup(tmp_path, *statements: str, ignore_checks: bool = False):
    """A real backup of a small journal, then changed behind Rekindle's back by ``statements``."""
    source = tmp_path / "made.sqlite"
    with Journal(source) as j:
        j.add(4, note="a fine day", at="2026-11-30T09:00:00+00:00")
        j.backup_to(tmp_path / "backup.sqlite")
    conn = sqlite3.connect(tmp_path / "backup.sqlite")
    if ignore_checks:
        conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return (tmp_path / "backup.sqlite").read_bytes()


@pytest.fixture
def mine(tmp_path):
    path = tmp_path / "mine.sqlite"
    with Journal(path) as j:
        j.add(3, note="my own entry", at="2026-12-01T09:00:00+00:00")
    return path


CRAFTED = {
    "a trigger that deletes new entries": (
        ["CREATE TRIGGER quiet AFTER INSERT ON entries WHEN NEW.note LIKE '%help%' "
         "BEGIN DELETE FROM entries WHERE id = NEW.id; END"], False, "trigger 'quiet'"),
    "a hidden table that copies every note": (
        ["CREATE TABLE shadow (note TEXT)",
         "CREATE TRIGGER copy_notes AFTER INSERT ON entries BEGIN INSERT INTO shadow VALUES (NEW.note); END"],
        False, "table 'shadow'"),
    "a hidden table alone": (["CREATE TABLE shadow (note TEXT)"], False, "table 'shadow'"),
    "a view": (["CREATE VIEW everything AS SELECT * FROM entries"], False, "view 'everything'"),
    "mood 99": (["UPDATE entries SET mood = 99"], True, "entry 1 (entries): mood"),
    "a time that is not a time": (["UPDATE entries SET ts = 'not-a-time'"], True, "entry 1 (entries)"),
    "answers that are not a list": (
        ["INSERT INTO responses (instrument, ts, ts_utc, answers, created_utc) VALUES "
         "('phq9', '2026-11-30T09:00:00+00:00', '2026-11-30T09:00:00+00:00', '{\"a\": 1}', '2026-11-30T09:00:00+00:00')"],
        True, "response 1 (responses)"),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_a_crafted_backup_is_refused_in_one_line_and_the_journal_is_unchanged(case, tmp_path, mine, run):
    statements, ignore, named = CRAFTED[case]
    data = _backup(tmp_path, *statements, ignore_checks=ignore)
    before = file_digest(mine)
    with pytest.raises(RekindleError, match="nothing was restored") as caught:
        restore(mine, data, "backup.sqlite")
    assert named in str(caught.value) and "\n" not in str(caught.value)
    assert file_digest(mine) == before
    (tmp_path / "crafted.sqlite").write_bytes(data)  # and the command says the same, exit 2, no traceback
    code, _, err = run("restore", str(tmp_path / "crafted.sqlite"), "--journal", str(mine))
    assert code == 2 and "Traceback" not in err and named in err
    assert file_digest(mine) == before


def test_a_backup_rekindle_wrote_still_restores(tmp_path, mine):
    done = restore(mine, _backup(tmp_path), "backup.sqlite")
    assert done.mode == "merged"
    with Journal(mine) as j:
        assert sorted(j.entries()["note"]) == ["a fine day", "my own entry"]


def test_every_kind_of_record_has_a_row_check():
    assert set(ROW_CHECKS) == {k.name for k in KINDS}


def test_rekindle_check_reports_a_damaged_row_in_ones_own_journal(tmp_path, run):
    path = tmp_path / "j.sqlite"
    with Journal(path) as j:
        j.add(4, at="2026-11-30T09:00:00+00:00")
    code, out, _ = run("check", "--journal", str(path))
    assert code == 0 and "no problems" in out
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE entries SET mood = 99")
    conn.commit()
    conn.close()
    code, out, _ = run("check", "--journal", str(path))
    assert code == 1 and "entry 1 (entries): mood" in out


@pytest.mark.parametrize("damage", [
    "UPDATE entries SET mood = 99 WHERE id = 2",
    "UPDATE entries SET ts = 'not-a-time', ts_utc = 'not-a-time' WHERE id = 2",
    "UPDATE entries SET readiness = 99 WHERE id = 2",
], ids=["mood-99", "not-a-time", "readiness-99"])
def test_rows_a_new_entry_could_never_be_are_left_out_of_every_read_and_said(damage, tmp_path, run):
    """Such rows came from an older version or a damaged file: reads, charts, reports and exports go on
    without them, say how many were left out, and 'rekindle check' names them."""
    from rekindle_widgets import charts
    from rekindle_widgets.io.export import export_csv, export_json
    from rekindle_widgets.report import build_report, render_html

    path = tmp_path / "j.sqlite"
    with Journal(path) as j:
        for day in (1, 2, 3):
            j.add(3, note=f"day {day}", at=f"2026-11-0{day}T09:00:00+00:00")
        j.add_response("phq9", [1] * 9 + [None], total=9.0, band="mild", at="2026-11-03T10:00:00+00:00")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(damage)
    conn.execute("INSERT INTO responses (instrument, ts, ts_utc, answers, created_utc) VALUES ('phq9', "
                 "'2026-11-04T09:00:00+00:00', '2026-11-04T09:00:00+00:00', 'not json', '2026-11-04T09:00:00+00:00')")
    conn.commit()
    conn.close()
    with Journal(path) as j:
        assert list(j.entries()["note"]) == ["day 1", "day 3"]
        assert len(j.responses()) == 1  # the readable one
        assert '"day 2"' not in export_json(j) and "day 3" in export_csv(j)
        assert "1 entry in this journal could not be read" in render_html(build_report(j))
        charts.timeline(j)
    code, _, err = run("export", "--format", "json", "-o", str(tmp_path / "out.json"), "--journal", str(path))
    assert code == 0 and "1 entry could not be read and was left out" in err
    code, out, _ = run("check", "--journal", str(path))
    assert code == 1 and "entry 2 (entries)" in out and "response 2 (responses)" in out


def test_an_import_from_stdin_is_counted_as_it_is_read(tmp_path):
    """stat says 0 bytes for a pipe: /dev/stdin past the limit is refused in one line, nothing written."""
    import subprocess
    import sys

    code = ("import sys; from rekindle_widgets.io.importers import text; text.MAX_BYTES = 1000; "
            "from rekindle_widgets.cli import main; sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, "import", "/dev/stdin", "--journal",
                           str(tmp_path / "j.sqlite")], input=b"date,mood\n" + b"2026-01-01,3\n" * 500,
                          capture_output=True, timeout=120)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"/dev/stdin is over 0 MB" in done.stderr and done.stderr.count(b"\n") == 1
    assert not (tmp_path / "j.sqlite").exists()
