"""``rekindle insights``: what goes with better days, how much mood moves, and this day a month or year ago."""

from __future__ import annotations

import argparse
import json

from .common import open_journal

HELP = ("what goes with your better days: mean mood on days with each tag against days without it (and the "
        "day after), with a 95%% interval; how much your mood moves from day to day; this day a month and a "
        "year ago. Comparisons of days, not causes")


def cmd_insights(args: argparse.Namespace) -> None:
    from ..journal import parse_date
    from ..model.insights import insights

    since = parse_date(args.since, what="--since date") if args.since else None
    with open_journal(args, create=False) as journal:
        found = insights(journal.entries(), since=since, trackers=journal.trackers())
    if args.json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(found.lines()))


def register(command) -> None:
    p = command("insights", cmd_insights, HELP)
    p.epilog = ("A tag is compared from 3 days with it and 3 without, and marked 'too few days to say' under 10 "
                "either way; the list is ranked by the interval's lower bound. Welch's t-interval of the "
                "difference of mean daily moods.")
    p.add_argument("--since", metavar="DATE", help="first day to include, YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print the insights as one JSON object")
