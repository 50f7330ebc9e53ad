"""A backup someone hands in is hostile until checked: restore accepts only what Rekindle writes."""

from __future__ import annotations

import sqlite3

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.backup import restore
from rekindle_widgets.journal import Journal
from rekindle_widgets.journal.checks import ROW_CHECKS
from rekindle_widgets.journal.tables import KINDS

from .conftest import file_digest


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
