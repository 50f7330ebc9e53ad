"""Charts: every kind on real, empty, tiny and huge journals; stage bands where the stages are."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, date, datetime, timedelta

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure

from rekindle_widgets import charts
from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import Journal, StageChange
from rekindle_widgets.journal.frames import entries_frame

AXES_KINDS = ["timeline", "pixels", "stages", "weekdays", "tags", "effects", "variability"]
CHART = {"timeline": charts.timeline, "pixels": charts.pixels, "stages": charts.stages,
         "weekdays": charts.weekdays, "tags": charts.tags, "effects": charts.effects,
         "variability": charts.variability}


def _texts(ax) -> list[str]:
    fig = ax.figure
    found = [t.get_text() for a in fig.axes for t in a.texts]
    found += [t.get_text() for a in fig.axes for t in a.get_xticklabels() + a.get_yticklabels()]
    found += [a.get_title() for a in fig.axes]
    for a in fig.axes:
        for legend in [a.get_legend(), *[c for c in a.artists if hasattr(c, "get_texts")]]:
            if legend is not None:
                found += [t.get_text() for t in legend.get_texts()]
    return found


def _drawn_points(fig: Figure) -> int:
    """How many markers and line vertices a figure would draw."""
    total = 0
    for ax in fig.axes:
        total += sum(len(line.get_xdata()) for line in ax.lines)
        for c in ax.collections:
            if isinstance(c, PathCollection):
                total += len(c.get_offsets())
            elif isinstance(c, (LineCollection, PolyCollection)):
                total += len(c.get_paths())
    return total


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from rekindle_widgets.io.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Journal(path) as journal:
        write_demo(journal)
        return journal.entries(), journal.stage_changes()


def _frame(rows, changes=()):
    return entries_frame(rows, list(changes))


def _rows(days: list[date], moods=None, tags=None, readiness=None):
    out = []
    for i, day in enumerate(days):
        ts = f"{day.isoformat()}T20:00:00+00:00"
        out.append((i + 1, ts, day.isoformat(), (moods[i] if moods else 1 + i % 5),
                    readiness[i] if readiness else (i % 11), "|".join(tags[i]) if tags else "", "", "test"))
    return out


@pytest.fixture(scope="module")
def huge():
    """100,000 entries over three years (about 91 a day), with six stage changes."""
    rng = np.random.default_rng(7)
    start = datetime(2023, 9, 1, tzinfo=UTC)
    seconds = np.sort(rng.integers(0, 1096 * 86400, 100_000))
    moods = rng.integers(1, 6, 100_000)
    rows = []
    for i, (s, m) in enumerate(zip(seconds, moods, strict=True)):
        at = start + timedelta(seconds=int(s))
        rows.append((i + 1, at.isoformat(), at.date().isoformat(), int(m), None if i % 3 else int(m) * 2,
                     "contact" if i % 50 == 0 else "", "", "bench"))
    changes = [StageChange(k, start.date() + timedelta(days=d)) for k, d in
               [(1, 0), (2, 180), (3, 400), (4, 600), (5, 800), (6, 1000)]]
    return _frame(rows, changes), changes


@pytest.mark.parametrize("kind", AXES_KINDS)
def test_each_chart_draws_the_demo_journal(demo, kind):
    data, stages = demo
    kws = {"stages": stages} if kind in ("timeline", "pixels", "stages") else {}
    ax = CHART[kind](data, **kws)
    assert isinstance(ax.figure, Figure)
    assert "No entries yet" not in _texts(ax)
    png = charts.render(ax.figure, "png", dpi=60)
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", [*AXES_KINDS, "scores"])
def test_an_empty_journal_gets_a_friendly_figure(journal_path, kind):
    with Journal(journal_path) as j:
        data, responses = j.entries(), j.responses()
    fig = charts.figure(kind, data, stages=[], responses=responses)
    texts = _texts(fig.axes[0])
    assert any(t.startswith("No ") for t in texts)  # "No entries yet" / "No questionnaire scores yet"
    assert charts.render(fig, "svg").lstrip().startswith(b"<?xml")


@pytest.mark.parametrize("kind", AXES_KINDS)
def test_one_entry(kind):
    data = _frame(_rows([date(2026, 3, 4)], tags=[("contact",)]), [StageChange(2, date(2026, 3, 1))])
    ax = CHART[kind](data)
    charts.render(ax.figure, "png", dpi=40)
    if kind == "timeline":
        x0, x1 = ax.get_xlim()
        assert x0 < mdates.date2num(datetime(2026, 3, 4)) < x1  # the single day is in view


@pytest.mark.parametrize("kind", AXES_KINDS)
def test_100k_entries_are_aggregated_not_drawn_one_by_one(huge, kind):
    data, stages = huge
    kws = {"stages": stages} if kind in ("timeline", "pixels", "stages") else {}
    ax = CHART[kind](data, **kws)
    assert _drawn_points(ax.figure) < 10_000


def test_timeline_shades_each_stage_from_its_recorded_date(demo):
    data, stages = demo
    ax = charts.timeline(data, stages=stages)
    bands = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("stage-")}
    assert sorted(bands) == [f"stage-{c.stage}" for c in stages]
    for change, following in zip(stages, [*stages[1:], None], strict=True):
        band = bands[f"stage-{change.stage}"]
        assert band.get_x() == pytest.approx(mdates.date2num(pd.Timestamp(change.since)))
        if following is not None:
            assert band.get_x() + band.get_width() == pytest.approx(mdates.date2num(pd.Timestamp(following.since)))
    names = " ".join(_texts(ax))
    assert "1 · Bubble space" in names


def test_stage_periods_come_from_the_stage_column_without_a_timeline(demo):
    data, stages = demo
    ax = charts.timeline(data)  # no stages=: periods start on each stage's first entry
    starts = sorted(p.get_x() for p in ax.patches if (p.get_gid() or "").startswith("stage-"))
    expected = [mdates.date2num(data.loc[data["stage"] == c.stage, "date"].min()) for c in stages]
    assert starts == pytest.approx(expected)


def test_lines_stop_at_long_gaps():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(10)] + \
           [date(2026, 3, 1) + timedelta(days=i) for i in range(10)]
    ax = charts.timeline(_frame(_rows(days)))
    mood_line = max(ax.lines, key=lambda line: line.get_linewidth())
    x = np.asarray(mood_line.get_xdata(), dtype=float)
    y = np.asarray(mood_line.get_ydata(), dtype=float)
    assert np.isnan(y).sum() == 1  # one break, in the gap
    finite = ~np.isnan(y)
    assert np.diff(x[finite]).max() > 14  # the points either side of the gap ...
    segments = np.diff(np.where(finite)[0])
    assert (segments > 1).sum() == 1  # ... are not joined by a line
    assert "gap" in charts.describe(_frame(_rows(days)), kind="timeline")


def test_dollar_signs_in_tags_are_text_not_mathtext():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(40)]
    tags = [("$x^2$",) if i % 2 else ("plain",) for i in range(40)]
    data = _frame(_rows(days, tags=tags))
    ax = charts.tags(data)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(label.startswith(r"\$x^2\$") for label in labels)
    charts.render(ax.figure, "png", dpi=40)  # would raise if it were parsed as broken mathtext
    ax = charts.timeline(data, events=["$x^2$"])
    assert r"\$x^2\$ " in _texts(ax)
    charts.render(ax.figure, "svg")


def test_tags_in_chinese_or_japanese_are_drawn_in_the_computers_font_not_as_boxes(caplog):
    import os
    import warnings

    from rekindle_widgets.fonts import fallback_font

    if fallback_font() is None:
        if os.environ.get("CI"):
            pytest.fail("no font for Chinese, Japanese or Korean: .ci/run installs fonts-wqy-microhei")
        pytest.skip("no font for Chinese, Japanese or Korean on this computer (apt-get install fonts-wqy-microhei)")
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(40)]
    data = _frame(_rows(days, tags=[("東京",) if i % 2 else ("友達", "שלום") for i in range(40)]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for each box it draws
        for kind in ("tags", "timeline"):
            charts.render(charts.figure(kind, data), "png", dpi=40)
    assert "東京" in " ".join(_texts(charts.tags(data)))
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]  # nothing logged about fonts either


def test_tags_say_too_little_data_under_30_days():
    few = [date(2026, 1, 1) + timedelta(days=i) for i in range(12)]
    many = [date(2026, 1, 1) + timedelta(days=i) for i in range(40)]
    tags = lambda n: [("walk",) if i % 2 else () for i in range(n)]
    few_texts = " ".join(_texts(charts.tags(_frame(_rows(few, tags=tags(12))))))
    many_texts = " ".join(_texts(charts.tags(_frame(_rows(many, tags=tags(40))))))
    assert "Too little data" in few_texts
    assert "Too little data" not in many_texts
    assert "walk" in many_texts


def test_pixels_colour_only_days_with_entries_and_stack_years():
    days = [date(2024, 12, 20) + timedelta(days=i) for i in range(30) if i % 3]
    ax = charts.pixels(_frame(_rows(days)), stages=[StageChange(1, date(2024, 12, 25))])
    coloured = [c for c in ax.collections if isinstance(c, PolyCollection) and len(c.get_facecolors()) == len(days)]
    assert len(coloured) == 1
    texts = _texts(ax)
    assert "2024" in texts and "2025" in texts
    outline = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert outline and len(outline[0].get_segments()) > 0  # stage boundary drawn


def test_stage_summary_on_the_demo(demo):
    data, stages = demo
    table = charts.stage_summary(data, stages)
    assert table["stage"].tolist() == [c.stage for c in stages]
    assert table["start"].tolist() == [c.since for c in stages]
    assert table["entries"].sum() == len(data)
    assert set(table["trend"]) <= {"rising", "flat", "falling", "too little data"}
    assert (table["mood_min"] <= table["mood_mean"]).all() and (table["mood_mean"] <= table["mood_max"]).all()
    assert table.loc[0, "mood_mean"] < table.loc[4, "mood_mean"]  # the demo gets better


def test_stage_summary_counts_entries_before_the_first_stage():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(20)]
    data = _frame(_rows(days), [StageChange(3, date(2026, 1, 11))])
    table = charts.stage_summary(data, [StageChange(3, date(2026, 1, 11))])
    assert table["name"].tolist() == ["Before any stage", "Dip a toe in the water"]
    assert table["entries"].tolist() == [10, 10]
    assert pd.isna(table.loc[0, "stage"])


def test_trend_words():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(28)]
    rising = _frame(_rows(days, moods=[1 + i // 7 for i in range(28)]), [StageChange(1, days[0])])
    table = charts.stage_summary(rising, [StageChange(1, days[0])])
    assert table.loc[0, "trend"] == "rising"
    assert table.loc[0, "trend_per_week"] == pytest.approx(1.0, abs=0.15)
    short = _frame(_rows(days[:3]), [StageChange(1, days[0])])
    assert charts.stage_summary(short, [StageChange(1, days[0])]).loc[0, "trend"] == "too little data"


def test_describe_in_plain_words(demo):
    data, stages = demo
    text = charts.describe(data, stages)
    assert text.startswith("From 2 March 2026 to 28 August 2026")
    assert "stage 1 (Bubble space" in text and "Readiness (0-10) rose" in text
    for kind in charts.KINDS:
        assert charts.describe(data, stages, kind=kind)
    assert "no entries yet" in charts.describe(data.head(0))
    with pytest.raises(RekindleError, match="unknown chart kind"):
        charts.describe(data, kind="pie")


def test_scores_shade_bands_and_never_chart_the_safety_screen():
    responses = pd.DataFrame({
        "instrument": ["phq9", "phq9", "safety", "phq9"],
        "timestamp": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-04-02", "2026-05-01"], utc=True),
        "total": [14.0, 9.0, np.nan, 4.0],
        "band": ["moderate", "mild", None, "none-minimal"],
        "flags": [(), (), ("safety",), ()],
    })
    ax = charts.scores(responses)
    bands = charts.instrument_bands("phq9")
    assert len(bands) == 5
    shaded = [p for p in ax.patches if p.get_width() > 0 and not str(p.get_gid()).startswith("rk-change")]
    assert len(shaded) == len(bands)  # (the reliable-change margin is marked rk-change-margin: test_change_views)
    assert any(t == "moderately severe" for t in _texts(ax))
    only_safety = responses[responses["instrument"] == "safety"]
    assert "No questionnaire scores yet" in _texts(charts.scores(only_safety))
    custom = charts.scores(responses, bands=[(0, 9, "low"), (10, 27, "high")])
    assert {"low", "high"} <= set(_texts(custom))


def test_figure_rejects_an_unknown_kind(demo):
    with pytest.raises(RekindleError, match="unknown chart kind 'pie'"):
        charts.figure("pie", demo[0])
    with pytest.raises(RekindleError, match=".png or .svg"):
        charts.render(charts.empty().figure, "jpg")


def test_charts_draw_on_a_given_axes_and_leave_pyplot_alone(demo):
    import matplotlib.pyplot as plt

    data, stages = demo
    fig = Figure(figsize=(12, 8))
    left, right = fig.subplots(1, 2)
    assert charts.weekdays(data, ax=left) is left
    assert charts.stages(data, stages=stages, ax=right) is right
    assert plt.get_fignums() == []


@pytest.mark.slow
def test_no_figure_is_left_open_after_40_renders(demo):
    import matplotlib.pyplot as plt

    data, stages = demo
    small = data.head(12)
    before = plt.get_fignums()
    refs = []
    for i in range(40):  # ten of each kind, every eighth drawn: one figure left open or referenced fails it
        fig = charts.figure(["timeline", "weekdays", "stages", "pixels"][i % 4], small, stages=stages)
        if i % 8 == 0:
            charts.render(fig, "png", dpi=30)
        refs.append(weakref.ref(fig))
        del fig
    gc.collect()
    assert plt.get_fignums() == before
    assert sum(r() is not None for r in refs) == 0


def test_stage_colours_are_the_same_everywhere(demo):
    data, stages = demo
    assert sorted(charts.STAGE_COLOURS) == list(range(1, 8))
    assert len(set(charts.STAGE_COLOURS.values())) == 7
    ax = charts.timeline(data, stages=stages)
    band = next(p for p in ax.patches if p.get_gid() == "stage-3")
    assert band.get_facecolor()[:3] == pytest.approx(charts.axes.tint(charts.STAGE_COLOURS[3], 0.14))


def test_the_chart_registry_and_the_words_load_without_matplotlib():
    """The CLI and the app read the kinds (and alt text) without paying for matplotlib."""
    import subprocess
    import sys

    probe = ("import sys; from rekindle_widgets.charts import kinds, theme; "
             "light = sorted(m for m in ('matplotlib', 'pandas') if m in sys.modules); "
             "from rekindle_widgets.charts import alt_text, summaries; "
             "print(light, 'matplotlib' in sys.modules, list(kinds.KINDS))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"[] False {list(charts.KINDS)}"


def test_every_kind_in_the_registry_is_a_chart_function_of_the_package(demo):
    import importlib

    data, stages = demo
    for name in charts.KINDS:  # importing each module never hides the function of the same name
        module = importlib.import_module(f"rekindle_widgets.charts.plots.{name}")
        assert getattr(charts, name) is getattr(module, name) and callable(getattr(charts, name))
        kind = charts.kinds.REGISTRY[name]
        assert kind.size == charts.KINDS[name] and kind.summary and kind.label
    assert [k.name for k in charts.kinds.entry_kinds()] == AXES_KINDS
    for name in AXES_KINDS:
        kws = {"stages": stages} if charts.kinds.REGISTRY[name].stages else {}
        ax = getattr(charts, name)(data, **kws)
        assert ax.figure.get_size_inches()[0] == charts.KINDS[name][0]
    namespace: dict = {}
    exec("from rekindle_widgets.charts import *", namespace)
    assert {n for n in namespace if not n.startswith("__")} == set(charts.__all__)
    with pytest.raises(AttributeError, match="no attribute 'pie'"):
        charts.pie  # noqa: B018


# --------------------------------------------------------------------------
# Charts show where they are drawn (notebooks, Voila): rich display of our Axes
# --------------------------------------------------------------------------


@pytest.fixture
def formatter():
    """IPython's display machinery, as a kernel has it, with our printers registered."""
    from types import SimpleNamespace

    from IPython.core.formatters import DisplayFormatter

    shell = SimpleNamespace(display_formatter=DisplayFormatter())
    assert charts.display.register(shell)
    return shell.display_formatter


def test_a_chart_displays_as_a_picture_with_its_description_as_alt_text(demo, formatter):
    import base64
    import html
    import re

    data, stages = demo
    ax = charts.timeline(data, stages=stages)
    shown, _ = formatter.format(ax)
    assert shown["image/png"].startswith(b"\x89PNG")
    alt = re.fullmatch(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)" [^>]*>', shown["text/html"])
    assert alt and base64.b64decode(alt.group(1)) == shown["image/png"]  # one picture, both ways
    assert html.unescape(alt.group(2)) == charts.describe(data, stages, kind="timeline")
    ax.set_title("Changed")  # a changed chart is drawn again, not served from the last picture
    assert formatter.format(ax)[0]["image/png"] != shown["image/png"]


def test_only_our_charts_display_and_pyplot_figures_are_left_to_pyplot(demo, formatter):
    import matplotlib.pyplot as plt

    data, stages = demo
    assert set(formatter.format(Figure().add_subplot())[0]) == {"text/plain"}  # someone else's Axes
    fig, ax = plt.subplots()
    try:
        charts.timeline(data, stages=stages, ax=ax)
        assert set(formatter.format(ax)[0]) == {"text/plain"}  # pyplot's inline display shows this one
    finally:
        plt.close(fig)
    assert set(formatter.format(charts.pixels(data, stages=stages))[0]) >= {"image/png", "text/html"}


def test_charts_composed_on_one_figure_describe_each_chart(demo, formatter):
    import html

    data, _stages = demo
    fig = Figure(figsize=(10, 8), layout="constrained")
    top, bottom = fig.subplots(2, 1)
    charts.weekdays(data, ax=top)
    assert charts.tags(data, ax=bottom) is bottom
    text = html.unescape(formatter.format(bottom)[0]["text/html"])
    assert charts.describe(data, kind="weekdays") + " " + charts.describe(data, kind="tags") in text


def test_every_chart_takes_a_journal(tmp_path, formatter):
    from rekindle_widgets.io.demo import write_demo

    with Journal(tmp_path / "j.sqlite") as journal:
        write_demo(journal)
        data, stages = journal.entries(), journal.stage_changes()
        for kind in AXES_KINDS:
            kws = {"stages": stages} if charts.kinds.REGISTRY[kind].stages else {}
            if kind == "timeline":  # and what a journal adds: micro-dates that happened, the watch's weeks
                from rekindle_widgets.model.watch import journal_flags

                kws |= {"moments": journal.timeline_moments(), "flags": journal_flags(journal, history=True)}
                assert kws["moments"] and kws["flags"]  # the demo has both
            ours = charts.render(getattr(charts, kind)(journal).figure, "png", dpi=40)
            assert ours == charts.render(getattr(charts, kind)(data, **kws).figure, "png", dpi=40), kind
        assert "No goals rated yet" in _texts(charts.goals(journal))  # from journal.goal_progress()
        assert charts.scores(journal).texts[0].get_text() == "No questionnaire scores yet"
        assert "No entries yet" in _texts(charts.timeline(Journal(tmp_path / "empty.sqlite")))


def test_displayed_charts_leave_no_figure_behind(demo, formatter):
    data, stages = demo
    refs = []
    for kind in AXES_KINDS:
        ax = getattr(charts, kind)(data, **({"stages": stages} if charts.kinds.REGISTRY[kind].stages else {}))
        formatter.format(ax)
        refs.append(weakref.ref(ax.figure))
        del ax
    gc.collect()
    assert sum(r() is not None for r in refs) == 0


def test_the_package_modules_are_lazy_attributes_and_importing_stays_light():
    import subprocess
    import sys

    probe = ("import sys; import rekindle_widgets as rk; "
             "light = [m for m in ('pandas', 'matplotlib', 'rekindle_widgets.journal') if m in sys.modules]; "
             "charts = rk.charts; still = 'matplotlib' in sys.modules; "
             "print(light, still, callable(charts.timeline), rk.journal.Journal.__name__, "
             "all(hasattr(rk, m) for m in ('model', 'report', 'content', 'io', 'widgets')), "
             "'charts' in dir(rk))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] False True Journal True True"
    import rekindle_widgets as rk

    for name in rk.MODULES:  # each lazy attribute is a module that exists
        assert getattr(rk, name).__name__ == f"rekindle_widgets.{name}"
    missing = subprocess.run([sys.executable, "-c", "import rekindle_widgets as rk; rk.nothing"],
                             capture_output=True, text=True)
    assert "has no attribute 'nothing'" in missing.stderr


def test_alt_text_is_escaped_in_the_picture_s_html():
    shown = charts.display.html_img(b"\x89PNG", 'a tag "><script>alert(1)</script> & more')
    assert "<script>" not in shown
    assert 'alt="a tag &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"' in shown
