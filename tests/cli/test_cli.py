"""The `rekindle` command: its contract, its round trips, and its one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rekindle_widgets.journal import Journal

from ..conftest import file_digest


def _entries(path: Path) -> list[tuple]:
    with Journal(path, create=False) as j:
        frame = j.entries()
        stages = [(c.stage, c.since) for c in j.stage_changes()]
    cols = ["local_time", "mood", "readiness", "stage", "tags", "note", "source"]
    rows = [tuple(None if not isinstance(v, tuple) and pd.isna(v) else v for v in row)
            for row in frame[cols].astype(object).itertuples(index=False)]
    return rows, stages


def test_demo_is_deterministic_and_summarised(tmp_path, run):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    code, out, _ = run("demo", "--journal", a)
    assert code == 0
    assert out.count("\n") == 1 and "entries on" in out and "stage 5 (No news is good news)" in out
    run("demo", "--journal", b)
    assert _entries(a) == _entries(b)
    rows, stages = _entries(a)
    assert [s for s, _ in stages] == [1, 2, 3, 4, 5]
    assert len(rows) > 180  # several entries on many days
    tags = {t for row in rows for t in row[4]}
    assert {"contact", "date", "therapy", "meditation"} <= tags
    assert any(row[5] for row in rows)  # some notes


def test_demo_refuses_a_journal_with_real_entries(journal_path, run):
    run("log", "--mood", "3", "--journal", journal_path)
    before = file_digest(journal_path)
    code, _, err = run("demo", "--journal", journal_path)
    assert code == 2 and "already holds 1 entries of your own" in err
    assert file_digest(journal_path) == before


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_round_trip_reproduces_entries_and_stages(demo_journal, tmp_path, run, fmt):
    out = tmp_path / f"export.{fmt}"
    code, _, err = run("export", "--format", fmt, "-o", out, "--journal", demo_journal)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.sqlite"
    code, text, err = run("import", out, "--journal", fresh)
    assert code == 0, err
    assert "0 already in the journal" in text
    assert _entries(fresh) == _entries(demo_journal)
    # importing the same file again adds nothing
    code, text, _ = run("import", out, "--journal", fresh)
    assert "0 entries added" in text
    assert _entries(fresh) == _entries(demo_journal)


def test_csv_export_has_the_exact_columns_and_escapes_formulas(journal_path, run):
    run("log", "--mood", "4", "--readiness", "7", "--tag", "contact", "--tag", "date",
        "--note", "=HYPERLINK(\"http://x\")", "--at", "2026-05-01T19:30:00+02:00", "--journal", journal_path)
    run("log", "--mood", "2", "--note", "- felt low, then better\nsecond line", "--at", "2026-05-02T08:00:00+02:00",
        "--journal", journal_path)
    _code, out, _ = run("export", "--journal", journal_path)
    lines = out.splitlines()
    assert lines[0] == "timestamp,mood,readiness,stage,tags,note,source"
    assert lines[1] == '2026-05-01T19:30:00+02:00,4,7,,contact|date,"\'=HYPERLINK(""http://x"")",manual'
    assert lines[2].startswith("2026-05-02T08:00:00+02:00,2,,,,\"'- felt low")
    # and the escaped notes come back exactly
    exported = journal_path.with_name("e.csv")
    exported.write_text(out)
    fresh = journal_path.with_name("fresh.sqlite")
    run("import", exported, "--journal", fresh)
    assert _entries(fresh) == _entries(journal_path)


def test_json_export_holds_the_stage_timeline_with_notes(journal_path, run):
    run("stage", "2", "--since", "2026-01-10", "--note", "own flat now", "--journal", journal_path)
    _code, out, _ = run("export", "--format", "json", "--journal", journal_path)
    doc = json.loads(out)
    assert doc["format"] == "rekindle-journal"
    assert doc["stages"] == [{"stage": 2, "since": "2026-01-10", "note": "own flat now"}]


def test_log_stage_where(journal_path, run, private_home):
    code, out, _ = run("log", "--mood", "5", "--readiness", "8", "--tag", "friends", "--journal", journal_path)
    assert code == 0 and out.startswith("saved entry 1 to ")
    code, out, _ = run("stage", "3", "--since", "2026-02-01", "--journal", journal_path)
    assert out.strip() == "stage 3 (Dip a toe in the water) from 2026-02-01"
    code, out, _ = run("where")
    assert out == f"journal: {private_home / 'journal.sqlite'}\ndata folder: {private_home}\n"


def test_default_journal_lives_in_rekindle_home(run, private_home):
    assert run("log", "--mood", "3")[0] == 0
    assert (private_home / "journal.sqlite").exists()
    assert stat.S_IMODE(private_home.stat().st_mode) == 0o700


BAD = [
    (["log", "--mood", "0"], "mood must be a whole number from 1 to 5, not '0'"),
    (["log", "--mood", "6"], "mood must be a whole number from 1 to 5"),
    (["log", "--mood", "three"], "mood must be a whole number"),
    (["log", "--mood", "3", "--readiness", "11"], "readiness must be a whole number from 0 to 10"),
    (["log", "--mood", "3", "--at", "not-a-date"], "is not a date-time"),
    (["log", "--mood", "3", "--tag", "a|b"], "may not contain '|'"),
    (["log"], "give --mood, --track NAME=VALUE, or both"),
    (["log", "--mood", "3", "--bogus"], "unrecognized arguments: --bogus"),
    (["stage", "8"], "stage must be a whole number from 1 to 7, not '8'"),
    (["stage", "2", "--since", "31/12/2025"], "is not a date"),
    (["export", "--format", "xml"], "invalid choice: 'xml'"),
    (["export", "-o", "/nonexistent-folder/x.csv"], "folder /nonexistent-folder does not exist"),
    (["export", "--since", "whenever"], "is not a date"),
    (["import", "/no/such/file.csv"], "file not found: /no/such/file.csv"),
    (["import", "{tmp}/notes.txt"], "cannot tell what kind of file this is"),
    (["import", "{tmp}/bad.csv"], "bad.csv line 3: mood must be a whole number from 1 to 5, not '9'"),
    (["import", "{tmp}/short.csv"], "short.csv line 2: expected 7 columns, found 3"),
    (["import", "{tmp}/latin1.csv"], "latin1.csv line 2, column 35: not readable as UTF-8"),
    (["import", "{tmp}/broken.json"], "broken.json line 1, column 2: not valid JSON"),
    (["import", "{tmp}/notes.txt", "--format", "daylio-xyz"], "unknown format 'daylio-xyz'"),
    (["import", "{tmp}"], "is a folder"),
    (["bogus"], "invalid choice: 'bogus'"),
]
HEADER = "timestamp,mood,readiness,stage,tags,note,source\n"


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(journal_path, tmp_path, run, argv, message):
    (tmp_path / "notes.txt").write_text("dear diary\n")
    (tmp_path / "bad.csv").write_text(HEADER + "2026-01-01T10:00:00+00:00,3,,,,,manual\n"
                                      "2026-01-02T10:00:00+00:00,9,,,,,manual\n")
    (tmp_path / "short.csv").write_text(HEADER + "2026-01-01T10:00:00+00:00,3,\n")
    (tmp_path / "latin1.csv").write_bytes((HEADER + "2026-01-01T10:00:00+00:00,3,,,,caf\u00e9,manual\n").encode("latin-1"))
    (tmp_path / "broken.json").write_text("{oops")
    run("log", "--mood", "3", "--note", "already here", "--journal", journal_path)
    before = file_digest(journal_path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _out, err = run(*argv, "--journal", journal_path)
    assert code == 2
    assert err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err
    assert file_digest(journal_path) == before


def test_commands_that_read_do_not_create_a_journal(tmp_path, run):
    missing = tmp_path / "missing.sqlite"
    code, _, err = run("export", "--journal", missing)
    assert code == 2 and "there is no journal at" in err
    assert not missing.exists()


def test_a_bad_import_does_not_create_an_empty_journal(tmp_path, run):
    (tmp_path / "x.txt").write_text("hello")
    target = tmp_path / "new.sqlite"
    assert run("import", tmp_path / "x.txt", "--journal", target)[0] == 2
    assert not target.exists()


def test_the_installed_console_script_works(tmp_path):
    exe = shutil.which("rekindle", path=os.path.dirname(sys.executable))
    assert exe, "the rekindle console script is not installed next to this Python"
    journal = tmp_path / "j.sqlite"
    ok = subprocess.run([exe, "log", "--mood", "4", "--journal", str(journal)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([exe, "log", "--mood", "9", "--journal", str(journal)], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr == "rekindle: error: mood must be a whole number from 1 to 5, not '9'\n"
