"""The whole workbook in one widget: the pages of the notebooks, one tab each.

Used by a notebook cell (``App()``) and by the code-free Voila app
(``rekindle app``), so both show the same thing. Pages are built the first
time they are opened, which keeps the first screen quick.
"""

from __future__ import annotations

import html
import inspect
import json
import os
from collections.abc import Callable
from importlib import import_module
from typing import Any

import ipywidgets as w

from .content import default_region, guide, locale_region, region_from_browser, region_setting
from .journal import Journal
from .paths import own_journal, public_session
from .widgets.base import Screen, as_journal, message
from .widgets.style import NARROW

__all__ = ["EXAMPLE_NOTICE", "PAGES", "App", "main"]

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


#: the journal setting that keeps the person's region between visits
REGION_SETTING = "region"

#: the band over every page of the example journal
EXAMPLE_NOTICE = ("Example journal: these entries are made up, to show what the workbook looks like after a few "
                  "months. Anything you add goes into the example.")


def _factory(spec: str) -> Callable[..., w.Widget]:
    module, name = spec.split(":")
    return getattr(import_module(f"rekindle_widgets.widgets.{module}"), name)


class App(w.VBox):
    """Rekindle's pages in tabs, with help and a quick exit always in view."""

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None,
                 pages: dict[str, str] | None = None, **kwargs: Any):
        self._owns_journal = not isinstance(journal, Journal)  # opened here, so closed here when replaced
        self.journal = as_journal(journal)
        _ = self.journal.opened_after  # this visit starts now: Undo offers only what it changes
        # whose helplines come first: given here, else the person's last choice (kept in the journal), else
        # $REKINDLE_REGION, else this computer's locale; failing those (or on Binder, where the locale is the
        # server's, not the person's), the browser's time zone and language as soon as the page reports them
        # (someone in London on Binder sees UK numbers), and "anywhere else" until then
        chosen = region_setting(region) or region_setting(self.journal.setting(REGION_SETTING)) \
            or region_setting(os.environ.get("REKINDLE_REGION")) \
            or (None if public_session() else locale_region())
        self.region = chosen or default_region({})
        self._region_settled = chosen is not None
        self._suggesting = False
        self.browser = w.Text(layout=w.Layout(display="none"))  # quick-exit.js writes the time zone here
        self.browser.add_class("rk-browser")
        self.browser.observe(self._browser_said, names="value")
        self.pages = dict(pages or PAGES)
        self._built: dict[str, w.Widget] = {}
        from .widgets.safety import quick_exit_html, quick_exit_script
        from .widgets.style import stylesheet

        self.header = w.HTML(
            '<header class="rk-header">'
            f'<span class="rk-name">{html.escape(guide().title)}</span>'
            f' <span class="rk-text">&middot; {html.escape(guide().tagline)}'
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
        # on every page while the journal is the made-up example: what it is, and the way to one's own
        self.example = w.HBox()
        self.example.add_class("rk-example")
        self._show_example()
        self.tabs = w.Tab(children=[w.VBox() for _ in self.pages], titles=list(self.pages))
        self.tabs.observe(self._on_tab, names="selected_index")
        super().__init__([stylesheet(), quick_exit_script(), self.browser, self.top, self.header, self.example,
                          self.tabs], **kwargs)
        self.add_class("rk-app")
        self.tabs.selected_index = 0
        self._build(0)

    def _show_example(self) -> None:
        if not self.journal.is_example():
            self.example.children = []
            return
        start = w.Button(description="Start my own journal", button_style="primary", icon="book",
                         tooltip="An empty journal of your own, on this computer only",
                         layout=w.Layout(width="auto", flex="0 0 auto"))
        start.on_click(self._start_own)
        self.example.children = [w.HTML(message("warn", EXAMPLE_NOTICE)), start]

    def _start_own(self, _button: w.Button | None = None) -> None:
        self.use_journal(Journal(own_journal()))
        self.example.children = [w.HTML(message("ok", "Your own journal is open: empty, saved on this computer "
                                                      "only. It opens here from now on."))]

    # -- the helplines' region ------------------------------------------------------------------

    def _browser_said(self, change: dict[str, Any]) -> None:
        """The browser's time zone, languages and width (JSON, from quick-exit.js): a region, unless one is
        chosen, and charts drawn for a phone when the screen is narrower than the phone layout's limit."""
        try:
            said = json.loads(change["new"])
            code = region_from_browser(str(said.get("timeZone", ""))[:64],
                                       [str(x)[:35] for x in list(said.get("languages") or [])[:10]])
            width = said.get("width")
            narrow = isinstance(width, (int, float)) and 0 < width < NARROW
        except (ValueError, TypeError, AttributeError):
            return  # not what our script sends: the region and the charts stay as they are
        if narrow != Screen.narrow:  # charts from now on are drawn for this screen; those shown are redrawn
            Screen.narrow = narrow
            for page in self._built.values():
                if callable(getattr(page, "refresh", None)):
                    page.refresh()
        if code and code != self.region and not self._region_settled:
            self._show_region(code)

    def _show_region(self, code: str) -> None:
        """Every safety panel shown so far, and every page built from now on, in region ``code``."""
        self.region = code
        self._suggesting = True
        try:
            for panel in self._panels():
                panel.region.value = code
        finally:
            self._suggesting = False

    def _panels(self) -> list[Any]:
        from .widgets.safety import SafetyPanel

        found = [*self.help_box.children, *(getattr(page, "safety", None) for page in self._built.values())]
        return [panel for panel in found if isinstance(panel, SafetyPanel)]

    def _watch_region(self, panel: Any) -> None:
        panel.region.observe(self._region_chosen, names="value")

    def _region_chosen(self, change: dict[str, Any]) -> None:
        """The person chose a region on a safety panel: kept in the journal for the next visit."""
        if self._suggesting or change["new"] is None:
            return
        self._region_settled = True
        self.journal.set_setting(REGION_SETTING, change["new"])
        self._show_region(change["new"])

    def use_journal(self, journal: Journal) -> None:
        """Show ``journal`` on every page from now on (the pages are built again, as they are opened)."""
        if self._region_settled and region_setting(self.journal.setting(REGION_SETTING)):
            journal.set_setting(REGION_SETTING, self.region)  # the person's choice goes with them
        if self._owns_journal and journal is not self.journal:
            self.journal.close()
        self._owns_journal = False
        self.journal = journal
        _ = journal.opened_after
        self._built.clear()
        for box in self.tabs.children:
            box.children = []
        self._show_example()
        self._build(self.tabs.selected_index or 0)

    def _toggle_help(self, change: dict[str, Any]) -> None:
        if change["new"]:
            from .widgets.safety import SafetyPanel

            panel = SafetyPanel(region=self.region)
            self._watch_region(panel)
            self.help_box.children = [panel]
        else:
            self.help_box.children = []

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self._build(change["new"])

    def _build(self, index: int) -> w.Widget:
        name = list(self.pages)[index]
        if name not in self._built:
            # shown at once (the kernel sends it before building), so a slow first open is never a blank box
            loading = w.HTML(f'<p class="rk-loading" role="status">Opening {html.escape(name)}…</p>')
            self.tabs.children[index].children = [loading]
            make = _factory(self.pages[name])
            takes_region = "region" in inspect.signature(make).parameters
            from .widgets.style import in_app

            with in_app():  # the App shows the stylesheet at its top; its pages do not again
                page = make(self.journal, region=self.region) if takes_region else make(self.journal)
            self._built[name] = page
            self.tabs.children[index].children = [page]
            from .widgets.safety import SafetyPanel

            if isinstance(getattr(page, "safety", None), SafetyPanel):  # the Start page's
                self._watch_region(page.safety)
            for target, button in getattr(page, "go", {}).items():  # "Start the check-up" opens its tab
                if target in self.pages:
                    button.on_click(lambda _button, target=target: self.show(target))
                    button.layout.display = ""
        return self._built[name]

    def show(self, name: str) -> w.Widget:
        """Open the page called ``name`` and return it."""
        index = list(self.pages).index(name)
        self.tabs.selected_index = index
        return self._build(index)


def main() -> App:
    """The app as the Voila notebook shows it: journal from ``$REKINDLE_JOURNAL``."""
    return App()
