"""Charts drawn for a phone (issue 24): every kind narrow, in text a person can read at a phone's width.

A laptop's figure (8 to 11 inches) shrunk to a 390 px phone had text 3 to 4 CSS px tall. Drawn for the
phone, each picture is at most twice as wide as the ~345 px it is shown at, and no text is under 8.5 pt,
which there is 11.6 CSS px.
"""

from __future__ import annotations

import base64
import json
import re
import warnings

import pandas as pd
import pytest
from matplotlib.text import Text
from PIL import Image

from rekindle_widgets import charts
from rekindle_widgets.charts.axes import PHONE_DPI, PHONE_MIN_PT, PHONE_WIDTH, legible, narrow
from rekindle_widgets.charts.kinds import REGISTRY
from rekindle_widgets.journal import Journal
from rekindle_widgets.widgets.base import Screen, figure_html

#: the width (CSS px) a chart is shown at on a 390 px phone: the app's page less its margins and padding
SHOWN_AT = 345


def _png(html: str) -> Image.Image:
    import io

    data = base64.b64decode(re.search(r'base64,([^"]+)"', html).group(1))
    return Image.open(io.BytesIO(data))


@pytest.fixture
def filled(demo_journal):
    with Journal(demo_journal) as j:
        from rekindle_widgets.model.scorer import save, score

        for day, total in (("2026-07-01", 2), ("2026-08-01", 1)):
            save(j, score("phq9", [total] * 9 + [0]), at=f"{day}T09:00:00+00:00")  # item 10: difficulty
        yield j


#: a client's goals rated in three sessions (the goals chart draws goal progress, not entries)
PROGRESS = pd.DataFrame({"session_id": [1, 1, 2, 2, 3, 3],
                         "date": pd.to_datetime(["2026-06-01", "2026-06-01", "2026-06-15", "2026-06-15",
                                                 "2026-07-01", "2026-07-01"]),
                         "goal": ["Sleep before midnight", "Talk to a friend each week"] * 3,
                         "rating": [2, 3, 4, 5, 6, 6]})


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_every_chart_kind_is_drawn_for_a_phone(filled, kind):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied": a layout that did not fit
        with narrow():
            fig = charts.figure(kind, filled.entries(), stages=filled.stage_changes(), responses=filled.responses(),
                                progress=PROGRESS)
            picture = _png(figure_html(fig, "alt"))
    assert fig.get_size_inches()[0] == PHONE_WIDTH
    assert picture.width <= 2 * SHOWN_AT, picture.size  # no wider than twice its displayed width
    legible(fig)
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    assert min(sizes) >= PHONE_MIN_PT
    css_px = PHONE_MIN_PT * SHOWN_AT / (picture.width / PHONE_DPI * 72)
    assert css_px >= 11, css_px


def test_a_wide_screen_keeps_the_laptop_figure(filled):
    fig = charts.figure("timeline", filled.entries(), stages=filled.stage_changes())
    assert fig.get_size_inches()[0] == 11.0
    assert "last 12 weeks" not in fig.axes[0].get_title(loc="left") + fig.axes[0].get_title()


def test_the_phone_timeline_shows_the_recent_weeks_and_dated_labels(filled):
    with narrow():
        fig = charts.figure("timeline", filled.entries(), stages=filled.stage_changes())
    ax = fig.axes[0]
    assert "last 12 weeks" in ax.get_title(loc="left") + ax.get_title()
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all(re.search(r"[A-Za-z]", label) for label in labels), labels  # months, never bare "04"


def test_the_app_draws_charts_for_the_screen_the_browser_reports(filled):
    from rekindle_widgets.app import App

    try:
        app = App(filled)
        mood = app.show("Mood log")
        assert _png(mood.chart.value).width > 2 * SHOWN_AT  # before the browser says: a laptop's picture
        app.browser.value = json.dumps({"timeZone": "Europe/London", "languages": ["en"], "width": 390})
        assert Screen.narrow and _png(mood.chart.value).width <= 2 * SHOWN_AT  # redrawn for the phone
        assert "Describe this chart" in mood.alt.value and "<details" in mood.alt.value
    finally:
        Screen.narrow = False
