"""The app's own stylesheet: one ``<style>`` in an HTML widget that :class:`~rekindle_widgets.app.App` shows.

A ``<style>`` element applies to the whole page wherever the widget is drawn,
so the same rules work in Voila and in JupyterLab, with no template of our
own. Every rule is scoped to ``.rk-app`` (the App's class) so notebooks that
show single pages, and other widgets on the page, are left as they are.

What the rules are for:

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

import ipywidgets as w

__all__ = ["CSS", "NARROW", "stylesheet"]

#: below this width (CSS px) the phone layout applies
NARROW = 640

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


def stylesheet() -> w.HTML:
    """The stylesheet as an HTML widget that takes no room on the page."""
    sheet = w.HTML(f"<style>{CSS}</style>", layout=w.Layout(display="none"))
    sheet.add_class("rk-style")
    return sheet
