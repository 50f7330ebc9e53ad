"""The registry of record kinds (journal/tables.py): one declaration that every list of kinds is derived from."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

from rekindle_widgets.io.backup import restore
from rekindle_widgets.io.export import WRITERS, export_json
from rekindle_widgets.io.importers import import_bytes
from rekindle_widgets.io.importers.native import READERS
from rekindle_widgets.journal import Journal, Plan, safety_copies
from rekindle_widgets.journal.store import Change
from rekindle_widgets.journal.tables import KINDS, all_tables, content_tables, logged_tables, undo_order
from rekindle_widgets.model.plans import due


def unregistered(path) -> set[str]:
    """Tables in the file at ``path`` that the registry does not declare (SQLite's own excepted)."""
    conn = sqlite3.connect(path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    return {n for n in names if not n.startswith("sqlite_")} - all_tables()


def test_the_registry_declares_every_table_of_a_new_journal_and_nothing_more(journal_path):
    with Journal(journal_path) as j:
        j.add(3)
    conn = sqlite3.connect(journal_path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert unregistered(journal_path) == set()
    assert all_tables() == names  # and no registered table is missing from the schema


def test_a_table_nobody_registered_is_found(journal_path):
    with Journal(journal_path) as j:
        j.add(3)
    conn = sqlite3.connect(journal_path)
    conn.execute("CREATE TABLE partner_answers (id INTEGER PRIMARY KEY, text TEXT)")
    conn.commit()
    conn.close()
    assert unregistered(journal_path) == {"partner_answers"}


def test_every_kind_has_an_adder_a_json_writer_and_a_json_reader():
    assert all(callable(getattr(Journal, k.adder)) for k in KINDS if k.adder)
    assert [k.name for k in KINDS if not k.adder] == ["entries"]  # add_entries adds those itself
    exported = {k.name for k in KINDS if k.exported}
    assert set(WRITERS) == exported and set(READERS) == exported


def test_undo_names_every_logged_kind_in_words():
    for table in logged_tables():
        text = str(Change(1, "add", table, 7, {}, "2026-01-01T00:00:00+00:00"))
        assert text.startswith("adding ") and text.endswith(" 7") and "_" not in text, text


def test_an_import_is_undone_in_the_opposite_order_to_how_it_was_added():
    order = undo_order(reversed(logged_tables()))
    assert order.index("checkin_marks" if "checkin_marks" in order else "checkins") < order.index("agreements")
    assert order[-1] == "entries"


def test_a_kind_counted_by_is_empty_makes_a_journal_not_empty(journal_path):
    assert "plan_plans" in content_tables()  # it was left out by hand once, and a plan was lost on restore
    with Journal(journal_path) as j:
        assert j.is_empty()
        j.add_plan(Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["phq9"], every_days=7,
                             start=date.today() - timedelta(days=1), role="received"))
        assert not j.is_empty()


def test_restoring_a_backup_into_a_journal_holding_only_a_received_plan_merges_and_keeps_the_plan(tmp_path):
    mine = tmp_path / "mine.sqlite"
    plan = Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["phq9"], every_days=7,
                     start=date.today() - timedelta(days=1), role="received")
    with Journal(mine) as j:
        j.add_plan(plan)
        assert [d.instrument for d in due(j) if d.pending] == ["phq9"]
    other = tmp_path / "other.sqlite"
    with Journal(other) as o:
        o.add(4, note="from my laptop", at="2026-11-30T09:00:00+00:00")
        o.backup_to(tmp_path / "backup.sqlite")
    done = restore(mine, (tmp_path / "backup.sqlite").read_bytes(), "backup.sqlite")
    assert done.mode == "merged"
    with Journal(mine) as j:
        assert [p.plan for p in j.plans()] == ["p-abcdefghij"]
        assert [d.instrument for d in due(j) if d.pending] == ["phq9"]  # still due afterwards
        assert list(j.entries()["note"]) == ["from my laptop"]
    assert len(safety_copies(mine)) == 1  # and the journal as it was is kept


@pytest.mark.parametrize("kind", [k.name for k in KINDS if k.exported])
def test_each_kind_goes_out_in_the_json_export_and_comes_back(kind, tmp_path):
    """The demo holds some of every kind but plans and trackers; those are added. Each kind's list survives
    the trip."""
    from rekindle_widgets.io.demo import write_demo

    source = tmp_path / "source.sqlite"
    with Journal(source) as j:
        write_demo(j)
        j.add_plan(Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["phq9"], every_days=7,
                             start=date(2026, 11, 2)))
        j.add_response("phq9", [1] * 9 + [None], total=9.0, band="mild", at="2026-11-03T10:00:00+00:00")
        j.add_session(day="2026-11-04", template="soap", notes={"subjective": "ok"}, goals=[("sleep", 5)])
        j.add_idea("fresh", "cook something new")
        j.mark_tried("cook something new", day="2026-11-05")
        j.track("sleep", "7.5", at="2026-11-05T08:00:00+00:00")
        j.track("worked out", "yes", at="2026-11-05T19:00:00+01:00")
        text = export_json(j)
    document = json.loads(text)
    assert document[kind], f"the test's journal holds no {kind}"
    with Journal(tmp_path / "copy.sqlite") as copy:
        result = import_bytes(copy, text.encode(), "journal.json")
        assert result.count(kind) == len(document[kind]) or kind == "stages"
        assert json.loads(export_json(copy))[kind] == document[kind]


def test_the_report_shows_every_chart_kind_the_chart_registry_marks_for_it(journal_path):
    from rekindle_widgets.charts.kinds import REGISTRY
    from rekindle_widgets.io.demo import write_demo
    from rekindle_widgets.report import build_report
    from rekindle_widgets.report.model import Chart

    with Journal(journal_path) as j:
        write_demo(j)
        j.add_response("phq9", [1] * 9 + [None], total=9.0, band="mild", at="2026-11-03T10:00:00+00:00")
        report = build_report(j)
    shown = [b.title for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert shown == [k.heading for k in REGISTRY.values() if k.in_report]
    assert "Goals" not in shown  # the session report draws goals, with the sessions


def test_the_plan_id_an_error_gives_as_an_example_is_itself_a_plan_id():
    from rekindle_widgets.errors import RekindleError
    from rekindle_widgets.journal.plans import PLAN_ID_EXAMPLE, check_plan_id

    assert check_plan_id(PLAN_ID_EXAMPLE) == PLAN_ID_EXAMPLE
    with pytest.raises(RekindleError, match=f"look like {PLAN_ID_EXAMPLE}$"):
        check_plan_id("p-k3m9qa2xyz")  # a 9 is not base32


def test_each_importer_declares_its_own_formats_and_the_lists_come_from_them():
    from rekindle_widgets.io import importers
    from rekindle_widgets.io.importers.base import Format

    declared = [f for module in importers.IMPORTERS for f in module.FORMATS]
    assert all(isinstance(f, Format) for f in declared)
    assert list(importers.FORMATS) == [f.name for f in declared]  # auto tries them in the modules' order
    assert importers.LABELS == {f.name: f.label for f in declared}
    assert importers.USES == {f.name: f.uses for f in declared}
    assert list(importers.FORMATS)[-1] == "csv"  # the catch-all comes last


def test_the_preview_gives_the_same_account_the_import_then_gives(tmp_path):
    """One account of a file: what the dry run says is what the import does (new, already there, not entries)."""
    from rekindle_widgets.io.importers import import_parsed, parse_bytes, preview

    daylio = (b"full_date,date,weekday,time,mood,activities,note_title,note\n"
              b"2026-11-03,November 3,Tuesday,20:00,good,walk,,\n"
              b"2026-11-02,November 2,Monday,09:00,meh,,,\n"
              b"2026-11-02,November 2,Monday,09:00,meh,,,\n")
    with Journal(tmp_path / "j.sqlite") as j:
        j.add(4, note="", tags=["walk"], at="2026-11-03T20:00:00+00:00", source="import:daylio")
        fmt, parsed = parse_bytes(daylio, "daylio.csv")
        shown = preview(parsed, fmt, "daylio.csv", j).account
        done = import_parsed(j, fmt, parsed).account
    assert (shown.read, shown.added, shown.already, shown.not_entries) == \
        (done.read, done.added, done.already, done.not_entries)
