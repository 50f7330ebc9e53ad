"""The one stylesheet: a ``<style>`` in an HTML widget that the App and every page show first.

A ``<style>`` element applies to the whole page wherever the widget is drawn,
so the same rules work in Voila and in JupyterLab, with no template of our
own. :func:`stylesheet` is one widget per kernel: the App and the pages inside
it share it, and a notebook that shows a single page gets it with the page.

Two kinds of rules:

- **the pages' look** (:data:`PAGE_CSS`): every class a page's HTML uses
  (``rk-muted``, ``rk-prose``, the messages, the boxes for alerts and red
  flags, the tables, the report's blocks shown on a page), so no page writes a
  ``style=`` attribute of its own and a colour lives in :mod:`..charts.theme`.
  The safety panel and the quick-exit link are the one exception
  (:mod:`.safety`): their HTML is also shown where no page is, and must look
  like help wherever it lands.
- **the App's layout** (:data:`CSS`), scoped to ``.rk-app`` so that notebooks
  showing single pages, and other widgets on the page, are left as they are:

- **contrast**: ipywidgets draws the inactive tabs' labels in
  ``--jp-ui-font-color2`` on ``--jp-layout-color2`` (4.45:1 in the light
  theme, under WCAG's 4.5:1); they use ``--jp-ui-font-color1`` instead, which
  follows the light and dark themes alike.
- **help in view**: the bar with "Need help now?" and "Leave this page
  quickly" sticks to the top of the screen while the page scrolls; an open
  help panel scrolls inside it rather than pushing it away, and a control
  reached with the Tab key is scrolled into view below the bar, not under it.
- **phones** (narrower than 640 px): the tab bar wraps into rows of buttons a
  thumb can hit (44 px high) instead of cutting seven labels to four letters;
  labels sit above their fields, and fields and buttons take the width they
  need, up to the screen's; each answer of a question is a 44 px row.
- **one label a question**: the question's text is what a person reads; the
  control's own label ("Answer 3 (required)") is kept for screen readers only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import ipywidgets as w

from ..charts import theme
from ..report.html import PART_CSS

__all__ = ["CSS", "NARROW", "PAGE_CSS", "Page", "in_app", "stylesheet"]

#: below this width (CSS px) the phone layout applies
NARROW = 640

_MESSAGES = "\n".join(f".rk-msg.rk-{kind} {{ color: {fg}; background: {bg}; }}"
                       for kind, (fg, bg) in theme.MESSAGE_COLOURS.items())

#: the classes the pages' HTML uses (each page's look, in one place)
PAGE_CSS = f"""
.rk-msg {{ padding: 6px 10px; border-radius: 4px; margin: 4px 0; overflow-wrap: anywhere; }}
{_MESSAGES}
.rk-muted {{ color: {theme.SECONDARY}; font-size: 0.92em; }}
.rk-hint {{ color: {theme.SECONDARY}; }}
.rk-small {{ font-size: 0.9em; }}
.rk-fine {{ font-size: 0.85em; color: {theme.SECONDARY}; }}
.rk-text {{ color: {theme.TEXT}; }}
.rk-prose {{ max-width: 44em; }}
.rk-prose-wide {{ max-width: 60em; }}
.rk-chart-box {{ max-width: 900px; }}
.rk-list {{ padding-left: 1.2em; }}
.rk-big {{ font-size: 1.1em; }}
.rk-bigger {{ font-size: 1.15em; }}
.rk-h {{ margin: 4px 0; }}
.rk-h-gap {{ margin: 12px 0 2px 0; }}
.rk-h-part {{ margin: 18px 0 4px 0; }}
.rk-lead {{ margin-bottom: 2px; }}
.rk-lead + ul, .rk-after-lead {{ margin-top: 2px; }}
.rk-clearfix {{ overflow: auto; }}
.rk-decision-link {{ max-width: 44em; margin-top: 8px; }}
.rk-agreements {{ margin: 0 0 6px 0; padding-left: 1.4em; }}
.rk-checkins {{ margin: 0; padding-left: 1.2em; max-width: 60em; }}
.rk-agreement-words {{ line-height: 1.4; }}
.rk-gap-above {{ margin: 10px 0 2px 0; }}
.rk-tight-list {{ margin: 2px 0 6px 0; }}
.rk-pre {{ white-space: pre-wrap; }}
.rk-nowrap {{ white-space: nowrap; }}
.rk-strong {{ font-weight: 600; }}
.rk-danger {{ color: {theme.DANGER}; }}
.rk-danger-ink {{ color: {theme.DANGER_INK}; }}
.rk-happened {{ color: {theme.MESSAGE_COLOURS["ok"][0]}; }}
.rk-download {{ font-weight: 600; }}
.rk-required {{ color: {theme.DANGER}; font-weight: 700; }}
.rk-question {{ font-weight: 600; margin-top: 6px; }}
.rk-progress {{ color: {theme.TEXT}; }}
.rk-header {{ padding: 4px 0 8px 0; }}
.rk-header .rk-name {{ font-size: 1.5em; font-weight: 700; }}
.rk-decision {{ max-width: 44em; border-left: 3px solid {theme.PICTURE_BORDER}; padding-left: 10px; }}
.rk-alerts {{ border-left: 6px solid {theme.DANGER}; background: {theme.DANGER_BG}; color: {theme.DANGER_INK};
  padding: 6px 14px; margin: 4px 0 10px 0; border-radius: 4px; }}
.rk-alerts ul {{ margin: 4px 0; }}
.rk-flags {{ border-left: 4px solid {theme.DANGER}; background: {theme.DANGER_BG}; color: {theme.DANGER_INK};
  padding: 8px 12px; margin: 4px 0 8px 0; border-radius: 4px; max-width: 60em; }}
.rk-flags ul {{ margin: 0; padding-left: 1.2em; }}
.rk-flags .rk-flag {{ margin: 0 0 8px 0; }}
.rk-flags .rk-flags-title {{ font-weight: 700; margin-bottom: 6px; }}
.rk-flags .rk-flags-note {{ font-size: 0.92em; }}
.rk-import-preview {{ border-collapse: collapse; }}
.rk-import-preview th {{ text-align: left; padding: 2px 8px; }}
.rk-import-preview td {{ padding: 2px 8px; vertical-align: top; }}
.rk-ov-table {{ border-collapse: collapse; font-size: 0.92em; width: 100%; }}
.rk-ov-table th, .rk-ov-table td {{ text-align: left; vertical-align: top; padding: 4px 8px;
  border-bottom: 1px solid #e5e7eb; overflow-wrap: anywhere; }}
.rk-ov-table th {{ background: #f9fafb; }}
@media (max-width: {NARROW}px) {{
  /* the practice overview's tables: each row a card, each cell labelled with its column */
  .rk-ov-table thead {{ display: none; }}
  .rk-ov-table tr {{ display: block; border-bottom: 1px solid #d1d5db; padding: 6px 0; }}
  .rk-ov-table td {{ display: block; border: 0; padding: 1px 4px; }}
  .rk-ov-table td::before {{ content: attr(data-label) ": "; font-weight: 600; }}
  .rk-ov-table td:first-child {{ font-weight: 600; }}
}}
/* Moving forward: long checkbox labels (the fresh ideas) wrap instead of being cut */
.rk-forward .widget-checkbox {{ height: auto; max-width: 100%; }}
.rk-forward .widget-checkbox label {{ white-space: normal; height: auto; line-height: 1.35; overflow: visible; }}
.rk-forward .widget-checkbox label input {{ flex: 0 0 auto; }}
.rk-forward .widget-radio-box label {{ white-space: normal; height: auto; line-height: 1.35; }}
.rk-forward .rk-sentence textarea {{ font-family: inherit; font-size: 1.05em; line-height: 1.4; }}
{PART_CSS}
@media (max-width: {NARROW}px) {{
  /* the report's tables on a page: cards like the overview's, a table's column widths set aside */
  .rk-report-part table, .rk-report-part tbody {{ display: block; }}
  .rk-report-part colgroup, .rk-report-part thead {{ display: none; }}
  .rk-report-part tr {{ display: block; border-bottom: 1px solid #d1d5db; padding: 4px 0; }}
  .rk-report-part td {{ display: block; border: 0; padding: 0 4px; line-height: 1.5; }}
  .rk-report-part td::before {{ content: attr(data-label) ": "; font-weight: 600; }}
  .rk-report-part td:first-child {{ font-weight: 600; }}
}}
"""

_TAB = ".rk-app .jupyter-widget-tab > .lm-TabBar"

CSS = f"""
{_TAB} .lm-TabBar-tab {{ color: var(--jp-ui-font-color1); }}
.rk-app, .rk-app .rk-top {{ overflow: visible; }}
/* a scrolling box between the app and the page's scroller would hold the bar in place: the output area's */
.jp-OutputArea:has(.rk-app), .jp-OutputArea-child:has(.rk-app), .jp-OutputArea-output:has(> .rk-app) {{
  overflow: visible; }}
.rk-app .rk-top {{
  position: sticky; top: 0; z-index: 20;
  background: var(--jp-layout-color0, #fff);
  border-bottom: 1px solid var(--jp-border-color1, #bdbdbd);
  padding: 4px 0;
}}
.rk-app .rk-top-bar {{ justify-content: space-between; align-items: center; flex-wrap: wrap; gap: 4px 8px;
  overflow: visible; }}
.rk-app .rk-top-bar .rk-quick-exit {{ float: none !important; margin-left: 0 !important; display: inline-block; }}
.rk-app .rk-example {{ align-items: center; flex-wrap: wrap; gap: 0 12px; }}
.rk-app .rk-example .rk-msg {{ margin: 4px 0; }}
.rk-app .rk-help {{ max-height: 60vh; overflow-y: auto; }}
.rk-app .jupyter-widget-tab * {{ scroll-margin-top: 140px; }}
/* a question's text is its visible label: the control's own "Answer 3 (required)" stays for screen readers */
.rk-app .rk-item > * > .widget-label {{
  position: absolute !important; width: 1px !important; height: 1px !important; min-height: 0 !important;
  overflow: hidden; clip-path: inset(50%); white-space: nowrap; margin: 0; padding: 0; }}
@media (max-width: {NARROW}px) {{
  {_TAB} {{ min-height: 0; max-height: none; height: auto; overflow: visible; }}
  {_TAB} .lm-TabBar-content {{ flex-wrap: wrap; align-items: stretch; }}
  {_TAB} .lm-TabBar-tab {{
    flex: 1 1 auto; min-width: 0; min-height: 44px; line-height: 44px; justify-content: center;
    margin: 0 0 -1px -1px; border-bottom: 1px solid var(--jp-border-color1, #bdbdbd); transform: none;
  }}
  /* the open tab is marked by a bar, not bold text: a wider label would move tabs to another row */
  {_TAB} .lm-TabBar-tab.lm-mod-current {{ transform: none; box-shadow: inset 0 -4px 0 var(--jp-brand-color1, #1976d2);
    background: var(--jp-layout-color0, #fff); }}
  {_TAB} .lm-TabBar-tabLabel {{ flex: 0 0 auto; overflow: visible; line-height: 44px; }}
  .rk-app .jupyter-widget-tab > .widget-tab-contents {{ padding: 8px 6px; }}
  .rk-app .jupyter-button {{ width: auto !important; max-width: 100%; height: auto; min-height: 44px;
    white-space: normal; line-height: 1.3; padding: 6px 12px; }}
  .rk-app .widget-toggle-buttons .widget-toggle-button {{ max-width: 100%; }}
  .rk-app .rk-mood .btn-group {{ display: flex; flex-wrap: nowrap; width: 100%; }}
  .rk-app .rk-mood .widget-toggle-button {{ flex: 1 1 0; min-width: 0; width: auto !important;
    padding: 6px 2px; }}
  .rk-app .widget-upload {{ width: auto !important; }}
  .rk-app .widget-inline-hbox {{ flex-wrap: wrap; max-width: 100%; height: auto !important; }}
  .rk-app .widget-inline-hbox > .widget-label {{ width: 100% !important; max-width: 100%; text-align: left;
    white-space: normal; height: auto; min-height: 0; line-height: 1.4; }}
  .rk-app .widget-text, .rk-app .widget-textarea, .rk-app .widget-dropdown, .rk-app .widget-datepicker {{
    width: calc(100% - 2 * var(--jp-widgets-margin, 2px)) !important; max-width: 100%; }}
  .rk-app .widget-textarea textarea {{ min-height: 80px; }}
  .rk-app .widget-radio-box label {{ min-height: 44px; display: flex; align-items: center; gap: 10px;
    line-height: 1.3; flex-direction: row-reverse; justify-content: flex-end; }}  /* the circle first */
  .rk-app .widget-radio-box input[type="radio"] {{ width: 22px; height: 22px; flex: 0 0 auto; margin: 0; }}
  .rk-app .widget-text input, .rk-app .widget-textarea textarea, .rk-app .widget-dropdown select {{
    min-height: 40px; font-size: 16px; }}
  .rk-app .widget-hbox {{ flex-wrap: wrap; }}
}}
"""


_sheet: w.HTML | None = None


def stylesheet() -> w.HTML:
    """The stylesheet as an HTML widget that takes no room on the page: one per kernel, shown first by the App
    and by every page (a page inside the App shows it again; the rules are the same, so nothing changes)."""
    global _sheet
    if _sheet is None or _sheet.comm is None:  # made again after ``Widget.close_all()``
        _sheet = w.HTML(f"<style>{PAGE_CSS}{CSS}</style>", layout=w.Layout(display="none"))
        _sheet.add_class("rk-style")
    return _sheet


#: True while the App builds a page: the App shows the sheet once, at its top, and its pages do not again
_IN_APP: ContextVar[bool] = ContextVar("rekindle_in_app", default=False)


@contextmanager
def in_app() -> Iterator[None]:
    """Pages made inside this context are the App's: they leave the stylesheet to it (each copy in the page
    is one more <style> for the browser to apply; the Start page's first paint measured 1.12-1.20x a bare
    page with three, benchmark P6)."""
    token = _IN_APP.set(True)
    try:
        yield
    finally:
        _IN_APP.reset(token)


class Page(w.VBox):
    """A page of the workbook: a VBox that carries the stylesheet, so a notebook showing one page looks as it
    does in the App (inside the App, :func:`in_app`, the App carries it). The sheet goes last: it takes no
    room, and the page's own children keep their places."""

    def __init__(self, children=(), **kwargs):
        super().__init__([*children] if _IN_APP.get() else [*children, stylesheet()], **kwargs)
