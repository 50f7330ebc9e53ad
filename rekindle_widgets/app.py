"""The whole workbook in one widget: the pages of the notebooks, one tab each.

Used by a notebook cell (``App()``) and by the code-free Voila app
(``rekindle app``), so both show the same thing. Pages are built the first
time they are opened, which keeps the first screen quick.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable
from importlib import import_module
from typing import Any

import ipywidgets as w

from .charts import theme
from .content import default_region, guide
from .journal import Journal
from .widgets.base import as_journal

__all__ = ["PAGES", "App", "main"]

#: tab title -> "module:Class" in rekindle_widgets.widgets, built with (journal, region=...)
PAGES: dict[str, str] = {
    "Start": "start:StartPage",
    "Check-up": "questionnaire:CheckUp",
    "Stages": "stages:StageNavigator",
    "Mood log": "mood:MoodLog",
    "Wellbeing": "wellbeing:Wellbeing",
    "Moving forward": "forward:MovingForward",
    "Import": "importer:ImportPage",
    "Therapist": "session:SessionPage",
}


def _factory(spec: str) -> Callable[..., w.Widget]:
    module, name = spec.split(":")
    return getattr(import_module(f"rekindle_widgets.widgets.{module}"), name)


class App(w.VBox):
    """Rekindle's pages in tabs, with help and a quick exit always in view."""

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None,
                 pages: dict[str, str] | None = None, **kwargs: Any):
        self.journal = as_journal(journal)
        self.region = region or default_region()  # $REKINDLE_REGION, else the locale, else OTHER
        self.pages = dict(pages or PAGES)
        self._built: dict[str, w.Widget] = {}
        from .widgets.safety import quick_exit_html, quick_exit_script
        from .widgets.style import stylesheet

        self.header = w.HTML(
            '<header class="rk-header" style="padding:4px 0 8px 0">'
            f'<span style="font-size:1.5em;font-weight:700">{html.escape(guide().title)}</span>'
            f' <span style="color:{theme.TEXT}">&middot; {html.escape(guide().tagline)}'
            " Self-help, not therapy.</span></header>")
        self.help_button = w.ToggleButton(description="Need help now?", icon="life-ring",
                                          button_style="danger", tooltip="Show hotlines and emergency numbers")
        self.quick_exit = w.HTML(quick_exit_html())
        self.help_box = w.VBox()
        self.help_box.add_class("rk-help")
        self.help_button.observe(self._toggle_help, names="value")
        # help and the quick exit stay at the top of the screen while the page scrolls (see widgets/style.py)
        bar = w.HBox([self.help_button, self.quick_exit])
        bar.add_class("rk-top-bar")
        self.top = w.VBox([bar, self.help_box])
        self.top.add_class("rk-top")
        self.tabs = w.Tab(children=[w.VBox() for _ in self.pages], titles=list(self.pages))
        self.tabs.observe(self._on_tab, names="selected_index")
        super().__init__([stylesheet(), quick_exit_script(), self.top, self.header, self.tabs], **kwargs)
        self.add_class("rk-app")
        self.tabs.selected_index = 0
        self._build(0)

    def _toggle_help(self, change: dict[str, Any]) -> None:
        if change["new"]:
            from .widgets.safety import SafetyPanel

            self.help_box.children = [SafetyPanel(region=self.region)]
        else:
            self.help_box.children = []

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self._build(change["new"])

    def _build(self, index: int) -> w.Widget:
        name = list(self.pages)[index]
        if name not in self._built:
            make = _factory(self.pages[name])
            takes_region = "region" in inspect.signature(make).parameters
            page = make(self.journal, region=self.region) if takes_region else make(self.journal)
            self._built[name] = page
            self.tabs.children[index].children = [page]
        return self._built[name]

    def show(self, name: str) -> w.Widget:
        """Open the page called ``name`` and return it."""
        index = list(self.pages).index(name)
        self.tabs.selected_index = index
        return self._build(index)


def main() -> App:
    """The app as the Voila notebook shows it: journal from ``$REKINDLE_JOURNAL``."""
    return App()
