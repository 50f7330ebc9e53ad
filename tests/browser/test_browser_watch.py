"""The red-flag watch in a real browser: record an agreement, three weekly check-ins, see the flag.

Voila serves a one-page app (the panel of :mod:`rekindle_widgets.widgets.watch`,
as the "Moving forward" page will host it), Debian's Chromium shows it; the
screenshots go to artefacts/screenshots/watch-*.png, at 1280 and 390 px.
"""

from __future__ import annotations

from datetime import date, timedelta

import nbformat
import pytest

from rekindle_widgets.journal import Journal

from ..a11y import axe, cut_off, require_axe, serious
from ..servers import screenshot, voila

pytestmark = pytest.mark.slow
TIMEOUT = 60_000
CELL = """import os
from rekindle_widgets.app import App
App(os.environ["WATCH_JOURNAL"], pages={"Together": "watch:AgreementsWatch"})"""


@pytest.fixture(scope="module")
def watch_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("watch")
    notebook = folder / "watch.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)]), notebook)
    journal = folder / "journal.sqlite"
    env = {"WATCH_JOURNAL": str(journal), "REKINDLE_HOME": str(folder / "home"), "REKINDLE_REGION": "US"}
    server = voila(notebook, env=env, log=folder / "voila.log")
    yield server, journal
    server.stop()


def test_an_agreement_not_kept_twice_in_three_weeks_raises_the_flag(page, watch_server):
    source = require_axe()
    server, journal = watch_server
    page.goto(server.url, timeout=TIMEOUT)
    page.get_by_text("Agreements and the red-flag watch").wait_for(timeout=TIMEOUT)
    page.get_by_label("We agreed").fill("No phones at dinner <b>ever</b>")
    page.get_by_label("Since").fill((date.today() - timedelta(weeks=3)).isoformat())
    page.get_by_role("button", name="Add agreement").click()
    page.get_by_text("Saved agreement 1: No phones at dinner <b>ever</b>").wait_for(timeout=TIMEOUT)
    for weeks_ago, kept in ((2, "Not kept"), (1, "Kept"), (0, "Not kept")):
        page.get_by_label("Week of").fill((date.today() - timedelta(weeks=weeks_ago)).isoformat())
        page.get_by_role("button", name=kept, exact=True).click()
        page.get_by_role("button", name="Save this week's check-in").click()
        page.get_by_text(f"Saved the check-in of {(date.today() - timedelta(weeks=weeks_ago)).day} ").wait_for(
            timeout=TIMEOUT)
    flag = page.locator(".rk-flags")
    flag.wait_for(timeout=TIMEOUT)
    assert "An agreement is not being kept" in flag.inner_text()
    assert "No phones at dinner <b>ever</b>" in flag.inner_text()  # the text as typed, not as markup
    assert "not kept in 2 of your last 3 check-ins" in flag.inner_text()
    assert "therapist" in flag.inner_text()
    with Journal(journal) as j:
        assert [c.marks for c in j.checkins()] == [((1, "not-kept"),), ((1, "kept"),), ((1, "not-kept"),)]
    page.set_viewport_size({"width": 1280, "height": 2200})
    screenshot(page, "watch-1280")
    assert page.get_by_text("Error displaying widget").count() == 0
    assert not [e for e in page.errors if "widget" in e.lower() or "kernel" in e.lower()], page.errors
    assert serious(axe(page, source)) == []

    page.set_viewport_size({"width": 390, "height": 2800})  # Voila scrolls inside the page: show it all
    page.wait_for_timeout(300)
    screenshot(page, "watch-390")
    cut = page.evaluate("""() => [...document.querySelectorAll('.rk-watch *')]
        .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1
                && getComputedStyle(el).overflowX !== 'visible')
        .map(el => el.className + ': ' + (el.innerText || '').slice(0, 40))""")
    assert cut == [] and cut_off(page) == []
    assert serious(axe(page, source)) == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
