"""Questionnaires between sessions in a real browser: the Therapist tab's plan panel and alerts, the practice
overview, and the client's plan on the Wellbeing page, at 1280 px and on a phone (390 px).

Screenshots go to artefacts/screenshots/plans-*.png.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rekindle_widgets.io import plan_files
from rekindle_widgets.journal import Journal
from rekindle_widgets.model import plans
from rekindle_widgets.model.practice import Practice

from ..a11y import axe, cut_off, require_axe, serious, too_narrow_fields
from ..servers import demo_app, screenshot
from ..unit.test_plans import phq9, save

pytestmark = pytest.mark.slow
TIMEOUT = 60_000
TODAY = date.today()


@pytest.fixture(scope="module")
def plans_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    practice = Practice(folder / "practice")
    clients = {}
    for alias, totals in {"Ash": [16, 8], "Cedar <i>": [8, 15], "Damson": [20, 14], "Elm": [10]}.items():
        client = clients[alias] = practice.add(alias)
        with client.open_journal() as journal:
            for n, total in enumerate(totals):
                save(journal, "phq9", phq9(total), TODAY - timedelta(days=40 - 20 * n))
    with clients["Cedar <i>"].open_journal() as journal:
        plan = plans.set_plan(journal, clients["Cedar <i>"].id, ["phq9", "gad7"], 7, TODAY - timedelta(days=9))
        save(journal, "phq9", phq9(14), TODAY - timedelta(days=1))
        journal.add_session(day=TODAY - timedelta(days=5))
    server, own = demo_app(folder, REKINDLE_PRACTICE=str(practice.path))
    with Journal(own) as journal:  # the person's own journal has a plan from their therapist too
        plan_files.open_plan(journal, plan_files.plan_file_text(plan))
    yield server, practice, clients
    server.stop()


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_session_page_and_overview(browser, plans_server, width):
    server, _, clients = plans_server
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(server.url, timeout=TIMEOUT)
        page.get_by_role("tab", name="Therapist").click()
        page.get_by_text("Therapist: a session with a client").wait_for(timeout=TIMEOUT)
        cedar = clients["Cedar <i>"]
        page.get_by_label("Client", exact=True).select_option(label=f"Cedar <i> ({cedar.id})")
        page.get_by_text("Between sessions: questionnaires").wait_for(timeout=TIMEOUT)
        alerts = page.locator(".rk-alerts").first
        alerts.wait_for(timeout=TIMEOUT)
        text = alerts.inner_text()
        assert "Reliable deterioration" in text and "PHQ-9 8 → 14" in text and "Questionnaire overdue" in text
        due = page.locator(".rk-due").first.inner_text()
        assert "GAD-7 (overdue since" in due
        assert "PHQ-9 (low mood): 14 of 27" in page.locator(".rk-new").first.evaluate(
            "e => e.parentElement.innerText")
        where = page.get_by_text("Where Cedar <i> is").bounding_box()["y"]
        assert alerts.bounding_box()["y"] < where  # at the top
        page.set_viewport_size({"width": width, "height": 4000})
        page.wait_for_timeout(400)
        screenshot(page, f"plans-session-{width}")
        assert _overflow(page) <= 0, "the session page is wider than the screen"

        page.get_by_role("button", name="Practice overview").click()
        table = page.locator("table.rk-overview-clients")
        table.wait_for(timeout=TIMEOUT)
        assert table.locator("tbody tr").count() == 4
        assert "Cedar <i>" in table.inner_text()  # shown as text, not as markup
        outcomes = page.locator("table.rk-overview-outcomes").inner_text()
        assert "67% (2 of 3)" in outcomes and "33% (1 of 3)" in outcomes  # Ash and Damson; Cedar
        page.wait_for_timeout(300)
        page.locator(".rk-overview").scroll_into_view_if_needed()
        screenshot(page, f"plans-overview-{width}")
        assert _overflow(page) <= 0, "the overview makes the page wider than the screen"
        assert not cut_off(page) and not too_narrow_fields(page)
        assert not serious(axe(page, require_axe()))  # the plan panel, the alerts and the overview
    finally:
        context.close()
    assert not [e for e in errors if "widget" in e.lower()], errors


def test_wellbeing_shows_what_the_plan_asks_for(browser, plans_server):
    server, _, _ = plans_server
    context = browser.new_context(viewport={"width": 390, "height": 1400})
    page = context.new_page()
    try:
        page.goto(server.url, timeout=TIMEOUT)
        line = page.locator(".rk-due-line")  # the Start page says it in one line
        line.wait_for(timeout=TIMEOUT)
        assert "due: PHQ-9 (overdue since" in line.inner_text()
        page.get_by_role("tab", name="Wellbeing").click()
        page.get_by_role("heading", name="From your therapist").wait_for(timeout=TIMEOUT)
        due = page.locator(".rk-plan-client .rk-due").inner_text()
        assert "GAD-7 (overdue since" in due and "PHQ-9" in due
        assert page.get_by_role("link", name="Add the due days to your calendar (.ics)").count() == 1
        page.wait_for_timeout(300)
        screenshot(page, "plans-wellbeing-390")
        assert _overflow(page) <= 0
    finally:
        context.close()
