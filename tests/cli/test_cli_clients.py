"""`rekindle client ...`, `rekindle session ...` and `--client` on every journal command."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pytest

from rekindle_widgets.cli import build_parser
from rekindle_widgets.journal import Journal
from rekindle_widgets.model.practice import Practice

from ..conftest import file_digest

UNSAFE = ["..", "../x", "/etc", "a/b", "a\\b", "\x00", "x\x00y", "\n", "x\ny", "\x1b]0;owned\x07", ".", "",
          "/tmp/evil", "x" * 65]


def _tree(folder: Path) -> set[str]:
    return {os.path.relpath(os.path.join(top, n), folder)
            for top, dirs, files in os.walk(folder) for n in [*dirs, *files]}


@pytest.fixture
def practice_dir(tmp_path) -> Path:
    return tmp_path / "practice"


@pytest.fixture
def add(run, practice_dir):
    def _add(alias: str) -> str:
        code, out, err = run("client", "add", alias, "--practice", practice_dir)
        assert code == 0, err
        return out.strip()

    return _add


def test_client_add_prints_only_the_id(run, practice_dir):
    code, out, err = run("client", "add", "J.K.", "--practice", practice_dir)
    assert code == 0
    client_id = out.strip()
    assert out == client_id + "\n" and client_id.startswith("c-")
    assert f"added client {client_id} (J.K.)" in err
    assert (practice_dir / client_id / "journal.sqlite").exists()


def test_the_practice_comes_from_the_environment_by_default(run, tmp_path, monkeypatch, private_home):
    code, out, _ = run("client", "add", "Env")
    assert code == 0 and (private_home / "practice" / out.strip()).is_dir()
    monkeypatch.setenv("REKINDLE_PRACTICE", str(tmp_path / "p2"))
    code, out, _ = run("client", "add", "Env2")
    assert code == 0 and (tmp_path / "p2" / out.strip()).is_dir()
    code, out, _ = run("client", "list")
    assert "Env2" in out and "Env " not in out


def test_client_list_shows_activity_and_archive_hides(run, add, practice_dir):
    a, b = add("Alex"), add("Blair")
    run("log", "--client", a, "--practice", practice_dir, "--mood", "4", "--at", "2026-03-02T10:00")
    run("log", "--client", a, "--practice", practice_dir, "--mood", "3", "--at", "2026-03-05T10:00")
    run("session", "add", "--client", a, "--practice", practice_dir, "--date", "2026-03-05")
    code, out, _ = run("client", "list", "--practice", practice_dir)
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["id", "alias", "created", "entries", "last", "entry", "sessions", "archived"]
    row_a = next(r for r in rows if r.startswith(a)).split()
    assert row_a[1] == "Alex" and row_a[3:] == ["2", "2026-03-05", "1", "-"]
    assert next(r for r in rows if r.startswith(b)).split()[3:] == ["0", "-", "0", "-"]
    before = file_digest(practice_dir / b / "journal.sqlite")
    code, out, _ = run("client", "archive", b, "--practice", practice_dir)
    assert code == 0 and "archived" in out and "data kept" in out
    code, out, _ = run("client", "list", "--practice", practice_dir)
    assert a in out and b not in out
    code, out, _ = run("client", "list", "--all", "--practice", practice_dir)
    assert b in out and "Blair" in out
    assert file_digest(practice_dir / b / "journal.sqlite") == before
    code, out, _ = run("client", "archive", "blair", "--undo", "--practice", practice_dir)
    assert code == 0 and "active again" in out
    assert b in run("client", "list", "--practice", practice_dir)[1]


def test_an_empty_practice_says_how_to_start(run, practice_dir):
    code, out, _ = run("client", "list", "--practice", practice_dir)
    assert code == 0 and "no clients" in out and "rekindle client add" in out
    assert not practice_dir.exists()


@pytest.mark.parametrize("text", UNSAFE)
def test_unsafe_aliases_and_ids_are_refused_with_nothing_created(run, practice_dir, private_home, text):
    attempts = [
        ("client", "add", text, "--practice", practice_dir),
        ("client", "archive", text, "--practice", practice_dir),
        ("client", "erase", text, "--yes", "--practice", practice_dir),
        ("log", "--mood", "3", "--client", text, "--practice", practice_dir),
        ("session", "add", "--client", text, "--practice", practice_dir),
        ("where", "--client", text, "--practice", practice_dir),
        ("log", "--mood", "3", "--client", text),
    ]
    for argv in attempts:
        code, out, err = run(*argv)
        assert code == 2, (argv, out, err)
        assert err.startswith("rekindle: error: ") and err.count("\n") == 1, err
        assert "Traceback" not in err
    assert not practice_dir.exists()
    assert not private_home.exists()  # not even the default journal or practice


def test_unsafe_names_do_not_touch_an_existing_practice(run, add, practice_dir):
    add("Existing")
    before = {p: file_digest(practice_dir / p) for p in _tree(practice_dir) if p.endswith(".sqlite")}
    listing = _tree(practice_dir)
    for text in UNSAFE:
        assert run("client", "add", text, "--practice", practice_dir)[0] == 2
        assert run("client", "erase", text, "--yes", "--practice", practice_dir)[0] == 2
    assert _tree(practice_dir) == listing
    assert {p: file_digest(practice_dir / p) for p in before} == before


def test_erase_without_yes_lists_and_keeps_everything(run, add, practice_dir):
    client = add("Gone soon")
    run("log", "--client", client, "--practice", practice_dir, "--mood", "2")
    digest = file_digest(practice_dir / client / "journal.sqlite")  # (may leave SQLite's -wal/-shm behind)
    listing = _tree(practice_dir)
    code, out, err = run("client", "erase", client, "--practice", practice_dir)
    assert code == 0 and not err
    assert f"{practice_dir / client / 'journal.sqlite'}" in out and f"{practice_dir / client}\n" in out
    assert out.splitlines()[-1].startswith("nothing removed; run 'rekindle client erase")
    assert _tree(practice_dir) == listing
    assert file_digest(practice_dir / client / "journal.sqlite") == digest


def test_erase_yes_removes_that_client_completely_and_keeps_the_other(run, add, practice_dir, tmp_path):
    keep, gone = add("Keep"), add("Gone")
    for client in (keep, gone):
        run("log", "--client", client, "--practice", practice_dir, "--mood", "3", "--note", f"{client} note")
        run("session", "add", "--client", client, "--practice", practice_dir, "--goal", "sleep=4")
    # an upgrade backup and SQLite's side files belong to the client too
    (practice_dir / gone / "journal.sqlite.v1.bak").write_bytes(b"old")
    (practice_dir / gone / "journal.sqlite-wal").write_bytes(b"")
    keep_digest = file_digest(practice_dir / keep / "journal.sqlite")
    code, out, err = run("client", "erase", gone, "--yes", "--practice", practice_dir)
    assert code == 0, err
    assert "journal.sqlite.v1.bak" in out and "journal.sqlite-wal" in out
    assert f"erased client {gone}" in out
    assert not [p for p in _tree(practice_dir) if gone in p]
    assert not [p for p in _tree(tmp_path) if gone in p]
    assert file_digest(practice_dir / keep / "journal.sqlite") == keep_digest
    code, out, _ = run("client", "list", "--all", "--practice", practice_dir)
    assert keep in out and gone not in out
    code, _, err = run("log", "--client", gone, "--practice", practice_dir, "--mood", "3")
    assert code == 2 and f"no client '{gone}'" in err
    assert not (practice_dir / gone).exists()


def test_erase_by_alias_is_refused(run, add, practice_dir):
    client = add("Robin")
    code, _, err = run("client", "erase", "Robin", "--yes", "--practice", practice_dir)
    assert code == 2 and "erase needs the client id" in err and client in err
    assert (practice_dir / client / "journal.sqlite").exists()


# --------------------------------------------------------------------------
# --client on every journal command
# --------------------------------------------------------------------------


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_with_a_journal_takes_client_and_practice():
    for name, parser in _commands().items():
        options = {o for a in parser._actions for o in a.option_strings}
        if "--journal" in options:
            assert {"--client", "--practice"} <= options, name
    assert {"log", "stage", "import", "export", "summary", "where", "demo", "session"} <= set(_commands())


def test_journal_commands_work_on_the_clients_journal_only(run, add, practice_dir, tmp_path, private_home):
    a, b = add("Alex"), add("Blair")
    opts = ("--practice", practice_dir)
    assert run("log", "--client", a, *opts, "--mood", "2", "--note", "ALEX secret")[0] == 0
    assert run("stage", "3", "--client", "alex", *opts, "--since", "2026-03-01")[0] == 0
    assert run("log", "--client", b, *opts, "--mood", "5", "--note", "BLAIR secret")[0] == 0
    code, out, _ = run("summary", "--client", a, *opts)
    assert code == 0 and out.startswith("1 entries") and "stage 3" in out
    code, out, _ = run("where", "--client", a, *opts)
    assert out.splitlines()[0] == f"journal: {(practice_dir / a / 'journal.sqlite').resolve()}"
    exported = tmp_path / "alex.json"
    assert run("export", "--format", "json", "-o", exported, "--client", a, *opts)[0] == 0
    assert "ALEX secret" in exported.read_text() and "BLAIR" not in exported.read_text()
    # importing Alex's export into a new client copies Alex's data there, nothing else
    c = add("Casey")
    code, out, err = run("import", exported, "--client", c, *opts)
    assert code == 0, err
    code, out, _ = run("export", "--format", "csv", "--client", c, *opts)
    assert "ALEX secret" in out and "BLAIR" not in out
    assert not (private_home / "journal.sqlite").exists()  # the default journal was never used


def test_client_and_journal_together_is_an_error(run, add, practice_dir, journal_path):
    client = add("Both")
    code, _, err = run("log", "--mood", "3", "--client", client, "--practice", practice_dir,
                       "--journal", journal_path)
    assert code == 2 and "give --client or --journal, not both" in err
    assert not journal_path.exists()
    code, _, err = run("log", "--mood", "3", "--practice", practice_dir)
    assert code == 2 and "--practice needs --client" in err


def test_scores_can_be_saved_to_a_client(run, add, practice_dir):
    if "score" not in _commands():
        pytest.skip("no score command yet")
    client = add("Scored")
    code, _, err = run("score", "who5", "--answers", "3,3,3,3,3", "--save", "--client", client,
                       "--practice", practice_dir)
    assert code == 0, err
    with Journal(practice_dir / client / "journal.sqlite", create=False) as j:
        assert list(j.responses().instrument) == ["who5"]


# --------------------------------------------------------------------------
# rekindle session ...
# --------------------------------------------------------------------------


NOTES = "## Subjective\nSlept badly after the call.\n\n## Plan\nThe 24-hour pause.\n"


def test_session_add_and_list(run, add, practice_dir, tmp_path):
    client = add("Sam")
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES)
    code, out, err = run("session", "add", "--client", client, "--practice", practice_dir, "--date", "2026-03-04",
                         "--minutes", "50", "--stage", "3", "--notes-file", notes, "--homework", "walk daily",
                         "--goal", "sleep before midnight=6", "--goal", "call sister = 4", "--instrument", "who5",
                         "--instrument", "PHQ9")
    assert code == 0, err
    assert out.startswith("saved session 1 on 2026-03-04")
    code, out, _ = run("session", "list", "--client", "sam", "--practice", practice_dir)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split("  ") == ["session 1", "2026-03-04", "50 min", "stage 3 (Dip a toe in the water)",
                                    "SOAP", "instruments: who5, phq9"]
    assert lines[1] == "  goals: sleep before midnight 6/10; call sister 4/10"
    assert lines[2] == "  homework: walk daily"
    assert "Slept badly" not in out  # notes only on request
    code, out, _ = run("session", "list", "--client", client, "--practice", practice_dir, "--notes")
    assert "  ## Subjective\n  Slept badly after the call.\n\n  ## Plan\n  The 24-hour pause." in out
    code, out, _ = run("session", "list", "--client", client, "--practice", practice_dir, "--since", "2026-03-05")
    assert out == "no sessions in this range\n"


def test_session_text_cannot_drive_the_terminal(run, add, practice_dir, tmp_path):
    client = add("Esc")
    code, _, err = run("session", "add", "--client", client, "--practice", practice_dir,
                       "--homework", "read\x1b[2Jthis")
    assert code == 0, err
    out = run("session", "list", "--client", client, "--practice", practice_dir)[1]
    assert "\x1b" not in out and "read\\x1b[2Jthis" in out


def test_session_commands_need_a_client(run, private_home):
    code, _, err = run("session", "add", "--minutes", "50")
    assert code == 2 and "name the client with --client ID" in err
    assert not private_home.exists()


@pytest.mark.parametrize("extra, notes, message", [
    (["--minutes", "-5"], None, "minutes must be a whole number from 1 to 600, not '-5'"),
    (["--goal", "sleep=11"], None, "rating of goal 'sleep' must be a whole number from 0 to 10, not '11'"),
    (["--goal", "sleep"], None, 'write it as "TEXT=RATING"'),
    (["--template", "birp"], None, "template must be soap or dap, not 'birp'"),
    (["--template", "dap"], NOTES, "unknown heading '## Subjective' for the DAP template"),
    ([], "## Subjective\nok\n## Homework\nwalk\n", "line 3: unknown heading '## Homework'"),
    (["--date", "yesterday"], None, "session date 'yesterday' is not a date"),
    (["--date", "2026-13-01"], None, "is not a date"),
    (["--stage", "9"], None, "stage must be a whole number from 1 to 7"),
    (["--instrument", "mmpi"], None, "instrument 'mmpi' is not one Rekindle offers"),
    (["--notes-file", "missing.md"], None, "does not exist"),
])
def test_bad_session_input_is_one_line_exit_2_and_the_journal_unchanged(run, add, practice_dir, tmp_path,
                                                                       extra, notes, message):
    client = add("Careful")
    run("session", "add", "--client", client, "--practice", practice_dir, "--date", "2026-01-01")
    journal = practice_dir / client / "journal.sqlite"
    before = file_digest(journal)
    argv = ["session", "add", "--client", client, "--practice", practice_dir, *extra]
    if notes is not None:
        (tmp_path / "notes.md").write_text(notes)
        argv += ["--notes-file", tmp_path / "notes.md"]
    if "missing.md" in extra:
        argv[argv.index("missing.md")] = str(tmp_path / "missing.md")
    code, out, err = run(*argv)
    assert code == 2 and not out
    assert err.startswith("rekindle: error: ") and err.count("\n") == 1 and message in err, err
    assert file_digest(journal) == before


def test_two_clients_sessions_stay_in_their_own_exports(run, add, practice_dir, tmp_path):
    a, b = add("Alex"), add("Blair")
    for client, word in ((a, "ALEXWORD"), (b, "BLAIRWORD")):
        notes = tmp_path / f"{client}.md"
        notes.write_text(f"## S\n{word} in the notes\n")
        code, _, err = run("session", "add", "--client", client, "--practice", practice_dir, "--notes-file", notes,
                           "--goal", f"{word} goal=5", "--homework", f"{word} homework")
        assert code == 0, err
    for client, mine, theirs in ((a, "ALEXWORD", "BLAIRWORD"), (b, "BLAIRWORD", "ALEXWORD")):
        code, out, _ = run("export", "--format", "json", "--client", client, "--practice", practice_dir)
        document = json.loads(out)
        assert len(document["sessions"]) == 1 and mine in out and theirs not in out
        code, out, _ = run("session", "list", "--notes", "--client", client, "--practice", practice_dir)
        assert mine in out and theirs not in out


def test_the_practice_api_and_the_cli_agree(run, add, practice_dir):
    client = add("Same")
    assert Practice(practice_dir).get(client).alias == "Same"
