"""`rekindle entries / edit / delete / history / undo / erase` (issue 16 part 1): the contract checks build on."""

from __future__ import annotations

import io

import pytest

from rekindle_widgets.journal import Entry, Journal

from ..conftest import file_digest


@pytest.fixture
def two(journal_path, run):
    assert run("log", "--journal", journal_path, "--mood", "2", "--note", "wrong mood", "--tag", "work",
               "--at", "2026-03-01T20:30:00+01:00")[0] == 0
    assert run("log", "--journal", journal_path, "--mood", "4", "--readiness", "6", "--note", "a good day",
               "--at", "2026-03-05T09:00:00+01:00")[0] == 0
    return journal_path


def _ids(out: str) -> list[int]:
    return [int(line.split()[0]) for line in out.splitlines()]


def test_entries_lists_one_line_each_starting_with_the_id(two, run):
    code, out, _ = run("entries", "--journal", two)
    assert code == 0 and _ids(out) == [1, 2]
    first, second = out.splitlines()
    assert "mood 2" in first and "wrong mood" in first and "work" in first
    assert "mood 4" in second and "readiness 6" in second and "a good day" in second
    assert _ids(run("entries", "--journal", two, "--since", "2026-03-02")[1]) == [2]
    assert _ids(run("entries", "--journal", two, "--until", "2026-03-02")[1]) == [1]


def test_edit_history_and_undo(two, run):
    code, out, err = run("edit", "--journal", two, "1", "--mood", "3", "--note", "fixed it", "--tag", "home",
                         "--tag", "rest", "--readiness", "4", "--at", "2026-03-02T08:00:00+01:00")
    assert code == 0, err
    line = run("entries", "--journal", two)[1].splitlines()[0]
    assert line.split()[0] == "1" and "mood 3" in line and "fixed it" in line and "home, rest" in line
    assert "2026-03-02 08:00" in line and "readiness 4" in line
    code, out, _ = run("history", "--journal", two, "1")
    assert code == 0
    earlier, now = out.splitlines()
    assert earlier.startswith("version 1") and "wrong mood" in earlier and "mood 2" in earlier
    assert now.startswith("now:") and "fixed it" in now
    assert run("edit", "--journal", two, "1", "--readiness", "none")[0] == 0
    assert "readiness" not in run("entries", "--journal", two)[1].splitlines()[0]
    assert len(run("history", "--journal", two, "1")[1].splitlines()) == 3
    code, out, _ = run("undo", "--journal", two)
    assert code == 0 and "undid edit of entry 1" in out
    run("undo", "--journal", two)
    assert "wrong mood" in run("entries", "--journal", two)[1].splitlines()[0]


def test_delete_then_undo_then_erase(two, run, monkeypatch):
    code, out, _ = run("delete", "--journal", two, "1")
    assert code == 0 and "deleted entry 1" in out
    assert _ids(run("entries", "--journal", two)[1]) == [2]
    assert "now: deleted" in run("history", "--journal", two, "1")[1]
    assert run("undo", "--journal", two)[0] == 0
    assert _ids(run("entries", "--journal", two)[1]) == [1, 2]
    run("delete", "--journal", two, "1")

    # no terminal and no --yes: refused, nothing changed
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    before = file_digest(two)
    code, _, err = run("erase", "--journal", two)
    assert code == 2 and err.count("\n") == 1 and "--yes" in err
    assert file_digest(two) == before

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    code, out, _ = run("erase", "--journal", two)
    assert code == 0 and "nothing was erased" in out and file_digest(two) == before
    monkeypatch.setattr("sys.stdin", Terminal("erase\n"))
    code, out, _ = run("erase", "--journal", two)
    assert code == 0 and "erased 1 earlier or deleted versions" in out
    assert b"wrong mood" not in two.read_bytes()
    assert run("history", "--journal", two, "1")[0] == 2
    assert run("undo", "--journal", two)[0] == 2
    assert run("erase", "--journal", two, "--yes")[0] == 0


def test_undo_takes_back_a_whole_import(journal_path, run, tmp_path):
    run("log", "--journal", journal_path, "--mood", "3", "--note", "mine")
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    lines += [f"2025-05-{d:02d},May {d},Monday,08:00,good,,,imported {d}" for d in range(1, 29)]
    (tmp_path / "daylio.csv").write_text("\n".join(lines) + "\n")
    code, out, err = run("import", "--journal", journal_path, tmp_path / "daylio.csv")
    assert code == 0, err
    assert len(run("entries", "--journal", journal_path)[1].splitlines()) == 29
    code, out, _ = run("undo", "--journal", journal_path)
    assert code == 0 and "import of" in out and "28 entries" in out
    assert _ids(run("entries", "--journal", journal_path)[1]) == [1]


@pytest.mark.parametrize("argv, says", [
    (["edit", "99", "--mood", "3"], "there is no entry 99"),
    (["delete", "99"], "there is no entry 99"),
    (["history", "99"], "no entry 99"),
    (["edit", "1", "--mood", "9"], "mood must be"),
    (["edit", "1", "--readiness", "eleven"], "readiness must be"),
    (["edit", "1", "--at", "last tuesday"], "time"),
    (["edit", "1", "--tag", "a|b"], "tag"),
    (["edit", "1"], "say what to change"),
    (["edit", "x1", "--mood", "3"], "whole number"),
])
def test_unknown_ids_and_bad_values_are_one_line_errors_that_change_nothing(two, run, argv, says):
    before = file_digest(two)
    code, out, err = run(*argv, "--journal", two)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and says in err and "Traceback" not in err
    assert file_digest(two) == before


def test_nothing_to_undo_is_a_one_line_error(journal_path, run):
    with Journal(journal_path) as j:
        j.add_entries([Entry.make(mood=3, at="2026-01-01T00:00:00+00:00")])
    assert run("undo", "--journal", journal_path)[0] == 0
    code, _, err = run("undo", "--journal", journal_path)
    assert code == 2 and "nothing to undo" in err and err.count("\n") == 1


def test_printed_notes_pass_through_the_terminal_safe_output(journal_path, run):
    run("log", "--journal", journal_path, "--mood", "3", "--note", "\x1b[2Jcleared\u202eevil")
    for argv in (["entries"], ["history", "1"], ["edit", "1", "--note", "\x1b]0;title\x07x"], ["history", "1"]):
        out = run(*argv, "--journal", journal_path)[1]
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\x1b[2Jcleared\\u202eevil" in run("history", "--journal", journal_path, "1")[1]
