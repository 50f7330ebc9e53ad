"""One stylesheet (issue 22): every page carries it, and no page's HTML writes a ``style=`` of its own.

The exceptions are named: the safety panel and the quick-exit link (their HTML must look like help wherever it
lands), a chart's picture (shown by notebooks outside any page) and a report table's column widths (each
table's own proportions, as the report file has them).
"""

from __future__ import annotations

import re

import ipywidgets as w
import pytest

from rekindle_widgets.journal import Journal
from rekindle_widgets.widgets.style import PAGE_CSS, stylesheet

#: HTML that keeps its own look: the safety panel's box, the quick-exit link, a chart's <img>, a table's <col>
_OWN_LOOK = re.compile(r'<div class="rk-safety".*?</div>\s*(?=<|$)|<a class="rk-quick-exit"[^>]*>|<img [^>]*>'
                       r'|<col style="width: [\d.]+%">', re.S)


def _tree(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


def _pages(journal: Journal, practice):
    from rekindle_widgets.widgets import (
        CheckUp,
        DownloadPanel,
        ImportPage,
        MoodLog,
        MovingForward,
        SessionPage,
        StageNavigator,
        StartPage,
        Wellbeing,
    )

    return {"Start": StartPage(journal, region="US"), "Check-up": CheckUp(journal, region="US"),
            "Stages": StageNavigator(journal), "Mood log": MoodLog(journal), "Wellbeing": Wellbeing(journal),
            "Moving forward": MovingForward(journal, region="US"), "Import": ImportPage(journal),
            "Download": DownloadPanel(journal), "Session": SessionPage(practice=practice)}


@pytest.fixture
def pages(demo_journal, tmp_path):
    return _pages(Journal(demo_journal), tmp_path / "practice")


def test_every_page_carries_the_one_stylesheet(pages):
    sheet = stylesheet()
    for name, page in pages.items():
        sheets = [x for x in _tree(page) if isinstance(x, w.HTML) and "<style>" in x.value]
        assert sheets and all(x is sheet for x in sheets), f"{name}: {len(sheets)} style elements, not all the one"
    assert ".rk-muted" in sheet.value and ".rk-msg.rk-error" in sheet.value and ".rk-report-part" in sheet.value


def test_no_page_writes_a_style_attribute_of_its_own(pages):
    session = pages["Session"]
    from ..conftest import add_client

    add_client(session, "Alder")  # the client's parts: charts, flags, plan, agreements
    for name, page in pages.items():
        for x in _tree(page):
            if isinstance(x, w.HTML | w.HTMLMath) and "<style>" not in x.value:
                rest = _OWN_LOOK.sub("", x.value)
                assert "style=" not in rest, f"{name}: {rest[:300]}"


def test_the_classes_pages_use_for_their_look_have_rules():
    for cls in ("rk-muted", "rk-hint", "rk-prose", "rk-prose-wide", "rk-alerts", "rk-flags", "rk-lead",
                "rk-danger", "rk-required", "rk-decision", "rk-import-preview", "rk-ov-table", "rk-chart-box"):
        assert re.search(rf"\.{cls}\b[^{{]*\{{", PAGE_CSS), cls


def test_the_app_shows_the_stylesheet_once_for_all_its_pages(demo_journal):
    from rekindle_widgets.app import PAGES, App

    app = App(demo_journal, region="US")
    for name in PAGES:
        app.show(name)
    sheets = [x for x in _tree(app) if isinstance(x, w.HTML) and "<style>" in x.value]
    assert sheets == [stylesheet()]
