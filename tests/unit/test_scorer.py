"""The one scorer: published bands at every edge, flags, verdicts, safety routing, broken files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rekindle_widgets.content import ContentError, guide
from rekindle_widgets.content.instruments import instrument, instruments, instruments_dir, load_instrument
from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import Journal
from rekindle_widgets.model.scorer import (
    parse_answers,
    raised_flag,
    resources,
    safety_flags_ever,
    save,
    score,
    stored_responses,
)

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_4ab6cc8940a36161.txt"


def spread(total: int, n: int, top: int, *, avoid_last: bool = False) -> list[int]:
    """n item values in 0..top summing to total, filling the first items first."""
    values = []
    left = total
    for i in range(n):
        usable = 0 if (avoid_last and i == n - 1 and left <= top * (n - 1 - i)) else min(top, left)
        values.append(usable)
        left -= usable
    assert left == 0 and sum(values) == total
    return values


# --------------------------------------------------------------------------
# Published bands, at every edge
# --------------------------------------------------------------------------

PHQ9 = [(0, "none-minimal"), (4, "none-minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
        (14, "moderate"), (15, "moderately severe"), (19, "moderately severe"), (20, "severe"),
        (24, "severe"), (27, "severe")]


@pytest.mark.parametrize(("total", "band"), PHQ9)
def test_phq9_bands(total, band):
    answers = [*spread(total, 9, 3, avoid_last=True), None]
    result = score("phq9", answers)
    assert (result.total, result.max_total, result.band.label) == (total, 27, band)
    # item 9 only needed above 24: below that no crisis flag
    assert result.safety is (answers[8] > 0)


@pytest.mark.parametrize(("total", "band"), [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"),
                                             (10, "moderate"), (14, "moderate"), (15, "severe"),
                                             (21, "severe")])
def test_gad7_bands(total, band):
    result = score("gad7", [*spread(total, 7, 3), None])
    assert (result.total, result.max_total, result.band.label) == (total, 21, band)
    assert not result.safety


@pytest.mark.parametrize("raw", range(26))
def test_who5_percentage_and_poor_wellbeing_edge(raw):
    result = score("who5", spread(raw, 5, 5))
    assert result.total == raw and result.percentage == raw * 4
    assert ("poor-wellbeing" in result.flags) is (raw < 13)
    if raw < 13:
        assert result.reasons[0].label == "poor wellbeing"
        assert result.reasons[0].because == (f"total {raw} is below 13",)


def test_who5_answers_2_everywhere_is_40_out_of_100():
    result = score("who5", [2] * 5)
    data = result.to_dict()
    assert data["total"] == 10 and data["max"] == 25 and data["percentage"] == 40
    assert [f["label"] for f in data["flags"]] == ["poor wellbeing"]
    assert "band" not in data  # the WHO-5 has a flag, not made-up bands


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_above_zero_is_crisis_whatever_the_total(item9):
    result = score("phq9", [0] * 8 + [item9, None])
    assert result.band.label == "none-minimal" and result.total == item9
    assert result.safety and result.safety_kinds == ("crisis",)
    assert result.flags == ("self-harm",)
    assert "Thoughts that you would be better off dead" in result.reasons[0].because[0]
    data = result.to_dict()
    assert list(data)[:2] == ["safety", "resources"]  # help comes first in the data too
    assert data["resources"]["services"][0]["kind"] == "crisis"


def test_phq9_item9_zero_is_no_crisis_even_at_high_totals():
    result = score("phq9", [3] * 8 + [0, 3])
    assert result.band.label == "severe" and not result.safety and result.flags == ()


def test_unscored_difficulty_item_does_not_count():
    assert score("phq9", [1] * 9 + [3]).total == 9
    assert score("gad7", [0] * 7 + [3]).total == 0


# --------------------------------------------------------------------------
# Reverse keys and the mechanism, with a small instrument file
# --------------------------------------------------------------------------

MINI = """
[instrument]
id = "mini"
title = "Mini <scale>"
order = 1
intro = "Two items, one reverse-keyed."
source = "a test"
licence = "none"

[[choices.agree]]
label = "Disagree"
value = 1
[[choices.agree]]
label = "Neutral"
value = 2
[[choices.agree]]
label = "Agree"
value = 3

[[items]]
id = "plain"
text = "I feel fine"
choices = "agree"

[[items]]
id = "flipped"
text = "I feel <b>awful</b>"
choices = "agree"
reverse = true

[[items]]
id = "notes"
type = "text"
text = "Anything else?"

[[subscales]]
id = "both"
label = "Both"
items = ["plain", "flipped"]

[[flags]]
id = "low"
label = "low"
kind = "note"
text = "Low."
when = { score = "total", at_most = 3 }

[[bands]]
label = "low"
min = 2
max = 3
[[bands]]
label = "high"
min = 4
max = 6
"""


@pytest.fixture
def mini(tmp_path):
    path = tmp_path / "mini.toml"
    path.write_text(MINI, encoding="utf-8")
    return load_instrument(path)


@pytest.mark.parametrize(("plain", "flipped", "total"), [(1, 1, 4), (1, 3, 2), (3, 1, 6), (2, 2, 4)])
def test_reverse_keyed_items_count_backwards(mini, plain, flipped, total):
    result = score(mini, [plain, flipped, ""])
    assert result.total == total
    assert result.subscales == (("both", "Both", total, 6),)
    assert ("low" in result.flags) is (total <= 3)
    assert result.band.label == ("low" if total <= 3 else "high")
    assert mini.min_total == 2 and mini.max_total == 6


def test_answers_by_item_id_and_as_text(mini):
    assert score(mini, {"plain": "3", "flipped": 3}).total == 4
    with pytest.raises(RekindleError, match="mini has no question 'nope'"):
        score(mini, {"nope": 1})


@pytest.mark.parametrize(("answers", "message"), [
    ([4, 1, ""], r"Mini <scale>, question 1: 4 is not one of its answers \(1, 2, 3\)"),
    ([None, 1, ""], r"Mini <scale>, question 1 needs an answer: I feel fine"),
    ([1, 1], r"mini has 3 questions, but 2 answers were given"),
    ([1, 1, 5], r"Mini <scale>, question 3 takes text, not int"),
    ([1, 1, "a\x00b"], r"NUL character"),
    ("1,1,", r"answers must be a list"),
])
def test_wrong_answers_name_the_question(mini, answers, message):
    with pytest.raises(RekindleError, match=message):
        score(mini, answers)


# --------------------------------------------------------------------------
# The check-up verdict
# --------------------------------------------------------------------------

CLEAR = {"unfaithful": "no", "put-down": "no", "own-part": "yes", "pattern": "no", "sign-identity": "no",
         "sign-routine": "no", "sign-alone": "no", "sign-fix": "no", "they-want": "yes",
         "difference": "habits", "changed": "yes"}


def checkup(**changes):
    answers = dict(CLEAR)
    answers.update({k.replace("_", "-"): v for k, v in changes.items()})
    return score("checkup", answers)


def test_checkup_all_clear_goes_slowly():
    result = checkup()
    assert result.band.label == "go slowly"
    assert result.reasons == () and result.band_reasons == ()
    assert any("stage 1" in s for s in result.next_steps)


@pytest.mark.parametrize("sign", range(4))
def test_each_pause_sign_alone_means_a_long_pause(sign):
    item = ["sign-identity", "sign-routine", "sign-alone", "sign-fix"][sign]
    result = checkup(**{item: "yes"})
    assert result.band.label == "take a long pause first"
    (reason,) = result.band_reasons
    assert reason.flag.id == "pause-signs"
    # the reason names the answer, in the guide's own (single) wording of that sign
    assert reason.because == (f"{sign + 7}. {guide().pause_signs[sign]} — Yes, that is true for me",)


@pytest.mark.parametrize(("changes", "flag"), [
    ({"unfaithful": "yes"}, "unfaithful"),
    ({"put_down": "often"}, "put-down"),
    ({"they_want": "no"}, "not-mutual"),
    ({"difference": "values"}, "values"),
])
def test_red_flags_mean_not_a_re_starter(changes, flag):
    result = checkup(**changes)
    assert result.band.label == "not a re-starter"
    assert [r.flag.id for r in result.band_reasons] == [flag]


@pytest.mark.parametrize(("changes", "flag"), [
    ({"unfaithful": "not-sure"}, "unsure-trust"),
    ({"put_down": "sometimes"}, "unsure-trust"),
    ({"own_part": "no"}, "own-part"),
    ({"own_part": "not-yet"}, "own-part"),
    ({"pattern": "unexamined"}, "pattern"),
    ({"changed": "promises"}, "no-change"),
    ({"changed": "no"}, "no-change"),
])
def test_pause_reasons(changes, flag):
    result = checkup(**changes)
    assert result.band.label == "take a long pause first"
    assert [r.flag.id for r in result.band_reasons] == [flag]


def test_a_red_flag_outranks_pause_signs_and_all_reasons_are_kept():
    result = checkup(unfaithful="yes", sign_fix="yes", they_want="unknown")
    assert result.band.label == "not a re-starter"
    assert [r.flag.id for r in result.band_reasons] == ["unfaithful"]
    assert set(result.flags) == {"unfaithful", "pause-signs", "unknown-wish"}
    assert "Was your ex unfaithful" in result.band_reasons[0].because[0]
    assert result.band_reasons[0].text == guide().red_flags[3]  # reused, not copied


def test_notes_alone_still_go_slowly():
    result = checkup(they_want="unknown", difference="mixed")
    assert result.band.label == "go slowly"
    assert result.flags == ("unknown-wish", "mixed")


def test_checkup_questions_reuse_the_guide():
    inst = instrument("checkup")
    texts = [i.text for i in inst.items]
    for sign in guide().pause_signs:
        assert texts.count(sign) == 1
    assert guide().checkup_questions[0] in texts


# --------------------------------------------------------------------------
# Safety: routing, never a score
# --------------------------------------------------------------------------

SAFETY_ITEMS = ["hurt", "threatened", "afraid", "controlled", "forced"]


@pytest.mark.parametrize("item", SAFETY_ITEMS)
@pytest.mark.parametrize("answer", ["yes", "prefer-not", "YES"])
def test_any_safety_yes_or_prefer_not_surfaces_resources(item, answer):
    answers = {name: "no" for name in SAFETY_ITEMS} | {item: answer}
    result = score("safety", answers)
    assert result.safety and result.stops_flow and result.safety_kinds == ("abuse",)
    assert result.total is None and result.band is None and result.percentage is None
    data = result.to_dict("UK")
    assert "total" not in data and "band" not in data and "max" not in data
    assert data["resources"]["services"][0]["phone"] == "0808 2000 247"
    assert "verdict is not shown" in result.safety_reasons[0].text


def test_safety_all_no_lets_the_check_up_go_on():
    result = score("safety", ["no"] * 5)
    assert not result.safety and not result.stops_flow and result.flags == ()


def test_a_safety_screen_with_a_score_or_bands_is_refused(tmp_path):
    text = (instruments_dir() / "safety.toml").read_text(encoding="utf-8")
    path = tmp_path / "safety.toml"
    path.write_text(text.replace('method = "none"', 'method = "sum"'), encoding="utf-8")
    with pytest.raises(ContentError, match=r"safety.toml: scoring.method: a safety screen is never scored"):
        load_instrument(path)
    path.write_text(text + '\n[[bands]]\nlabel = "high danger"\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"safety.toml: bands: a safety screen has no bands"):
        load_instrument(path)


@pytest.mark.parametrize(("region", "first", "emergency"), [
    ("US", "988 Suicide & Crisis Lifeline", "911"), ("uk", "Samaritans", "999"),
    ("OTHER", "Befrienders Worldwide", "your local emergency number"),
    ("AU", "Lifeline Australia", "000"), ("nz", "1737, Need to talk?", "111"), ("IE", "Samaritans Ireland", "112 or 999"),
])
def test_crisis_resources_put_the_crisis_line_first(region, first, emergency):
    res = resources(("crisis",), region)
    assert res.services[0].name == first and res.emergency == emergency


def test_abuse_resources_put_the_abuse_line_first_and_keep_the_rest():
    res = resources(("abuse",), "US")
    assert [s.kind for s in res.services] == ["abuse", "crisis"]
    assert res.services[0].phone == "800-799-7233"
    assert res.to_dict()["services"][0]["call"] == "800-799-7233 (800-799-SAFE)"
    assert resources(("abuse",), "UK").to_dict()["services"][0]["call"] == "0808 2000 247"
    other = resources(("abuse",), "OTHER").to_dict()["services"][0]
    assert other["call"].startswith("an emotional support helpline") and other["source"].startswith("https://")
    assert res.to_dict()["services"][0]["checked"] == "2026-12-01"
    assert res.quick_exit_url == guide().safety.quick_exit_url
    with pytest.raises(RekindleError, match="unknown region 'FR'; choose one of US, UK, IE, CA, AU, NZ, IN, DE, ZA, OTHER"):
        resources(("abuse",), "FR")


def test_safety_flags_ever_says_that_not_how_much(journal_path):
    assert safety_flags_ever(journal_path) == []  # no journal yet: nothing, and nothing created
    assert not journal_path.exists()
    with Journal(journal_path) as journal:
        save(journal, score("who5", [1] * 5))
        save(journal, score("safety", ["no", "no", "prefer-not", "no", "no"]), at="2026-03-01T10:00")
        save(journal, score("phq9", [0] * 8 + [2, None]), context="session", at="2026-03-02T10:00")
        save(journal, score("who5", [0] * 5), at="2026-03-03T10:00")  # poor wellbeing: a note, not safety
        # a response from a newer version or another tool: its flag errs towards safety
        journal.add_response("someone-elses", [1], flags=["danger_signs"], at="2026-03-04T10:00")
    marks = safety_flags_ever(journal_path)
    assert [(m.instrument, m.flag, m.kind) for m in marks] == [("safety", "safety", "abuse"),
                                                               ("phq9", "self-harm", "crisis"),
                                                               ("someone-elses", "danger_signs", "abuse")]
    assert marks[0].at.startswith("2026-03-01")
    assert not any(hasattr(m, "total") or hasattr(m, "band") for m in marks)


def test_raised_flag_is_the_one_rule_and_errs_towards_safety():
    known = raised_flag("phq9", "self-harm")
    assert (known.kind, known.is_safety, known.known) == ("crisis", True, True)
    assert known.label == instrument("phq9").flag("self-harm").label
    note = raised_flag("who5", "poor-wellbeing")
    assert (note.is_safety, note.known) == (False, True)
    # unknown flag of a known instrument, and any flag of an unknown one: safety, never skipped
    assert raised_flag("phq9", "newer_flag").is_safety
    assert raised_flag("from-elsewhere", "self_harm_risk").kind == "crisis"
    assert raised_flag("from-elsewhere", "controlling").kind == "abuse"
    assert raised_flag("from-elsewhere", "controlling").label == "controlling"


def test_latest_response_per_questionnaire_is_one_rule_the_report_and_session_page_share(journal_path):
    from rekindle_widgets.model.scorer import latest_responses
    from rekindle_widgets.model.sessions import latest_scores
    from rekindle_widgets.report import build_report

    with Journal(journal_path) as j:
        j.add_response("who5", [2] * 5, total=10, band="low", at="2026-03-05T09:00:00+00:00")
        j.add_response("who5", [3] * 5, total=15, band="good", at="2026-03-09T09:00:00+00:00")
        # saved later (a higher id), but filled in earlier: not the latest
        j.add_response("who5", [1] * 5, total=5, band="low", at="2026-03-01T09:00:00+00:00")
        # the same moment written in another time zone: the later-saved one wins the tie
        j.add_response("gad7", [0] * 7 + [0], total=0, band="minimal", at="2026-03-02T10:00:00+01:00")
        j.add_response("gad7", [1] * 7 + [0], total=7, band="mild", at="2026-03-02T09:00:00+00:00")
        save(j, score("safety", ["no"] * 5), at="2026-03-10T09:00:00+00:00")  # a screen: never a latest result
        j.add_response("from-elsewhere", [1], total=None, at="2026-03-11T09:00:00+00:00")
        frame = j.responses()
        latest = latest_responses(frame)
        assert list(zip(latest["instrument"], latest["total"].fillna(-1), strict=True)) == \
            [("gad7", 7), ("who5", 15), ("from-elsewhere", -1)]  # oldest first; unknown kept, by its id
        scored = latest_responses(frame, scored=True)
        assert list(scored["instrument"]) == ["gad7", "who5"]  # no total / unknown: not a score
        assert latest_responses(frame.iloc[:0]).empty
        # the session page lists these, most recent first; the report's table shows the same results
        assert [(s.instrument, s.total) for s in latest_scores(j)] == [("who5", 15), ("gad7", 7)]
        (section,) = [s for s in build_report(j, charts=()).sections if s.title.startswith("Questionnaires")]
    rows = section.blocks[0].rows
    assert [(r[0], r[2]) for r in rows] == [("GAD-7 (anxiety)", "7 of 21"), ("WHO-5 Well-Being Index", "15 of 25"),
                                            ("from-elsewhere", "–")]


def test_saved_responses_keep_answers_total_band_flags_and_context(journal_path):
    result = score("phq9", [1] * 9 + [2])
    response_id = save(journal_path, result, context="session")
    (stored,) = stored_responses(journal_path, "phq9")
    assert stored.id == response_id and stored.context == "session"
    assert stored.answers == (1,) * 9 + (2,) and stored.total == 9 and stored.band == "mild"
    assert stored.at[:4].isdigit() and "T" in stored.at
    safety_id = save(journal_path, score("safety", ["yes"] + ["no"] * 4))
    row = next(s for s in stored_responses(journal_path) if s.id == safety_id)
    assert row.total is None and row.band is None and row.flags == ("safety",)


# --------------------------------------------------------------------------
# Stages, the ruler, paper forms
# --------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 8))
def test_stage_instruments_come_from_the_guide(number):
    stage = guide().stage(number)
    inst = instrument(f"stage{number}")
    assert inst.title == f"Stage {number}: {stage.name}" and inst.intro == stage.summary
    assert [i.text for i in inst.items if not i.is_choice] == list(stage.prompts)
    assert [i.text for i in inst.choice_items] == list(stage.checklist)
    n = len(stage.checklist)
    assert score(inst, parse_answers(inst, ",".join(["yes"] * n))).band.label == "ready to move on"
    result = score(inst, parse_answers(inst, ",".join(["yes"] * (n - 1) + ["not-yet"])))
    assert result.band.label == "not yet"
    assert result.band_reasons[0].because == (f"{len(inst.items)}. {stage.checklist[-1]} — Not yet",)


def test_ruler_keeps_three_numbers_and_asks_why_not_lower():
    inst = instrument("ruler")
    answers = parse_answers(inst, "7,3,0")
    answers[1] = "It matters to me a lot."
    result = score(inst, answers)
    assert result.total is None and result.band is None
    assert [(s[0], s[2], s[3]) for s in result.subscales] == [("importance", 7, 10), ("confidence", 3, 10),
                                                               ("readiness", 0, 10)]
    follow = inst.item("importance-why")
    assert follow.prompt({"importance": 7}) == "Why are you at 7 and not at a lower number?"
    assert "your number" in follow.prompt({})


@pytest.mark.parametrize(("inst", "text", "message"), [
    ("phq9", "0,0", r"phq9 takes 9 answers, or 10 with the optional last one, each 0-3; 2 were given"),
    ("phq9", "0,0,0,0,0,0,0,0,0,0,0", r"11 were given"),
    ("phq9", "0,0,4,0,0,0,0,0,0", r"PHQ-9, question 3: '4' is not one of its answers \(0, 1, 2, 3\)"),
    ("phq9", "0,,0,0,0,0,0,0,0", r"PHQ-9, question 2 needs an answer"),
    ("who5", "2,2,2,2,six", r"WHO-5 Well-Being Index, question 5: 'six' is not one of its answers"),
    ("safety", "yes,no,maybe,no,no", r"Safety first, question 3: 'maybe' is not one of its answers \(yes, no, prefer-not\)"),
    ("checkup", "", r"checkup takes 11 answers"),
    ("nope", "1", r"unknown instrument 'nope'; choose one of safety, checkup, who5"),
])
def test_paper_form_mistakes(inst, text, message):
    with pytest.raises(RekindleError, match=message):
        parse_answers(inst, text)


def test_paper_form_leaves_free_text_empty_and_the_optional_item_blank():
    full = parse_answers("ruler", " 5, 6 ,7")
    assert full == ["5", "", "6", "", "7", "", ""]
    assert parse_answers("phq9", "0,0,0,0,0,0,0,0,0")[-1] is None
    assert parse_answers("phq9", "0,0,0,0,0,0,0,0,0,2")[-1] == "2"


# --------------------------------------------------------------------------
# Every instrument from its data file alone; broken files name file and key
# --------------------------------------------------------------------------


def test_catalogue_is_complete_and_ordered():
    ids = [i.id for i in instruments()]
    assert ids == ["safety", "checkup", "who5", "phq9", "gad7", "ruler", *(f"stage{n}" for n in range(1, 8))]
    assert not {"panas", "hits", "danger"} & set(ids)


@pytest.mark.parametrize("path", sorted(instruments_dir().glob("*.toml")), ids=lambda p: p.name)
def test_every_instrument_file_loads_and_scores_on_its_own(path):
    loaded = load_instrument(path)
    for inst in loaded if isinstance(loaded, list) else [loaded]:
        assert inst.source and inst.licence
        for pick in (min, max):  # the lowest and the highest answer everywhere (or first and last)
            answers = [(pick(item.values) if item.scored else item.options[0 if pick is min else -1].value)
                       if item.is_choice else "" for item in inst.items]
            result = score(inst, answers)
            json.dumps(result.to_dict())  # plain data
            if inst.has_total and not any(i.reverse for i in inst.scored_items):
                assert result.total == (inst.min_total if pick is min else inst.max_total)
            if inst.bands and not inst.screen:
                assert result.band is not None


def _broken(tmp_path, name: str, old: str, new: str) -> Path:
    text = (instruments_dir() / name).read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    ("phq9.toml", "min = 5\n", "min = 6\n",
     r"phq9.toml: bands: band 'mild' starts at 6, expected 5 \(bands must cover 0-27 without gaps or overlaps\)"),
    ("phq9.toml", "max = 27", "max = 30", r"phq9.toml: bands: the bands end at 30, but the highest total is 27"),
    ("phq9.toml", 'id = "self-harm"\nlabel', 'id = "self-harm"\nkind2 = 1\nlabel',
     r"phq9.toml: flags\[0\].kind2: unknown key"),
    ("phq9.toml", 'when = { item = "self-harm", above = 0 }', 'when = { item = "self-ham", above = 0 }',
     r"phq9.toml: flags\[0\].when: item 'self-ham' is not an item"),
    ("phq9.toml", 'text = "Poor appetite or overeating"\n', "",
     r"phq9.toml: items\[4\].text: missing"),
    ("phq9.toml", 'choices = "frequency"', 'choices = "often"',
     r"phq9.toml: items\[0\].choices: 'often' is not a choice set \(known: frequency\)"),
    ("phq9.toml", 'kind = "crisis"', 'kind = "danger"', r"phq9.toml: flags\[0\].kind: expected one of crisis"),
    ("phq9.toml", 'id = "phq9"', 'id = "phq8"', r"phq9.toml: instrument.id: 'phq8' must match the file name"),
    ("phq9.toml", "[instrument]", "[instrument", r"phq9.toml: not valid TOML"),
    ("who5.toml", "percentage_factor = 4", "percentage_factor = 5",
     r"who5.toml: scoring.percentage_factor: the highest total times 5 is 125, not 100"),
    ("checkup.toml", 'when = { item = "unfaithful", equals = "yes" }', 'when = { item = "unfaithful", equals = "yse" }',
     r"checkup.toml: flags\[0\].when: 'yse' is not an answer of unfaithful"),
    ("checkup.toml", 'text_from = "pause_signs[3]"', 'text_from = "pause_signs[9]"',
     r"checkup.toml: items\[9\].text_from: 'pause_signs\[9\]' is not a guide text"),
    ("checkup.toml", 'flags = ["unfaithful", "put-down"', 'flags = ["unfaithfull", "put-down"',
     r"checkup.toml: bands\[0\].when: flag 'unfaithfull' is not defined"),
    ("stages.toml", 'title = "Stage {number}: {name}"', 'title = "Stage {nummer}"',
     r"stages.toml: a text uses an unknown placeholder"),
    ("ruler.toml", 'follows = "importance"', 'follows = "importanse"',
     r"ruler.toml: items\[1\].follows: 'importanse' must be an earlier item"),
])
def test_broken_instrument_names_file_and_key(tmp_path, name, old, new, message):
    with pytest.raises(ContentError, match=message):
        load_instrument(_broken(tmp_path, name, old, new))


@pytest.mark.skipif(not SEED.exists(), reason="the source guide is not beside this checkout")
@pytest.mark.parametrize("name", ["checkup.toml", "safety.toml", "stages.toml", "ruler.toml"])
def test_our_instrument_texts_are_our_own_words(name):
    words = lambda text: re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))
    source = words(SEED.read_text(encoding="utf-8"))
    shingles = {tuple(source[i:i + 8]) for i in range(len(source) - 7)}
    ours = words((instruments_dir() / name).read_text(encoding="utf-8"))
    assert [" ".join(ours[i:i + 8]) for i in range(len(ours) - 7) if tuple(ours[i:i + 8]) in shingles] == []
