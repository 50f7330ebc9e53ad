"""The report's "Insights" section (issue 27): :mod:`..model.insights` as report blocks.

The same blocks reach the person's report (HTML and PDF) and the Mood log page (through
:func:`.html.sections_html`), so the page and the report never say it two ways. ``anonymise`` leaves out
the tags (a person's own words) and keeps the day-to-day swing.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..model.insights import LEVEL, MIN_DAYS, SURE_DAYS, Insights, insights
from .model import Block, Paragraph, Section, Table

__all__ = ["METHOD", "TITLE", "insight_sections"]

TITLE = "Insights: what goes with your better days"
METHOD = (f"Mean mood on days with each tag against days without it, and on the day after; the interval is a "
          f"{LEVEL:.0%} Welch t-interval of the difference. These are comparisons of days, not causes: a tag "
          f"is compared from {MIN_DAYS} days each way, and under {SURE_DAYS} either way there are too few days "
          f"to say. Ranked by the interval's lower end, so a few lucky days do not come first. The day-to-day "
          f"swing is the square root of the mean squared successive difference of daily moods.")


def insight_blocks(found: Insights, anonymise: bool = False) -> list[Block]:
    """What :func:`~..model.insights.insights` found, as blocks: the effects as a table, then the reasons
    some tags are not compared, how much mood moves, and this day a month and a year ago."""
    if found.reason:
        return [Paragraph(found.reason, "muted")]
    blocks: list[Block] = [Paragraph(METHOD, "muted")]
    if anonymise:
        clear = sum(1 for e in found.effects if e.clear)
        blocks.append(Paragraph(f"{len(found.effects)} comparisons of tagged days, {clear} with an interval that "
                                "leaves out 0 (tags not quoted).", "muted"))
    elif found.effects:
        rows = tuple((e.tag, "same day" if e.lag == 0 else "next day", f"{e.days_with} / {e.days_without}",
                      f"{e.mean_with:.1f} / {e.mean_without:.1f}",
                      f"{e.difference:+.1f} ({e.low:.2f} to {e.high:.2f})" if e.sure_enough
                      else "too few days to say") for e in found.effects)
        blocks.append(Table(("Tag", "Which days", "Days with / without", "Mean mood with / without",
                             f"Difference ({LEVEL:.0%} interval)"), rows, widths=(2, 1.4, 1.6, 1.8, 2.4)))
        blocks += [Paragraph(e.reading(), "normal") for e in found.effects if e.clear]
        if found.skipped:
            blocks.append(Paragraph("Not compared: " + "; ".join(f"\u201c{t}\u201d {why}"
                                                                 for t, why in found.skipped.items()) + ".", "muted"))
    if found.recent is not None:
        blocks.append(Paragraph(found.recent.reading(found.before), "normal", heading="How much your mood moves"))
    blocks += [Paragraph(v.reading(), "muted") for v in found.stages]
    if not anonymise:
        blocks += [Paragraph(o.reading(), "normal", heading="On this day" if i == 0 else "")
                   for i, o in enumerate(found.on_this_day)]
    return blocks


def insight_sections(data: pd.DataFrame, *, since: date | None = None, anonymise: bool = False,
                     today: date | None = None, trackers: pd.DataFrame | None = None) -> list[Section]:
    """The "Insights" section for a journal's entries (``Journal.entries()``) and its trackers
    (``Journal.trackers()``); none without entries."""
    if not len(data):
        return []
    found = insights(data, since=since, today=today, trackers=trackers)
    return [Section(TITLE, tuple(insight_blocks(found, anonymise)))]
