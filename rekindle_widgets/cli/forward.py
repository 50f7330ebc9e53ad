"""Moving-forward commands: ``rekindle decide`` records, lists, shows and compares decisions."""

from __future__ import annotations

import argparse
import sys

from ..errors import RekindleError
from .common import open_journal


def _reason(text: str) -> tuple[str, str, str]:
    """``OPTION:WEIGHT:TEXT`` as (option, text, weight) (the text may hold colons)."""
    parts = text.split(":", 2)
    if len(parts) != 3 or not parts[2].strip():
        raise RekindleError(f"--reason {text[:60]!r} is not OPTION:WEIGHT:TEXT, e.g. --reason "
                            "'all-in:4:we both want to try therapy'")
    return parts[0], parts[2], parts[1]  # (option, text, weight), as Reason.make takes them


_RECORDING = ("option", "reason", "know", "values", "support", "sure", "involved", "review", "on", "note", "ics")


def cmd_decide(args: argparse.Namespace) -> None:
    from ..io.reminders import review_ics
    from ..journal import Decision
    from ..model.forward import comparison_lines, decision_lines, option_label, unsure_advice

    given = [f"--{name}" for name in _RECORDING if getattr(args, name) not in (None, [])]
    reading = [flag for flag, on in (("--list", args.list), ("--show", args.show is not None),
                                     ("--compare", args.compare is not None)) if on]
    if len(reading) > 1:
        raise RekindleError(f"give one of {' and '.join(reading)}, not both")
    if reading and given:
        raise RekindleError(f"{reading[0]} reads decisions; leave out {', '.join(given)} (they record one)")
    if reading:
        with open_journal(args, create=False) as journal:
            if args.list:
                decisions = journal.decisions()
                if not decisions:
                    print("no decisions yet")
                for d in decisions:
                    mark = "" if not d.unsure else f"; answered no: {', '.join(d.unsure)}"
                    review = f", review {d.review}" if d.review else ""
                    count = f"{len(d.reasons)} reason{'' if len(d.reasons) == 1 else 's'}"
                    print(f"decision {d.id}: {d.day} {option_label(d.option)} ({count}{review}{mark})")
            elif args.show is not None:
                d = journal.decision(args.show)
                print(f"decision {d.id}, " + "\n".join(decision_lines(d)))
                print(unsure_advice(d))
            else:
                before, after = (journal.decision(n) for n in args.compare)
                print(f"from decision {before.id} ({before.day}) to decision {after.id} ({after.day}):")
                for line in comparison_lines(before, after):
                    print(f"  {line}")
        return
    if args.option is None:
        raise RekindleError("say which option you choose: --option carry-on, part or all-in "
                            "(or --list, --show N, --compare A B)")
    # every value is checked before the journal is opened or a file is written
    decision = Decision.make(option=args.option, reasons=[_reason(r) for r in args.reason],
                             answers={"know": args.know, "values": args.values, "support": args.support,
                                      "sure": args.sure},
                             involved=args.involved, review=args.review, day=args.on, note=args.note)
    ics_path = data = None
    if args.ics is not None:
        from .charts import _check_target

        ics_path = _check_target(args.ics, (".ics",), "calendar file")
        data = review_ics(decision)
    with open_journal(args) as journal:
        new_id = journal.add_decision(decision)
    print(f"decision {new_id}: {option_label(decision.option)} ({decision.day}"
          + (f", review {decision.review}" if decision.review else "") + ")")
    if decision.unsure:
        print(unsure_advice(decision))
    if ics_path is not None and data is not None:
        from ..paths import write_private

        write_private(ics_path, data)
        print(f"wrote {ics_path}: the review date; open it with your calendar app to add it", file=sys.stderr)


def register(command) -> None:
    p = command("decide", cmd_decide,
                "record a decision about the relationship (options, weighted reasons, how sure you are, "
                "a review date), or list, show and compare the ones you made")
    p.add_argument("--option", metavar="OPTION", help="what you choose: carry-on (carry on as now for a while), "
                   "part (part for good) or all-in (all in for a set time, then review)")
    p.add_argument("--reason", action="append", default=[], metavar="OPTION:WEIGHT:TEXT",
                   help="a reason for or against an option and how much it matters (0-5), e.g. "
                        "'part:4:the same fights keep coming back'; repeat for more")
    for name, question in (("know", "do I know the options, and what is good and bad about each?"),
                           ("values", "am I clear about what matters most to me?"),
                           ("support", "do I have enough support and advice?"),
                           ("sure", "do I feel sure about what is best for me?")):
        p.add_argument(f"--{name}", metavar="yes|no", help=question)
    p.add_argument("--involved", action="append", default=[], metavar="WHO",
                   help="someone else this decision involves (repeat for more)")
    p.add_argument("--review", metavar="DATE", help="when to look at the decision again (YYYY-MM-DD)")
    p.add_argument("--on", metavar="DATE", help="the day of the decision (default: today)")
    p.add_argument("--note", help="anything else you want to remember about it")
    p.add_argument("--ics", metavar="FILE.ics", help="also write the review date as a calendar file")
    p.add_argument("--list", action="store_true", help="list the decisions you made")
    p.add_argument("--show", metavar="N", help="show decision N in full")
    p.add_argument("--compare", nargs=2, metavar=("A", "B"), help="what changed from decision A to decision B")
