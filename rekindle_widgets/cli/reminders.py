"""Reminder commands: ``rekindle remind`` writes check-in reminders as an .ics calendar file."""

from __future__ import annotations

import argparse
import sys

from .charts import _check_target


def cmd_remind(args: argparse.Namespace) -> None:
    from ..io.reminders import DAY_NAMES, parse_weekday, write_ics

    path = _check_target(args.output, (".ics",), "calendar file")
    weekly = tuple(args.weekly) if args.weekly else None
    path = write_ics(path, daily=args.daily, weekly=weekly, tz=args.tz)  # checks every value before writing
    when = [f"daily at {args.daily}"] if args.daily else []
    when += [f"every {DAY_NAMES[parse_weekday(args.weekly[0])].title()} at {args.weekly[1]}"] if args.weekly else []
    print(f"wrote {path}: a check-in {' and '.join(when)}; open it with your calendar app to add it",
          file=sys.stderr)


def register(command) -> None:
    p = command("remind", cmd_remind, "write check-in reminders as a calendar file (.ics) for any calendar app")
    p.add_argument("--daily", metavar="HH:MM", help="a check-in every day at this time, e.g. 20:30")
    p.add_argument("--weekly", nargs=2, metavar=("DAY", "HH:MM"),
                   help="a check-in once a week, e.g. --weekly sun 18:00")
    p.add_argument("--tz", metavar="ZONE",
                   help="pin the times to a time zone, e.g. Europe/London (default: none, so the calendar "
                        "shows them at that clock time wherever you are)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.ics", help="the calendar file to write")
