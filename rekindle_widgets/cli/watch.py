"""Together-again commands: ``rekindle agree``, ``rekindle checkin`` and ``rekindle watch`` (issue 17).

``agree`` records an agreement and prints ``agreement N: TEXT``; ``checkin``
records one weekly check-in, rating agreements by their number N; ``watch``
prints each red flag the watch raises (:mod:`rekindle_widgets.model.watch`), one a
line, or ``no red flags raised``, and exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import sys

from .common import journal_path, open_journal


def cmd_agree(args: argparse.Namespace) -> None:
    from ..journal import Agreement

    Agreement.make(args.text, args.since)  # checked before a journal file is created
    with open_journal(args) as journal:
        agreement = journal.add_agreement(args.text, args.since)
    print(f"agreement {agreement.id}: {agreement.text}")


def _marks(args: argparse.Namespace) -> list[tuple[str, str]]:
    return ([(n, "kept") for n in args.kept or ()] + [(n, "partly") for n in args.partly or ()]
            + [(n, "not-kept") for n in args.not_kept or ()])


def cmd_checkin(args: argparse.Namespace) -> None:
    from ..errors import RekindleError
    from ..journal import CheckIn
    from ..model.watch import raised

    checkin = CheckIn.make(args.at, _marks(args), past_raised=args.past_raised,
                           promises_visible=args.promises_visible, feels=args.feels)  # before any file is made
    if checkin.marks and not journal_path(args).exists():
        raise RekindleError(f"there is no agreement {checkin.marks[0][0]}: there is no journal at "
                            f"{journal_path(args)} yet; add an agreement first with 'rekindle agree'")
    with open_journal(args) as journal:
        saved = journal.add_checkin(checkin)
        flags = raised(journal.agreements(), journal.checkins())
    print(f"check-in {saved.id} on {saved.day.isoformat()}: {'; '.join(saved.parts())}")
    if flags:
        n = len(flags)
        print(f"the watch raises {n} red flag{'s' if n != 1 else ''}; see 'rekindle watch'", file=sys.stderr)


def cmd_watch(args: argparse.Namespace) -> None:
    from ..model.watch import raised

    flags = []
    if journal_path(args).exists():  # no journal yet: nothing recorded, so nothing raised
        with open_journal(args, create=False) as journal:
            flags = raised(journal.agreements(), journal.checkins())
    if args.json:
        print(json.dumps([f.as_dict() for f in flags], ensure_ascii=False, indent=2))
        return
    for flag in flags:
        print(flag.line())
    if not flags:
        print("no red flags raised")


def _yes_no(text: str) -> str:
    word = text.strip().lower()
    if word not in {"yes", "no"}:
        raise argparse.ArgumentTypeError(f"expected yes or no, not {text!r}")
    return word


def register(command) -> None:
    p = command("agree", cmd_agree, "record something the two of you agreed (a boundary, a new habit)")
    p.add_argument("text", metavar="TEXT", help="the agreement in your own words, e.g. 'no phones at dinner'")
    p.add_argument("--since", metavar="DATE", help="the day you agreed it, YYYY-MM-DD (default: today)")

    p = command("checkin", cmd_checkin,
                "record this week's check-in: how each agreement went, and the watch's three questions")
    p.add_argument("--at", metavar="DATE", help="the day of the check-in, YYYY-MM-DD (default: today)")
    p.add_argument("--kept", metavar="N", action="append", help="agreement N was kept (repeat for more)")
    p.add_argument("--partly", metavar="N", action="append", help="agreement N was partly kept")
    p.add_argument("--not-kept", metavar="N", action="append", help="agreement N was not kept")
    p.add_argument("--past-raised", type=_yes_no, metavar="yes|no",
                   help="were old hurts brought up again this week?")
    p.add_argument("--promises-visible", type=_yes_no, metavar="yes|no",
                   help="are the promised changes visible in daily life?")
    p.add_argument("--feels", choices=["new", "repeat", "unsure"],
                   help="does this feel like a new beginning, a repeat, or are you unsure?")

    p = command("watch", cmd_watch, "show the red flags the weekly check-ins raise (or 'no red flags raised')")
    p.add_argument("--json", action="store_true", help="print the flags as a JSON list")
