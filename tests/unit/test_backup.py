"""Whole-journal backups (plain and age-encrypted), restore and merge, and the automatic safety copies.

Encrypting and decrypting with a passphrase costs a few seconds each (age's
scrypt is meant to be slow), so the encrypted backup is made once per module.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.backup import AGE_HEADER, backup_bytes, restore
from rekindle_widgets.journal import KEEP, MIGRATIONS, Journal, _statements, discard_safety_copies, safety_copies

from ..conftest import file_digest

PASSPHRASE = "correct horse battery staple"
SECRET = "a note nobody else may read \u2068<b>&amp;</b>\u2069"


def _fill(journal: Journal, *, offset: int = 0) -> None:
    """Entries, stage changes, a questionnaire response and a session: every kind of record."""
    for i in range(40):
        n = i + offset
        journal.add(1 + n % 5, n % 11, tags=["contact", f"t{n % 3}"], note=f"{SECRET} {n}",
                    at=f"2026-0{1 + n // 28 % 9}-{1 + n % 28:02d}T08:30:00+01:00")
    journal.set_stage(2 + offset // 10 % 5, "2026-01-01", "started")
    journal.add_response("who5", [3, 3, 2, 4, 1], total=52.0, band="ok",
                         at=f"2026-02-0{1 + offset % 8}T10:00:00+00:00")
    journal.add_session(day=f"2026-02-1{offset % 10}", minutes=50, template="soap",
                        notes={"subjective": f"{SECRET} session {offset}"}, goals=[("sleep", 4 + offset % 5)])


def _everything(path: Path) -> tuple:
    """What a person would see in a journal: its entries, stage timeline, responses and sessions."""
    with Journal(path, create=False) as j:
        entries = [tuple(r[1:]) for r in j.rows()]
        columns = ["instrument", "local_time", "total", "band"]
        responses = [tuple(r) for r in j.responses()[columns].itertuples(index=False)]
        sessions = [(s.day, s.minutes, s.template, tuple(s.notes.items()), s.goals) for s in j.sessions()]
        return sorted(entries), j.stage_changes(), sorted(responses), sorted(sessions)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("original") / "journal.sqlite"
    with Journal(path) as j:
        _fill(j)
    return path


@pytest.fixture(scope="module")
def encrypted(original, tmp_path_factory) -> Path:
    """The original journal backed up with --encrypt (the passphrase from the environment)."""
    from rekindle_widgets import cli

    target = tmp_path_factory.mktemp("backup") / "journal.age"
    os.environ["REKINDLE_PASSPHRASE"] = PASSPHRASE
    try:
        assert cli.main(["backup", "--journal", str(original), "-o", str(target), "--encrypt"]) == 0
    finally:
        del os.environ["REKINDLE_PASSPHRASE"]
    return target


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_encrypted_backup_is_an_age_file_that_hides_the_notes(encrypted):
    data = encrypted.read_bytes()
    assert data.startswith(AGE_HEADER) and b"-> scrypt " in data[:100]
    assert b"nobody else" not in data and b"SQLite format 3" not in data
    assert _mode(encrypted) == 0o600
    assert [p.name for p in encrypted.parent.iterdir()] == ["journal.age"]  # no temporary file left


def test_an_encrypted_backup_restores_into_a_fresh_journal_identically(encrypted, original, tmp_path, run,
                                                                       monkeypatch):
    monkeypatch.setenv("REKINDLE_PASSPHRASE", PASSPHRASE)
    fresh = tmp_path / "new" / "journal.sqlite"
    code, out, err = run("restore", "--journal", fresh, encrypted)
    assert code == 0, err
    assert "restored the whole backup" in out and "40 entries" in out
    assert file_digest(fresh) == file_digest(original)  # the same SQL dump: every row, every id
    assert _mode(fresh) == 0o600


def test_a_wrong_passphrase_is_one_line_and_changes_nothing(encrypted, tmp_path, run, monkeypatch):
    target = tmp_path / "journal.sqlite"
    with Journal(target) as j:
        j.add(4, note="mine")
    before = file_digest(target)
    monkeypatch.setenv("REKINDLE_PASSPHRASE", "not the passphrase")
    code, out, err = run("restore", "--journal", target, encrypted)
    assert code == 2 and out == ""
    assert err == f"rekindle: error: {encrypted.name} could not be decrypted: the passphrase is wrong, or the " \
                  f"file was changed; nothing was restored\n"
    assert file_digest(target) == before
    assert safety_copies(target) == []  # nothing was even copied
    missing = tmp_path / "none.sqlite"
    assert run("restore", "--journal", missing, encrypted)[0] == 2 and not missing.exists()


def test_a_truncated_encrypted_backup_is_refused(encrypted, tmp_path, run, monkeypatch):
    monkeypatch.setenv("REKINDLE_PASSPHRASE", PASSPHRASE)
    cut = tmp_path / "cut.age"
    data = encrypted.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    target = tmp_path / "journal.sqlite"
    code, _, err = run("restore", "--journal", target, cut)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "cut.age" in err and "nothing was restored" in err
    assert not target.exists()


def test_an_encrypted_backup_changed_by_one_byte_is_refused(encrypted, tmp_path, run, monkeypatch):
    """age authenticates every chunk: unlike a plain SQLite file, any change to it is found."""
    monkeypatch.setenv("REKINDLE_PASSPHRASE", PASSPHRASE)
    data = bytearray(encrypted.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed = tmp_path / "changed.age"
    changed.write_bytes(bytes(data))
    target = tmp_path / "journal.sqlite"
    code, _, err = run("restore", "--journal", target, changed)
    assert code == 2 and err.startswith("rekindle: error: changed.age is damaged or cut short") and not target.exists()


def test_a_plain_backup_round_trip_and_what_is_not_a_backup(original, tmp_path, run):
    plain = tmp_path / "journal-backup.sqlite"
    code, out, err = run("backup", "--journal", original, "-o", plain)
    assert code == 0, err
    assert plain.read_bytes().startswith(b"SQLite format 3\x00") and _mode(plain) == 0o600
    assert not Path(f"{plain}-wal").exists()
    fresh = tmp_path / "fresh.sqlite"
    assert run("restore", "--journal", fresh, plain)[0] == 0
    assert file_digest(fresh) == file_digest(original)

    target = tmp_path / "target.sqlite"
    with Journal(target) as j:
        j.add(2, note="kept")
    before = file_digest(target)
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(plain.read_bytes()[:8192])
    csv = tmp_path / "export.csv"
    assert run("export", "--journal", original, "-o", csv)[0] == 0
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(plain.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    for bad, says in [(cut, "is cut short"), (csv, "is not a Rekindle backup"),
                      (newer, "was written by a newer Rekindle (schema 99"), (other, "not a Rekindle journal")]:
        code, out, err = run("restore", "--journal", target, bad)
        assert code == 2 and out == "" and err.count("\n") == 1, (bad, err)
        assert says in err, err
        assert file_digest(target) == before


def test_a_backup_merges_into_a_journal_with_entries_without_duplicates(original, tmp_path, run):
    plain = tmp_path / "backup.sqlite"
    assert run("backup", "--journal", original, "-o", plain)[0] == 0
    target = tmp_path / "mine.sqlite"
    with Journal(target) as j:
        _fill(j, offset=20)  # 20 of its 40 entries are in the backup too, with its own stage, response, session
    mine = _everything(target)
    code, out, err = run("restore", "--journal", target, plain)
    assert code == 0, err
    assert "merged the backup into the journal" in out and "20 entries added, 20 already in the journal" in out
    entries, stages, responses, sessions = _everything(target)
    theirs = _everything(original)
    assert len(entries) == 60 and set(theirs[0]) | set(mine[0]) == set(entries)
    assert {(c.stage, c.since) for c in stages} == {(c.stage, c.since) for c in theirs[1] + mine[1]}
    assert len(stages) == 2 and len(responses) == 2 and len(sessions) == 2
    assert set(theirs[2]) <= set(responses) and set(theirs[3]) <= set(sessions)
    after = file_digest(target)
    code, out, _ = run("restore", "--journal", target, plain)  # again: nothing new
    assert code == 0 and "0 entries added, 40 already in the journal" in out
    assert _everything(target) == (entries, stages, responses, sessions)
    assert file_digest(target) == after


def test_replace_makes_the_journal_the_backup(original, tmp_path, run):
    plain = tmp_path / "backup.sqlite"
    assert run("backup", "--journal", original, "-o", plain)[0] == 0
    target = tmp_path / "mine.sqlite"
    with Journal(target) as j:
        j.add(5, note="only here")
    mine = file_digest(target)
    code, out, _ = run("restore", "--journal", target, plain, "--replace")
    assert code == 0 and "restored the whole backup" in out
    assert file_digest(target) == file_digest(original)
    (copy,) = safety_copies(target)
    assert copy.reason == "restore" and file_digest(copy.path) == mine  # the journal as it was, kept


def test_backup_refuses_a_short_passphrase_and_a_missing_folder(original, tmp_path, run, monkeypatch):
    monkeypatch.setenv("REKINDLE_PASSPHRASE", "short")
    code, _, err = run("backup", "--journal", original, "-o", tmp_path / "b.age", "--encrypt")
    assert code == 2 and "passphrase is too short" in err and not (tmp_path / "b.age").exists()
    code, _, err = run("backup", "--journal", original, "-o", tmp_path / "nowhere" / "b.sqlite")
    assert code == 2 and "folder that exists" in err
    monkeypatch.delenv("REKINDLE_PASSPHRASE")
    code, _, err = run("backup", "--journal", original, "-o", tmp_path / "b.age", "--encrypt")
    assert code == 2 and "REKINDLE_PASSPHRASE" in err  # no terminal to ask on, in a test
    assert list(tmp_path.iterdir()) == []


def test_safety_copies_are_kept_before_imports_capped_private_and_listed(tmp_path, run, private_home):
    journal = tmp_path / "journal.sqlite"
    assert run("log", "--journal", journal, "--mood", "3", "--note", "first")[0] == 0
    code, out, _ = run("restore", "--journal", journal, "--list")
    assert code == 0 and out.startswith("no safety copies of")
    for i in range(KEEP + 2):
        export = tmp_path / f"e{i}.json"
        other = tmp_path / f"o{i}.sqlite"
        with Journal(other) as j:
            j.add(1 + i % 5, note=f"import {i}", at=f"2026-03-0{1 + i}T09:00:00+00:00")
        assert run("export", "--journal", other, "--format", "json", "-o", export)[0] == 0
        before = file_digest(journal)
        assert run("import", "--journal", journal, export)[0] == 0
        newest = safety_copies(journal)[0]
        assert file_digest(newest.path) == before  # the copy is the journal as it was just before
    copies = safety_copies(journal)
    assert len(copies) == KEEP and all(c.reason == "import" for c in copies)
    assert all(_mode(c.path) == 0o600 for c in copies)
    assert _mode(private_home / "safety-copies") == 0o700
    with Journal(copies[-1].path, create=False) as oldest:  # the oldest kept is from the third import
        assert oldest.count() == 3
    code, out, _ = run("restore", "--journal", journal)
    lines = out.splitlines()
    assert code == 0 and len(lines) == KEEP + 1 and all("before import" in line for line in lines[1:])
    assert all(" KB " in line and str(private_home) in line for line in lines[1:])
    # another journal's copies are its own
    assert run("restore", "--journal", tmp_path / "o0.sqlite", "--list")[1].startswith("no safety copies")
    # erasing for good discards them all (they hold what was erased)
    assert discard_safety_copies(journal) == KEEP and safety_copies(journal) == []


def test_a_migration_and_a_restore_keep_a_safety_copy(tmp_path):
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old)
    for statement in _statements(MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("INSERT INTO entries (ts, ts_utc, day, mood, tags, note, source, fingerprint, created_utc) "
                 "VALUES ('2026-01-01T09:00:00+00:00', '2026-01-01T09:00:00+00:00', '2026-01-01', 3, '', 'old', "
                 "'manual', 'f1', '2026-01-01T09:00:00+00:00')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    before = file_digest(old)
    with Journal(old) as j:
        assert j.version > 1
        (copy,) = safety_copies(j)
        assert copy.reason == "migration" and file_digest(copy.path) == before
        data = backup_bytes(j)
        restore(j, data, "b.sqlite")  # merging a journal into itself adds nothing, and keeps a copy first
        assert [c.reason for c in safety_copies(j)] == ["restore", "migration"]
        assert j.count() == 1


def test_an_empty_journal_is_not_copied_and_bad_input_to_restore_is_one_sentence(tmp_path):
    with Journal(tmp_path / "j.sqlite") as j:
        restore(j, backup_bytes(j), "empty.sqlite")
        assert safety_copies(j) == []
        with pytest.raises(RekindleError, match="is encrypted: give its passphrase"):
            restore(j, AGE_HEADER + b"-> scrypt abc 10\n", "x.age")
        with pytest.raises(RekindleError, match="not a Rekindle backup"):
            restore(j, b"", "empty")


def test_backup_warns_when_restore_could_not_read_what_it_wrote(run, journal_path, tmp_path, monkeypatch):
    """restore reads up to MAX_BACKUP; a larger backup is still written (a copy beats none) but said so."""
    from rekindle_widgets.io import backup

    run("log", "--mood", "3", "--journal", journal_path)
    monkeypatch.setattr(backup, "MAX_BACKUP", 1000)
    code, _, err = run("backup", "-o", tmp_path / "b.sqlite", "--journal", journal_path)
    assert code == 0 and (tmp_path / "b.sqlite").exists()
    assert "more than 'rekindle restore' reads" in err and err.count("\n") == 1
    code, _, err = run("restore", tmp_path / "b.sqlite", "--journal", tmp_path / "other.sqlite")
    assert code == 2 and "are refused" in err
