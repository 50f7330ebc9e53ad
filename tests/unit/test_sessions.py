"""Therapy sessions in the journal (schema 2), their notes files, and the upgrade from schema 1."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import date, timedelta

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.export import export_json
from rekindle_widgets.io.importers import import_bytes
from rekindle_widgets.journal import MIGRATIONS, SCHEMA_VERSION, Goal, Journal, Session, _statements
from rekindle_widgets.model.sessions import format_notes, parse_goal, parse_notes, read_notes

from ..conftest import file_digest

SOAP = {"subjective": "Slept badly after the call.\nWants to stop checking their page.",
        "objective": "Calm, on time.", "assessment": "Stage 2 work is holding.",
        "plan": "Try the 24-hour pause."}


def _session(journal: Journal, **fields) -> int:
    values = dict(day="2026-03-04", minutes=50, stage=3, instruments=["who5", "phq9"], template="soap",
                  notes=SOAP, homework="Walk daily.", goals={"sleep before midnight": 6, "call sister": 4})
    values.update(fields)
    return journal.add_session(**values)


def test_a_session_round_trips_through_the_journal(journal_path):
    with Journal(journal_path) as j:
        session_id = _session(j)
        (s,) = j.sessions()
    assert s.id == session_id
    assert (s.day, s.minutes, s.stage, s.template) == (date(2026, 3, 4), 50, 3, "soap")
    assert s.instruments == ("who5", "phq9")
    assert dict(s.notes) == SOAP and list(s.notes) == ["subjective", "objective", "assessment", "plan"]
    assert s.homework == "Walk daily."
    assert s.goals == (Goal("sleep before midnight", 6), Goal("call sister", 4))


def test_dap_notes_and_optional_fields(journal_path):
    with Journal(journal_path) as j:
        j.add_session(day="2026-03-05", template="DAP", notes={"Data": "  talked  ", "plan": ""})
        (s,) = j.sessions()
    assert s.template == "dap" and dict(s.notes) == {"data": "talked", "assessment": "", "plan": ""}
    assert (s.minutes, s.stage, s.instruments, s.homework, s.goals) == (None, None, (), "", ())


def test_the_same_session_saved_twice_is_stored_once(journal_path):
    with Journal(journal_path) as j:
        first, again = _session(j), _session(j)
        other = _session(j, minutes=55)
        assert first == again != other
        assert len(j.sessions()) == 2


def test_sessions_are_filtered_by_inclusive_dates_and_ordered(journal_path):
    with Journal(journal_path) as j:
        for day in ("2026-03-10", "2026-03-01", "2026-03-05"):
            _session(j, day=day)
        assert [s.day.isoformat() for s in j.sessions()] == ["2026-03-01", "2026-03-05", "2026-03-10"]
        assert [s.day.day for s in j.sessions(since="2026-03-05")] == [5, 10]
        assert [s.day.day for s in j.sessions(until="2026-03-05")] == [1, 5]
        assert [s.day.day for s in j.sessions("2026-03-02", "2026-03-09")] == [5]


def test_goal_progress_follows_a_goal_across_sessions(journal_path):
    with Journal(journal_path) as j:
        _session(j, day="2026-03-01", goals={"sleep before midnight": 3})
        _session(j, day="2026-03-08", goals={"sleep before midnight": 5, "call sister": 2})
        frame = j.goal_progress()
    assert list(frame.columns) == ["session_id", "date", "goal", "rating"]
    sleep = frame[frame.goal == "sleep before midnight"]
    assert list(sleep.rating) == [3, 5]
    assert [d.date().isoformat() for d in sleep.date] == ["2026-03-01", "2026-03-08"]
    assert str(frame.rating.dtype) == "int64"


TOMORROW_PLUS = (date.today() + timedelta(days=3)).isoformat()


@pytest.mark.parametrize("fields, message", [
    ({"minutes": -5}, "minutes must be a whole number from 1 to 600, not -5"),
    ({"minutes": "0"}, "minutes must be a whole number from 1 to 600"),
    ({"minutes": "fifty"}, "minutes must be a whole number"),
    ({"goals": {"sleep": 11}}, "rating of goal 'sleep' must be a whole number from 0 to 10, not 11"),
    ({"goals": {"sleep": -1}}, "from 0 to 10"),
    ({"goals": {"  ": 3}}, "a goal is empty"),
    ({"goals": [("sleep", 3), ("Sleep", 4)]}, "given twice"),
    ({"goals": {"x" * 201: 3}}, "longer than 200 characters"),
    ({"template": "birp"}, "template must be soap or dap, not 'birp'"),
    ({"notes": {"data": "x"}}, "notes section 'data' is not part of the SOAP template"),
    ({"notes": {"plan": "a\x00b"}}, "contains a NUL character"),
    ({"day": "last tuesday"}, "session date 'last tuesday' is not a date"),
    ({"day": "2026-02-30"}, "is not a date"),
    ({"day": TOMORROW_PLUS}, "is in the future"),
    ({"stage": 8}, "stage must be a whole number from 1 to 7"),
    ({"instruments": ["../who5"]}, "is not an instrument id"),
    ({"homework": "x" * 10_001}, "homework is 10,001 characters long"),
])
def test_bad_session_input_is_refused_and_writes_nothing(journal_path, fields, message):
    with Journal(journal_path) as j:
        _session(j, day="2026-01-01")
    before = file_digest(journal_path)
    with Journal(journal_path) as j, pytest.raises(RekindleError, match=message.replace("(", r"\(")) as info:
        _session(j, **fields)
    assert "\n" not in str(info.value)
    assert file_digest(journal_path) == before


# --------------------------------------------------------------------------
# The notes file
# --------------------------------------------------------------------------


def test_notes_headings_by_name_or_initial_in_any_case():
    text = "\ufeff## Subjective\nSlept badly; #3 on the list.\n\n# o:\nCalm\n### PLAN\nPause first.\n"
    assert parse_notes(text, "soap") == {"subjective": "Slept badly; #3 on the list.", "objective": "Calm",
                                         "assessment": "", "plan": "Pause first."}
    assert parse_notes("## D\nx\n## A\ny\n## P\nz", "dap") == {"data": "x", "assessment": "y", "plan": "z"}


@pytest.mark.parametrize("text, template, message", [
    ("## Subjective\nok\n## Homework\nwalk", "soap",
     r"notes line 3: unknown heading '## Homework' for the SOAP template; use '## Subjective'"),
    ("## Data\nx", "soap", "line 1: unknown heading '## Data'"),
    ("## Subjective\nx", "dap", "line 1: unknown heading '## Subjective' for the DAP template"),
    ("Some words first\n## Plan\nx", "soap", "line 1: text before the first heading"),
    ("## Plan\nx\n## P\ny", "soap", "line 3: section 'plan' appears twice"),
    ("just text", "soap", "line 1: text before the first heading"),
    ("\n\n", "soap", "has no section headings"),
])
def test_notes_mistakes_name_the_line(text, template, message):
    with pytest.raises(RekindleError, match=message) as info:
        parse_notes(text, template)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("template, notes", [
    ("soap", SOAP),
    ("dap", {"data": "a\n\nline with #x and a '## ' inside", "assessment": "", "plan": "p"}),
])
def test_format_notes_reads_back_to_the_same_sections(template, notes):
    text = format_notes(notes, template)
    assert text.startswith(f"## {next(iter(notes)).capitalize()}\n")
    assert parse_notes(text, template) == Session.make(template=template, notes=notes).notes


def test_read_notes_checks_the_file(tmp_path):
    good = tmp_path / "notes.md"
    good.write_text("## S\nhello\n", encoding="utf-8")
    assert read_notes(good, "soap")["subjective"] == "hello"
    latin = tmp_path / "latin1.md"
    latin.write_bytes("## S\nok\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(RekindleError, match="line 3 is not UTF-8 text"):
        read_notes(latin, "soap")
    with pytest.raises(RekindleError, match="does not exist"):
        read_notes(tmp_path / "missing.md", "soap")
    with pytest.raises(RekindleError, match="is a folder"):
        read_notes(tmp_path, "soap")


def test_goal_specs_split_at_the_last_equals_sign():
    assert parse_goal("say no = mean it=7") == ("say no = mean it", "7")
    with pytest.raises(RekindleError, match='write it as "TEXT=RATING"'):
        parse_goal("sleep better")
    with pytest.raises(RekindleError, match="needs a rating"):
        parse_goal("=5")


# --------------------------------------------------------------------------
# Export and import
# --------------------------------------------------------------------------


def test_json_export_and_import_carry_sessions_losslessly(journal_path, tmp_path):
    with Journal(journal_path) as j:
        j.add(3, note="an entry")
        _session(j, day="2026-03-01")
        _session(j, day="2026-03-08", template="dap", notes={"data": "Ünïcödé <b>&amp;</b>"}, goals={})
        text = export_json(j)
        original = j.sessions()
    document = json.loads(text)
    assert [s["date"] for s in document["sessions"]] == ["2026-03-01", "2026-03-08"]
    assert document["sessions"][0]["goals"] == [{"goal": "sleep before midnight", "rating": 6},
                                                {"goal": "call sister", "rating": 4}]
    fresh = tmp_path / "fresh.sqlite"
    with Journal(fresh) as j:
        result = import_bytes(j, text.encode(), "export.json")
        assert result.count("sessions") == 2 and "added 2 sessions" in str(result)
        assert j.sessions() == original
        assert export_json(j) == text
        again = import_bytes(j, text.encode(), "export.json")
        assert again.count("sessions") == 0 and len(j.sessions()) == 2


def test_export_range_applies_to_sessions(journal_path):
    with Journal(journal_path) as j:
        _session(j, day="2026-03-01")
        _session(j, day="2026-04-01")
        document = json.loads(export_json(j, since="2026-03-15"))
    assert [s["date"] for s in document["sessions"]] == ["2026-04-01"]


def test_a_bad_session_in_an_import_file_refuses_the_whole_file(journal_path):
    document = {"format": "rekindle-journal", "version": 1,
                "entries": [{"timestamp": "2026-03-01T10:00:00+00:00", "mood": 3, "tags": []}],
                "sessions": [{"date": "2026-03-01", "goals": [{"goal": "sleep", "rating": 11}]}]}
    with Journal(journal_path) as j:
        j.add(4)
    before = file_digest(journal_path)
    with Journal(journal_path) as j, pytest.raises(RekindleError, match=r"sessions\[0\]: .*from 0 to 10"):
        import_bytes(j, json.dumps(document).encode(), "bad.json")
    assert file_digest(journal_path) == before


# --------------------------------------------------------------------------
# Upgrade safety: a journal written by schema 1
# --------------------------------------------------------------------------


def _version_1_journal(path) -> list[tuple]:
    """A journal as schema 1 wrote it (its tables only, user_version 1) with entries, a stage, a response."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN")
    for statement in _statements(MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    for m in (1, 2, 3, 4, 5):
        conn.execute(
            "INSERT INTO entries (ts, ts_utc, day, mood, readiness, tags, note, source, fingerprint, created_utc)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (f"2026-02-0{m}T20:00:00+01:00", f"2026-02-0{m}T19:00:00+00:00", f"2026-02-0{m}", m, m + 2,
             "contact|walk", f"note {m}", "manual", f"fp{m}", "2026-02-10T00:00:00+00:00"))
    conn.execute("INSERT INTO stage_changes (stage, since, note, created_utc) VALUES (2, '2026-02-01', '', 'x')")
    conn.execute("INSERT INTO responses (instrument, ts, ts_utc, answers, total, created_utc)"
                 " VALUES ('who5', '2026-02-02T10:00:00+00:00', '2026-02-02T10:00:00+00:00', '[3,3,3,3,3]', 15, 'x')")
    conn.execute("COMMIT")
    rows = conn.execute("SELECT * FROM entries ORDER BY id").fetchall()
    conn.close()
    path.chmod(0o600)
    assert len(rows) == 5
    return rows


def test_a_schema_1_journal_opens_upgraded_with_every_entry_and_a_private_backup(journal_path):
    rows = _version_1_journal(journal_path)
    before = file_digest(journal_path)
    with Journal(journal_path) as j:
        assert j.version == SCHEMA_VERSION == 7
        outside = sqlite3.connect(journal_path)
        try:
            assert outside.execute("SELECT * FROM entries ORDER BY id").fetchall() == rows
        finally:
            outside.close()
        assert [c.stage for c in j.stage_changes()] == [2] and len(j.responses()) == 1
        assert j.sessions() == []
        _session(j)
        assert len(j.sessions()) == 1
    from rekindle_widgets.journal import safety_copies

    (copy,) = safety_copies(journal_path)  # the upgrade kept the old file as a safety copy, not beside it
    backup = copy.path
    assert copy.reason == "migration" and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not journal_path.with_name("journal.sqlite.v1.bak").exists()
    assert file_digest(backup) == before
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_a_failed_upgrade_leaves_the_schema_1_journal_as_it_was(journal_path, monkeypatch):
    _version_1_journal(journal_path)
    before = file_digest(journal_path)
    # the real step, then a statement that fails: the tables made before it must vanish too
    monkeypatch.setitem(MIGRATIONS, 2, MIGRATIONS[2] + "\nCREATE TABLE broken (;\n")
    with pytest.raises(RekindleError, match="journal .*journal.sqlite") as info:
        Journal(journal_path)
    assert "\n" not in str(info.value)
    assert file_digest(journal_path) == before
    with sqlite3.connect(journal_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "sessions" not in tables and "session_goals" not in tables and "entries" in tables
    monkeypatch.undo()
    with Journal(journal_path) as j:  # the real upgrade still works afterwards
        assert j.version == SCHEMA_VERSION and j.count() == 5
