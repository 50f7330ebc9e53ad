"""The app's corrections without a browser: edit, delete, back-date and Undo on the Mood log, the Stages page and
the Therapist page (issue 16 part 1)."""

from __future__ import annotations

from datetime import date, time

import pytest

from rekindle_widgets.journal import Journal


def _buttons(box, name):
    return [b for row in box.children for b in getattr(row, "children", ()) if getattr(b, "description", "") == name]


def _texts(box) -> list[str]:
    return [row.children[0].value for row in box.children if getattr(row, "children", ())]


def test_mood_log_lists_edits_deletes_and_undoes(journal_path):
    from rekindle_widgets.widgets import MoodLog

    page = MoodLog(journal_path, chart=False)
    assert page.undo.layout.display == "none"  # nothing changed yet
    page.mood.value = 2
    page.note.value = "wrong mood"
    page.day.value = date(2026, 3, 1)
    page.time.value = time(20, 30)
    page.save.click()
    (row,) = page.journal.rows()
    assert row[1].startswith("2026-03-01T20:30") and row[6] == "wrong mood"  # back-dated
    assert "wrong mood" in _texts(page.recent)[0]
    assert page.undo.layout.display is None and page.undo.button.description == f"Undo adding entry {row[0]}"

    _buttons(page.recent, "Edit")[0].click()
    assert (page.mood.value, page.note.value, page.day.value) == (2, "wrong mood", date(2026, 3, 1))
    page.mood.value = 4
    page.note.value = "actually fine"
    page.save.click()
    assert page.journal.rows()[0][3:7] == (4, None, "", "actually fine")
    assert page.journal.rows()[0][1] == row[1]  # the time stayed as it was recorded
    assert "actually fine" in _texts(page.recent)[0] and page.save.description == "Save entry"
    assert page.undo.button.description == f"Undo edit of entry {row[0]}"

    _buttons(page.recent, "Delete")[0].click()
    assert page.journal.rows() == [] and "No entries yet" in page.recent.children[0].value
    page.undo.button.click()
    assert page.journal.rows()[0][6] == "actually fine" and "Undid deleting" in page.status.value
    page.undo.button.click()
    assert page.journal.rows()[0][6] == "wrong mood"
    page.undo.button.click()
    assert page.journal.rows() == [] and page.undo.layout.display == "none"


def test_mood_log_edit_with_a_bad_value_says_so_and_changes_nothing(journal_path):
    from rekindle_widgets.widgets import MoodLog

    with Journal(journal_path) as j:
        j.add(3, note="keep")
    page = MoodLog(journal_path, chart=False)
    _buttons(page.recent, "Edit")[0].click()
    page.tags.value = "a|b"
    page.save.click()
    assert "rk-error" in page.status.value and page.journal.rows()[0][5] == ""
    page.cancel.click()
    assert page.editing is None and page.note.value == ""


def test_mood_log_chart_follows_an_edit(journal_path):
    from rekindle_widgets.widgets import MoodLog

    with Journal(journal_path) as j:
        for day in range(1, 6):
            j.add(2, at=f"2026-03-0{day}T12:00:00+00:00")
    page = MoodLog(journal_path)
    before = page.alt.value
    _buttons(page.recent, "Delete")[0].click()
    assert "to 5 March 2026" in before and "to 4 March 2026" in page.alt.value  # the newest was deleted


def test_stages_page_edits_and_removes_a_stage_change(journal_path):
    from rekindle_widgets.widgets.stages import StageNavigator

    with Journal(journal_path) as j:
        j.set_stage(1, "2026-01-01", "began")
        j.set_stage(2, "2026-02-01", "typo")
    nav = StageNavigator(journal_path)
    assert "stage 2" in _texts(nav.recorded)[0]
    _buttons(nav.recorded, "Edit")[0].click()
    assert (nav.choice.value, nav.since.value, nav.note.value) == (2, date(2026, 2, 1), "typo")
    nav.choice.value = 3
    nav.note.value = "stage 3 really"
    nav.enter_button.click()
    assert [(c.stage, c.note) for c in nav.journal.stage_changes()] == [(1, "began"), (3, "stage 3 really")]
    assert "stage 3" in nav.where.value and nav.enter_button.description == "I'm entering this stage"
    _buttons(nav.recorded, "Remove")[0].click()
    assert [c.stage for c in nav.journal.stage_changes()] == [1] and "stage 1" in nav.where.value
    nav.undo.button.click()
    nav.undo.button.click()
    assert [(c.stage, c.note) for c in nav.journal.stage_changes()] == [(1, "began"), (2, "typo")]


@pytest.fixture
def therapist(tmp_path):
    from rekindle_widgets.model.practice import Practice
    from rekindle_widgets.widgets.session import SessionPage

    practice = Practice(tmp_path / "practice")
    client = practice.add("Robin")
    page = SessionPage(practice=practice)
    page.choose(client.id)
    return page


def test_therapist_page_edits_a_session_and_undoes_it(therapist):
    page = therapist
    page.note_fields["subjective"].value = "first words"
    page.goal_rows[0].text.value = "sleep"
    page.goal_rows[0].rating.value = 3
    page.save()
    assert "first words" in _texts(page.saved_sessions)[0]
    _buttons(page.saved_sessions, "Edit")[0].click()
    assert page.note_fields["subjective"].value == "first words" and page.goal_rows[0].rating.value == 3
    page.note_fields["subjective"].value = "corrected words"
    page.goal_rows[0].rating.value = 6
    page.save_button.click()
    (s,) = page.journal.sessions()
    assert s.notes["subjective"] == "corrected words" and s.goals[0].rating == 6
    assert "Changed session" in page.save_status.value and page.save_button.description == "Save session"
    assert page.undo.button.description.startswith("Undo edit of session")
    page.undo.button.click()
    assert page.journal.sessions()[0].notes["subjective"] == "first words"
    assert "first words" in _texts(page.saved_sessions)[0]


def test_mood_log_rows_follow_the_entries_without_a_new_widget_per_save(journal_path):
    """Each save shows the newest entry first and its buttons act on it; the rows' widgets are reused, so the
    page does not grow by a dozen widgets per entry listed at every save (benchmark P8)."""
    from ipywidgets.widgets.widget import _instances

    from rekindle_widgets.widgets import MoodLog

    page = MoodLog(journal_path, chart=False)
    for n, note in enumerate(["first", "second", "third"], start=1):
        page.mood.value = n
        page.note.value = note
        page.save.click()
    counts = []
    for _ in range(4):
        page.mood.value = 5
        page.note.value = "again"
        page.save.click()
        page.undo.button.click()  # back to the three entries
        counts.append(len(_instances))
    assert counts[1:] == counts[:1] * 3  # the first save made a fourth row; no save after adds any widget
    assert [t.split("mood")[0] and note in t for t, note in zip(_texts(page.recent), ["third", "second", "first"],
                                                                strict=True)] == [True] * 3
    newest = page.journal.recent(1)[0][0]
    assert _buttons(page.recent, "Edit")[0].tooltip == f"Correct entry {newest}"
    _buttons(page.recent, "Delete")[1].click()  # the second row: "second"
    assert [r[6] for r in page.journal.rows()] == ["first", "third"]
    assert len(page.recent.children) == 2
    _buttons(page.recent, "Edit")[1].click()
    assert page.note.value == "first" and page.editing == page.journal.rows()[0][0]
