"""The remembering Agg canvas (charts/agg.py) draws every chart exactly as matplotlib's own does.

Each chart kind is drawn with the stock canvas, then with the shared canvas cold, warm (everything it
keeps hit), and after a different chart of the same size went through the same renderer; the pixels must
be equal, byte for byte, on a wide screen and on a phone.
"""

from __future__ import annotations

import io
from contextlib import nullcontext
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from rekindle_widgets import charts
from rekindle_widgets.charts import agg
from rekindle_widgets.charts.axes import frozen_ticks, narrow, style
from rekindle_widgets.io.demo import demo_client

pytestmark = pytest.mark.skipif(not agg.SUPPORTED, reason="this matplotlib's Agg draws text otherwise: the "
                                                          "stock canvas is used and there is nothing to compare")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Everything each chart kind draws: the demo client's journal, sessions and goals, trackers, scores."""
    client = demo_client(tmp_path_factory.mktemp("practice"))
    with client.open_journal() as journal:
        for day in range(20):
            at = datetime(2026, 6, 1, 21, 0).astimezone() + timedelta(days=day)
            journal.track("sleep", 6 + day % 3, at)
            journal.track("walked", "yes" if day % 2 else "no", at)
        responses = pd.DataFrame({
            "instrument": ["phq9", "phq9", "phq9"],
            "timestamp": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-05-01"], utc=True),
            "total": [14.0, 9.0, 4.0], "band": ["moderate", "mild", "none-minimal"], "flags": [(), (), ()]})
        return {"data": journal.entries(), "stages": journal.stage_changes(), "responses": responses,
                "progress": journal.goal_progress(), "trackers": journal.trackers()}


def _pixels(fig: Figure, shared: bool) -> np.ndarray:
    buffer = io.BytesIO()
    with style(), frozen_ticks(fig), agg.drawing(fig) if shared else nullcontext():
        fig.savefig(buffer, format="png", dpi=100)
    return np.asarray(Image.open(buffer))


@pytest.mark.parametrize("phone", [False, True], ids=["wide", "phone"])
@pytest.mark.parametrize("kind", list(charts.KINDS))
def test_every_chart_kind_is_drawn_pixel_for_pixel_as_matplotlib_draws_it(inputs, kind, phone):
    def make() -> Figure:
        return charts.figure(kind, inputs["data"], stages=inputs["stages"], responses=inputs["responses"],
                             progress=inputs["progress"], trackers=inputs["trackers"])

    with narrow() if phone else nullcontext():
        stock = _pixels(make(), shared=False)
        agg._RENDERERS.clear()
        cold = _pixels(make(), shared=True)
        warm = _pixels(make(), shared=True)
        renderer = next(iter(agg._RENDERERS.values()))
        assert renderer._layouts and renderer._glyphs  # the shared renderer drew, and kept what it drew
        other = make()  # another picture of the same size through the same renderer, then this one again
        other.axes[0].set_title("Something else entirely, 2027")
        _pixels(other, shared=True)
        after = _pixels(make(), shared=True)
    assert stock.shape == cold.shape
    for drawn in (cold, warm, after):
        assert np.array_equal(stock, drawn), f"{kind}: {int((stock != drawn).any(axis=-1).sum())} pixels differ"


def test_turned_unsmoothed_and_partly_outside_text_is_drawn_as_matplotlib_draws_it():
    def make() -> Figure:
        fig = Figure(figsize=(4, 3), dpi=100)
        ax = fig.add_subplot()
        ax.set_ylabel("Readiness (0-10)")  # turned 90 degrees
        ax.text(0.3, 0.5, "at 33 degrees", rotation=33, fontsize=13)
        ax.text(-0.2, 1.05, "half off the left edge", transform=fig.transFigure, fontsize=9)
        ax.text(0.5, 0.2, "no smoothing", antialiased=False, fontsize=10)
        ax.text(0.1, 0.8, "\\$ a dollar, and ünïcödé", fontsize=8)
        return fig

    agg._RENDERERS.clear()
    stock = _pixels(make(), shared=False)
    assert all(np.array_equal(stock, _pixels(make(), shared=True)) for _ in range(3))


def test_the_canvas_is_only_lent_for_the_save_and_sizes_are_bounded():
    agg._RENDERERS.clear()
    figures = [Figure(figsize=(2 + i, 2), dpi=100) for i in range(agg.RENDERERS + 2)]
    for fig in figures:
        before = fig.canvas
        fig.add_subplot().set_title(f"{date(2026, 12, 8):%d %B}")
        _pixels(fig, shared=True)
        assert fig.canvas is before  # given back: a later draw of this figure has a renderer of its own
    assert len(agg._RENDERERS) == agg.RENDERERS  # the oldest sizes were let go
    assert [w for w, _h, _dpi in agg._RENDERERS] == [100 * (2 + i) for i in range(2, agg.RENDERERS + 2)]
