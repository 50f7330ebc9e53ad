"""Correct without losing anything (issue 16 part 1): edit, delete, undo, history and erase in the journal."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.export import export_csv
from rekindle_widgets.journal import MIGRATIONS, SCHEMA_VERSION, Entry, Journal, codec
from rekindle_widgets.journal.frames import entries_frame


def _both(journal: Journal) -> tuple[pd.DataFrame, pd.DataFrame]:
    return journal.entries(), entries_frame(journal.rows(), journal.stage_changes())


def test_an_edit_keeps_the_old_version_and_undo_brings_it_back(journal_path):
    with Journal(journal_path) as j:
        entry = j.add(2, 4, tags=["contact"], note="tapped the wrong mood", at="2026-03-01T20:30:00+01:00")
        assert j.edit_entry(entry, mood=4, note="better than I said", at="2026-02-28T09:00:00+01:00")
        (row,) = j.rows()
        assert row[1:7] == ("2026-02-28T09:00:00+01:00", "2026-02-28", 4, 4, "contact", "better than I said")
        (old,) = j.history(entry)
        assert (old.row["mood"], old.row["note"], old.replaced_by) == (2, "tapped the wrong mood", "edit")
        assert "better than I said" in export_csv(j) and "tapped the wrong mood" not in export_csv(j)
        assert str(j.undo()) == f"edit of entry {entry}"
        assert j.rows()[0][3:7] == (2, 4, "contact", "tapped the wrong mood")
        assert j.history(entry) == []


def test_readiness_can_be_cleared_and_a_same_value_edit_records_nothing(journal_path):
    with Journal(journal_path) as j:
        entry = j.add(3, 7)
        assert not j.edit_entry(entry, mood=3)
        assert j.edit_entry(entry, readiness=None)
        assert j.rows()[0][4] is None
        assert len(j.history(entry)) == 1


def test_bad_values_and_unknown_ids_change_nothing(journal_path):
    with Journal(journal_path) as j:
        entry = j.add(3, note="keep me")
        before = j.rows()
        for bad in [dict(mood=9), dict(readiness=11), dict(at="yesterday-ish"), dict(tags=["a" * 500])]:
            with pytest.raises(RekindleError):
                j.edit_entry(entry, **bad)
        with pytest.raises(RekindleError, match="there is no entry 999"):
            j.edit_entry(999, mood=2)
        with pytest.raises(RekindleError, match="there is no entry 999"):
            j.delete_entry(999)
        with pytest.raises(RekindleError, match="whole number"):
            j.delete_entry("abc")
        assert j.rows() == before and j.history(entry) == []
        assert str(j.last_change()) == f"adding entry {entry}"


def test_a_deleted_entry_leaves_every_view_and_undo_restores_it(journal_path):
    with Journal(journal_path) as j:
        keep = j.add(4, note="stays")
        gone = j.add(1, note="mistake")
        j.delete_entry(gone)
        assert [r[0] for r in j.rows()] == [keep] and j.count() == 1
        assert "mistake" not in export_csv(j) and "mistake" not in j.entries()["note"].tolist()
        assert j.history(gone)[0].replaced_by == "delete"
        # the deleted entry's id is not given to a new one: its history stays its own
        new = j.add(5, note="a new one")
        assert new > gone
        assert j.undo().kind == "add" and j.undo().kind == "delete"
        assert [r[6] for r in j.rows()] == ["stays", "mistake"]


def test_undo_takes_back_a_whole_import_and_can_be_repeated(journal_path):
    with Journal(journal_path) as j:
        mine = j.add(3, note="mine", at="2026-01-01T08:00:00+00:00")
        start = datetime(2026, 1, 2, tzinfo=UTC)
        wrong = [Entry.make(mood=1 + i % 5, note=f"wrong file {i}", at=start + timedelta(hours=i)) for i in range(50)]
        result = j.add_entries(wrong, source="wrong.csv")
        assert result.added == 50 and j.count() == 51
        change = j.undo()
        assert change.kind == "import" and "wrong.csv" in str(change) and "50 entries" in str(change)
        assert [r[0] for r in j.rows()] == [mine]
        j.undo()
        assert j.count() == 0
        with pytest.raises(RekindleError, match="nothing to undo"):
            j.undo()


def test_stage_changes_responses_and_sessions_are_edited_deleted_and_undone(journal_path):
    with Journal(journal_path) as j:
        change = j.set_stage(2, "2026-01-05", "started thinking")
        assert j.edit_stage(change.id, stage=3, note="actually stage 3")
        assert [(c.stage, c.note) for c in j.stage_changes()] == [(3, "actually stage 3")]
        j.delete_stage(change.id)
        assert j.stage_changes() == [] and j.current_stage() is None
        j.undo()
        j.undo()
        assert [(c.stage, c.note) for c in j.stage_changes()] == [(2, "started thinking")]

        response = j.add_response("who5", [3, 3, 3, 3, 3], total=60, band="good", at="2026-01-06T10:00:00+00:00")
        assert j.edit_response(response, answers=[1, 1, 1, 1, 1], total=20, band="low")
        assert j.responses()["total"].tolist() == [20.0]
        j.delete_response(response)
        assert j.responses().empty
        j.undo()
        j.undo()
        assert j.responses()["answers"].tolist() == [[3, 3, 3, 3, 3]]

        session = j.add_session(day="2026-01-07", notes={"subjective": "first"}, goals={"sleep": 3})
        assert j.edit_session(session, notes={"subjective": "corrected"}, goals={"sleep": 5, "walk": 1},
                              minutes=50)
        (s,) = j.sessions()
        assert (s.notes["subjective"], s.minutes, [tuple(g) for g in s.goals]) == \
            ("corrected", 50, [("sleep", 5), ("walk", 1)])
        with pytest.raises(RekindleError):
            j.edit_session(session, minutes=9999)
        j.delete_session(session)
        assert j.sessions() == [] and j.goal_progress().empty
        j.undo()
        j.undo()
        (s,) = j.sessions()
        assert (s.notes["subjective"], [tuple(g) for g in s.goals]) == ("first", [("sleep", 3)])


def test_erase_removes_deleted_text_from_the_file_for_good(journal_path):
    secret = "my-erased-secret-4417"
    with Journal(journal_path) as j:
        j.add_entries([Entry.make(mood=3, note=f"filler {i}", at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=i))
                       for i in range(3000)])  # several packed blocks and pages
        entry = j.add(2, note=secret)
        edited = j.add(4, note=f"first draft {secret}")
        j.edit_entry(edited, note="the final words")
        j.delete_entry(entry)
        j.add(5, note="a throwaway entry")
    files = lambda: b"".join(p.read_bytes() for p in journal_path.parent.glob("journal.sqlite*"))
    assert secret.encode() in files()  # kept for undo until the erase
    with Journal(journal_path) as j:
        j.undo()  # takes back the throwaway entry, keeping a safety copy first
    from rekindle_widgets.journal import safety_copies

    assert [c.reason for c in safety_copies(journal_path)] == ["undo"]
    with Journal(journal_path) as j:
        erased = j.erase()
        assert erased.versions == 2
        assert j.count() == 3001 and j.rows()[-1][6] == "the final words"
        assert j.history(entry) == [] and j.last_change() is None
        with pytest.raises(RekindleError, match="nothing to undo"):
            j.undo()
    assert secret.encode() not in files()  # what `strings journal.sqlite | grep` would look for
    from rekindle_widgets.journal import safety_copies

    assert safety_copies(journal_path) == []  # each copy held the erased text too


BLOCK = 4


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(codec, "BLOCK_ROWS", BLOCK)


def test_the_packed_read_follows_edits_deletes_and_undos(journal_path, small_blocks):
    with Journal(journal_path) as j:
        start = datetime(2026, 1, 1, tzinfo=UTC)
        j.add_entries([Entry.make(mood=1 + i % 5, note=f"n{i}", at=start + timedelta(hours=i)) for i in range(20)])
        blocks = lambda: j._conn.execute("SELECT count(*) FROM entry_blocks").fetchone()[0]
        assert blocks() == 5
        j.edit_entry(3, mood=5, note="edited in a packed block", at=start + timedelta(days=30))
        j.delete_entry(10)
        fast, plain = _both(j)
        pd.testing.assert_frame_equal(fast, plain)
        assert "edited in a packed block" in fast["note"].tolist() and 10 not in fast["id"].tolist()
        j.undo()
        j.undo()
        pd.testing.assert_frame_equal(*_both(j))
        assert j.entries()["note"].tolist() == [f"n{i}" for i in range(20)]


# --------------------------------------------------------------------------
# The model test: any sequence of changes leaves the journal where a simple model says
# --------------------------------------------------------------------------

EXAMPLES = 100

_moods = st.integers(1, 5)
_notes = st.sampled_from(["", "ok", "a, b; c", "line\nbreak", "ünï ✓", "$x$ <b>"])
_ops = st.lists(st.one_of(
    st.tuples(st.just("add"), _moods, _notes, st.integers(0, 400)),
    st.tuples(st.just("edit"), st.integers(0, 50), _moods, _notes),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 400)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("import"), st.integers(1, 9), st.integers(0, 400)),
    st.tuples(st.just("undo")),
), max_size=25)

_START = datetime(2026, 1, 1, tzinfo=UTC)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_ops)
def test_any_sequence_of_changes_matches_a_simple_model(tmp_path_factory, ops, monkeypatch):
    monkeypatch.setattr(codec, "BLOCK_ROWS", BLOCK)
    path = tmp_path_factory.mktemp("model") / "journal.sqlite"
    model: dict[int, tuple[str, int, str]] = {}  # id -> (ts, mood, note)
    gone: set[int] = set()  # ids of deleted entries, whose history the journal keeps
    past: list[tuple[dict[int, tuple[str, int, str]], set[int]]] = []  # the model before each change
    serial = 0
    with Journal(path) as j:
        for op in ops:
            kind = op[0]
            if kind == "add":
                serial += 1
                at = _START + timedelta(hours=op[3], seconds=serial)  # unique: never a duplicate
                before = (dict(model), set(gone))
                new = j.add(op[1], note=op[2], at=at)
                assert new not in model and new not in gone  # a deleted entry's id is never reused
                past.append(before)
                model[new] = (at.isoformat(), op[1], op[2])
            elif kind in ("edit", "move", "delete") and model:
                target = sorted(model)[op[1] % len(model)]
                ts, mood, note = model[target]
                if kind == "edit":
                    changed = j.edit_entry(target, mood=op[2], note=op[3])
                    after = (ts, op[2], op[3])
                elif kind == "move":
                    at = _START + timedelta(hours=op[2], seconds=1)
                    changed = j.edit_entry(target, at=at)
                    after = (at.isoformat(), mood, note)
                else:
                    j.delete_entry(target)
                    changed, after = True, None
                assert changed == (after != model[target])
                if changed:
                    past.append((dict(model), set(gone)))
                    if after is None:
                        del model[target]
                        gone.add(target)
                    else:
                        model[target] = after
            elif kind == "import":
                batch = []
                for i in range(op[1]):
                    serial += 1
                    batch.append(Entry.make(mood=1 + i % 5, note=f"imported {serial}",
                                            at=_START + timedelta(hours=op[2] + i, seconds=serial)))
                before = (dict(model), set(gone))
                known = set(model)
                j.add_entries(batch, source="file.csv")
                past.append(before)
                for row in j.rows():
                    if row[0] not in known:
                        assert row[0] not in gone
                        model[row[0]] = (row[1], row[3], row[6])
            elif kind == "undo":
                if past:
                    j.undo()
                    model, gone = past.pop()
                else:
                    with pytest.raises(RekindleError):
                        j.undo()
            rows = j.rows()
            assert {r[0]: (r[1], r[3], r[6]) for r in rows} == model
            fast, plain = _both(j)
            if len(plain):
                pd.testing.assert_frame_equal(fast, plain)
            else:
                assert fast.empty
            assert j.count() == len(model)
            assert all(j.history(i)[-1].replaced_by == "delete" for i in gone)


def test_changes_are_one_transaction_each(journal_path):
    """A failed write in the middle of an edit leaves neither the new version nor a stray history row."""
    with Journal(journal_path) as j:
        entry = j.add(3, note="original")
    conn = sqlite3.connect(journal_path)
    conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON versions BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    conn.commit()
    conn.close()
    with Journal(journal_path) as j:
        with pytest.raises(RekindleError, match="disk full"):
            j.edit_entry(entry, note="changed")
        assert j.rows()[0][6] == "original" and j.history(entry) == []


def test_a_schema_3_journal_upgrades_with_a_backup_and_its_old_rows_can_be_corrected(journal_path):
    with Journal(journal_path) as j:
        entry = j.add(3, note="written before schema 4", at="2026-01-01T10:00:00+00:00")
    conn = sqlite3.connect(journal_path, isolation_level=None)
    for version in range(SCHEMA_VERSION, 3, -1):  # every table schema 4 and later made, newest first
        for table in reversed(re.findall(r"CREATE TABLE (\w+)", MIGRATIONS[version])):
            conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    with Journal(journal_path) as j:
        assert j.version == SCHEMA_VERSION and j.last_change() is None  # nothing recorded before the upgrade to undo
        assert j.edit_entry(entry, note="corrected after it")
        assert j.history(entry)[0].row["note"] == "written before schema 4"
        j.undo()
        assert j.rows()[0][6] == "written before schema 4"
    from rekindle_widgets.journal import safety_copies

    assert [c.reason for c in safety_copies(journal_path)] == ["undo", "migration"]  # newest first
    assert not journal_path.with_name("journal.sqlite.v3.bak").exists()


def test_erase_leaves_no_byte_of_an_erased_note_in_any_file_of_the_data_folder(journal_path):
    """After an upgrade (an earlier version's .bak beside the journal), an import and an undo: a deleted note
    is in no file under $REKINDLE_HOME, nor beside the journal, once erased."""
    from rekindle_widgets.io.importers import import_bytes
    from rekindle_widgets.paths import home

    marker = "MARKER-erase-9c1d"
    with Journal(journal_path) as j:
        entry = j.add(2, note=marker)
        j.backup(journal_path.with_name("journal.sqlite.v3.bak"))  # what an earlier upgrade left
        import_bytes(j, b"timestamp,mood,readiness,stage,tags,note,source\n2026-01-02T10:00:00+00:00,3,,,,,\n", "more.csv")
        j.delete_entry(entry)
        j.erase()
    holding = [p for root in (home(), journal_path.parent) for p in Path(root).rglob("*")
               if p.is_file() and marker.encode() in p.read_bytes()]
    assert holding == []
