"""The code-free app in a real browser: Voila serves it, Debian's Chromium shows it.

Each step saves a screenshot under artefacts/screenshots/ so a person can
look at what the app showed.
"""

from __future__ import annotations

import re

import pytest

from rekindle_widgets.journal import Journal

from .servers import demo_app, download, screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    server, journal = demo_app(tmp_path_factory.mktemp("app"))
    yield server, journal
    server.stop()


def open_app(page, server) -> None:
    page.goto(server.url, timeout=TIMEOUT)
    page.get_by_role("tab", name="Start").wait_for(timeout=TIMEOUT)
    page.get_by_text("Ways through the workbook").wait_for(timeout=TIMEOUT)


def no_widget_errors(page) -> None:
    assert page.get_by_text("Error displaying widget").count() == 0
    assert not [e for e in page.errors if "widget" in e.lower() or "kernel" in e.lower()], page.errors


def test_app_loads_without_widget_or_kernel_errors(page, app_server):
    server, _ = app_server
    open_app(page, server)
    assert page.get_by_role("link", name="Leave this page quickly").first.is_visible()
    assert page.get_by_text("800-799-7233").first.is_visible()  # the start page shows help first
    assert "import rekindle_widgets" not in page.content()  # sources are stripped
    screenshot(page, "01-start")
    no_widget_errors(page)


def _choose(block, label: str) -> None:
    block.get_by_role("radio", name=label, exact=True).check()


def test_safety_yes_shows_the_hotline_and_withholds_the_verdict(page, app_server):
    server, _ = app_server
    open_app(page, server)
    page.get_by_role("tab", name="Check-up").click()
    screen = page.locator(".rk-checkup .rk-questionnaire").first
    screen.get_by_text("Has your ex ever hit").wait_for(timeout=TIMEOUT)
    radios = screen.get_by_role("radio", name="Yes", exact=True)
    radios.first.check()
    for i in range(1, radios.count()):
        screen.get_by_role("radio", name="No", exact=True).nth(i).check()
    screen.get_by_role("button", name="See my result").click()
    flow = page.locator(".rk-checkup")
    flow.get_by_text("National Domestic Violence Hotline").first.wait_for(timeout=TIMEOUT)
    assert flow.get_by_text("800-799-7233").first.is_visible()
    assert not flow.get_by_text("Why did the relationship end?").is_visible()  # the check-up stays hidden
    assert not flow.get_by_text(re.compile("go slowly|not a re-starter|take a long pause first")).count()
    screenshot(page, "02-safety-yes")
    no_widget_errors(page)


def test_check_up_reaches_a_verdict(page, app_server):
    server, _ = app_server
    open_app(page, server)
    page.get_by_role("tab", name="Check-up").click()
    screen = page.locator(".rk-checkup .rk-questionnaire").first
    screen.get_by_text("Has your ex ever hit").wait_for(timeout=TIMEOUT)
    nos = screen.get_by_role("radio", name="No", exact=True)
    for i in range(nos.count()):
        nos.nth(i).check()
    screen.get_by_role("button", name="See my result").click()
    checkup = page.locator(".rk-checkup .rk-questionnaire").nth(1)
    checkup.get_by_role("button", name="Next").wait_for(timeout=TIMEOUT)
    for question in range(1, 40):  # one question a page: answer what is asked, then go on
        progress = checkup.get_by_text(re.compile(rf"Question {question} of (\d+)"))
        progress.wait_for(timeout=TIMEOUT)  # the kernel has shown this question
        radios = checkup.get_by_role("radio").filter(visible=True)
        if radios.count():
            radios.last.check()
        next_button = checkup.get_by_role("button", name="Next")
        if next_button.is_disabled() or not next_button.is_visible():
            break
        next_button.click()
    checkup.get_by_role("button", name="See my result").click()
    verdict = page.get_by_text(re.compile("go slowly|not a re-starter|take a long pause first")).first
    verdict.wait_for(timeout=TIMEOUT)
    screenshot(page, "03-check-up-verdict")
    no_widget_errors(page)


def test_saving_a_mood_entry_updates_the_chart_and_the_download(page, app_server):
    server, journal = app_server
    open_app(page, server)
    page.get_by_role("tab", name="Mood log").click()
    chart = page.locator("img[alt]").first
    chart.wait_for(timeout=TIMEOUT)
    before = chart.get_attribute("src")
    page.get_by_role("button", name="4 good").click()
    page.get_by_label("Note").fill("browser test: a calm walk by the river")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text(re.compile(r"Saved entry \d+: mood 4")).wait_for(timeout=TIMEOUT)
    page.wait_for_function("(before) => { const img = document.querySelector('img[alt]');"
                           " return img && img.getAttribute('src') !== before; }", arg=before, timeout=TIMEOUT)
    screenshot(page, "04-mood-saved")
    with Journal(journal, create=False) as j:
        assert "browser test: a calm walk by the river" in set(j.entries()["note"])

    page.get_by_role("tab", name="Start").click()
    text = download(page, "Prepare CSV download", re.compile(r"Save rekindle-journal-.*\.csv"), timeout=TIMEOUT)
    assert text.startswith("timestamp,mood,readiness,stage,tags,note,source\n")
    assert "browser test: a calm walk by the river" in text
    screenshot(page, "05-download")
    no_widget_errors(page)


@pytest.mark.parametrize(("tab", "shows"), [("Stages", "You are in stage 5"),
                                           ("Wellbeing", "Wellbeing check-ins"),
                                           ("Import", "Choose file")])
def test_every_page_renders(page, app_server, tab, shows):
    server, _ = app_server
    open_app(page, server)
    page.get_by_role("tab", name=tab).click()
    page.locator(".widget-tab-contents").get_by_text(shows).first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    screenshot(page, f"06-page-{tab.lower()}")
    no_widget_errors(page)
