"""The path from a first visit to coming back, without a browser (issue 24): the example journal and one's own,
the helplines' region from the browser and from the person's choice, and an Undo that stays in its visit."""

from __future__ import annotations

import json
import re

import pytest

from rekindle_widgets.app import EXAMPLE_NOTICE, App
from rekindle_widgets.content import region_from_browser
from rekindle_widgets.io.importers import import_file
from rekindle_widgets.journal import Journal, as_journal
from rekindle_widgets.paths import own_journal
from rekindle_widgets.widgets.mood import MoodLog


@pytest.fixture
def example(demo_journal, monkeypatch):
    """`make app`: the app is pointed at the example journal; the person has no journal of their own yet."""
    monkeypatch.setenv("REKINDLE_JOURNAL", str(demo_journal))
    monkeypatch.delenv("REKINDLE_REGION", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    return demo_journal


def _band(app: App) -> str:
    return "".join(getattr(child, "value", "") for child in app.example.children)


def test_the_example_says_so_until_the_person_starts_their_own(example):
    app = App()
    assert app.journal.is_example() and EXAMPLE_NOTICE in _band(app)
    assert "The example journal" in app.show("Start").where.value
    app.example.children[1].click()  # "Start my own journal"
    assert app.journal.path == own_journal() and app.journal.count() == 0
    assert "Your own journal is open" in _band(app) and EXAMPLE_NOTICE not in _band(app)
    assert "no entries yet" in app.show("Start").where.value
    # coming back: the app and the notebooks (as_journal(None)) open the person's journal, not the example
    assert App().journal.path == own_journal()
    assert as_journal(None).path == own_journal()
    assert not App().example.children


def test_a_journal_with_one_entry_of_ones_own_is_not_an_example(journal_path, demo_journal):
    from rekindle_widgets.model.scorer import save, score

    with Journal(demo_journal) as j:
        assert j.is_example()
        save(j, score("safety", ["no"] * 5))  # trying the example's check-up keeps it the example
        assert j.is_example()
        j.add(4, note="mine")
        assert not j.is_example()
    with Journal(journal_path) as empty:
        assert not empty.is_example()  # an empty journal is the person's, waiting for its first entry


@pytest.mark.parametrize(("zone", "languages", "region"), [
    ("Europe/London", ["en"], "UK"),
    ("Europe/London", ["en-US"], "UK"),  # the clock says where, not the browser's default language
    ("Australia/Sydney", [], "AU"),
    ("Asia/Calcutta", [], "IN"),  # an old name of Asia/Kolkata
    ("Europe/Paris", ["fr-FR"], "OTHER"),  # a country with no region of its own: "anywhere else"
    ("Etc/UTC", ["en-IE"], "IE"),  # no country in the zone: the language's
    ("Etc/UTC", ["en"], None),
    ("", [], None),
])
def test_the_browser_suggests_a_region(zone, languages, region):
    assert region_from_browser(zone, languages) == region


def test_the_region_follows_the_browser_until_the_person_chooses_one(example):
    app = App()
    start = app.show("Start")
    assert app.region == "OTHER"
    app.browser.value = json.dumps({"timeZone": "Europe/London", "languages": ["en-US"]})
    assert app.region == "UK" and start.safety.region.value == "UK" and "116 123" in start.safety.value
    app.browser.value = "not what our script sends"
    assert app.region == "UK"
    start.safety.region.value = "IE"  # the person's choice: kept, and the browser no longer decides
    assert app.journal.setting("region") == "IE"
    later = App()
    later.browser.value = json.dumps({"timeZone": "Europe/London"})
    assert later.region == "IE" and later.show("Start").safety.region.value == "IE"


def test_a_crafted_region_setting_is_passed_over(journal_path, monkeypatch):
    monkeypatch.delenv("REKINDLE_REGION", raising=False)
    with Journal(journal_path) as j:
        j.set_setting("region", "<script>")
    assert App(journal_path).region in {"OTHER", "US", "UK", "AU", "IE", "CA", "NZ", "IN", "DE", "ZA"}
    assert App(journal_path).region != "<script>"


def test_undo_offers_only_this_visits_changes_in_words(journal_path, tmp_path):
    export = tmp_path / "daylio_export.csv"
    export.write_text("full_date,date,weekday,time,mood,activities,note_title,note\n"
                      "2026-11-30,30 November,Monday,9:05 pm,good,walk,,\n"
                      "2026-12-01,1 December,Tuesday,8:40 pm,meh,,,tired\n", encoding="utf-8")
    with Journal(journal_path) as j:  # last week: an import
        import_file(j, export)
    with Journal(journal_path) as j:
        page = MoodLog(j)
        page.undo.show()
        assert page.undo.layout.display == "none"  # the import is another visit's
        assert str(j.last_change()) == "the import of 2 entries from the Daylio CSV export"
        assert "import:" not in str(j.last_change())
        page.mood.value = 4
        page.save.click()
        assert page.undo.layout.display != "none" and "adding entry" in page.undo.button.description
        page.undo.undo()
        assert page.undo.layout.display == "none"  # nothing else from this visit
        assert j.count() > 0  # and the earlier import is still there
        earlier = page.undo.earlier.value  # shown with its date, not offered
        assert "Changes from earlier visits" in earlier and "the import of 2 entries from the Daylio CSV" in earlier
        assert re.search(r"\d\d \w{3} 20\d\d, \d\d:\d\d: the import", earlier), earlier


def test_a_therapists_result_speaks_to_the_therapist_and_errors_name_the_question():
    from rekindle_widgets.model.scorer import score
    from rekindle_widgets.widgets.questionnaire import Questionnaire, result_html

    result = score("phq9", [2] * 9 + [1])
    assert "Next steps" in result_html(result) and "your doctor" in result_html(result)
    alone = result_html(result, session=True)
    assert "Next steps" not in alone and "What the workbook tells someone alone" in alone
    q = Questionnaire("phq9", save=False, history=False)
    q.submit()
    assert "PHQ-9, question 1 needs an answer" in q.message.value and "phq9" not in q.message.value


def test_the_person_gets_their_own_report_from_the_mood_log(demo_journal):
    import base64
    import re

    with Journal(demo_journal) as j:
        page = MoodLog(j)
        page.report.html_button.click()
        link = page.report.link.value
        assert 'download="my-journal-report-' in link and "data:text/html;base64," in link
        text = base64.b64decode(re.search(r"base64,([^\"]+)\"", link).group(1)).decode("utf-8")
        assert "My journal" in text and "I entered everything here myself" in text and "<img" in text
        page.report.pdf_button.click()
        pdf = base64.b64decode(re.search(r"base64,([^\"]+)\"", page.report.link.value).group(1))
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
