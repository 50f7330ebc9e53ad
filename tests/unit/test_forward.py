"""Moving forward (issue 17): decisions, I-statements, micro-dates, keep it fresh, the cycles reason.

The journal API, the check-up's verdict, the calendar files, the timeline, the
`rekindle decide` contract, the JSON round trip, the report and the pages,
driven without a browser (set values, click buttons, read what they show).
"""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta
from itertools import pairwise

import icalendar
import matplotlib.dates as mdates
import pytest

from rekindle_widgets import charts
from rekindle_widgets.content import guide
from rekindle_widgets.content.forward import forward
from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.export import export_json
from rekindle_widgets.io.importers import import_bytes
from rekindle_widgets.journal import Journal, compare
from rekindle_widgets.model import scorer

from ..conftest import file_digest

UNSURE = {"know": "yes", "values": "no", "support": "yes", "sure": "no"}
SURE = {"know": "yes", "values": "yes", "support": "yes", "sure": "yes"}


def _two_decisions(j: Journal) -> tuple[int, int]:
    a = j.add_decision(option="carry-on", reasons=[("carry-on", "we still laugh", 4), ("part", "old fights", 3)],
                       answers=UNSURE, involved="my sister, a therapist", review="2026-09-01", day="2026-07-01")
    b = j.add_decision(option="all-in", reasons=[("carry-on", "we still laugh", 5), ("all-in", "therapy booked", 4)],
                       answers=SURE, involved=["my sister"], review="2027-02-01", day="2026-08-01")
    return a, b


# --------------------------------------------------------------------------
# Decisions: stored, revisited, compared
# --------------------------------------------------------------------------


def test_a_decision_is_stored_whole_and_read_back(journal_path):
    with Journal(journal_path) as j:
        a, b = _two_decisions(j)
        assert (a, b) == (1, 2)
        first = j.decision(a)
    assert first.option == "carry-on" and first.day == date(2026, 7, 1) and first.review == date(2026, 9, 1)
    assert first.reasons_for("part")[0].text == "old fights" and first.reasons_for("part")[0].weight == 3
    assert first.involved == ("my sister", "a therapist")
    assert first.unsure == ("values", "sure")  # the "no" answers, in the questions' order


def test_the_same_decision_twice_is_stored_once(journal_path):
    with Journal(journal_path) as j:
        _two_decisions(j)
        assert _two_decisions(j) == (1, 2)
        assert len(j.decisions()) == 2


def test_compare_says_what_changed_between_two_decisions(journal_path):
    with Journal(journal_path) as j:
        a, b = (j.decision(n) for n in _two_decisions(j))
    changes = compare(a, b)
    assert changes.option == ("carry-on", "all-in")
    assert [r.text for r in changes.added] == ["therapy booked"]
    assert [r.text for r in changes.removed] == ["old fights"]
    assert changes.reweighted == (("carry-on", "we still laugh", 4, 5),)
    assert changes.answers == (("values", False, True), ("sure", False, True))
    assert changes.involved_removed == ("a therapist",) and changes.involved_added == ()
    assert changes.review == (date(2026, 9, 1), date(2027, 2, 1))
    assert compare(b, b).nothing and compare(b, b).lines() == ["nothing changed"]


@pytest.mark.parametrize(("fields", "error"), [
    ({"option": "maybe"}, r"option 'maybe' is not one of carry-on, part, all-in"),
    ({"answers": {**SURE, "sure": None}}, r"answer sure \(yes or no\)"),
    ({"answers": {**SURE, "sure": "perhaps"}}, r"sure must be yes or no"),
    ({"reasons": [("part", "x", 6)]}, r"weight must be a whole number from 0 to 5"),
    ({"reasons": [("part", "   ", 2)]}, r"a reason is empty"),
    ({"reasons": [("part", "x", 2), ("part", "x", 3)]}, r"given twice"),
    ({"review": "2020-01-01"}, r"before the decision"),
])
def test_a_bad_decision_is_one_line_and_stores_nothing(journal_path, fields, error):
    with Journal(journal_path) as j:
        before = file_digest(journal_path)
        with pytest.raises(RekindleError, match=error):
            j.add_decision(**{"option": "part", "answers": SURE, "day": "2026-08-01", **fields})
        assert j.decisions() == [] and file_digest(journal_path) == before


def test_the_options_and_questions_in_the_content_are_the_journals():
    from rekindle_widgets.journal import OPTIONS, SURE_QUESTIONS

    text = forward().decision
    assert tuple(o.id for o in text.options) == OPTIONS
    assert tuple(q.id for q in text.questions) == SURE_QUESTIONS
    assert "SURE" in text.sources and "Ottawa" in text.sources and "Doherty" in text.sources
    assert "six months" in text.option("all-in").text


# --------------------------------------------------------------------------
# The check-up: earlier breakups and reunions
# --------------------------------------------------------------------------

CLEAR = {"unfaithful": "no", "put-down": "no", "own-part": "yes", "pattern": "no", "sign-identity": "no",
         "sign-routine": "no", "sign-alone": "no", "sign-fix": "no", "they-want": "yes",
         "difference": "habits", "changed": "yes"}


@pytest.mark.parametrize(("cycles", "reason"), [(None, False), ("none", False), ("once", False),
                                                ("twice", True), ("more", True)])
def test_more_than_one_earlier_cycle_adds_a_reason_to_the_verdict(cycles, reason):
    result = scorer.score("checkup", {**CLEAR, "cycles": cycles, "cycles-when": "spring 2024 <again>"})
    ids = [r.flag.id for r in result.band_reasons]
    if reason:
        assert result.band.label == "take a long pause first" and ids == ["cycles"]
        (why,) = result.band_reasons
        assert "Halpern-Meekin" in why.text and "safety services" in why.text
        assert why.because[0].startswith("16. Before this breakup")  # names the question and the answer
    else:
        assert result.band.label == "go slowly" and ids == [] and result.reasons == ()


def test_the_cycles_reason_joins_others_without_hiding_them():
    result = scorer.score("checkup", {**CLEAR, "changed": "no", "cycles": "twice"})
    assert [r.flag.id for r in result.band_reasons] == ["no-change", "cycles"]
    result = scorer.score("checkup", {**CLEAR, "unfaithful": "yes", "cycles": "more"})
    assert result.band.label == "not a re-starter" and "cycles" in result.flags


def test_the_check_up_source_cites_the_research_on_cycles():
    from rekindle_widgets.content.instruments import instrument

    source = instrument("checkup").source
    assert "Halpern-Meekin" in source and "Dailey" in source and "Vennum" in source


# --------------------------------------------------------------------------
# I-statements, micro-dates, keep it fresh
# --------------------------------------------------------------------------


def test_an_i_statement_is_one_sentence_saved_with_its_date(journal_path):
    with Journal(journal_path) as j:
        saved = j.add_statement("Hurt.", "you cancel our plans at the last minute.", "us to agree on a time",
                                day="2026-08-02")
        assert j.statements() == [saved]
    assert saved.sentence == ("I feel hurt when you cancel our plans at the last minute, "
                              "and I would like us to agree on a time.")
    assert saved.day == date(2026, 8, 2)
    with Journal(journal_path) as j, pytest.raises(RekindleError, match="what happened is empty"):
        j.add_statement("sad", "   ")


def _ics_events(data: bytes) -> list:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_a_planned_micro_date_is_an_ics_file_with_its_day_and_nothing_of_the_journal(journal_path):
    from rekindle_widgets.io.reminders import date_ics

    with Journal(journal_path) as j:
        plan = j.plan_date("A walk with <our> secret", "2026-08-10")
        (event,) = _ics_events(date_ics(plan))
    assert event.decoded("DTSTART") == date(2026, 8, 10)
    assert str(event["SUMMARY"]) == forward().calendar_summary  # neutral: not the idea's words
    assert b"secret" not in date_ics(plan)


def test_two_dates_on_one_day_are_two_calendar_events_and_a_second_download_is_the_same_event(journal_path):
    from rekindle_widgets.io.reminders import date_ics

    with Journal(journal_path) as j:
        coffee, walk = j.plan_date("Coffee", "2026-08-10"), j.plan_date("A walk", "2026-08-10")
        uids = [str(e["UID"]) for e in _ics_events(date_ics([coffee, walk]))]
        again = str(_ics_events(date_ics(coffee))[0]["UID"])
    assert len(set(uids)) == 2 and again == uids[0]  # a calendar app keeps both, and does not add one twice


def test_a_date_that_happened_is_an_event_on_the_timeline(demo_journal):
    with Journal(demo_journal) as j:
        last = j.entries()["date"].max().date()
        plan = j.plan_date("A twenty-minute coffee", last - timedelta(days=10))
        j.plan_date("A short video call", last - timedelta(days=5))  # planned, never happened: not shown
        demo = j.timeline_moments()["micro-date"]  # the demo's own two dates
        assert len(demo) == 2 and last - timedelta(days=5) not in demo
        j.mark_date_happened(plan.id)
        assert j.timeline_moments() == {"micro-date": sorted([*demo, last - timedelta(days=10)])}
        ax = charts.timeline(j)  # from a Journal: the moments come with it
    assert "micro-date" in [t.get_text().strip() for t in ax.texts]
    from rekindle_widgets.charts.display import alt_text

    assert "Also marked along the bottom: 3 days of micro-date from" in alt_text(ax.figure)  # said in words too
    xs = [x for c in ax.collections for x, _y in c.get_offsets() if c.get_offsets().shape[-1] == 2]
    assert mdates.date2num(last - timedelta(days=10)) in xs
    with Journal(demo_journal) as j:
        j.unmark_date(plan.id)
        ax = charts.timeline(j)
    assert "Also marked along the bottom: 2 days of micro-date from" in alt_text(ax.figure)


def test_ideas_of_ones_own_and_ideas_tried_are_kept(journal_path):
    idea = forward().fresh_ideas[0]
    with Journal(journal_path) as j:
        j.add_idea("date", "A picnic")
        j.add_idea("date", "A picnic")
        j.mark_tried(idea, day="2026-08-05")
        assert j.ideas("date") == ["A picnic"] and j.tried() == {idea: date(2026, 8, 5)}
        j.mark_tried(idea, False)
        assert j.tried() == {}
        with pytest.raises(RekindleError, match="idea kind"):
            j.add_idea("other", "x")


def test_undo_takes_back_each_of_these_writes_and_never_the_mood_entry_before_it(journal_path):
    """Saving a decision, then Undo: the decision goes, not the mood entry saved a minute before."""
    idea = forward().fresh_ideas[0]
    with Journal(journal_path, safety_copies=False) as j:
        j.add(4, note="a good walk")

        def state():
            return (j.count(), [d.option for d in j.decisions()], [s.sentence for s in j.statements()],
                    [(d.idea, d.happened) for d in j.micro_dates()], j.ideas("date"), j.tried())

        states = [state()]
        j.add_decision(option="carry-on", reasons=[("carry-on", "we still laugh", 4)], answers=UNSURE,
                       day="2026-07-01")
        states.append(state())
        j.add_statement("hurt", "cancel plans", day="2026-08-02")
        states.append(state())
        m = j.plan_date("A walk", "2026-08-10")
        states.append(state())
        j.mark_date_happened(m.id)
        states.append(state())
        j.unmark_date(m.id)
        states.append(state())
        j.add_idea("date", "A picnic")
        states.append(state())
        j.mark_tried(idea, day="2026-08-05")
        states.append(state())
        j.mark_tried(idea, False)
        states.append(state())
        assert all(a != b for a, b in pairwise(states))  # each write changed something
        for expected in reversed(states[:-1]):
            j.undo()
            assert state() == expected
        assert j.count() == 1 and str(j.last_change()).startswith("adding entry")
        with pytest.raises(RekindleError, match="no planned date 99"):
            j.unmark_date(99)


def test_undoing_an_import_of_only_these_records_takes_them_all_back(tmp_path, journal_path):
    with Journal(journal_path) as j:
        _two_decisions(j)
        j.add_statement("hurt", "cancel plans", day="2026-08-02")
        text = export_json(j)
    with Journal(tmp_path / "other.sqlite", safety_copies=False) as other:
        other.add(3)
        import_bytes(other, text.encode(), "journal.json")
        assert len(other.decisions()) == 2 and str(other.last_change()).startswith("the import")
        other.undo()
        assert other.decisions() == [] and other.statements() == [] and other.count() == 1


# --------------------------------------------------------------------------
# Export and import
# --------------------------------------------------------------------------


def test_the_json_export_carries_everything_and_a_reimport_adds_nothing(tmp_path, journal_path):
    with Journal(journal_path) as j:
        _two_decisions(j)
        j.add_statement("hurt", "cancel plans", day="2026-08-02")
        m = j.plan_date("A walk", "2026-08-10")
        j.mark_date_happened(m.id)
        j.plan_date("Coffee", "2026-08-20")
        j.add_idea("fresh", "Learn to juggle")
        j.mark_tried("Learn to juggle", day="2026-08-11")
        text = export_json(j)
    with Journal(tmp_path / "other.sqlite") as other:
        first = import_bytes(other, text.encode(), "journal.json")
        again = import_bytes(other, text.encode(), "journal.json")
        forward = ("decisions", "statements", "dates", "ideas", "tried")
        assert [first.count(k) for k in forward] == [2, 1, 2, 1, 1] and not any(again.count(k) for k in forward)
        assert ("added 2 decisions, added 1 I-statement, added 2 micro-dates, added 1 idea, added 1 idea marked tried"
                in str(first))
        assert export_json(other) == text
        assert [d.option for d in other.decisions()] == ["carry-on", "all-in"]
        assert other.timeline_moments() == {"micro-date": [date(2026, 8, 10)]}


def test_a_damaged_decision_in_a_json_file_names_it_and_imports_nothing(tmp_path, journal_path):
    import json

    with Journal(journal_path) as j:
        _two_decisions(j)
        document = json.loads(export_json(j))
    document["decisions"][1]["reasons"][0]["weight"] = 9
    target = tmp_path / "other.sqlite"
    with Journal(target) as other:
        before = file_digest(target)
        with pytest.raises(RekindleError, match=r"bad\.json: decisions\[1\]: .*weight must be a whole number"):
            import_bytes(other, json.dumps(document).encode(), "bad.json")
        assert file_digest(target) == before


# --------------------------------------------------------------------------
# rekindle decide
# --------------------------------------------------------------------------

DECIDE = ["decide", "--option", "carry-on", "--reason", "carry-on:4:we still laugh", "--reason",
          "part:3:fights: about money", "--know", "yes", "--values", "no", "--support", "yes", "--sure", "no",
          "--involved", "my sister", "--review", "2027-03-01", "--on", "2026-12-01"]


def test_decide_records_lists_shows_and_compares(run, journal_path, tmp_path):
    ics = tmp_path / "review.ics"
    code, out, err = run(*DECIDE, "--journal", journal_path, "--ics", ics)
    assert code == 0, err
    assert out.splitlines()[0] == "decision 1: Carry on as now for a while (2026-12-01, review 2027-03-01)"
    assert "talking the decision through" in out  # a "no": talk it through more, not a score
    (event,) = _ics_events(ics.read_bytes())
    assert event.decoded("DTSTART") == date(2027, 3, 1) and b"laugh" not in ics.read_bytes()
    code, out, _ = run("decide", "--option", "all-in", "--reason", "carry-on:5:we still laugh", "--know", "yes",
                       "--values", "yes", "--support", "yes", "--sure", "yes", "--on", "2026-12-02",
                       "--journal", journal_path)
    assert code == 0 and out == "decision 2: All in for a set time, then review (2026-12-02)\n"
    code, out, _ = run("decide", "--list", "--journal", journal_path)
    assert out.splitlines() == [
        "decision 1: 2026-12-01 Carry on as now for a while (2 reasons, review 2027-03-01; answered no: values, sure)",
        "decision 2: 2026-12-02 All in for a set time, then review (1 reason)"]
    code, out, _ = run("decide", "--show", "1", "--journal", journal_path)
    assert "Part for good: fights: about money (matters 3 of 5)" in out
    code, out, _ = run("decide", "--compare", "1", "2", "--journal", journal_path)
    assert code == 0
    assert "  chosen option: Carry on as now for a while -> All in for a set time, then review" in out
    assert "  reason removed (Part for good, weight 3): fights: about money" in out
    assert "  values clear: no -> yes" in out


ALL_YES = ["--know", "yes", "--values", "yes", "--support", "yes", "--sure", "yes"]


@pytest.mark.parametrize(("argv", "error"), [
    (["--option", "maybe"], "option 'maybe' is not one of carry-on, part, all-in"),
    (["--option", "part", "--know", "yes"], "answer values, support and sure (yes or no)"),
    (["--option", "part", "--reason", "part-4-x", *ALL_YES],
     "is not OPTION:WEIGHT:TEXT"),
    (["--option", "part", "--review", "someday", *ALL_YES],
     "review date 'someday' is not a date"),
    (["--option", "part", "--ics", "{tmp}/x.txt", *ALL_YES],
     "end the file name in .ics"),
    (["--option", "part", "--ics", "{tmp}/x.ics", *ALL_YES],
     "this decision has no review date"),
    (["--list", "--option", "part"], "--list reads decisions; leave out --option"),
    (["--list", "--compare", "1", "2"], "give one of --list and --compare, not both"),
    ([], "say which option you choose"),
])
def test_decide_refuses_bad_input_in_one_line_and_writes_nothing(run, journal_path, tmp_path, argv, error):
    code, out, err = run("decide", *(a.format(tmp=tmp_path) for a in argv), "--journal", journal_path)
    assert code == 2 and out == ""
    assert err.startswith("rekindle: error: ") and error in err and err.count("\n") == 1
    assert not journal_path.exists() and list(tmp_path.iterdir()) == []


def test_decide_on_a_journal_with_decisions_changes_nothing_on_bad_input(run, journal_path):
    assert run(*DECIDE, "--journal", journal_path)[0] == 0
    before = file_digest(journal_path)
    code, _, err = run("decide", "--compare", "1", "7", "--journal", journal_path)
    assert code == 2 and "there is no decision 7" in err and "(decisions: 1)" in err
    assert run(*DECIDE[:-2], "--on", "2026-13-01", "--journal", journal_path)[0] == 2
    assert file_digest(journal_path) == before


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def test_the_report_has_decisions_and_moving_forward_sections_escaped(journal_path):
    from rekindle_widgets.report import build_report, render_html
    from rekindle_widgets.report.model import texts

    with Journal(journal_path) as j:
        j.add_decision(option="part", reasons=[("part", "<script>alert(1)</script> $x$", 5)], answers=UNSURE,
                       involved="Ann <b>", day="2026-08-01")
        j.add_decision(option="all-in", reasons=[("all-in", "therapy", 4)], answers=SURE, day="2026-09-01")
        j.add_statement("hurt", "say <i>that</i>", day="2026-08-02")
        j.plan_date("A walk", "2026-08-10")
        report = build_report(j)
        anonymous = build_report(j, anonymise=True)
    titles = [s.title for s in report.sections]
    assert "Decisions" in titles and "Moving forward" in titles
    page = render_html(report)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<i>that</i>" not in page and "Changes from 1 Aug 2026 to 1 Sep 2026" in page
    words = " ".join(texts(anonymous))
    assert "alert" not in words and "Ann" not in words and "that" not in words.replace("than", "")
    assert "Part for good" in words and "1 for Part for good" in words


# --------------------------------------------------------------------------
# The page, without a browser
# --------------------------------------------------------------------------


def test_the_page_is_a_tab_of_the_app_and_shows_the_guides_tips(journal_path):
    from rekindle_widgets.app import PAGES, App
    from rekindle_widgets.widgets.forward import MovingForward

    assert PAGES["Moving forward"] == "forward:MovingForward"
    app = App(journal_path, pages={"Moving forward": PAGES["Moving forward"]})
    page = app.show("Moving forward")
    assert isinstance(page, MovingForward)
    for tip in guide().tips:
        assert tip.title in page.tips.value
    from rekindle_widgets.widgets.watch import AgreementsWatch

    assert "rk-watch-slot" in page.watch._dom_classes  # the agreements, check-ins and the watch
    assert [type(x) for x in page.watch.children] == [AgreementsWatch]


def test_the_page_builds_a_sentence_saves_it_and_lists_it_escaped(journal_path):
    from rekindle_widgets.widgets.forward import MovingForward

    page = MovingForward(journal_path)
    s = page.statements
    assert s.sentence.value == "" and s.sentence_help.value == ""
    s.feeling.value = "my own <word>"
    s.situation.value = "leave <b>dishes</b>"
    assert s.sentence.value == "I feel my own <word> when you leave <b>dishes</b>."  # plain text, to copy
    assert "Ctrl+C" in s.sentence_help.value
    text = "I feel my own &lt;word&gt; when you leave &lt;b&gt;dishes&lt;/b&gt;."
    s.save_button.click()
    assert date.today().isoformat() in s.saved.value and text in s.saved.value
    assert [x.sentence for x in page.journal.statements()] == ["I feel my own <word> when you leave <b>dishes</b>."]


def test_hostile_text_on_every_part_of_the_page_shows_as_text_and_runs_nothing(journal_path):
    from rekindle_widgets.widgets.forward import MovingForward, forward_summary_html

    from .test_hostile_text import SCRIPT, html_of, html_problems, shows

    hostile = f"{SCRIPT} <img src=x onerror=alert(1)> costs $x^2$"
    with Journal(journal_path) as j:
        j.add_decision(option="part", reasons=[("part", hostile, 5)], answers=UNSURE, involved=[hostile],
                       review="2027-01-01", day="2026-08-01")
        j.add_decision(option="all-in", answers=SURE, day="2026-09-01")
        j.add_statement(hostile, hostile, hostile, day="2026-08-02")
        j.add_idea("date", hostile)
        j.add_idea("fresh", hostile)
        j.mark_tried(hostile)
        m = j.plan_date(hostile, "2026-08-10")
        j.mark_date_happened(m.id)
    page = MovingForward(journal_path)
    page.decision.open_decision(1)
    page.decision.compare()
    shows(page, hostile)
    assert html_of(page)  # every HTML value under the page runs nothing (and there is some)
    assert html_problems(forward_summary_html(page.journal)) == []
    assert hostile in [b.description.split(" (tried")[0] for b in page.fresh.boxes.children]


def test_the_page_plans_a_date_offers_its_calendar_file_and_marks_it_happened(journal_path):
    from rekindle_widgets.widgets.forward import MovingForward

    page = MovingForward(journal_path)
    d = page.dates
    d.own.value = "Picnic <in> the park"
    d.add_button.click()
    assert d.idea.value == "Picnic <in> the park" and "Picnic &lt;in&gt;" in d.status.value
    d.day.value = date(2026, 12, 24)
    d.plan_button.click()
    payload = re.search(r'href="data:text/calendar;base64,([^"]+)"', d.link.value).group(1)
    (event,) = _ics_events(base64.b64decode(payload))
    assert event.decoded("DTSTART") == date(2026, 12, 24)
    (row,) = d.planned.children
    button = row.children[1]
    assert button.description == "It happened"
    button.click()
    assert "happened 2026-12-24" in d.planned.children[0].children[0].value
    assert page.journal.timeline_moments() == {"micro-date": [date(2026, 12, 24)]}


def test_keep_it_fresh_ticks_are_stored(journal_path):
    from rekindle_widgets.widgets.forward import MovingForward

    page = MovingForward(journal_path)
    box = page.fresh.boxes.children[2]
    idea = forward().fresh_ideas[2]
    box.value = True
    assert page.journal.tried() == {idea: date.today()}
    assert f"(tried {date.today().isoformat()})" in page.fresh.boxes.children[2].description
    again = MovingForward(page.journal)  # a new page reads it back
    assert again.fresh.boxes.children[2].value is True


def test_the_decision_point_saves_opens_and_compares(journal_path):
    from rekindle_widgets.widgets.forward import MovingForward

    page = MovingForward(journal_path)
    dp = page.decision
    dp.save_button.click()
    assert "choose one of the three options" in dp.status.value and page.journal.decisions() == []
    dp.option.value = "carry-on"
    dp.reason_option.value = "part"
    dp.reason_text.value = "the <old> fights"
    dp.reason_weight.value = 4
    dp.add_reason_button.click()
    for q, answer in UNSURE.items():
        dp.questions[q].value = answer
    dp.involved.value = "my sister, a therapist"
    dp.review.value = date.today() + timedelta(days=30)
    dp.save_button.click()
    assert "Saved decision 1" in dp.status.value and "talking the decision through" in dp.status.value
    assert "notes-review.ics" in dp.link.value
    assert dp.compare_box.layout.display == "none" and "two decisions" in dp.compare_hint.value
    dp.option.value = "all-in"
    for q in UNSURE:
        dp.questions[q].value = "yes"
    dp.save_button.click()
    assert "Saved decision 2" in dp.status.value and "yes to all four" in dp.status.value
    assert len(dp.past.children) == 2 and dp.compare_box.layout.display == ""
    dp.past.children[-1].children[1].click()  # Open the oldest
    assert "the &lt;old&gt; fights" in dp.opened.value and "my sister" in dp.opened.value
    dp.compare_button.click()
    assert "Carry on as now for a while -&gt; All in for a set time, then review" in dp.comparison.value
    assert "reason removed (Part for good, weight 4): the &lt;old&gt; fights" in dp.comparison.value


def test_the_decision_point_speaks_of_stage_6_there(journal_path):
    from rekindle_widgets.widgets.forward import MovingForward

    with Journal(journal_path) as j:
        j.set_stage(6, "2026-08-01")
    assert "fresh start or a rerun" in MovingForward(journal_path).decision.stage6_note.value
    with Journal(journal_path) as j:
        j.set_stage(7, "2026-09-01")
    assert MovingForward(journal_path).decision.stage6_note.value == ""


def test_the_check_up_verdict_points_to_the_decision_point(journal_path):
    from rekindle_widgets.widgets.questionnaire import CheckUp

    flow = CheckUp(journal_path)
    for control in flow.safety.controls.values():
        control.value = "no"
    flow.safety.submit_button.click()
    assert flow.decision_link.value == ""
    for item, value in {**CLEAR, "cycles": "twice"}.items():
        flow.checkup.controls[item].value = value
    flow.checkup.submit_button.click()
    assert "Verdict: take a long pause first" in flow.checkup.result_html
    assert "Halpern-Meekin" in flow.checkup.result_html
    assert "A decision point" in flow.decision_link.value and "Moving forward" in flow.decision_link.value
    flow.safety.controls["afraid"].value = "yes"
    flow.safety.submit_button.click()
    assert flow.decision_link.value == ""  # safety first: no verdict, no decision point


def test_the_session_page_shows_the_clients_decisions(session_page):
    page, practice, add = session_page
    client = add("Alder")
    page.client_choice.value = client
    assert "No decisions, sentences or micro-dates" in page.forward_html.value
    with Journal(practice.get(client).journal_path) as j:
        _two_decisions(j)
        j.add_statement("hurt", "say <that>")
    page.refresh()
    shown = page.forward_html.value  # the report's own sections: the same words as the client's report
    assert "<h4>Decisions</h4>" in shown and "All in for a set time, then review" in shown
    assert "therapy booked" in shown and "no longer involved: a therapist" in shown
    assert "say &lt;that&gt;" in shown and "<that>" not in shown


def test_stage_6_on_the_stages_page_points_to_the_decision_point(journal_path):
    from rekindle_widgets.widgets.stages import StageNavigator

    nav = StageNavigator(journal_path)
    nav.choice.value = 6
    assert "fresh start or a rerun" in nav.summary.value and "Moving forward" in nav.summary.value
    nav.choice.value = 5
    assert "Moving forward" not in nav.summary.value


def test_the_mood_page_and_rekindle_chart_mark_the_dates_that_happened(demo_journal, run, tmp_path):
    from rekindle_widgets.widgets.mood import MoodLog

    with Journal(demo_journal) as j:
        last = j.entries()["date"].max().date()
        j.mark_date_happened(j.plan_date("A walk", last - timedelta(days=3)).id)
    page = MoodLog(demo_journal)
    page.refresh()
    assert "3 days of micro-date from" in page.alt.value  # the demo's two, and this one
    code, _, err = run("chart", "--kind", "timeline", "-o", tmp_path / "t.svg", "--journal", demo_journal)
    assert code == 0, err
    assert "3 days of micro-date from" in (tmp_path / "t.svg").read_text()


@pytest.mark.parametrize(("old", "new", "error"), [
    ('id = "part"', 'id = "leave"', r"decision\.options: expected the ids carry-on, part, all-in in this order"),
    ('checked = 2026-12-02', 'checked = "soon"', r"decision\.sources\.checked: expected the date the sources"),
    ('"http://pubmed.ncbi.nlm.nih.gov/20705870/"', '"pubmed 20705870"', r"decision\.sources\.urls\[2\]\.url: expected a web address"),
])
def test_a_broken_forward_toml_names_the_file_and_key(tmp_path, old, new, error):
    from rekindle_widgets.content.forward import load_forward
    from rekindle_widgets.content.toml import ContentError, content_path

    text = content_path("forward.toml").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "forward.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError, match="forward.toml: " + error):
        load_forward(broken)
