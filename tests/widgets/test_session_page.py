"""The therapist's session page, driven without a browser: set values, click buttons, read what it shows."""

from __future__ import annotations

import base64
import html
import re

import pytest

from rekindle_widgets.app import PAGES, App
from rekindle_widgets.model import scorer
from rekindle_widgets.model.practice import Practice
from rekindle_widgets.widgets.session import SessionPage

from ..conftest import add_client


@pytest.fixture
def practice(tmp_path, monkeypatch):
    folder = tmp_path / "practice"
    monkeypatch.setenv("REKINDLE_PRACTICE", str(folder))
    return Practice(folder)


_add = add_client  # type the alias, click Add client, return the id the page names


def _report_text(page: SessionPage) -> str:
    link = re.search(r'href="data:text/html;base64,([^"]+)"', page.report_link.value)
    assert link, page.report_link.value
    text = base64.b64decode(link.group(1)).decode("utf-8")
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)


def test_add_clients_and_choose_one_by_alias_and_id(practice):
    page = SessionPage(practice=practice.path)
    assert (page.alias.description, page.add_button.description, page.client_choice.description) == \
        ("Client alias", "Add client", "Client")
    a = _add(page, "J.K.")
    b = _add(page, "Tuesday 3pm")
    assert "Added client" in page.add_status.value and page.alias.value == ""
    assert page.client_choice.options == ((f"J.K. ({a})", a), (f"Tuesday 3pm ({b})", b))
    assert page.client_choice.value is None and page.client_box.children == ()
    page.client_choice.value = a
    assert page.client is not None and page.client.id == a
    assert page.journal.path == practice.get(a).journal_path


@pytest.mark.parametrize("alias", ["", "../etc", "a/b", "J.K."])
def test_a_bad_or_taken_alias_is_one_line_and_adds_nothing(practice, alias):
    page = SessionPage(practice=practice.path)
    _add(page, "J.K.")
    page.alias.value = alias
    page.add_button.click()
    assert 'class="rk-msg rk-error"' in page.add_status.value
    assert page.add_status.value.count("</div>") == 1
    assert len(practice.list()) == 1 and len(page.client_choice.options) == 1


def test_a_whole_session_is_saved_to_the_chosen_client_only(practice):
    page = SessionPage(practice=practice.path, region="US")
    a, b = _add(page, "Alder"), _add(page, "Birch")
    page.client_choice.value = a
    assert "No safety flag has been raised" in page.safety_box.children[0].value
    assert "Stage 1. Bubble space" in page.agenda.value or "stage 1. Bubble space" in page.agenda.value
    assert page.agenda.value.count("<li>") >= 2

    q = page.give("who5")
    for control in q.controls.values():
        control.value = 3
    q.submit_button.click()
    assert "WHO-5 Well-Being Index" in page.given_html.value
    assert "WHO-5 Well-Being Index: 15 of 25" in page.overview.value and "(in session)" in page.overview.value

    page.template.value = "dap"
    assert list(page.note_fields) == ["data", "assessment", "plan"]
    page.note_fields["data"].value = "Alder-data: slept better after the pause."
    page.note_fields["plan"].value = "Alder-plan: keep the pause."
    page.minutes.value = 45
    page.stage.value = 2
    page.homework.value = "Alder-homework: list three boundaries."
    page.goal_rows[0].text.value = "Alder-goal: sleep before midnight"
    page.goal_rows[0].rating.value = 6
    page.add_goal().text.value = "Alder-goal: see a friend"
    page.goal_rows[1].rating.value = 3
    page.save_button.click()
    assert "Saved session 1" in page.save_status.value, page.save_status.value

    with practice.get(a).open_journal(create=False) as j:
        (session,) = j.sessions()
        responses = j.responses()
    assert session.template == "dap" and session.minutes == 45 and session.stage == 2
    assert session.notes == {"data": "Alder-data: slept better after the pause.", "assessment": "",
                             "plan": "Alder-plan: keep the pause."}
    assert session.homework == "Alder-homework: list three boundaries."
    assert [tuple(g) for g in session.goals] == [("Alder-goal: sleep before midnight", 6),
                                                 ("Alder-goal: see a friend", 3)]
    assert session.instruments == ("who5",)
    assert list(responses["context"]) == ["session"]
    with practice.get(b).open_journal(create=False) as j:
        assert j.sessions() == [] and j.responses().empty

    # the form is fresh for the next session: goals carried over, unrated, with last time's rating shown
    assert [r.text.value for r in page.goal_rows] == ["Alder-goal: sleep before midnight", "Alder-goal: see a friend"]
    assert [r.rating.value for r in page.goal_rows] == [None, None]
    assert "last time: 6" in page.goal_rows[0].hint.value
    assert all(f.value == "" for f in page.note_fields.values()) and page.homework.value == ""
    assert page.charts.value.count("<img ") == 2 and "No journal entries yet" in page.overview.value  # scores, goals
    page.journal.add(4, 6, note="Alder-entry", at="2026-05-01T09:00:00+00:00")
    page.refresh()
    assert page.charts.value.count("<img ") == 3 and page.charts.value.count(' alt="Mood (1-5') == 1  # timeline, scores, goals
    assert "Journal: 1 entries on 1 days" in page.overview.value
    assert "homework set: <bdi>Alder-homework: list three boundaries.</bdi>." in page.overview.value


def test_switching_clients_shows_and_keeps_nothing_of_the_other(practice):
    page = SessionPage(practice=practice.path)
    a, b = _add(page, "Alder"), _add(page, "Birch")
    page.client_choice.value = a
    page.note_fields["subjective"].value = "Alder-draft, not saved"
    page.goal_rows[0].text.value = "Alder-goal"
    page.goal_rows[0].rating.value = 5
    page.save_button.click()
    page.note_fields["subjective"].value = "Alder-second draft"
    page.client_choice.value = b
    assert page.client.id == b
    assert all(f.value == "" for f in page.note_fields.values())
    assert [r.text.value for r in page.goal_rows] == [""]
    shown = page.overview.value + page.charts.value + page.agenda.value
    assert "Alder" not in shown and "Where Birch is" in page.client_box.children[2].value
    page.report_button.click()
    text = _report_text(page)
    assert "Birch" in text and "Alder" not in text and a not in text


def test_refresh_without_a_client_shows_nothing_and_does_not_fail(practice):
    page = SessionPage(practice=practice.path)
    page.refresh()  # before any client was chosen (was an AttributeError: no client panels yet)
    assert page.client_box.children == () and page.journal is None
    a = _add(page, "Alder")
    page.client_choice.value = a
    assert "Where Alder is" in page.client_box.children[2].value
    page.client_choice.value = None  # back to no client: the journal is closed
    page.refresh()  # (was an AttributeError from reading the closed client's journal as None)
    assert page.client is None and page.journal is None and page.client_box.children == ()


def test_save_mistakes_are_one_line_and_save_nothing(practice):
    page = SessionPage(practice=practice.path)
    a = _add(page, "Alder")
    page.client_choice.value = a
    page.goal_rows[0].text.value = "sleep early"
    page.save_button.click()
    assert "has no rating" in page.save_status.value and 'rk-error' in page.save_status.value
    page.goal_rows[0].text.value = ""
    page.goal_rows[0].rating.value = 4
    page.save_button.click()
    assert "has a rating but no text" in page.save_status.value
    page.goal_rows[0].rating.value = None
    page.note_fields["plan"].value = "x\x00y"
    page.save_button.click()
    assert 'rk-error' in page.save_status.value
    page.note_fields["plan"].value = ""
    page.day.value = None
    page.save_button.click()
    assert "Give the session date" in page.save_status.value
    with practice.get(a).open_journal(create=False) as j:
        assert j.sessions() == []


def test_safety_flags_show_first_with_the_services_and_never_a_score(practice):
    page = SessionPage(practice=practice.path, region="UK")
    a = _add(page, "Alder")
    with practice.get(a).open_journal() as j:
        scorer.save(j, scorer.score("safety", ["yes", "no", "no", "no", "no"]), at="2026-01-02T10:00:00+00:00")
    page.client_choice.value = a
    assert page.client_box.children[0] is page.safety_box  # before anything else about the client
    flags, panel = page.safety_box.children
    assert "Safety flags raised by this client" in flags.value and "2026-01-02" in flags.value
    assert "0808 2000 247" in panel.value  # the UK helpline, from the content data
    assert not re.search(r"\b\d+ of \d+\b", flags.value)


def test_make_report_offers_a_download_and_can_anonymise(practice):
    page = SessionPage(practice=practice.path)
    a = _add(page, "<b>Alder")
    page.client_choice.value = a
    page.note_fields["subjective"].value = "Alder-note <script>x</script>"
    page.goal_rows[0].text.value = "Alder-goal"
    page.goal_rows[0].rating.value = 7
    page.save_button.click()
    page.report_button.click()
    assert f'download="rekindle-{a}-report-' in page.report_link.value
    text = _report_text(page)
    assert "&lt;b&gt;Alder (" in text and "Alder-note &lt;script&gt;x&lt;/script&gt;" in text
    page.anonymise.value = True
    page.report_button.click()
    assert f'download="rekindle-{a}-anonymised-report-' in page.report_link.value
    text = _report_text(page)
    assert a in text and "Alder" not in text and "Goal 1" in text
    assert html.escape("<b>") not in text


def test_the_page_is_in_the_app_and_uses_the_practice_from_the_environment(practice, demo_journal):
    assert PAGES["Therapist"] == "session:SessionPage"
    app = App(demo_journal)
    page = app.show("Therapist")
    assert isinstance(page, SessionPage) and page.practice.path == practice.path
    _add(page, "Alder")
    assert practice.list()[0].alias == "Alder"
    assert app.journal.count() == 280  # the person's own journal is not touched


def test_a_practice_path_that_is_a_file_is_one_line_not_a_crash(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    page = SessionPage(practice=path)
    assert "is a file" in page.status.value
    page.alias.value = "Alder"
    page.add_button.click()
    assert not path.with_name("Alder").exists()
