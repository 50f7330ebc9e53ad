"""Two browser tabs on the Voila app are two kernels writing to one journal: nothing is lost, each sees the other's.

Each tab saves five mood entries, the two tabs alternately and without
waiting for each other (a save in one tab is sent while the other tab's may
still be writing). Afterwards the journal holds all ten, and each tab's mood
log, redrawn (choosing a chart redraws it from the journal) and after a page
reload (a new kernel), describes both tabs' entries in its alt text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rekindle_widgets import charts
from rekindle_widgets.journal import Journal

from ..servers import screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000
ROUNDS = 5


@pytest.fixture
def two_tabs(browser):
    """Two pages in separate browser contexts: two Voila kernels."""
    contexts, pages = [], []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.errors = []
        pg.on("pageerror", lambda exc, pg=pg: pg.errors.append(str(exc)))
        pg.on("console", lambda msg, pg=pg: pg.errors.append(msg.text) if msg.type == "error" else None)
        contexts.append(context)
        pages.append(pg)
    yield pages
    for context in contexts:
        context.close()


def open_mood_log(page, server) -> None:
    page.goto(server.url, timeout=TIMEOUT)
    page.get_by_role("tab", name="Mood log").wait_for(timeout=TIMEOUT)
    page.get_by_role("tab", name="Mood log").click()
    page.get_by_role("button", name="Save entry").wait_for(timeout=TIMEOUT)
    page.locator(".rk-alt p").wait_for(state="attached", timeout=TIMEOUT)  # behind "Describe this chart"


def send_entry(page, mood: str, note: str) -> None:
    """Fill the form and press Save; do not wait for the kernel."""
    page.get_by_role("button", name=mood, exact=True).click()
    page.get_by_label("Note", exact=True).fill(note)
    page.get_by_role("button", name="Save entry").click()


def wait_saved(page) -> None:
    """The kernel saved the entry: it empties the form and says so."""
    expect(page.get_by_label("Note", exact=True)).to_have_value("", timeout=TIMEOUT)
    expect(page.locator(".rk-msg.rk-ok")).to_contain_text(re.compile(r"Saved entry \d+"), timeout=TIMEOUT)
    assert page.locator(".rk-msg.rk-error").count() == 0, page.locator(".rk-msg.rk-error").first.inner_text()


def alt_text_for(page, label: str) -> str:
    """Choose a chart (which redraws it from the journal) and return its alt text once drawn."""
    before = page.locator(".rk-alt p").text_content()
    page.get_by_label("Chart", exact=True).select_option(label=label)
    if label != "Timeline":
        page.wait_for_function("(before) => document.querySelector('.rk-alt p').textContent !== before",
                               arg=before, timeout=TIMEOUT)
    return " ".join(page.locator(".rk-alt p").text_content().split())


def expected_stage_text(journal: Path) -> tuple[str, int]:
    """What the "By stage" chart must say of the journal as it is now, and the current stage's entry count."""
    with Journal(journal, create=False) as j:
        data, stages = j.entries(), j.stage_changes()
    text = " ".join(charts.describe(data, stages, kind="stages").split())
    current = stages[-1].stage
    count = int(re.search(rf"Stage {current} \([^)]*\), [^:]*: (\d+) entries", text).group(1))
    return text, count


def test_two_kernels_writing_at_once_lose_nothing_and_see_each_other(two_tabs, app_server):
    server, journal = app_server
    a, b = two_tabs
    _, before = expected_stage_text(journal)
    with Journal(journal, create=False) as j:
        total_before = j.count()
    for tab in (a, b):
        open_mood_log(tab, server)
    for i in range(1, ROUNDS + 1):  # A, then B at once, then both confirm: the two kernels write together
        send_entry(a, "4 good", f"tab A entry {i}")
        send_entry(b, "2 bad", f"tab B entry {i}")
        wait_saved(a)
        wait_saved(b)

    with Journal(journal, create=False) as j:
        notes = list(j.entries()["note"])
        assert j.count() == total_before + 2 * ROUNDS
    for tab in "AB":
        assert [n for n in notes if n.startswith(f"tab {tab} ")] == [f"tab {tab} entry {i}" for i in range(1, 6)]
    expected, now = expected_stage_text(journal)
    assert now == before + 2 * ROUNDS  # all ten are today's, in the current stage

    for name, tab in (("a", a), ("b", b)):  # redrawn in the open page: the other tab's entries are there
        assert alt_text_for(tab, "By stage") == expected, name
        screenshot(tab, f"two-tabs-{name}-by-stage")
    for name, tab in (("a", a), ("b", b)):  # and after a reload, which starts a new kernel
        open_mood_log(tab, server)
        assert alt_text_for(tab, "By stage") == expected, name
        assert f"{now} entries" in expected
        screenshot(tab, f"two-tabs-{name}-reloaded")
        assert tab.get_by_text("Error displaying widget").count() == 0
        assert not [e for e in tab.errors if "widget" in e.lower() or "kernel" in e.lower()], tab.errors
