"""The red-flag watch (issue 17): agreements, weekly check-ins, the rule at its edges, and the CLI contract."""

from __future__ import annotations

import base64
import json
import re
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle_widgets.content import guide
from rekindle_widgets.content.toml import ContentError, content_path
from rekindle_widgets.content.watch import load_watch, watch_text
from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import Agreement, CheckIn, Journal
from rekindle_widgets.model.watch import flag_history, raised

from ..conftest import file_digest
from .test_content import SEED

MONDAY = date(2026, 10, 5)


def week(n: int) -> date:
    return MONDAY + timedelta(weeks=n)


def agreement(number: int = 1, text: str = "No phones at dinner", since: date = MONDAY, ended=None) -> Agreement:
    return Agreement(text, since, ended, id=number)


def series(*marks: str | None, number: int = 1) -> list[CheckIn]:
    """One check-in a week rating agreement ``number`` (None: a week that did not rate it)."""
    return [CheckIn(week(i), ((number, m),) if m else (), past_raised=None if m else False, id=i + 1)
            for i, m in enumerate(marks)]


def kinds(flags) -> list[str]:
    return [f.id for f in flags]


# --------------------------------------------------------------------------
# The rule at its edges
# --------------------------------------------------------------------------

@pytest.mark.parametrize(("marks", "flag"), [
    (["not-kept"], False),                                 # one miss is a bad week
    (["not-kept", "kept", "kept"], False),                 # 1 of 3
    (["not-kept", "kept", "not-kept"], True),              # 2 of 3
    (["not-kept", "not-kept"], True),                      # a new agreement: 2 of its 2 check-ins
    (["kept", "not-kept"], False),                         # 1 of 2
    (["not-kept", "not-kept", "kept", "kept", "kept"], False),  # two misses, but older than the last three
    (["not-kept", "not-kept", "kept", "not-kept", "kept"], False),  # 1 of the last 3, though 3 of 5 in all
    (["kept", "kept", "not-kept", "kept", "not-kept"], True),  # 2 of the last 3 after a good start
    (["partly", "partly", "partly"], False),               # partly counts half: 1.5 is under 2
    (["not-kept", "partly", "kept"], False),               # 1.5
    (["not-kept", "partly", "partly"], True),              # 2: half + half + one
    (["partly", "not-kept"], False),                       # 1.5 in a new agreement's two check-ins
])
def test_an_agreement_is_flagged_when_not_kept_in_two_of_its_last_three_check_ins(marks, flag):
    flags = raised([agreement()], series(*marks))
    assert kinds(flags) == (["agreement-not-kept"] if flag else [])


def test_a_check_in_that_did_not_rate_the_agreement_neither_helps_nor_hurts():
    flags = raised([agreement()], series("not-kept", None, None, "kept", None, "not-kept"))
    assert kinds(flags) == ["agreement-not-kept"]
    assert flags[0].window == (week(0), week(3), week(5)) and flags[0].weeks == (week(0), week(5))


def test_the_flag_names_the_agreement_and_the_weeks_in_the_guides_terms():
    (flag,) = raised([agreement(text="Call if I'm late {soon}")], series("not-kept", "partly", "partly"))
    assert "Call if I'm late {soon}" in flag.says and "agreement 1" in flag.says.lower()
    assert "not kept in 1 and only partly kept in 2 of your last 3 check-ins" in flag.says
    assert flag.weeks == (week(0), week(1), week(2))  # every week that counted, for the timeline
    assert flag.sign.red_flag == guide().red_flags[0]  # the guide's own wording, not a copy
    assert "therapist" in flag.sign.next and flag.line().startswith(flag.says)
    assert not re.search(r"\bscore\b|\d+\s*%|\d\.\d", flag.line())  # no score, no ratio


def test_a_new_agreement_is_named_for_the_check_ins_it_has():
    (flag,) = raised([agreement()], series("not-kept", "not-kept"))
    assert "not kept in 2 of your 2 check-ins so far" in flag.says


def test_an_ended_agreement_is_no_longer_watched():
    marks = series("not-kept", "not-kept", "not-kept")
    assert kinds(raised([agreement()], marks)) == ["agreement-not-kept"]
    assert raised([agreement(ended=week(2))], marks) == []  # ended: no longer raised now
    assert raised([agreement(ended=week(2))], marks, today=week(2)) != []  # on its last day it still applied
    assert raised([agreement(ended=week(2))], marks, today=week(3)) == []
    history = flag_history([agreement(ended=week(2))], marks)
    assert [(f.current, f.weeks) for f in history] == [(False, (week(0), week(1), week(2)))]


@pytest.mark.parametrize(("field", "value", "sign"), [
    ("past_raised", True, "past-raised"),
    ("promises_visible", False, "promises-not-visible"),
    ("feels", "repeat", "feels-repeat"),
])
def test_each_question_raises_its_flag_in_two_of_the_last_three_answers(field, value, sign):
    other = {"past_raised": False, "promises_visible": True, "feels": "new"}[field]

    def checkins(*answers):
        return [CheckIn(week(i), (), **{field: a}, id=i + 1) for i, a in enumerate(answers)]

    assert raised([], checkins(value, other, other)) == []
    assert raised([], checkins(value, value, other, other)) == []  # older
    assert kinds(raised([], checkins(value, other, value))) == [sign]
    assert raised([], checkins(value, None, None, None)) == []  # unanswered weeks are not the sign
    assert kinds(raised([], checkins(value, None, value))) == [sign]  # nor do they dilute it
    (flag,) = raised([], checkins(other, value, other, value))
    assert flag.weeks == (week(1), week(3)) and flag.window == (week(1), week(2), week(3))
    assert flag.sign.red_flag in (*guide().red_flags, *guide().stage(6).prompts)


def test_unsure_is_not_a_repeat():
    checkins = [CheckIn(week(i), (), feels="unsure", id=i + 1) for i in range(3)]
    assert raised([], checkins) == []


def test_a_series_that_raises_flags_and_one_that_does_not():
    agreements = [agreement(1), agreement(2, "Weekend plans made together")]
    steady = [CheckIn(week(i), ((1, "kept"), (2, "kept" if i % 2 else "partly")), past_raised=i == 1,
                      promises_visible=True, feels="new", id=i + 1) for i in range(6)]
    assert raised(agreements, steady) == [] and flag_history(agreements, steady) == []
    slipping = [
        *steady[:3],
        CheckIn(week(3), ((1, "not-kept"), (2, "kept")), past_raised=True, promises_visible=False, feels="repeat"),
        CheckIn(week(4), ((1, "kept"), (2, "kept")), past_raised=False, promises_visible=True, feels="unsure"),
        CheckIn(week(5), ((1, "not-kept"), (2, "kept")), past_raised=True, promises_visible=False, feels="repeat"),
    ]
    flags = raised(agreements, slipping)
    assert kinds(flags) == ["agreement-not-kept", "past-raised", "promises-not-visible", "feels-repeat"]
    assert flags[0].agreement.id == 1 and flags[0].weeks == (week(3), week(5))


def test_the_history_keeps_earlier_episodes_and_marks_the_current_one():
    marks = series("not-kept", "not-kept", "kept", "kept", "kept", "not-kept", "kept", "not-kept")
    history = flag_history([agreement()], marks)
    assert [(f.current, f.weeks) for f in history] == [
        (False, (week(0), week(1))),  # raised at week 1, still at week 2 (2 of 3), gone at week 3
        (True, (week(5), week(7))),
    ]
    assert [f.key for f in raised([agreement()], marks)] == [history[-1].key]


def test_no_check_ins_no_flags():
    assert raised([agreement()], []) == [] and flag_history([agreement()], []) == []


# --------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------

def test_the_watch_text_reuses_the_guides_red_flags():
    text = watch_text()
    assert [s.red_flag for s in text.signs[:3]] == list(guide().red_flags[:3])
    assert text.signs[3].red_flag == guide().stage(6).prompts[0]


def test_a_broken_watch_file_names_the_key(tmp_path):
    source = content_path("watch.toml").read_text(encoding="utf-8")
    path = tmp_path / "watch.toml"
    path.write_text(source.replace("red_flag = 2", "red_flag = 9", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"watch.toml: signs\[1\].red_flag: the guide has red flags 1 to 4"):
        load_watch(path)
    path.write_text(source.replace('id = "feels-repeat"', 'id = "feels-rerun"'), encoding="utf-8")
    with pytest.raises(ContentError, match="watch.toml: signs: expected the signs"):
        load_watch(path)


@pytest.mark.skipif(not SEED.exists(), reason="the source guide is not beside this checkout")
def test_the_watch_text_is_our_own_words():
    words = lambda text: re.findall(r"[a-z']+", text.lower().replace("’", "'"))
    source = words(SEED.read_text(encoding="utf-8"))
    shingles = {tuple(source[i:i + 8]) for i in range(len(source) - 7)}
    ours = words(content_path("watch.toml").read_text(encoding="utf-8"))
    assert [" ".join(ours[i:i + 8]) for i in range(len(ours) - 7) if tuple(ours[i:i + 8]) in shingles] == []


# --------------------------------------------------------------------------
# The records in the journal
# --------------------------------------------------------------------------

def test_agreements_and_check_ins_are_kept_and_read_back(journal_path):
    with Journal(journal_path) as j:
        a = j.add_agreement("  No phones\tat dinner ", since="2026-10-01")
        assert (a.id, a.text, a.since) == (1, "No phones at dinner", date(2026, 10, 1))
        j.add_checkin(day="2026-10-08", marks={1: "not kept"}, past_raised="yes", feels="Repeat")
        c = j.add_checkin(day="2026-10-05", marks=[("1", "partly")], promises_visible="no")
        assert [x.day for x in j.checkins()] == [date(2026, 10, 5), date(2026, 10, 8)]  # by day
        assert j.checkins()[1] == CheckIn(date(2026, 10, 8), ((1, "not-kept"),), True, None, "repeat")
        assert c.id == 2 and j.checkins()[0].promises_visible is False
        ended = j.end_agreement(1, "2026-10-20")
        assert j.agreements() == [Agreement("No phones at dinner", date(2026, 10, 1), date(2026, 10, 20))]
        assert ended.id == 1 and not j.is_empty()


@pytest.mark.parametrize(("call", "message"), [
    (lambda j: j.add_agreement("   "), "the agreement is empty"),
    (lambda j: j.add_agreement("x" * 301), "keep it under 300"),
    (lambda j: j.add_agreement("ok", since="2026-02-30"), "is not a date"),
    (lambda j: j.add_agreement("ok", since=date.today() + timedelta(days=3)), "in the future"),
    (lambda j: j.add_checkin(day="2026-10-09", marks={9: "kept"}), "there is no agreement 9"),
    (lambda j: j.add_checkin(day="2026-10-09", marks=[(1, "kept"), (1, "partly")]), "rated twice"),
    (lambda j: j.add_checkin(day="2026-10-09", marks={1: "mostly"}), "kept, partly or not-kept"),
    (lambda j: j.add_checkin(day="2026-09-01", marks={1: "kept"}), "was made on 2026-10-01"),
    (lambda j: j.add_checkin(day="2026-10-09", past_raised="maybe"), "must be yes or no"),
    (lambda j: j.add_checkin(day="2026-10-09", feels="better"), "new, repeat or unsure"),
    (lambda j: j.add_checkin(day="2026-10-09"), "the check-in is empty"),
    (lambda j: j.end_agreement(1, "2026-09-01"), "before it began"),
    (lambda j: j.end_agreement(1, "2026-10-03"), "was rated in the check-in on 2026-10-05"),
    (lambda j: j.end_agreement(4), "there is no agreement 4"),
])
def test_bad_input_is_one_line_and_changes_nothing(journal_path, call, message):
    with Journal(journal_path) as j:
        j.add_agreement("No phones at dinner", since="2026-10-01")
        j.add_checkin(day="2026-10-05", marks={1: "kept"})
    before = file_digest(journal_path)
    with Journal(journal_path) as j, pytest.raises(RekindleError, match=message) as caught:
        call(j)
    assert "\n" not in str(caught.value)
    assert file_digest(journal_path) == before


def test_undo_delete_and_erase_cover_agreements_and_check_ins(journal_path):
    with Journal(journal_path) as j:
        j.add_agreement("No phones at dinner", since="2026-10-01")
        j.add_checkin(day="2026-10-05", marks={1: "not-kept"}, past_raised=True)
        assert str(j.last_change()) == "adding check-in 1"
        j.delete_checkin(1)
        assert j.checkins() == []
        j.undo()  # the deleted check-in comes back with its marks
        assert j.checkins()[0].marks == ((1, "not-kept"),)
        j.end_agreement(1, "2026-10-06")
        assert j.history(1, table="agreements")[0].row["ended"] is None
        assert j.kept().versions == 1
        j.erase()
        assert j.kept() == (0, 0) and j.agreements()[0].ended == date(2026, 10, 6)
        with pytest.raises(RekindleError, match="nothing to undo"):
            j.undo()


# --------------------------------------------------------------------------
# The CLI contract
# --------------------------------------------------------------------------

def test_agree_checkin_and_watch_on_the_command_line(journal_path, run):
    assert run("watch", "--journal", journal_path) == (0, "no red flags raised\n", "")
    assert not journal_path.exists()  # looking creates nothing
    code, out, _ = run("agree", "No phones at dinner", "--since", "2026-11-01", "--journal", journal_path)
    assert (code, out) == (0, "agreement 1: No phones at dinner\n")
    assert run("agree", "Call if late", "--since", "2026-11-02", "--journal", journal_path)[1] == \
        "agreement 2: Call if late\n"
    code, out, _ = run("checkin", "--at", "2026-11-09", "--not-kept", "1", "--kept", "2", "--past-raised", "yes",
                       "--promises-visible", "no", "--feels", "unsure", "--journal", journal_path)
    assert code == 0 and out.startswith("check-in 1 on 2026-11-09: agreement 1: not kept; agreement 2: kept")
    assert run("watch", "--journal", journal_path)[:2] == (0, "no red flags raised\n")  # one miss
    run("checkin", "--at", "2026-11-16", "--kept", "1", "--partly", "2", "--journal", journal_path)
    code, out, err = run("checkin", "--at", "2026-11-23", "--not-kept", "1", "--journal", journal_path)
    assert code == 0 and "the watch raises 1 red flag" in err
    code, out, _ = run("watch", "--journal", journal_path)
    assert code == 0 and out.count("\n") == 1 and "No phones at dinner" in out and "not kept in 2 of" in out
    code, out, _ = run("watch", "--json", "--journal", journal_path)
    (flag,) = json.loads(out)
    assert flag["agreement"] == {"number": 1, "text": "No phones at dinner"}
    assert flag["weeks"] == ["2026-11-09", "2026-11-23"] and flag["id"] == "agreement-not-kept"
    assert run("watch", "--json", "--journal", journal_path.with_name("none.sqlite"))[1] == "[]\n"


@pytest.mark.parametrize("argv", [
    ["checkin", "--kept", "3"],                       # unknown agreement
    ["checkin", "--kept", "1", "--not-kept", "1"],    # the same N twice
    ["checkin", "--kept", "1", "--kept", "1"],
    ["checkin", "--at", "2026-11-31", "--kept", "1"],  # bad date
    ["checkin", "--at", "soon", "--kept", "1"],
    ["checkin", "--kept", "one"],
    ["checkin", "--past-raised", "maybe"],
    ["checkin", "--feels", "better"],
    ["checkin"],                                      # nothing to record
    ["agree", ""],
    ["agree", "ok", "--since", "yesterday"],
])
def test_bad_input_on_the_command_line_is_one_line_exit_2_and_writes_nothing(journal_path, run, argv):
    run("agree", "No phones at dinner", "--since", "2026-11-01", "--journal", journal_path)
    before = file_digest(journal_path)
    code, out, err = run(*argv, "--journal", journal_path)
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert file_digest(journal_path) == before


def test_a_check_in_rating_an_agreement_makes_no_journal_where_there_is_none(journal_path, run):
    code, _, err = run("checkin", "--kept", "1", "--journal", journal_path)
    assert code == 2 and "there is no agreement 1" in err and not journal_path.exists()


# --------------------------------------------------------------------------
# Export, import and backup
# --------------------------------------------------------------------------

def _together_journal(path) -> None:
    with Journal(path) as j:
        j.add(4, note="a good week", at="2026-10-06T20:00:00+00:00")
        j.add_agreement("No phones at dinner", since="2026-10-01")
        j.add_agreement("Call if late", since="2026-10-02")
        j.end_agreement(2, "2026-10-20")
        for i, kept in enumerate(["not-kept", "kept", "not-kept"]):
            j.add_checkin(day=week(i), marks={1: kept, 2: "partly"} if i < 2 else {1: kept},
                          past_raised=i != 1, promises_visible=None if i else True, feels=["new", None, "repeat"][i])


def _watch_state(path):
    with Journal(path) as j:
        return ([(a.text, a.since, a.ended) for a in j.agreements()],
                [(c.day, [(next(a.text for a in j.agreements() if a.id == n), k) for n, k in c.marks],
                  c.past_raised, c.promises_visible, c.feels) for c in j.checkins()],
                [f.says for f in raised(j.agreements(), j.checkins())])


def test_json_export_and_import_round_trip_agreements_and_check_ins_without_duplicates(tmp_path, run):
    from rekindle_widgets.io.export import export_json
    from rekindle_widgets.io.importers import import_file

    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    _together_journal(first)
    with Journal(first) as j:
        (tmp_path / "out.json").write_text(export_json(j), encoding="utf-8")
    from rekindle_widgets.io.importers import parse_file, preview

    assert ", 2 agreements, 3 check-ins" in preview(parse_file(tmp_path / "out.json")[1], "json", "out.json").summary()
    with Journal(second) as j:
        j.add_agreement("Something of our own first", since="2026-09-01")  # numbers differ in the two journals
        result = import_file(j, tmp_path / "out.json")
        assert (result.count("agreements"), result.count("checkins")) == (2, 3)
        assert "added 2 agreements, added 3 check-ins" in str(result)
        again = import_file(j, tmp_path / "out.json")
        assert (again.count("agreements"), again.count("checkins")) == (0, 0)
    state, original = _watch_state(second), _watch_state(first)
    assert state[0][1:] == original[0] and state[1] == original[1]
    assert state[2] == [original[2][0].replace("Agreement 1", "Agreement 2"), *original[2][1:]]  # its new number


def test_an_import_of_check_ins_is_undone_whole(tmp_path):
    from rekindle_widgets.io.export import export_json
    from rekindle_widgets.io.importers import import_file

    _together_journal(tmp_path / "a.sqlite")
    with Journal(tmp_path / "a.sqlite") as j:
        (tmp_path / "out.json").write_text(export_json(j), encoding="utf-8")
    with Journal(tmp_path / "b.sqlite") as j:
        import_file(j, tmp_path / "out.json")
        j.undo()
        assert j.agreements() == [] and j.checkins() == [] and j.is_empty()


@pytest.mark.parametrize(("old", "new", "message"), [
    ('"agreement": 1', '"agreement": 7', r"checkins\[0\]: rates agreement 7, which is not among"),
    ('"kept": "not-kept"', '"kept": "never"', r"checkins\[0\]: agreement 1 must be rated kept"),
    ('"number": 2', '"number": 1', r"agreements\[1\]: number must be a whole number from 1, once per agreement"),
    ('"since": "2026-10-01"', '"since": "2026-10-41"', r"agreements\[0\]: agreement date '2026-10-41' is not a"),
])
def test_a_damaged_export_is_refused_in_one_line_and_imports_nothing(tmp_path, old, new, message):
    from rekindle_widgets.io.export import export_json
    from rekindle_widgets.io.importers import import_file

    _together_journal(tmp_path / "a.sqlite")
    with Journal(tmp_path / "a.sqlite") as j:
        text = export_json(j)
    assert old in text
    (tmp_path / "bad.json").write_text(text.replace(old, new, 1), encoding="utf-8")
    with Journal(tmp_path / "b.sqlite") as j:
        with pytest.raises(RekindleError, match=message):
            import_file(j, tmp_path / "bad.json")
        assert j.is_empty()


def test_a_backup_merge_brings_the_agreements_and_check_ins(tmp_path):
    from rekindle_widgets.io.backup import backup_bytes, restore

    _together_journal(tmp_path / "a.sqlite")
    with Journal(tmp_path / "a.sqlite") as j:
        data = backup_bytes(j)
    with Journal(tmp_path / "b.sqlite") as j:
        j.add(3, note="already here", at="2026-09-01T10:00:00+00:00")
        result = restore(j, data, "a.sqlite")
        assert result.mode != "replaced"
    assert _watch_state(tmp_path / "b.sqlite") == _watch_state(tmp_path / "a.sqlite")


# --------------------------------------------------------------------------
# The timeline marks the weeks
# --------------------------------------------------------------------------

def test_the_timeline_hatches_the_weeks_of_a_red_flag_and_says_so(journal_path):
    import pandas as pd

    from rekindle_widgets import charts
    from rekindle_widgets.model.watch import journal_flags

    with Journal(journal_path) as j:
        for i in range(30):
            j.add(3 + i % 2, at=f"2026-10-{1 + i:02d}T20:00:00+00:00")
        j.add_agreement("No phones at dinner $x$", since="2026-10-01")
        for i, kept in enumerate(["not-kept", "kept", "not-kept"]):
            j.add_checkin(day=week(i), marks={1: kept})
        flags = journal_flags(j, history=True)
        assert [f.weeks for f in flags] == [(week(0), week(2))]
        ax = charts.timeline(j, flags=flags)
        plain = charts.timeline(j, flags=[])
        own = charts.timeline(j)  # from a journal, the chart reads its flags itself
    hatched = [p for p in ax.patches if p.get_label() == "_red flag week"]
    assert len(hatched) == 2 and not [p for p in plain.patches if p.get_label() == "_red flag week"]
    assert len([p for p in own.patches if p.get_label() == "_red flag week"]) == 2
    right = pd.Timestamp(week(2)) + pd.Timedelta(days=1)
    assert {round(p.get_x() + p.get_width(), 3) for p in hatched} >= {round(charts_date(right), 3)}
    assert "a week behind a red flag" in [t.get_text() for t in ax.get_legend().get_texts()]
    from rekindle_widgets.charts.display import alt_text

    words = alt_text(ax.figure)
    assert "An agreement is not being kept (check-ins of 5 October 2026, 19 October 2026)" in words
    assert "$x$" not in words  # the agreement's own text is not drawn or described


def charts_date(ts) -> float:
    import matplotlib.dates as mdates

    return float(mdates.date2num(ts.to_pydatetime()))


# --------------------------------------------------------------------------
# The panel, driven without a browser
# --------------------------------------------------------------------------

def test_the_panel_records_an_agreement_and_check_ins_and_shows_the_flag(journal_path):
    from rekindle_widgets.io.reminders import CHECK_IN
    from rekindle_widgets.widgets.watch import AgreementsWatch

    changed = []
    panel = AgreementsWatch(journal_path, on_changed=lambda: changed.append(1))
    assert "No red flags raised" in panel.flags.value and panel.rows == {}
    panel.agreement.value = "No <script>phones</script> at dinner"
    panel.since.value = week(0)
    panel.add()
    assert "Saved agreement 1" in panel.status.value and "<script>" not in panel.agreement_list.value
    assert "&lt;script&gt;" in panel.agreement_list.value and list(panel.rows) == [1]
    panel.save()  # nothing answered
    assert "the check-in is empty" in panel.status.value
    for i, kept in enumerate(["not-kept", "kept", "not-kept"]):
        panel.day.value = week(i)
        panel.rows[1].value = kept
        panel.past_raised.value = i != 1
        panel.save()
        assert panel.rows[1].value is None and panel.past_raised.value is None  # ready for next week
    assert "The watch raises 2 red flags" in panel.status.value
    assert "An agreement is not being kept" in panel.flags.value and "&lt;script&gt;" in panel.flags.value
    assert "<script>" not in panel.flags.value + panel.history.value
    assert "Old hurts keep coming back" in panel.flags.value and "therapist" in panel.flags.value
    assert panel.history.value.count("<li>") == 3 and len(changed) == 4
    with Journal(journal_path) as j:
        assert [c.marks for c in j.checkins()] == [((1, "not-kept"),), ((1, "kept"),), ((1, "not-kept"),)]

    panel.day.value = week(1)  # a check-in rating agreement 2 before it was made
    panel.rows[1].value = "kept"
    panel.journal.add_agreement("Later one", since=date.today())
    panel.refresh()
    panel.rows[2].value = "kept"
    panel.save()
    assert "agreement 2 was made on" in panel.status.value  # refused whole: nothing saved
    with Journal(journal_path) as j:
        assert len(j.checkins()) == 3

    panel.end_choice.value = 1
    panel.end()
    assert "Agreement 1 ended today" in panel.status.value and list(panel.rows) == [2]
    assert "No red flags raised" not in panel.flags.value  # old hurts still stand; the agreement is not watched
    assert "An agreement is not being kept" not in panel.flags.value

    panel.remind_day.value, panel.remind_at.value = 0, time(18, 30)
    panel.remind()
    ics = base64.b64decode(re.search(r"base64,([^\"]+)", panel.remind_link.value).group(1)).decode()
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO" in ics and f"SUMMARY:{CHECK_IN}" in ics and "phones" not in ics


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------

def _report_journal(path):
    with Journal(path) as j:
        for i in range(21):
            j.add(3, at=f"2026-10-{1 + i:02d}T20:00:00+00:00")
        j.add_agreement("No <b>phones</b> & $x$ at dinner", since="2026-10-01")
        for i, kept in enumerate(["not-kept", "kept", "not-kept"]):
            j.add_checkin(day=week(i), marks={1: kept}, feels="new")


def test_the_report_has_agreements_and_red_flags_sections_escaped(journal_path):
    from rekindle_widgets.report import build_report
    from rekindle_widgets.report.html import render_html

    _report_journal(journal_path)
    with Journal(journal_path) as j:
        report = build_report(j, charts=("timeline",))
    titles = [s.title for s in report.sections]
    assert titles.index("Agreements and check-ins") + 1 == titles.index("Red flags raised")
    (table, weekly) = report.sections[titles.index("Agreements and check-ins")].blocks
    assert table.rows == (("1. No <b>phones</b> & $x$ at dinner", "1 Oct 2026", "3",
                           "kept 1 · partly kept 0 · not kept 2", "not kept (19 Oct 2026)"),)
    assert [r[0] for r in weekly.rows] == ["5 Oct 2026", "12 Oct 2026", "19 Oct 2026"]
    (flag, rule) = report.sections[titles.index("Red flags raised")].blocks
    assert "raised now" in flag.heading and "not kept in 2 of" in flag.text
    assert "Weeks: 5 Oct 2026, 19 Oct 2026" in flag.text and "not a score" in rule.text
    chart = report.sections[titles.index("Charts")].blocks[0]
    assert "An agreement is not being kept (check-ins of 5 October 2026, 19 October 2026)" in chart.description
    page = render_html(report)
    assert "No &lt;b&gt;phones&lt;/b&gt; &amp; $x$ at dinner" in page and "<b>phones" not in page


def test_the_pdf_report_has_the_sections_and_the_anonymised_one_does_not_quote(journal_path):
    from rekindle_widgets.report import build_report
    from rekindle_widgets.report.model import texts
    from rekindle_widgets.report.pdf import render_pdf

    _report_journal(journal_path)
    with Journal(journal_path) as j:
        pdf = render_pdf(build_report(j, charts=()))
        hidden = build_report(j, charts=(), anonymise=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    text = " ".join(texts(hidden))
    assert "phones" not in text and "Agreement 1 was not kept in two of the last three" in text


def test_no_agreements_no_sections(journal_path):
    from rekindle_widgets.report import build_report

    _report_journal(journal_path)
    with Journal(journal_path) as j:
        j.undo(), j.undo(), j.undo(), j.undo()  # the check-ins and the agreement
        assert [s.title for s in build_report(j, charts=()).sections if "greement" in s.title or "flag" in s.title] \
            == []


# --------------------------------------------------------------------------
# The therapist's session page
# --------------------------------------------------------------------------

def test_the_session_page_shows_the_clients_agreements_and_flags_escaped(session_page):
    page, practice, add = session_page
    client = add("J.K.")
    _report_journal(practice.get(client).journal_path)
    page.client_choice.value = client
    shown = page.overview.value
    assert "Agreements and check-ins" in shown and "1 agreement (1 in force), 3 weekly check-ins" in shown
    assert "Red flags the watch raises now" in shown and "An agreement is not being kept" in shown
    assert "No &lt;b&gt;phones&lt;/b&gt; &amp; $x$ at dinner" in shown and "<b>phones" not in shown


def test_the_mood_page_and_rekindle_chart_mark_the_flagged_weeks(journal_path, run, tmp_path):
    from rekindle_widgets.widgets.mood import MoodLog

    _report_journal(journal_path)
    page = MoodLog(journal_path)
    page.kind.value = "timeline"
    page.refresh()
    assert "Hatched red weeks" in page.alt.value and "An agreement is not being kept" in page.alt.value
    code, _, err = run("chart", "--kind", "timeline", "-o", tmp_path / "t.svg", "--journal", journal_path)
    assert code == 0, err
    svg = (tmp_path / "t.svg").read_text(encoding="utf-8")
    assert "Hatched red weeks" in svg and "red flags" in svg
    code, _, err = run("chart", "--kind", "timeline", "--until", "2026-10-10", "-o", tmp_path / "u.svg",
                       "--journal", journal_path)
    assert code == 0 and "check-ins of 5 October 2026)" in (tmp_path / "u.svg").read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# Properties of the rule (small: no journal, a few hundred series)
# --------------------------------------------------------------------------

MARKS = st.lists(st.sampled_from(["kept", "partly", "not-kept", None]), max_size=12)


@settings(max_examples=300, deadline=None)
@given(MARKS)
def test_a_kept_week_never_raises_a_flag_and_the_history_ends_where_the_watch_is(marks):
    checkins = series(*marks)
    before = raised([agreement()], checkins)
    after = raised([agreement()], [*checkins, CheckIn(week(len(marks)), ((1, "kept"),), id=99)])
    assert {f.key for f in after} <= {f.key for f in before}
    rated = [m for m in marks if m][-3:]
    assert bool(before) == (rated.count("not-kept") + rated.count("partly") / 2 >= 2)
    history = flag_history([agreement()], checkins)
    assert [f.key for f in history if f.current] == [f.key for f in before]
    assert all(f.weeks == tuple(sorted(f.weeks)) and set(f.weeks) <= {c.day for c in checkins} for f in history)
