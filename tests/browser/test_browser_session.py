"""The app's Therapist tab in a real browser: two clients, a short session with one, its report.

Voila serves the app, Debian's Chromium shows it; each step saves a
screenshot under artefacts/screenshots/ (session-*.png) to look at.
"""

from __future__ import annotations

import re

import pytest

from rekindle_widgets.model.practice import Practice

from ..servers import demo_app, download, screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def session_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("therapist")
    practice = folder / "practice"
    server, _ = demo_app(folder, REKINDLE_PRACTICE=str(practice))
    yield server, Practice(practice)
    server.stop()


def _no_widget_errors(page) -> None:
    assert page.get_by_text("Error displaying widget").count() == 0
    assert not [e for e in page.errors if "widget" in e.lower() or "kernel" in e.lower()], page.errors


def _add_client(page, alias: str) -> str:
    page.get_by_label("Client alias").fill(alias)
    page.get_by_role("button", name="Add client").click()
    added = page.get_by_text(re.compile(rf"Added client c-[a-z2-7]{{6}} \({re.escape(alias)}\)"))
    added.wait_for(timeout=TIMEOUT)
    return re.search(r"c-[a-z2-7]{6}", added.inner_text()).group(0)


def test_two_clients_and_a_saved_session_with_one(page, session_server, tmp_path):
    server, practice = session_server
    page.goto(server.url, timeout=TIMEOUT)
    page.get_by_role("tab", name="Therapist").wait_for(timeout=TIMEOUT)
    page.get_by_role("tab", name="Therapist").click()
    page.get_by_text("Therapist: a session with a client").wait_for(timeout=TIMEOUT)
    screenshot(page, "session-01-empty-practice")

    alder = _add_client(page, "Alder")
    birch = _add_client(page, "Birch")
    screenshot(page, "session-02-two-clients-added")
    assert {c.alias for c in practice.list()} == {"Alder", "Birch"}

    from rekindle_widgets.cli import main

    assert main(["demo", "--client", alder, "--practice", str(practice.path)]) == 0  # Alder keeps a journal
    page.set_viewport_size({"width": 1280, "height": 3600})  # Voila scrolls inside the page: show it all
    page.get_by_label("Client", exact=True).select_option(label=f"Alder ({alder})")
    page.get_by_text("Where Alder is").wait_for(timeout=TIMEOUT)
    page.get_by_text("No safety flag has been raised").wait_for(timeout=TIMEOUT)
    page.locator(".rk-session-page img[alt]").first.wait_for(timeout=TIMEOUT)  # the timeline, with alt text
    page.wait_for_timeout(300)
    screenshot(page, "session-03-client-chosen")

    page.get_by_role("button", name="Give in session").click()
    radios = page.locator(".rk-session-page .rk-questionnaire").get_by_role("radio", name="More than half of the time")
    radios.first.wait_for(timeout=TIMEOUT)
    for i in range(radios.count()):
        radios.nth(i).check()
    page.locator(".rk-session-page").get_by_role("button", name="See my result").click()
    page.get_by_text(re.compile("Given in this session .*WHO-5")).wait_for(timeout=TIMEOUT)
    screenshot(page, "session-04-questionnaire-given")

    page.get_by_label("Subjective").fill("Browser session: slept better after keeping the pause.")
    page.get_by_label("Plan").fill("Keep the 24-hour pause; review the boundaries list.")
    page.get_by_label("Homework").fill("Write down three boundaries.")
    page.get_by_label("Goal 1").fill("Sleep before midnight")
    page.get_by_label("Rating (0-10)").first.select_option(label="6")
    screenshot(page, "session-05-notes-and-goals")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text(re.compile(rf"Saved session 1 on .* for Alder \({alder}\)")).wait_for(timeout=TIMEOUT)
    page.get_by_text("last time: 6").wait_for(timeout=TIMEOUT)  # the goal carries over to the next session
    screenshot(page, "session-06-saved")

    with practice.get(alder).open_journal(create=False) as j:
        (session,) = j.sessions()
        assert session.notes["subjective"] == "Browser session: slept better after keeping the pause."
        assert [tuple(g) for g in session.goals] == [("Sleep before midnight", 6)]
        assert session.instruments == ("who5",) and list(j.responses()["context"]) == ["session"]
    with practice.get(birch).open_journal(create=False) as j:
        assert j.sessions() == [] and j.responses().empty

    report = download(page, "Make report", re.compile(rf"Download the report \(rekindle-{alder}-report-"),
                      timeout=TIMEOUT)
    assert "Browser session: slept better" in report and f"Alder ({alder})" in report
    assert "Birch" not in report and birch not in report
    screenshot(page, "session-07-report-link")

    from rekindle_widgets.model import scorer

    with practice.get(birch).open_journal(create=False) as j:  # Birch once answered yes on the safety screen
        scorer.save(j, scorer.score("safety", ["yes", "no", "no", "no", "no"]), at="2026-05-02T10:00:00+00:00")
    page.get_by_label("Client", exact=True).select_option(label=f"Birch ({birch})")
    page.get_by_text("Where Birch is").wait_for(timeout=TIMEOUT)
    flags = page.get_by_text("Safety flags raised by this client")
    flags.wait_for(timeout=TIMEOUT)
    page.locator(".rk-session-page").get_by_text("800-799-7233").first.wait_for(timeout=TIMEOUT)
    assert flags.bounding_box()["y"] < page.get_by_text("Where Birch is").bounding_box()["y"]  # at the top
    page.wait_for_timeout(300)
    assert page.get_by_text("Browser session: slept better").count() == 0
    assert page.get_by_text("Added client").count() == 0
    assert page.get_by_label("Goal 1").input_value() == ""
    screenshot(page, "session-08-other-client-safety-first")
    _no_widget_errors(page)
