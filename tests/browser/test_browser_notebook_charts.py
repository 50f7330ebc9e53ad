"""Charts in a notebook served by Voila show as pictures a screen reader can name (Debian's Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..servers import screenshot, voila

pytestmark = pytest.mark.slow
TIMEOUT = 90_000
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "03_mood_log.ipynb"


@pytest.fixture(scope="module")
def mood_log(tmp_path_factory):
    from rekindle_widgets.cli import main

    folder = tmp_path_factory.mktemp("voila-charts")
    journal = folder / "demo.sqlite"
    assert main(["demo", "--journal", str(journal)]) == 0
    server = voila(NOTEBOOK, env={"REKINDLE_JOURNAL": str(journal), "REKINDLE_HOME": str(folder / "home"),
                                  "MPLBACKEND": "agg"}, log=folder / "voila.log")
    yield server
    server.stop()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_mood_log_notebook_shows_its_charts_as_named_pictures_in_voila(browser, mood_log, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(mood_log.url, timeout=TIMEOUT)
        page.locator('img[alt^="Difference in mean mood"]').wait_for(timeout=TIMEOUT)  # the last chart
        # the cells' pictures (not the entry form's own chart), in order
        shown = page.locator('img[src^="data:image/png"]').evaluate_all(
            "imgs => imgs.filter(i => !i.closest('.jupyter-widgets'))"
            ".map(i => [i.alt, i.naturalWidth, i.getBoundingClientRect().width])")
        # timeline, pixels, weekdays and tags on one figure, then what goes with better days
        starts = ["Mood (1-5, left scale)", "A calendar of", "Mean mood by day of the week",
                  "Difference in mean mood between days with each tag"]
        assert [next((s for s in starts if alt.startswith(s)), alt[:40]) for alt, _, _ in shown] == starts
        for alt, natural, drawn in shown:
            assert natural >= 700 and 0 < drawn <= width, (alt[:60], natural, drawn)  # decoded, fits
        assert "Largest differences" in shown[2][0]  # the composed figure names both of its charts
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
        page.get_by_text("How are you today?").wait_for(timeout=TIMEOUT)  # the entry form, for the picture
        screenshot(page, f"notebook-03-charts-{width}")
        page.locator('img[alt^="A calendar of"]').scroll_into_view_if_needed()
        screenshot(page, f"notebook-03-charts-{width}-pixels")
    finally:
        context.close()
