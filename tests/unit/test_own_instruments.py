"""A therapist's own questionnaires (issue 26, item 6): a TOML file in the practice folder is offered like the
bundled ones (listed, scored, in plans, carried by the plan file to the client, returned and imported); one
that does not read is one line naming the file and the key, and the rest still works.

The questionnaire below is written for these tests (its wording is ours); a real one belongs in a practice
folder only under its own licence, never in the package.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from rekindle_widgets.content import instruments as catalogue
from rekindle_widgets.journal import Journal
from rekindle_widgets.model.practice import Practice

STEADY = '''[instrument]
id = "steady3"
title = "Steady-3 (our own check-in)"
order = 90
intro = "Over the last week, how often has each of these been true?"
source = "Written by the practice for its own clients."
licence = "The practice's own; not for use elsewhere."
band_title = "Steadiness"

[scoring]
method = "sum"

[[choices.often]]
label = "Never"
value = 0
[[choices.often]]
label = "Sometimes"
value = 1
[[choices.often]]
label = "Often"
value = 2
[[choices.often]]
label = "Almost always"
value = 3

[[items]]
id = "routine"
text = "I kept to routines that steady me."
choices = "often"
[[items]]
id = "taken_over"
text = "Thoughts about the relationship took over my day."
choices = "often"
reverse = true
[[items]]
id = "kind"
text = "I did something kind for myself."
choices = "often"

[[bands]]
label = "unsteady"
min = 0
max = 4
[[bands]]
label = "finding footing"
min = 5
max = 9
'''


@pytest.fixture
def practice(tmp_path) -> Practice:
    found = Practice(tmp_path / "practice")
    (found.path / "instruments").mkdir(parents=True)
    (found.path / "instruments" / "steady3.toml").write_text(STEADY, encoding="utf-8")
    return found


def test_a_practice_questionnaire_is_listed_scored_and_described(run, practice):
    code, out, err = run("instruments", "--practice", practice.path)
    assert code == 0 and err == ""
    assert any(line.startswith("steady3") and "Steady-3 (our own check-in) (practice)" in line
               for line in out.splitlines())
    assert "phq9" in out  # the bundled ones are all still there
    code, out, err = run("score", "steady3", "--answers", "3,0,2", "--practice", practice.path)
    assert code == 0, err
    assert "total: 8 of 9" in out and "steadiness: finding footing" in out  # "taken over" is reverse-keyed: 0 is 3


@pytest.mark.parametrize(("text", "key"), [
    (STEADY.replace('choices = "often"\nreverse', 'choices = "sometimes"\nreverse'), "items[1].choices"),
    (STEADY.replace('id = "steady3"', 'id = "steady4"'), "instrument.id"),
    (STEADY.replace("max = 9", "max = 12"), "bands"),
    (STEADY.replace("[scoring]", "[scoring\n"), "not valid TOML"),
])
def test_a_malformed_practice_file_is_one_line_naming_file_and_key_and_nothing_else_breaks(run, practice, text,
                                                                                         key):
    (practice.path / "instruments" / "steady3.toml").write_text(text, encoding="utf-8")
    code, out, err = run("instruments", "--practice", practice.path)
    assert code == 0 and "phq9" in out and "steady3" not in out
    assert err.count("\n") == 1 and "steady3.toml: " in err and key in err and "left out until fixed" in err, err
    code, _, err = run("score", "steady3", "--answers", "1,1,1", "--practice", practice.path)
    assert code == 2 and "unknown instrument 'steady3'" in err


def test_a_practice_file_may_not_take_a_bundled_name_be_too_big_or_be_a_pipe(run, practice):
    import os

    (practice.path / "instruments" / "phq9.toml").write_text(STEADY.replace("steady3", "phq9"), encoding="utf-8")
    code, _, err = run("instruments", "--practice", practice.path)
    assert code == 0 and "phq9.toml: instrument.id: 'phq9' is a questionnaire Rekindle comes with" in err
    assert catalogue.instrument("phq9").title.startswith("PHQ-9")  # the bundled one, untouched
    (practice.path / "instruments" / "phq9.toml").unlink()
    (practice.path / "instruments" / "big.toml").write_bytes(b"#" * (catalogue.MAX_PRACTICE_FILE + 1))
    os.mkfifo(practice.path / "instruments" / "pipe.toml")  # read, it would wait for ever: refused unread
    code, _, err = run("instruments", "--practice", practice.path)
    assert code == 0 and "big.toml: over 64 KB" in err and "pipe.toml: not a regular file" in err


def test_a_plan_carries_the_questionnaire_to_the_client_and_its_answers_come_back(run, practice, tmp_path,
                                                                                 monkeypatch):
    client = practice.add("Rowan")
    plan_file = tmp_path / "plan.json"
    start = date.today() - timedelta(days=2)
    code, out, err = run("plan", "set", "--practice", practice.path, "--client", client.id, "--instrument",
                         "steady3", "--instrument", "phq9", "--start", start, "-o", plan_file)
    assert code == 0, err
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    assert document["version"] == 2 and document["instruments"] == ["steady3", "phq9"]
    assert document["questionnaires"] == {"steady3": STEADY}  # only the practice's own; PHQ-9 the client has

    # the client's own Rekindle: another data folder, no practice, no steady3 until the plan brings it
    monkeypatch.setenv("REKINDLE_HOME", str(tmp_path / "client-home"))
    code, out, _ = run("instruments")
    assert "steady3" not in out
    code, out, err = run("plan", "open", plan_file)
    assert code == 0 and "Steady-3" in out, err
    assert (tmp_path / "client-home" / "instruments" / "steady3.toml").read_text(encoding="utf-8") == STEADY
    code, out, err = run("score", "steady3", "--answers", "2,1,2", "--save", "--context", "self")
    assert code == 0 and "total: 6 of 9" in out, err
    returned = tmp_path / "return.json"
    code, out, err = run("plan", "return", "-o", returned, "--plain")
    assert code == 0 and "wrote 1 questionnaire response" in out, err

    # back at the practice: imported, scored again here, kept with the client
    monkeypatch.delenv("REKINDLE_HOME")
    code, out, err = run("plan", "import", returned, "--practice", practice.path, "--client", client.id)
    assert code == 0 and "1 questionnaire response added" in out, err
    with client.open_journal() as journal:
        got = journal.responses()
    assert list(got["instrument"]) == ["steady3"] and list(got["total"]) == [6]


def test_a_plan_file_whose_questionnaire_was_tampered_with_is_refused_and_nothing_is_kept(run, practice,
                                                                                        tmp_path, monkeypatch):
    client = practice.add("Rowan")
    plan_file = tmp_path / "plan.json"
    assert run("plan", "set", "--practice", practice.path, "--client", client.id, "--instrument", "steady3",
               "-o", plan_file)[0] == 0
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    document["questionnaires"]["steady3"] = STEADY.replace('label = "Never"\nvalue = 0', 'label = "Never"\nvalue = -9')
    plan_file.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("REKINDLE_HOME", str(tmp_path / "client-home"))
    code, out, err = run("plan", "open", plan_file)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "the questionnaire it carries cannot be used: steady3.toml: " in err
    assert not (tmp_path / "client-home" / "instruments").exists()
    assert not (tmp_path / "client-home" / "journal.sqlite").exists() or \
        not Journal(tmp_path / "client-home" / "journal.sqlite").plans()


def test_the_session_page_offers_the_practices_own_and_names_a_file_it_cannot_use(practice):
    from rekindle_widgets.widgets.session import SessionPage

    practice.add("Rowan")
    (practice.path / "instruments" / "broken.toml").write_text("[instrument]\nid = 'broken'\n", encoding="utf-8")
    page = SessionPage(practice=practice)
    page.client_choice.value = practice.get("Rowan").id
    panel = page.plan_panel
    offered = dict((value, label) for label, value in panel.instruments.options)
    assert offered["steady3"] == "Steady-3 (our own check-in)" and "phq9" in offered
    assert "Left out until fixed" in panel.problems.value and "broken.toml: items: missing" in panel.problems.value
    panel.instruments.value = ("steady3",)
    panel.set_plan()
    with practice.get("Rowan").open_journal() as journal:
        assert [p.instruments for p in journal.plans()] == [("steady3",)]


def test_a_practice_questionnaire_with_constants_is_classified_charted_and_reported(run, practice, tmp_path):
    rule = ('\n[change]\nworse = "lower"\nreliable_change = 3\ncaseness = { below = 5 }\n'
            'source = "The practice\'s own constants, for this test."\nurl = "https://example.org/steady3"\n')
    (practice.path / "instruments" / "steady3.toml").write_text(STEADY + rule, encoding="utf-8")
    code, out, err = run("change", "steady3", "3", "8", "--practice", practice.path)
    assert code == 0 and out.startswith("Steady-3 3 → 8: reliable improvement, reliable recovery"), err
    client = practice.add("Rowan")
    for answers, day in (("0,3,1", "2026-11-01"), ("3,0,2", "2026-11-20")):
        code, _, err = run("score", "steady3", "--answers", answers, "--save", "--practice", practice.path,
                           "--client", client.id, "--at", f"{day}T10:00:00+00:00")
        assert code == 0, err
    report = tmp_path / "report.html"
    code, _, err = run("report", "--practice", practice.path, "--client", client.id, "-o", report)
    assert code == 0, err
    html = report.read_text(encoding="utf-8")
    assert "Steady-3" in html and "1 → 8" in html and "reliable improvement" in html.lower()
    import re

    assert any("Steady-3" in alt for alt in re.findall(r'alt="([^"]*)"', html))  # its scores charted, described


@pytest.mark.parametrize("name", ["steady3\n", "../steady3", "Steady3"])
def test_a_carried_questionnaire_named_as_no_file_may_be_is_refused(run, practice, tmp_path, monkeypatch, name):
    client = practice.add("Rowan")
    plan_file = tmp_path / "plan.json"
    assert run("plan", "set", "--practice", practice.path, "--client", client.id, "--instrument", "steady3",
               "-o", plan_file)[0] == 0
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    document["instruments"] = [name]
    document["questionnaires"] = {name: STEADY.replace('id = "steady3"', f"id = {json.dumps(name)}")}
    plan_file.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("REKINDLE_HOME", str(tmp_path / "client-home"))
    code, out, err = run("plan", "open", plan_file)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert not (tmp_path / "client-home" / "instruments").exists() and not (tmp_path / "steady3.toml").exists()
