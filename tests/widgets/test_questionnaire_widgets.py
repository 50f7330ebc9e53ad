"""The questionnaire widgets, driven as a person would, without a browser: set values, click, read."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
import pytest

from rekindle_widgets.content import guide
from rekindle_widgets.content.instruments import instrument, instruments, load_instrument
from rekindle_widgets.journal import Journal
from rekindle_widgets.widgets import CheckUp, Questionnaire, SafetyPanel

from ..conftest import file_digest
from ..unit.test_scorer import MINI


def fill(q: Questionnaire, answers: dict | list) -> None:
    if isinstance(answers, list):
        answers = dict(zip([i.id for i in q.instrument.items], answers, strict=True))
    for item_id, value in answers.items():
        q.controls[item_id].value = value


def responses(path):
    with Journal(path, create=False) as j:
        return j.responses()


# --------------------------------------------------------------------------
# Rendering any instrument
# --------------------------------------------------------------------------


@pytest.mark.parametrize("inst", instruments(), ids=lambda i: i.id)
def test_every_instrument_renders_labelled_controls_and_scores(inst, journal_path):
    q = Questionnaire(inst, journal_path)
    assert len(q.controls) == len(inst.items)
    for item in inst.items:
        control = q.controls[item.id]
        assert control.description.startswith(f"Answer {item.number}")  # a visible label on every control
        assert ("(required)" in control.description) is item.required
        assert not isinstance(control, (w.IntSlider, w.FloatSlider, w.SelectionSlider))
        if item.is_choice:
            assert isinstance(control, (w.RadioButtons, w.Dropdown)) and control.value is None
            assert [v for _, v in control.options] == list(item.values)
        else:
            assert isinstance(control, w.Textarea)
    fill(q, {i.id: (min(i.values) if i.scored else i.values[0]) for i in inst.choice_items})
    q.submit_button.click()
    assert q.result is not None, q.message.value
    assert q.saved_id is not None and "Saved to your journal." in q.result_html
    assert escape_free(inst.title) in q.result_html


def escape_free(text: str) -> str:
    from html import escape

    return escape(text)


def test_paged_progress_back_and_next():
    q = Questionnaire("phq9", save=False, history=False)
    assert q.paged and "Question 1 of 10" in q.progress.value and "0 of 10 answered" in q.progress.value
    visible = lambda: [n for n, b in enumerate(q.blocks) if b.layout.display != "none"]
    assert visible() == [0] and q.back_button.disabled and not q.next_button.disabled
    q.controls["interest"].value = 1  # a first answer to a choice goes on to the next question by itself
    assert "Question 2 of 10" in q.progress.value and visible() == [1]
    q.back_button.click()
    q.controls["interest"].value = 2  # a change of mind stays on the question
    assert visible() == [0]
    q.next_button.click()
    q.next_button.click()
    assert "Question 3 of 10" in q.progress.value and "1 of 10 answered" in q.progress.value
    assert visible() == [2]
    q.back_button.click()
    assert "Question 2 of 10" in q.progress.value
    for _ in range(20):
        q.next_button.click()
    assert visible() == [9] and q.next_button.disabled


def test_filling_a_form_from_an_earlier_response_stays_on_the_first_question():
    q = Questionnaire("phq9", save=False, history=False)
    q.set_answers([1] * 9 + [0])
    assert q.index == 0 and "10 of 10 answered" in q.progress.value


def test_short_instruments_are_on_one_page():
    q = Questionnaire("who5", save=False, history=False)
    assert not q.paged and all(b.layout.display != "none" for b in q.blocks)
    assert "Question" not in q.progress.value and "0 of 5 answered" in q.progress.value
    assert q.nav.children[0] is q.submit_button  # no back/next on one page
    assert "need an answer" in q.header.value and "rk-required" in q.prompts["cheerful"].value
    assert "WHO-5 Well-Being Index" in q.header.value
    bare = Questionnaire("stage2", save=False, history=False, header=False)
    assert escape_free(guide().stage(2).summary) not in bare.header.value and "need an answer" in bare.header.value
    full = Questionnaire("stage2", save=False, history=False)
    assert escape_free(guide().stage(2).summary) in full.header.value


def test_missing_required_answer_says_which_jumps_there_and_saves_nothing(journal_path):
    q = Questionnaire("phq9", journal_path)
    before = file_digest(journal_path)
    fill(q, {i.id: 0 for i in q.instrument.items[:4]})
    q.submit_button.click()
    assert q.result is None and q.result_box.children == ()
    assert "PHQ-9, question 5 needs an answer" in q.message.value and 'role="alert"' in q.message.value
    assert q.index == 4 and "Question 5 of 10" in q.progress.value
    assert file_digest(journal_path) == before


# --------------------------------------------------------------------------
# Results, safety first
# --------------------------------------------------------------------------


def test_phq9_item9_shows_crisis_help_before_the_band(journal_path):
    q = Questionnaire("phq9", journal_path, region="UK")
    fill(q, [0] * 8 + [1, None])
    q.submit_button.click()
    html = q.result_html
    assert isinstance(q.result_box.children[0], SafetyPanel)
    assert html.index("Samaritans") < html.index("National Domestic Abuse Helpline")  # crisis line first
    assert html.index("116 123") < html.index("none-minimal") and html.index("999") < html.index("Total: 1 of 27")
    assert "Leave this page quickly" in html
    row = responses(journal_path).iloc[-1]
    assert (row.instrument, row.total, row.band, row["flags"]) == ("phq9", 1.0, "none-minimal", ("self-harm",))


def test_no_safety_panel_without_a_safety_flag():
    q = Questionnaire("gad7", save=False, history=False)
    fill(q, [3] * 7 + [None])
    q.submit_button.click()
    assert q.safety_panel is None and "Severity: severe" in q.result_html and "Total: 21 of 21" in q.result_html
    assert "Spitzer" in q.result_html  # the source is shown with the result


def test_who5_result_shows_raw_percentage_and_flag():
    q = Questionnaire("who5", save=False, history=False)
    fill(q, [2] * 5)
    q.submit_button.click()
    html = q.result_html
    assert "Total: 10 of 25 (40 out of 100)" in html and "poor wellbeing" in html and q.safety_panel is None


def test_response_lands_in_the_journal_with_time_and_context(journal_path):
    q = Questionnaire("gad7", journal_path)
    q.context.value = "session"
    fill(q, [1] * 7 + [2])
    q.submit_button.click()
    frame = responses(journal_path)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row.instrument, row.context, row.total, row.band) == ("gad7", "session", 7.0, "mild")
    assert row["answers"] == [1] * 7 + [2] and row.timestamp.tzinfo is not None
    assert q.saved_id == row.id
    assert "GAD-7" in q.result_html and ": the client's result</h3>" in q.result_html  # given in a session
    assert "your result" not in q.result_html


def test_a_ruler_filled_in_a_session_shows_the_clients_words_as_theirs():
    q = Questionnaire("ruler", save=False, history=False, context="session")
    fill(q, {"importance": 8, "importance-why": "we still laugh together", "confidence": 4, "readiness": 2})
    q.submit_button.click()
    assert "In the client's own words" in q.result_html and "In your own words" not in q.result_html


def test_earlier_response_reopens_read_only_and_as_a_copy(journal_path):
    q = Questionnaire("ruler", journal_path)
    fill(q, {"importance": 8, "importance-why": "I <3 them & <b>miss</b> them", "confidence": 4, "readiness": 2})
    q.submit_button.click()
    first = q.saved_id
    html = q.result_html  # the person's own words are shown back, escaped
    assert "In your own words" in html and "Why are you at 8 and not at a lower number?" in html
    assert ": your result</h3>" in html  # filled in by the person themselves
    assert "I &lt;3 them &amp; &lt;b&gt;miss&lt;/b&gt; them" in html and "<b>miss" not in html
    assert "raised a flag" not in html  # the ruler has no flags to raise
    q.reset()
    assert q.controls["importance"].value is None and q.result_box.children == ()
    ((_label, value),) = q.history.options
    assert value == first
    q.history.value = first
    q.open_button.click()
    assert q.read_only and q.controls["importance"].value == 8 and q.controls["importance"].disabled
    assert q.controls["importance-why"].value == "I <3 them & <b>miss</b> them"  # text widgets show text as is
    assert q.submit_button.disabled and "Importance: <b>8</b> of 10" in q.result_html
    assert "shown read-only" in q.result_html
    q.submit_button.click()  # nothing new is saved from a read-only view
    assert len(responses(journal_path)) == 1
    q.edit_button.click()
    assert not q.read_only and q.controls["confidence"].value == 4 and not q.controls["confidence"].disabled
    q.controls["confidence"].value = 6
    q.submit_button.click()
    frame = responses(journal_path)
    assert len(frame) == 2 and frame.iloc[-1].answers[2] == 6
    assert len(q.history.options) == 2


def test_follow_up_prompt_names_the_chosen_number():
    q = Questionnaire("ruler", save=False, history=False)
    assert "Why are you at your number and not at a lower number?" in q.prompts["importance-why"].value
    q.controls["importance"].value = 6
    assert "Why are you at 6 and not at a lower number?" in q.prompts["importance-why"].value
    assert isinstance(q.controls["importance"], w.Dropdown)  # 11 options: a dropdown, not a slider


def test_item_and_title_text_is_escaped(tmp_path):
    path = tmp_path / "mini.toml"
    path.write_text(MINI, encoding="utf-8")
    q = Questionnaire(load_instrument(path), save=False, history=False)
    assert "I feel &lt;b&gt;awful&lt;/b&gt;" in q.prompts["flipped"].value
    assert "<b>awful" not in q.prompts["flipped"].value
    assert "Mini &lt;scale&gt;" in q.header.value
    fill(q, {"plain": 1, "flipped": 3})
    q.submit_button.click()
    assert "Mini &lt;scale&gt;" in q.result_html and "<scale>" not in q.result_html


def test_a_bad_context_is_refused():
    with pytest.raises(ValueError, match="context must be 'self' or 'session'"):
        Questionnaire("who5", context="therapy", save=False, history=False)


# --------------------------------------------------------------------------
# The safety panel and the check-up flow
# --------------------------------------------------------------------------


def test_safety_panel_region_selector_and_quick_exit():
    panel = SafetyPanel(region="uk")
    assert panel.region.description == "Your region"
    assert [v for _, v in panel.region.options] == [r.code for r in guide().safety.regions]
    assert "0808 2000 247" in panel.value and "999" in panel.value and "800-799" not in panel.value
    url = guide().safety.quick_exit_url
    assert f'href="{url}" target="_top"' in panel.value and "Leave this page quickly" in panel.value
    panel.region.value = "US"
    assert "800-799-7233</b></a> (800-799-SAFE)" in panel.value and 'href="tel:8007997233"' in panel.value
    assert "START to 88788" in panel.value and "911" in panel.value
    panel.region.value = "OTHER"
    assert "your local emergency number" in panel.value
    assert SafetyPanel(region="US", kinds=("crisis",)).value.index("988") < \
        SafetyPanel(region="US", kinds=("crisis",)).value.index("800-799")


def test_safety_panel_region_dropdown_changes_the_numbers_shown():
    panel = SafetyPanel(region="US", kinds=("crisis",))
    codes = [v for _, v in panel.region.options]
    assert {"US", "UK", "IE", "CA", "AU", "NZ", "IN", "DE", "ZA", "OTHER"} <= set(codes)
    assert "988" in panel.value and "1800 737 732" not in panel.value
    panel.region.value = "AU"
    assert 'href="tel:131114"' in panel.value and "<b>13 11 14</b>" in panel.value and "1800 737 732" in panel.value
    assert "Call 000 now" in panel.value and "Showing services for Australia" in panel.value
    assert panel.value.index("Lifeline Australia") < panel.value.index("1800RESPECT")  # crisis first still
    assert "988" not in panel.value and "911" not in panel.value
    panel.region.value = "IE"
    assert "Women&#x27;s Aid" in panel.value and "Women's Aid" not in panel.value  # escaped as everywhere
    assert "Call 112 or 999 now" in panel.value
    panel.region.value = "CA"
    assert "sheltersafe.ca" in panel.value and 'href="tel:988"' in panel.value


def test_safety_panel_starts_in_the_persons_region(monkeypatch):
    monkeypatch.delenv("REKINDLE_REGION")
    monkeypatch.setenv("LC_ALL", "en_NZ.UTF-8")
    panel = SafetyPanel()
    assert panel.region.value == "NZ" and "0800 733 843" in panel.value and "Call 111 now" in panel.value


@pytest.mark.parametrize("answer", ["yes", "prefer-not"])
@pytest.mark.parametrize("item", ["hurt", "threatened", "afraid", "controlled", "forced"])
def test_check_up_stops_on_any_safety_yes(journal_path, item, answer):
    flow = CheckUp(journal_path, region="UK")
    assert flow.step == "safety" and flow.checkup.layout.display == "none"
    fill(flow.safety, {i.id: "no" for i in flow.safety.instrument.items} | {item: answer})
    flow.safety.submit_button.click()
    assert flow.step == "stopped" and flow.checkup.layout.display == "none" and not flow.verdict_shown
    html = flow.safety.result_html
    assert html.index("National Domestic Abuse Helpline") < html.index("Samaritans")
    assert "0808 2000 247" in html and "verdict is not shown" in html
    assert "no verdict is shown" in flow.stopped.value
    assert "Total" not in html and "Band" not in html  # never a danger score
    flow.safety_panel.region.value = "US"
    assert "800-799-7233" in flow.safety.result_html
    row = responses(journal_path).iloc[-1]
    assert row.instrument == "safety" and row["flags"] == ("safety",) and pd.isna(row.total)  # no total


def test_check_up_goes_on_when_safe_and_gives_a_verdict_with_reasons(journal_path):
    flow = CheckUp(journal_path)
    fill(flow.safety, ["no"] * 5)
    flow.safety.submit_button.click()
    assert flow.step == "checkup" and flow.checkup.layout.display == ""
    assert flow.checkup.paged and "Question 1 of 17" in flow.checkup.progress.value
    answers = {"unfaithful": "no", "put-down": "no", "own-part": "yes", "pattern": "no", "sign-identity": "no",
               "sign-routine": "yes", "sign-alone": "no", "sign-fix": "no", "they-want": "yes",
               "difference": "habits", "changed": "yes", "draw": "We <laugh> a lot"}
    fill(flow.checkup, answers)
    flow.checkup.submit_button.click()
    assert flow.verdict_shown
    html = flow.checkup.result_html
    assert "Verdict: take a long pause first" in html
    assert "Why: the answers that led here" in html and guide().pause_signs[1] in html
    assert "<laugh>" not in html
    assert list(responses(journal_path).instrument) == ["safety", "checkup"]
    # a later safety "yes" hides the verdict again
    flow.safety.controls["afraid"].value = "yes"
    flow.safety.submit_button.click()
    assert flow.step == "stopped" and not flow.verdict_shown and flow.checkup.result_box.children == ()


def test_the_check_up_checkup_instrument_has_every_theme():
    sections = [i.section for i in instrument("checkup").items if i.section]
    assert sections == ["Why it ended", "Your own part", "Patterns", "Why you want them back: is this true for you?",
                        "Do they want it too?", "What is different this time", "On again, off again"]
