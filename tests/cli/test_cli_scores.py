"""`rekindle score` and `rekindle instruments`: paper forms scored, safety help first, one-line errors."""

from __future__ import annotations

import json

import pytest

from rekindle_widgets.journal import Journal

from ..conftest import file_digest


def test_phq9_item9_prints_crisis_help_first_then_the_band(run):
    code, out, err = run("score", "phq9", "--answers", "0,0,0,0,0,0,0,0,1")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("SAFETY FIRST (crisis)")
    assert out.index("988 Suicide & Crisis Lifeline") < out.index("National Domestic Violence Hotline")
    assert out.index("Call 911") < out.index("total: 1 of 27") < out.index("severity: none-minimal")


def test_phq9_crisis_in_json_comes_first_too(run):
    code, out, _ = run("score", "phq9", "--answers", "0,0,0,0,0,0,0,0,3", "--json", "--region", "uk")
    assert code == 0
    data = json.loads(out)
    assert list(data)[:2] == ["safety", "resources"] and data["safety"] is True
    assert data["resources"]["region"] == "UK" and data["resources"]["services"][0]["name"] == "Samaritans"
    assert (data["total"], data["band"]) == (3, "none-minimal")
    assert [f["id"] for f in data["flags"]] == ["self-harm"]


def test_who5_json_gives_raw_percentage_and_poor_wellbeing(run):
    code, out, _ = run("score", "who5", "--answers", "2,2,2,2,2", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["total"], data["max"], data["percentage"]) == (10, 25, 40)
    assert [f["label"] for f in data["flags"]] == ["poor wellbeing"] and data["safety"] is False
    assert "resources" not in data


def test_no_safety_help_without_a_safety_flag(run):
    code, out, _ = run("score", "gad7", "--answers", "3,3,3,3,3,3,3")
    assert code == 0 and "SAFETY" not in out and "Hotline" not in out
    assert "total: 21 of 21" in out and "severity: severe" in out and "flags: none" in out


def test_safety_screen_for_australia_prints_the_australian_services(run):
    code, out, _ = run("score", "safety", "--answers", "yes,no,no,no,no", "--region", "AU")
    assert code == 0
    assert "Help now, Australia:" in out
    assert "1800RESPECT: call 1800 737 732 (1800RESPECT), or text 0458 737 732 (24/7)" in out
    assert "Lifeline Australia: call 13 11 14, or text 0477 13 11 14 (24/7)" in out
    assert "Call 000 now" in out and "800-799" not in out and "911" not in out
    data = json.loads(run("score", "safety", "--answers", "yes,no,no,no,no", "--region", "au", "--json")[1])
    assert data["resources"]["region"] == "AU"
    assert data["resources"]["services"][0]["source"] == "https://www.1800respect.org.au/terms-and-conditions"


def test_score_takes_the_region_from_the_environment_then_the_locale(run, monkeypatch):
    monkeypatch.setenv("REKINDLE_REGION", "IN")
    assert "Women Helpline 181: call 181" in run("score", "safety", "--answers", "yes,no,no,no,no")[1]
    monkeypatch.delenv("REKINDLE_REGION")
    monkeypatch.setenv("LC_ALL", "en_IE.UTF-8")
    out = run("score", "safety", "--answers", "yes,no,no,no,no")[1]
    assert "Help now, Ireland:" in out and "1800 341 900" in out and "Call 112 or 999 now" in out
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    out = run("score", "safety", "--answers", "yes,no,no,no,no")[1]
    assert "Help now, Anywhere else:" in out and "your local emergency number" in out


@pytest.mark.parametrize("answers", ["yes,no,no,no,no", "no,no,no,no,prefer-not", "No,No,YES,No,No"])
def test_safety_screen_prints_resources_first_and_no_score(run, answers):
    code, out, _ = run("score", "safety", "--answers", answers, "--region", "UK")
    assert code == 0
    assert out.splitlines()[0].startswith("SAFETY FIRST (abuse)")
    assert out.index("National Domestic Abuse Helpline: call 0808 2000 247") < out.index("Safety first\n")
    assert "Call 999" in out and "total:" not in out and "never scored" in out
    data = json.loads(run("score", "safety", "--answers", answers, "--json")[1])
    assert data["safety"] and "total" not in data and "band" not in data
    assert data["resources"]["services"][0]["phone"] == "800-799-7233"
    assert "call 800-799-7233 (800-799-SAFE), or text START to 88788 (24/7)" in run("score", "safety", "--answers", answers)[1]


def test_safety_all_no(run):
    code, out, _ = run("score", "safety", "--answers", "no,no,no,no,no")
    assert code == 0 and "SAFETY FIRST" not in out and "flags: none" in out


def test_checkup_verdict_names_the_answers(run):
    code, out, _ = run("score", "checkup", "--answers", "no,no,yes,no,no,no,yes,no,yes,habits,yes")
    assert code == 0
    assert "verdict: take a long pause first" in out
    assert "why:\n  signs to take a long pause:\n    - 9. You are afraid you will never find anyone else." in out


def test_stage_checklist_from_a_paper_form(run):
    code, out, _ = run("score", "stage3", "--answers", "yes,not-yet,yes")
    assert code == 0 and "ready to move on?: not yet" in out
    assert "I reached out without needing a particular answer back. — Not yet" in out


def test_save_adds_the_response_to_the_journal(run, journal_path):
    code, out, _ = run("score", "phq9", "--answers", "1,1,1,1,1,1,1,1,0,2", "--save", "--journal", journal_path,
                       "--at", "2026-04-01T18:00")
    assert code == 0 and f"saved as response 1 in {journal_path}" in out
    with Journal(journal_path, create=False) as j:
        frame = j.responses()
    row = frame.iloc[0]
    assert (row.instrument, row.total, row.band, row.context) == ("phq9", 8.0, "mild", "session")
    assert row["answers"] == [1] * 8 + [0, 2] and row.local_time.startswith("2026-04-01T18:00")
    code, out, _ = run("score", "who5", "--answers", "5,5,5,5,5", "--json", "--save", "--context", "self",
                       "--journal", journal_path)
    assert json.loads(out)["saved"]["id"] == 2


@pytest.mark.parametrize(("argv", "message"), [
    (["score", "phq9", "--answers", "0,0,0"], "phq9 takes 9 answers, or 10 with the optional last one, each 0-3; 3 were given"),
    (["score", "phq9", "--answers", "0,0,0,0,0,0,0,0,4"], "PHQ-9, question 9: '4' is not one of its answers (0, 1, 2, 3)"),
    (["score", "phq9", "--answers", "0,0,0,0,0,0,0,0,-1"], "PHQ-9, question 9: '-1' is not one of its answers"),
    (["score", "who5", "--answers", "2,2,2,2,2.5"], "WHO-5 Well-Being Index, question 5: '2.5' is not one of its answers"),
    (["score", "safety", "--answers", "yes,no,no,no"], "safety takes 5 answers, each yes/no/prefer-not; 4 were given"),
    (["score", "safety", "--answers", "y,no,no,no,no"], "Safety first, question 1: 'y' is not one of its answers"),
    (["score", "panas", "--answers", "1,2"], "unknown instrument 'panas'; choose one of safety, checkup"),
    (["score", "who5", "--answers", "2,2,2,2,2", "--region", "fr"], "unknown region 'FR'; choose one of US, UK, IE, CA, AU, NZ, IN, DE, ZA, OTHER"),
    (["score", "who5", "--answers", "2,2,2,2,2", "--save", "--at", "tomorrow"], "time 'tomorrow' is not a date-time"),
    (["instruments", "danger"], "unknown instrument 'danger'"),
])
def test_mistakes_are_one_line_exit_2_journal_unchanged(run, journal_path, argv, message):
    run("score", "who5", "--answers", "3,3,3,3,3", "--save", "--journal", journal_path)
    before = file_digest(journal_path)
    code, out, err = run(*argv, "--save", "--journal", journal_path) if argv[0] == "score" and "--save" not in argv \
        else run(*argv, "--journal", journal_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("rekindle: error: ") and message in err
    assert file_digest(journal_path) == before


def test_missing_answers_option_is_a_one_line_usage_error(run):
    code, _, err = run("score", "phq9")
    assert code == 2 and err.count("\n") == 1 and "--answers" in err


def test_instruments_lists_ids_titles_and_answer_formats(run):
    code, out, _ = run("instruments")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert ids == ["safety", "checkup", "who5", "phq9", "gad7", "ruler", *(f"stage{n}" for n in range(1, 8))]
    assert "WHO-5 Well-Being Index" in out and "5 answers, each 0-5" in out
    assert "5 answers, each yes/no/prefer-not" in out


def test_instruments_detail_shows_values_bands_and_licence(run):
    code, out, _ = run("instruments", "phq9")
    assert code == 0
    assert "0=Not at all, 1=Several days, 2=More than half the days, 3=Nearly every day" in out
    assert "severity none-minimal: total 0-4" in out and "severity severe: total 20-27" in out
    assert "flag self-harm (crisis)" in out and "No permission required" in out
    code, out, _ = run("instruments", "checkup")
    assert "not-sure=I am not sure" in out and "(free text, not in --answers): Why did the relationship end?" in out
    code, out, _ = run("instruments", "safety")
    assert "never scored" in out


def test_help_documents_the_answer_encoding(run):
    code, out, _ = run("score", "--help")
    assert code == 0 and "yes/no/prefer-not" in out and "free-text" in out
