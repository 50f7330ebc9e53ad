"""Corrections in a real browser (issue 16 part 1): the Mood log's edit, delete, back-dating and Undo, and the
Stages page's edit, remove and Undo, through Voila and Debian's Chromium."""

from __future__ import annotations

import re

import pytest

from rekindle_widgets.journal import Journal

from ..servers import demo_app, screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000


def open_tab(page, server, tab: str) -> None:
    page.goto(server.url, timeout=TIMEOUT)
    page.get_by_role("tab", name="Start").wait_for(timeout=TIMEOUT)
    page.get_by_role("tab", name=tab).click()


def row_with(page, text: str):
    """The list row (an HBox) that shows ``text``."""
    return page.locator(".widget-hbox", has=page.get_by_text(text, exact=False)).last


def no_widget_errors(page) -> None:
    assert page.get_by_text("Error displaying widget").count() == 0
    assert not [e for e in page.errors if "widget" in e.lower() or "kernel" in e.lower()], page.errors


def notes(journal) -> list[str]:
    with Journal(journal, create=False) as j:
        return [r[6] for r in j.rows()]


def test_mood_log_edit_delete_undo_and_back_dating_in_the_browser(page, app_server):
    server, journal = app_server
    open_tab(page, server, "Mood log")
    page.get_by_text("Recent entries").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="2 bad").click()
    page.get_by_label("Note").fill("browser: tapped the wrong mood")
    page.get_by_role("button", name="Save entry").click()
    saved = page.get_by_text(re.compile(r"Saved entry \d+: mood 2"))
    saved.wait_for(timeout=TIMEOUT)
    entry_id = int(re.search(r"Saved entry (\d+)", saved.inner_text()).group(1))
    page.get_by_role("button", name=f"Undo adding entry {entry_id}").wait_for(timeout=TIMEOUT)

    row_with(page, "browser: tapped the wrong mood").get_by_role("button", name="Edit").click()
    page.get_by_role("button", name=f"Save changes to entry {entry_id}").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="4 good").click()
    page.get_by_label("Note").fill("browser: corrected to good")
    page.get_by_role("button", name=f"Save changes to entry {entry_id}").click()
    page.get_by_text(f"Changed entry {entry_id}.").wait_for(timeout=TIMEOUT)
    row_with(page, "browser: corrected to good").wait_for(timeout=TIMEOUT)
    screenshot(page, "corrections-01-mood-edited")
    assert "browser: corrected to good" in notes(journal) and "browser: tapped the wrong mood" not in notes(journal)

    row_with(page, "browser: corrected to good").get_by_role("button", name="Delete").click()
    page.get_by_text(f"Deleted entry {entry_id}. Undo brings it back.").wait_for(timeout=TIMEOUT)
    assert "browser: corrected to good" not in notes(journal)
    page.get_by_role("button", name=f"Undo deleting entry {entry_id}").click()
    page.get_by_text(f"Undid deleting entry {entry_id}.").wait_for(timeout=TIMEOUT)
    assert "browser: corrected to good" in notes(journal)
    page.get_by_role("button", name=f"Undo edit of entry {entry_id}").click()
    page.get_by_text(f"Undid edit of entry {entry_id}.").wait_for(timeout=TIMEOUT)
    assert "browser: tapped the wrong mood" in notes(journal)

    # a forgotten entry, back-dated with a date and a time
    page.get_by_role("button", name="3 meh").click()
    page.get_by_label("Note").fill("browser: written a week late")
    page.get_by_label("Day (optional)").fill("2026-03-01")
    page.locator("input[type=time]:visible").first.fill("20:30")  # the Start page has a reminder time too
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text(re.compile(r"Saved entry \d+: mood 3")).wait_for(timeout=TIMEOUT)
    with Journal(journal, create=False) as j:
        (row,) = [r for r in j.rows() if r[6] == "browser: written a week late"]
    assert row[1].startswith("2026-03-01T20:30")
    screenshot(page, "corrections-02-mood-back-dated")
    no_widget_errors(page)


def test_stages_page_edit_remove_and_undo_in_the_browser(page, app_server):
    server, journal = app_server
    with Journal(journal, create=False) as j:
        before = [(c.stage, c.since, c.note) for c in j.stage_changes()]
    latest = before[-1]
    open_tab(page, server, "Stages")
    page.get_by_text("Stage changes recorded").wait_for(timeout=TIMEOUT)
    first_row = row_with(page, latest[1].isoformat())
    first_row.get_by_role("button", name="Edit").click()
    page.get_by_role("button", name="Save changes").wait_for(timeout=TIMEOUT)
    page.get_by_label("Note (optional)").fill("browser: a corrected stage note")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text(re.compile("Changed: stage")).wait_for(timeout=TIMEOUT)
    with Journal(journal, create=False) as j:
        assert j.stage_changes()[-1].note == "browser: a corrected stage note"
    row_with(page, "browser: a corrected stage note").get_by_role("button", name="Remove").click()
    page.get_by_text("Removed that stage change. Undo brings it back.").wait_for(timeout=TIMEOUT)
    with Journal(journal, create=False) as j:
        assert len(j.stage_changes()) == len(before) - 1
    screenshot(page, "corrections-03-stage-removed")
    page.get_by_role("button", name=re.compile("Undo deleting stage change")).click()
    page.get_by_role("button", name=re.compile("Undo edit of stage change")).click()
    page.get_by_text(re.compile("Undid edit of stage change")).wait_for(timeout=TIMEOUT)
    with Journal(journal, create=False) as j:
        assert [(c.stage, c.since, c.note) for c in j.stage_changes()] == before
    no_widget_errors(page)


def test_the_recent_entries_fit_a_phone(browser, app_server):
    server, _ = app_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        open_tab(page, server, "Mood log")
        page.get_by_text("Recent entries").wait_for(timeout=TIMEOUT)
        page.get_by_role("button", name="Delete").first.wait_for(timeout=TIMEOUT)
        page.wait_for_timeout(500)
        screenshot(page, "corrections-04-mood-390px")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
        assert page.get_by_role("button", name="Delete").first.is_visible()
    finally:
        context.close()


@pytest.fixture(scope="module")
def session_server(tmp_path_factory):
    from rekindle_widgets.model.practice import Practice

    folder = tmp_path_factory.mktemp("therapist")
    practice = Practice(folder / "practice")
    client = practice.add("Alder")
    with client.open_journal() as j:
        j.add_session(day="2026-05-01", minutes=50, notes={"subjective": "Browser: the first words"},
                      goals={"Sleep before midnight": 4})
    server, _ = demo_app(folder, REKINDLE_PRACTICE=str(practice.path))
    yield server, practice, client
    server.stop()


def test_therapist_page_edits_a_session_and_undoes_it_in_the_browser(page, session_server):
    server, _practice, client = session_server
    open_tab(page, server, "Therapist")
    page.get_by_text("Therapist: a session with a client").wait_for(timeout=TIMEOUT)
    page.set_viewport_size({"width": 1280, "height": 3600})  # Voila scrolls inside the page: show it all
    page.get_by_label("Client", exact=True).select_option(label=f"Alder ({client.id})")
    page.get_by_text("Sessions saved").wait_for(timeout=TIMEOUT)
    row_with(page, "Browser: the first words").get_by_role("button", name="Edit").click()
    page.get_by_role("button", name="Save changes").wait_for(timeout=TIMEOUT)
    assert page.get_by_label("Subjective").input_value() == "Browser: the first words"
    page.get_by_label("Subjective").fill("Browser: the corrected words")
    page.get_by_label("Rating (0-10)").first.select_option(label="7")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Changed session 1.").wait_for(timeout=TIMEOUT)
    row_with(page, "Browser: the corrected words").wait_for(timeout=TIMEOUT)
    with client.open_journal(create=False) as j:
        (session,) = j.sessions()
    assert session.notes["subjective"] == "Browser: the corrected words" and session.goals[0].rating == 7
    assert session.day.isoformat() == "2026-05-01"
    screenshot(page, "corrections-05-session-edited")
    page.get_by_role("button", name="Undo edit of session 1").click()
    page.get_by_text("Undid edit of session 1.").wait_for(timeout=TIMEOUT)
    with client.open_journal(create=False) as j:
        assert j.sessions()[0].notes["subjective"] == "Browser: the first words"
    no_widget_errors(page)
