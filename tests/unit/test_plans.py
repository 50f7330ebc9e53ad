"""Questionnaires between sessions: a plan sent, opened in the client's own journal, answered, sent back and
imported into the right client without duplicates; what is due at the date edges; alerts; client separation."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io import plan_files
from rekindle_widgets.journal import Journal, Plan
from rekindle_widgets.model import plans, scorer
from rekindle_widgets.model.alerts import alerts
from rekindle_widgets.model.practice import Practice

from ..conftest import file_digest

MONDAY = date(2026, 11, 2)
PASS = "four unrelated words here"


def phq9(total: int, item9: int = 0) -> list[int | None]:
    """PHQ-9 answers that add up to ``total`` (item 9 as given)."""
    rest, answers = total - item9, []
    for _ in range(8):
        answers.append(min(3, rest))
        rest -= answers[-1]
    assert rest == 0, total
    return [*answers, item9, None]  # the tenth question (how difficult) is not scored


def save(journal: Journal, instrument: str, answers: list, day: date, hour: int = 10) -> None:
    scorer.save(journal, scorer.score(instrument, answers), at=f"{day.isoformat()}T{hour:02d}:00:00+00:00")


def status(rows, instrument: str = "phq9") -> tuple[str, date | None, date | None]:
    row = next(r for r in rows if r.instrument == instrument)
    return row.status, row.since, row.next


@pytest.fixture
def practice(tmp_path) -> Practice:
    return Practice(tmp_path / "practice")


# --------------------------------------------------------------------------
# The round trip, through the command line
# --------------------------------------------------------------------------


def test_plan_sent_opened_answered_returned_and_imported_once(run, practice, tmp_path, monkeypatch):
    alder, birch = practice.add("Alder <b>"), practice.add("Birch")
    start = date.today() - timedelta(days=3)
    plan_file = tmp_path / "to-send.json"
    code, out, err = run("plan", "set", "--practice", practice.path, "--client", alder.id, "--instrument", "phq9",
                         "--instrument", "gad7", "--every", "weekly", "--start", start, "-o", plan_file)
    assert code == 0, err
    plan_id = out.strip()
    document = json.loads(plan_file.read_text())
    assert document == {"format": "rekindle-plan", "version": 1, "plan": plan_id, "client": alder.id,
                        "instruments": ["phq9", "gad7"], "every_days": 7, "start": start.isoformat()}
    assert "Alder" not in plan_file.read_text()  # it is emailed: no alias, no notes

    # the client's own Rekindle: another data folder, another journal
    monkeypatch.setenv("REKINDLE_HOME", str(tmp_path / "client-home"))
    mine = tmp_path / "client-home" / "journal.sqlite"
    code, out, err = run("plan", "open", plan_file, "--ics", tmp_path / "plan.ics")
    assert code == 0, err
    assert "overdue  PHQ-9 (overdue since" in out and "GAD-7" in out
    ics = (tmp_path / "plan.ics").read_text()
    assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in ics and "RRULE:FREQ=DAILY;INTERVAL=7" in ics
    assert "PHQ" not in ics and "GAD" not in ics  # lock screens show only a neutral summary
    assert run("plan", "open", plan_file)[0] == 0  # opening twice keeps one plan
    with Journal(mine) as journal:
        assert [p.plan for p in journal.plans()] == [plan_id]
        journal.add(2, note="private: my ex called", at=f"{date.today().isoformat()}T09:00")
        save(journal, "phq9", phq9(12), date.today() - timedelta(days=1))
        save(journal, "phq9", phq9(11), start - timedelta(days=10))  # before the plan: not sent
        save(journal, "who5", [3, 3, 3, 3, 3], date.today() - timedelta(days=1))  # not in the plan: not sent
    code, out, _ = run("plan", "due")
    assert f"done     PHQ-9 (answered {date.today() - timedelta(days=1)}; next due" in out and "overdue  GAD-7" in out

    monkeypatch.setenv("REKINDLE_PASSPHRASE", PASS)
    returned = tmp_path / "return.age"
    code, out, err = run("plan", "return", "-o", returned)
    assert code == 0, err
    assert "wrote 1 questionnaire response " in out
    assert returned.read_bytes().startswith(b"age-encryption.org/v1")
    plain = tmp_path / "return.json"
    assert run("plan", "return", "-o", plain, "--plain")[0] == 0
    assert "my ex called" not in plain.read_text() and "who5" not in plain.read_text()

    # back at the practice
    before_birch = file_digest(birch.journal_path)
    code, out, err = run("plan", "import", returned, "--practice", practice.path, "--client", alder.id)
    assert code == 0, err
    assert "read 1 row: 1 questionnaire response added, 0 already there" in out
    code, out, err = run("plan", "import", plain, "--practice", practice.path, "--client", "Alder <b>")
    assert code == 0, err
    assert "read 1 row: 0 questionnaire responses added, 1 already there" in out
    code, out, err = run("plan", "import", plain, "--practice", practice.path, "--client", birch.id)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"is for another client ({alder.id}" in err and "nothing was imported" in err
    assert file_digest(birch.journal_path) == before_birch
    with alder.open_journal() as journal:
        got = journal.responses()
        assert list(got["instrument"]) == ["phq9"] and list(got["total"]) == [12.0]
        assert journal.count() == 0  # the mood entry stayed with the client
        assert status(plans.due(journal), "phq9")[0] == "done"
    with birch.open_journal() as journal:
        assert journal.responses().empty


def test_a_whole_backup_is_matched_by_its_plan_and_only_the_plan_is_taken(practice, tmp_path):
    from rekindle_widgets.io.backup import backup_bytes

    alder = practice.add("Alder")
    with alder.open_journal() as journal:
        plan = plans.set_plan(journal, alder.id, ["phq9"], "weekly", MONDAY)
    with Journal(tmp_path / "client.sqlite") as mine:
        plan_files.open_plan(mine, plan_files.plan_file_text(plan))
        mine.add(3, note="mine only", at="2026-11-03T08:00")
        save(mine, "phq9", phq9(9), MONDAY + timedelta(days=1))
        save(mine, "phq9", phq9(9), MONDAY - timedelta(days=1))
        save(mine, "gad7", [1] * 7 + [None], MONDAY + timedelta(days=1))
        data = backup_bytes(mine)
    account = plan_files.import_return(practice, alder.id, data, "backup.sqlite")
    assert (account.read, account.added, account.already) == (4, 1, 0)
    assert account.skipped == {"mood entries: a return brings questionnaires only": 1,
                               "dated before the plan started": 1, "not a questionnaire of the plan": 1}
    assert str(account) == ("read 4 rows: 1 questionnaire response added, 0 already there, 1 skipped (mood entries: "
                            "a return brings questionnaires only), 1 skipped (dated before the plan started), "
                            "1 skipped (not a questionnaire of the plan)")
    again = plan_files.import_return(practice, alder.id, data, "backup.sqlite")
    assert (again.added, again.already) == (0, 1)


def test_returns_that_cannot_be_matched_are_refused_and_change_nothing(practice, tmp_path):
    from rekindle_widgets.io.backup import encrypt
    from rekindle_widgets.io.export import export_json

    alder, birch = practice.add("Alder"), practice.add("Birch")
    with alder.open_journal() as journal:
        plan = plans.set_plan(journal, alder.id, ["phq9"], 7, MONDAY)
    with Journal(tmp_path / "client.sqlite") as mine:
        plan_files.open_plan(mine, plan_files.plan_file_text(plan))
        save(mine, "phq9", phq9(5), MONDAY)
        _, text = plan_files.return_document(mine)
        export = export_json(mine)
    digests = {c.id: file_digest(c.journal_path) for c in (alder, birch)}
    forged = json.loads(text)
    forged["client"] = birch.id  # a file claiming to be Birch's, for a plan Birch does not have
    cases = {
        "for another client": (birch.id, text),
        "names another client than": (alder.id, json.dumps(forged)),
        "which is not a plan of client": (birch.id, json.dumps({**forged, "plan": "p-aaaaaaaaaa"})),
        "a plain Rekindle export": (alder.id, export),
        "is not a Rekindle return": (alder.id, '{"format": "something"}'),
        "neither an encrypted file": (alder.id, "\x00\x01 not json"),
    }
    for said, (who, body) in cases.items():
        with pytest.raises(RekindleError, match=said):
            plan_files.import_return(practice, who, body.encode(), "ret.json")
    with pytest.raises(RekindleError, match="passphrase is wrong"):
        plan_files.import_return(practice, alder.id, encrypt(text.encode(), PASS), "ret.age", "wrong words")
    assert {c.id: file_digest(c.journal_path) for c in (alder, birch)} == digests


def test_answers_are_scored_again_on_import_so_a_flag_is_never_lost(practice, tmp_path):
    alder = practice.add("Alder")
    with alder.open_journal() as journal:
        plan = plans.set_plan(journal, alder.id, ["phq9"], 7, MONDAY)
    document = {"format": "rekindle-plan-return", "version": 1, "plan": plan.plan, "client": alder.id,
                "journal": {"format": "rekindle-journal", "version": 1, "responses": [
                    {"instrument": "phq9", "timestamp": "2026-11-03T10:00:00+00:00", "answers": phq9(6, item9=2),
                     "total": 0, "band": "minimal", "flags": [], "context": "self"}]}}
    plan_files.import_return(practice, alder.id, json.dumps(document).encode(), "ret.json")
    with alder.open_journal() as journal:
        row = journal.responses().iloc[0]
        assert row["total"] == 6 and "self-harm" in row["flags"]
        assert alerts(journal, MONDAY + timedelta(days=2))[0].kind == "safety"


# --------------------------------------------------------------------------
# The plan file, checked on open
# --------------------------------------------------------------------------


def _file(**changes) -> str:
    document = {"format": "rekindle-plan", "version": 1, "plan": "p-abcdefghij", "client": "c-abcdef",
                "instruments": ["phq9"], "every_days": 7, "start": "2026-11-02"}
    document.update(changes)
    return json.dumps({k: v for k, v in document.items() if v is not ...})


@pytest.mark.parametrize("text, said", [
    ("not json", "not a Rekindle plan file (not JSON text)"),
    ('["a list"]', "no \"format\": \"rekindle-plan\""),
    (_file(version=3), "written by a newer Rekindle (plan file version 3"),
    (_file(version=2), "not a plan file Rekindle wrote (missing 'questionnaires')"),
    (_file(version="1"), "is not a plan file version"),
    (_file(alias="Alder"), "unexpected 'alias'"),
    (_file(start=...), "missing 'start'"),
    (_file(instruments=["phq9", "danger"]), "'danger' is not one Rekindle offers"),
    (_file(instruments=[]), "at least one questionnaire"),
    (_file(instruments="phq9"), "must be a list"),
    (_file(every_days=0), "repeats every 1 to 92 days"),
    (_file(every_days=True), "repeats every 1 to 92 days"),
    (_file(plan="../../etc"), "is not a plan id"),
    (_file(client="Alder"), "is not a client id"),
    (_file(start="2026-13-01"), "is not a date"),
    (_file(start="yesterday"), "must be a day as YYYY-MM-DD"),
    ('{"format": "rekindle-plan", "version": 1' + " " * 5000 + "}", "a Rekindle plan file is under 4,096"),
    ("{" + " " * 600_000 + "}", "a Rekindle plan file is under 4,096 (and a few KB for each questionnaire"),
])
def test_a_bad_plan_file_is_refused_in_one_line(text, said, run, tmp_path):
    with pytest.raises(RekindleError, match=said.replace("(", r"\(").replace(")", r"\)")):
        plan_files.read_plan_file(text, "plan.json")
    bad = tmp_path / "plan.json"
    bad.write_text(text)
    journal = tmp_path / "mine.sqlite"
    code, out, err = run("plan", "open", bad, "--journal", journal)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("rekindle: error: plan.json")
    assert not journal.exists()  # checked before anything is created


def test_plan_file_round_trip_and_a_changed_file_with_the_same_id_is_refused(tmp_path):
    plan = Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["phq9", "who5"], every_days=None,
                     start="2026-11-02")
    opened = plan_files.read_plan_file(plan_files.plan_file_text(plan))
    assert (opened.plan, opened.instruments, opened.every_days, opened.start, opened.role) == (
        plan.plan, plan.instruments, None, plan.start, "received")
    with Journal(tmp_path / "j.sqlite") as journal:
        plan_files.open_plan(journal, plan_files.plan_file_text(plan))
        with pytest.raises(RekindleError, match="already kept here with other settings"):
            plan_files.open_plan(journal, _file(plan="p-abcdefghij", instruments=["gad7"]))
        with pytest.raises(RekindleError, match="before each session, so it has no dates"):
            plan_files.plan_calendar(journal.plans()[0])


@pytest.mark.parametrize("text, days", [("weekly", 7), ("daily", 1), ("Fortnightly", 14), ("10", 10),
                                        ("every 3 days", 3), (28, 28), ("session", None),
                                        ("before each session", None)])
def test_how_often(text, days):
    assert plans.parse_every(text) == days


@pytest.mark.parametrize("text", ["0", "93", "monthly", "", "every -1 days", True])
def test_how_often_refused(text):
    with pytest.raises(RekindleError, match="is not how often"):
        plans.parse_every(text)


def test_plan_set_bad_input_is_one_line_and_changes_nothing(run, practice, tmp_path):
    alder = practice.add("Alder")
    before = file_digest(alder.journal_path)
    for args, said in [
        (["--instrument", "phq9", "--every", "monthly"], "is not how often"),
        (["--instrument", "nope"], "'nope' is not one Rekindle offers"),
        ([], "name the questionnaires with --instrument"),
        (["--instrument", "phq9", "--start", "soon"], "is not a date"),
        (["--instrument", "phq9", "-o", tmp_path / "no" / "such" / "plan.json"], "give a file name in a folder"),
    ]:
        code, _, err = run("plan", "set", "--practice", practice.path, "--client", alder.id, *args)
        assert code == 2 and err.count("\n") == 1 and said in err, err
    code, _, err = run("plan", "set", "--practice", practice.path, "--instrument", "phq9")
    assert code == 2 and "--client" in err
    assert file_digest(alder.journal_path) == before


def test_a_new_plan_replaces_the_old_one(practice):
    alder = practice.add("Alder")
    with alder.open_journal() as journal:
        first = plans.set_plan(journal, alder.id, ["phq9"], 7, MONDAY)
        second = plans.set_plan(journal, alder.id, ["gad7"], 14, MONDAY + timedelta(days=20))
        kept = journal.plans()
        assert [(p.plan, p.ended) for p in kept] == [(first.plan, second.start), (second.plan, None)]
        assert [r.instrument for r in plans.due(journal, MONDAY + timedelta(days=30))] == ["gad7"]
        journal.end_plan(second.plan, MONDAY + timedelta(days=40))
        assert plans.due(journal, MONDAY + timedelta(days=41)) == []


def test_undo_takes_back_a_plan_step_by_step_and_never_the_session_before_it(practice):
    alder = practice.add("Alder")
    with alder.open_journal() as journal:
        journal.add_session(day=MONDAY, template="soap", notes={"subjective": "first session"})
        first = plans.set_plan(journal, alder.id, ["phq9"], 7, MONDAY)
        second = plans.set_plan(journal, alder.id, ["gad7"], 14, MONDAY + timedelta(days=20))
        journal.end_plan(second.plan, MONDAY + timedelta(days=40))

        def kept():
            return [(p.plan, p.ended) for p in journal.plans()]

        assert str(journal.undo()).startswith("edit of questionnaire plan")  # the end of the second plan
        assert kept() == [(first.plan, second.start), (second.plan, None)]
        assert str(journal.undo()).startswith("adding questionnaire plan")  # the second plan
        assert kept() == [(first.plan, second.start)]
        journal.undo()  # the end of the first plan, which the second replaced
        assert kept() == [(first.plan, None)]
        journal.undo()
        assert kept() == [] and len(journal.sessions()) == 1  # the session before the plans is still there


# --------------------------------------------------------------------------
# What is due, at the date edges
# --------------------------------------------------------------------------


def _weekly(journal: Journal, every: object = 7, start: date = MONDAY) -> Plan:
    return plans.set_plan(journal, "c-abcdef", ["phq9"], every, start)


def test_weekly_plan_edges(journal_path):
    d = MONDAY
    with Journal(journal_path) as journal:
        plan = _weekly(journal)
        frame = journal.responses
        at = lambda day: status(plans.schedule(plan, frame(), day))
        assert at(d - timedelta(days=1)) == ("upcoming", None, d)
        assert at(d) == ("due", d, d + timedelta(days=7))
        assert plans.schedule(plan, frame(), d)[0].text(d) == "PHQ-9 (today)"
        assert at(d + timedelta(days=1)) == ("due", d, d + timedelta(days=7))  # one day's grace
        assert at(d + timedelta(days=2)) == ("overdue", d, d + timedelta(days=7))
        assert plans.schedule(plan, frame(), d + timedelta(days=2))[0].text(d) == "PHQ-9 (overdue since 2026-11-02)"
        save(journal, "phq9", phq9(8), d + timedelta(days=3))  # late, but it catches up
        assert at(d + timedelta(days=3)) == ("done", None, d + timedelta(days=7))
        assert at(d + timedelta(days=6)) == ("done", None, d + timedelta(days=7))
        assert at(d + timedelta(days=7)) == ("due", d + timedelta(days=7), d + timedelta(days=14))
        assert at(d + timedelta(days=9)) == ("overdue", d + timedelta(days=7), d + timedelta(days=14))
        assert at(d + timedelta(days=15)) == ("overdue", d + timedelta(days=7), d + timedelta(days=21))
        save(journal, "phq9", phq9(8), d + timedelta(days=14))
        assert at(d + timedelta(days=14)) == ("done", None, d + timedelta(days=21))
        # an answer before the start counts for nothing
        save(journal, "phq9", phq9(8), d - timedelta(days=1))
        assert plans.schedule(plan, frame(), d)[0].last is None


def test_daily_plan_has_no_grace_and_a_missed_day_is_overdue(journal_path):
    with Journal(journal_path) as journal:
        plan = _weekly(journal, "daily")
        assert status(plans.schedule(plan, journal.responses(), MONDAY))[0] == "due"
        assert status(plans.schedule(plan, journal.responses(), MONDAY + timedelta(days=1))) == (
            "overdue", MONDAY, MONDAY + timedelta(days=2))


def test_before_each_session_plan(journal_path):
    from rekindle_widgets.journal import Session

    s1, s2 = MONDAY + timedelta(days=7), MONDAY + timedelta(days=14)
    with Journal(journal_path) as journal:
        plan = _weekly(journal, "session")
        rows = lambda day: plans.schedule(plan, journal.responses(), day, [s.day for s in journal.sessions()])
        assert status(rows(MONDAY)) == ("due", MONDAY, None)
        journal.add_session(Session.make(day=s1))
        assert status(rows(s1)) == ("overdue", s1, None)  # the session came with no answer
        save(journal, "phq9", phq9(4), s1 + timedelta(days=1))
        assert status(rows(s1 + timedelta(days=1)))[0] == "done"
        journal.add_session(Session.make(day=s2))
        assert status(rows(s2 + timedelta(days=1))) == ("due", s2 + timedelta(days=1), None)  # answered for s2
        assert rows(s2 + timedelta(days=2))[0].text(s2) == "PHQ-9 (before the next session)"


def test_new_since_the_last_session(journal_path):
    from rekindle_widgets.journal import Session

    s1, s2 = MONDAY, MONDAY + timedelta(days=7)
    with Journal(journal_path) as journal:
        save(journal, "phq9", phq9(10), s1 - timedelta(days=2))
        assert plans.new_since_last_session(journal, s1)[0] is None  # no session yet: everything is new
        assert len(plans.new_since_last_session(journal, s1)[1]) == 1
        journal.add_session(Session.make(day=s1))
        save(journal, "gad7", [1] * 7 + [None], s1)  # given in that session: not new after it
        save(journal, "phq9", phq9(8), s1 + timedelta(days=1))
        save(journal, "who5", [2] * 5, s2 + timedelta(days=1))  # after the day asked about
        last, rows = plans.new_since_last_session(journal, s2)
        assert last == s1 and [(r.instrument, r.day) for r in rows] == [("phq9", "2026-11-03")]
        assert rows[0].text == "PHQ-9 (low mood): 8 of 27, mild on 2026-11-03"
        journal.add_session(Session.make(day=s2))  # today's session is the one being held
        assert plans.new_since_last_session(journal, s2)[0] == s1
        last, rows = plans.new_since_last_session(journal, s2 + timedelta(days=1))
        assert last == s2 and [(r.instrument, r.day, r.total) for r in rows] == [("who5", "2026-11-10", 10.0)]


# --------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------


def test_alerts_of_each_kind_safety_first(journal_path):
    with Journal(journal_path) as journal:
        assert alerts(journal, MONDAY) == []
        save(journal, "phq9", phq9(5), MONDAY - timedelta(days=20))
        save(journal, "phq9", phq9(10), MONDAY - timedelta(days=10))  # +5: not reliable
        assert alerts(journal, MONDAY) == []
        save(journal, "phq9", phq9(11), MONDAY - timedelta(days=5))  # +6: a reliable deterioration
        found = alerts(journal, MONDAY)
        assert [a.kind for a in found] == ["deterioration"]
        assert found[0].text.startswith("PHQ-9 5 → 11: reliable deterioration") and "not a diagnosis" in found[0].text
        plans.set_plan(journal, "c-abcdef", ["gad7"], 7, MONDAY - timedelta(days=7))
        assert [a.kind for a in alerts(journal, MONDAY - timedelta(days=6))] == ["deterioration"]  # due, not overdue
        save(journal, "phq9", phq9(7, item9=1), MONDAY - timedelta(days=1))  # item 9: the crisis flag
        found = alerts(journal, MONDAY)
        assert [a.kind for a in found] == ["safety", "overdue"]  # 5 → 7: no longer a deterioration
        assert found[0].safety_kinds == ("crisis",) and "2026-11-01" in found[0].text
        assert found[1].text == "GAD-7 is overdue since 2026-10-26; not answered since the plan started."


def test_alerts_go_at_the_top_of_the_report_after_the_safety_notes(practice):
    from rekindle_widgets.report import build_report, build_session_report, render_html

    alder = practice.add("Alder")
    with alder.open_journal() as journal:
        save(journal, "phq9", phq9(4), date.today() - timedelta(days=30))
        save(journal, "phq9", phq9(12, item9=1), date.today() - timedelta(days=2))
        report = build_session_report(journal, client=alder)
        titles = [s.title for s in report.sections]
        assert titles[:3] == ["Safety notes", "Alerts", "Overview"]
        assert "PHQ-9 4 → 12: reliable deterioration" in render_html(report)
        assert [s.title for s in build_report(journal).sections][:2] == ["Safety notes", "Alerts"]


# --------------------------------------------------------------------------
# The client's calendar
# --------------------------------------------------------------------------


def test_plan_calendar_repeats_every_n_days():
    import icalendar

    from rekindle_widgets.io.reminders import to_ics

    plan = Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["phq9"], every_days=14, start=MONDAY)
    cal = icalendar.Calendar.from_ical(to_ics(plan_files.plan_calendar(plan)))
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == MONDAY and str(event["summary"]) == plans.PLAN_DUE
    assert event["rrule"]["FREQ"] == ["DAILY"] and event["rrule"]["INTERVAL"] == [14]
    assert event.walk("VALARM")
    again = icalendar.Calendar.from_ical(to_ics(plan_files.plan_calendar(plan)))
    assert again.walk("VEVENT")[0]["uid"] == event["uid"]  # the same plan twice: one event, updated



def test_importing_again_keeps_no_new_safety_copy(practice, tmp_path):
    from rekindle_widgets.journal import safety_copies

    alder = practice.add("Alder")
    with alder.open_journal() as journal:
        plan = plans.set_plan(journal, alder.id, ["phq9"], 7, MONDAY)
        save(journal, "who5", [3] * 5, MONDAY - timedelta(days=7))  # given in a session: the journal has content
    with Journal(tmp_path / "client.sqlite") as mine:
        plan_files.open_plan(mine, plan_files.plan_file_text(plan))
        save(mine, "phq9", phq9(9), MONDAY)
        _, text = plan_files.return_document(mine)
    plan_files.import_return(practice, alder.id, text.encode(), "ret.json")
    kept = len(safety_copies(alder.journal_path))
    assert kept == 1
    assert plan_files.import_return(practice, alder.id, text.encode(), "ret.json").already == 1
    assert len(safety_copies(alder.journal_path)) == kept


@settings(max_examples=60, deadline=None)
@given(every=st.integers(1, 30), answers=st.lists(st.integers(-5, 80), max_size=6), today=st.integers(-3, 90))
def test_schedule_rules_hold_for_any_answers(every, answers, today):
    """Done exactly when answered on or after the latest due day; otherwise due or overdue since the first due day
    after the last answer, and overdue only past the grace day."""
    import pandas as pd

    plan = Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["phq9"], every_days=every, start=MONDAY)
    days = sorted(MONDAY + timedelta(days=a) for a in answers)
    frame = pd.DataFrame({"instrument": ["phq9"] * len(days), "local_time": [f"{d}T10:00:00+00:00" for d in days]})
    on = MONDAY + timedelta(days=today)
    (row,) = plans.schedule(plan, frame, on)
    if on < MONDAY:
        assert row.status == "upcoming"
        return
    latest = MONDAY + timedelta(days=(on - MONDAY).days // every * every)
    counted = [d for d in days if MONDAY <= d <= on]
    assert (row.status == "done") == any(d >= latest for d in counted)
    if row.status != "done":
        assert row.since is not None and row.since <= on and (row.since - MONDAY).days % every == 0
        assert not any(d >= row.since for d in counted)
        assert (row.status == "overdue") == ((on - row.since).days > min(plans.GRACE_DAYS, every - 1))


def test_cli_plan_list_file_end_calendar_and_mistakes(run, practice, tmp_path):
    alder = practice.add("Alder")
    mine = tmp_path / "mine.sqlite"
    code, _, err = run("plan", "return", "-o", tmp_path / "r.json", "--plain", "--journal", mine)
    assert code == 2 and "there is no journal" in err
    Journal(mine).close()
    code, _, err = run("plan", "return", "-o", tmp_path / "r.json", "--plain", "--journal", mine)
    assert code == 2 and "no plan from a therapist; open the plan file first" in err
    code, _, err = run("plan", "file", "--practice", practice.path, "--client", alder.id, "-o", tmp_path / "p.json")
    assert code == 2 and "has no plan; set one with" in err and not (tmp_path / "p.json").exists()
    code, out, _ = run("plan", "set", "--practice", practice.path, "--client", alder.id, "--instrument", "who5",
                       "--every", "session", "--start", "2026-11-02")
    plan_id = out.strip()
    assert run("plan", "file", "--practice", practice.path, "--client", alder.id, "-o", tmp_path / "p.json")[0] == 0
    code, out, _ = run("plan", "list", "--practice", practice.path, "--client", alder.id)
    assert out == f"{plan_id}  set for {alder.id}  who5  before each session  from 2026-11-02  active\n"
    assert run("plan", "open", tmp_path / "p.json", "--journal", mine)[0] == 0
    code, _, err = run("plan", "calendar", "-o", tmp_path / "p.ics", "--journal", mine)
    assert code == 2 and "before each session, so it has no dates" in err and not (tmp_path / "p.ics").exists()
    code, out, _ = run("plan", "due", "--journal", mine, "--date", "2026-11-03")
    assert out == "due      WHO-5 Well-Being Index (before the next session)\n"
    code, out, _ = run("plan", "end", plan_id, "--journal", mine, "--date", "2026-11-04")
    assert code == 0 and out == f"plan {plan_id} ended on 2026-11-04\n"
    assert run("plan", "due", "--journal", mine, "--date", "2026-11-05")[1] == "no plan in this journal: nothing is due\n"
    for args, said in [
        (["end", "p-zzzzzzzzzz", "--journal", mine], "there is no plan p-zzzzzzzzzz"),
        (["end", "nonsense", "--journal", mine], "is not a plan id"),
        (["import", tmp_path / "missing.json", "--practice", practice.path, "--client", alder.id], "file not found"),
        (["import", tmp_path / "p.json", "--practice", practice.path], "name the client the answers are from"),
        (["import", tmp_path / "p.json", "--practice", practice.path, "--client", alder.id],
         "is not a Rekindle return"),
        (["open", tmp_path / "missing.json", "--journal", mine], "file not found"),
        (["due", "--journal", mine, "--date", "tomorrow"], "is not a date"),
    ]:
        code, out, err = run("plan", *args)
        assert code == 2 and out == "" and err.count("\n") == 1 and said in err, (args, err)
    code, _, err = run("plan")
    assert code == 2 and err.count("\n") == 1


def test_plans_travel_in_the_json_export_and_a_merged_backup_and_undo_takes_them_back(run, tmp_path):
    from rekindle_widgets.io.backup import backup_bytes, restore

    source = tmp_path / "source.sqlite"
    with Journal(source) as journal:
        first = plans.set_plan(journal, "c-abcdef", ["phq9"], 7, MONDAY)
        second = plans.set_plan(journal, "c-abcdef", ["gad7"], "session", MONDAY + timedelta(days=14))
        journal.add(3, at="2026-11-03T09:00")
        data = backup_bytes(journal)
    exported = tmp_path / "export.json"
    assert run("export", "--journal", source, "--format", "json", "-o", exported)[0] == 0
    target = tmp_path / "target.sqlite"
    code, out, err = run("import", exported, "--journal", target)
    assert code == 0 and "added 2 measurement plans" in out, (out, err)
    with Journal(target) as journal:
        got = journal.plans()
        assert [(p.plan, p.instruments, p.every_days, p.ended) for p in got] == [
            (first.plan, ("phq9",), 7, second.start), (second.plan, ("gad7",), None, None)]
    code, out, _ = run("import", exported, "--journal", target)
    assert code == 0 and "measurement plans" not in out  # twice: nothing added
    merged = tmp_path / "merged.sqlite"
    with Journal(merged) as journal:
        journal.add(4, at="2026-11-04T09:00")  # has content: the backup is merged, not copied
        result = restore(journal, data)
        assert result.mode == "merged" and [p.plan for p in journal.plans()] == [first.plan, second.plan]
        journal.undo()  # the merge was one import: undone whole, plans included
        assert journal.plans() == []
    bad = json.loads(exported.read_text())
    bad["plans"][0]["every_days"] = 500
    exported.write_text(json.dumps(bad))
    code, _, err = run("import", exported, "--journal", tmp_path / "other.sqlite")
    assert code == 2 and "plans[0]" in err and "repeats every 1 to 92 days" in err
