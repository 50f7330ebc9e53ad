"""Measurement plans: ``rekindle plan ...`` (both sides) and ``rekindle practice overview`` (the therapist).

Therapist: ``plan set --client ID --instrument phq9 --every weekly -o FILE`` sets the plan and writes the file
to send; ``plan import FILE --client ID`` brings the answers back. Client: ``plan open FILE`` keeps the plan in
their own journal, ``plan due`` says what is due, ``plan calendar -o FILE.ics`` adds it to a calendar, and
``plan return -o FILE`` writes the answers to send back (encrypted unless ``--plain``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..errors import RekindleError
from ..journal.plans import PLAN_ID_EXAMPLE
from .common import action_group, journal_option, open_journal, practice_option


def _day(text: str | None) -> date:
    from ..journal import parse_date

    return date.today() if text is None else parse_date(text, what="--date")


def _target(text: str) -> Path:
    target = Path(text).expanduser()
    if target.is_dir() or not target.parent.is_dir():
        raise RekindleError(f"cannot write {target}: give a file name in a folder that exists")
    return target


def _client_journal(args: argparse.Namespace):
    if getattr(args, "client", None) is None:
        raise RekindleError("name the client with --client ID (see 'rekindle client list')")
    from ..model.practice import Practice

    client = Practice(args.practice).get(args.client)
    return client, client.open_journal(create=False)


def cmd_plan_set(args: argparse.Namespace) -> None:
    from ..io.plan_files import plan_file_name, write_plan_file
    from ..model.plans import parse_every, set_plan

    parse_every(args.every)  # mistakes are named before anything is opened or written
    target = _target(args.output) if args.output else None
    if not args.instrument:
        raise RekindleError("name the questionnaires with --instrument ID, e.g. --instrument phq9; repeat it")
    client, journal = _client_journal(args)
    with journal:
        plan = set_plan(journal, client.id, args.instrument, args.every, args.start)
    print(plan.plan)
    print(f"set plan {plan.plan} for {client.id} ({client.alias}): {', '.join(plan.instruments)}, {plan.how_often}, "
          f"from {plan.start.isoformat()}", file=sys.stderr)
    if target is not None:
        write_plan_file(plan, target)
        print(f"wrote the plan file to {target}: send it to the client (it holds no name or notes)", file=sys.stderr)
    else:
        print(f"write the file to send with 'rekindle plan file --client {client.id} -o {plan_file_name(plan)}'",
              file=sys.stderr)


def cmd_plan_file(args: argparse.Namespace) -> None:
    from ..io.plan_files import write_plan_file

    target = _target(args.output)
    client, journal = _client_journal(args)
    with journal:
        plans = journal.plans(role="set", active=True)
    if not plans:
        raise RekindleError(f"client {client.id} has no plan; set one with 'rekindle plan set --client {client.id}'")
    write_plan_file(plans[-1], target)
    print(f"wrote plan {plans[-1].plan} for {client.id} to {target}: send it to the client")


def cmd_plan_list(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        plans = journal.plans()
    if not plans:
        print("no plans in this journal")
        return
    for p in plans:
        state = "active" if p.active else f"ended {p.ended.isoformat() if p.ended else ''}"
        who = "set for" if p.role == "set" else "received, for"
        print(f"{p.plan}  {who} {p.client}  {', '.join(p.instruments)}  {p.how_often}  from {p.start.isoformat()}  "
              f"{state}")


def cmd_plan_end(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        plan = journal.end_plan(args.plan, args.date)
    print(f"plan {plan.plan} ended on {plan.ended.isoformat() if plan.ended else '?'}")


def _print_due(journal, today: date) -> None:
    from ..model.plans import due

    rows = due(journal, today)
    if not rows:
        print("no plan in this journal: nothing is due")
        return
    for row in rows:
        print(f"{row.status:<9}{row.text(today)}")


def cmd_plan_open(args: argparse.Namespace) -> None:
    from ..io.importers.text import read_bytes
    from ..io.plan_files import open_plan, plan_calendar, read_plan_file
    from ..io.reminders import to_ics

    data = read_bytes(args.file)
    plan = read_plan_file(data, args.file.name)  # checked before the journal is opened
    ics = to_ics(plan_calendar(plan, tz=args.tz)) if args.ics else None
    target = _target(args.ics) if args.ics else None
    with open_journal(args) as journal:
        plan = open_plan(journal, data, args.file.name)
        print(f"opened plan {plan.plan}: {', '.join(plan.instruments)}, {plan.how_often}, "
              f"from {plan.start.isoformat()}; kept in {journal.path}")
        _print_due(journal, _day(None))
    if target is not None and ics is not None:
        from ..paths import write_private

        write_private(target, ics)
        print(f"wrote the calendar to {target}: open it with your calendar app")


def cmd_plan_due(args: argparse.Namespace) -> None:
    today = _day(args.date)
    with open_journal(args, create=False) as journal:
        _print_due(journal, today)


def cmd_plan_calendar(args: argparse.Namespace) -> None:
    from ..io.plan_files import plan_calendar
    from ..io.reminders import to_ics
    from ..model.plans import _the_plan
    from ..paths import write_private

    target = _target(args.output)
    with open_journal(args, create=False) as journal:
        plan = _the_plan(journal, args.plan)
    write_private(target, to_ics(plan_calendar(plan, tz=args.tz)))
    print(f"wrote the calendar for plan {plan.plan} ({plan.how_often} from {plan.start.isoformat()}) to {target}")


def cmd_plan_return(args: argparse.Namespace) -> None:
    from ..io.plan_files import return_bytes
    from .backup import _passphrase

    target = _target(args.output)
    with open_journal(args, create=False) as journal:
        journal.plans()  # an unreadable journal is named before the passphrase is asked
        from ..model.plans import _the_plan

        _the_plan(journal, args.plan)
        passphrase = None if args.plain else _passphrase(twice=True)
        plan, data, count = return_bytes(journal, args.plan, passphrase)
    from ..paths import write_private

    write_private(target, data)
    how = "plain JSON" if args.plain else "encrypted (age, passphrase)"
    print(f"wrote {count} questionnaire response{'s' if count != 1 else ''} for plan {plan.plan} to {target}, {how}; "
          "nothing else from your journal is in it")
    if not args.plain:
        print("send the file to your therapist, and tell them the passphrase another way (a call, not the same email)")


def cmd_plan_import(args: argparse.Namespace) -> None:
    from ..io.backup import kind_of
    from ..io.importers.text import read_bytes
    from ..io.plan_files import import_return
    from ..model.practice import Practice
    from .backup import _passphrase

    if args.client is None:
        raise RekindleError("name the client the answers are from with --client ID (see 'rekindle client list')")
    data = read_bytes(args.file)
    practice = Practice(args.practice)
    client = practice.get(args.client)
    passphrase = _passphrase(twice=False) if kind_of(data) == "age" else None
    account = import_return(practice, client.id, data, args.file.name, passphrase)
    print(f"{args.file}: {account}; into {client.id} ({client.alias})")


def cmd_practice_overview(args: argparse.Namespace) -> None:
    from ..model.overview import overview_text, practice_overview
    from ..model.practice import Practice
    from ..report.overview import write_overview

    if args.journal is not None or args.client is not None:
        raise RekindleError("'rekindle practice overview' works on the whole practice: give --practice DIR, "
                            "not --journal or --client")
    if args.output is not None:
        suffix = Path(args.output).suffix.lower()
        if suffix not in (".html", ".csv"):
            raise RekindleError(f"cannot write the overview as {Path(args.output).name!r}: give -o FILE.html or "
                                "-o FILE.csv")
        _target(args.output)
    overview = practice_overview(Practice(args.practice), _day(args.date), include_archived=args.all)
    if args.output is None:
        print(overview_text(overview), end="")
        return
    kind = write_overview(overview, args.output)
    print(f"wrote the practice overview ({len(overview.rows)} clients, {kind.upper()}) to {args.output}")


def register(command) -> None:
    action = action_group(command, "plan", "questionnaires between sessions: set a plan and send it, open it, see "
                          "what is due, send answers back", journal_option)

    q = action("set", cmd_plan_set, "therapist: set a client's plan (it replaces their plan before) and print its id")
    q.add_argument("--instrument", action="append", default=[], metavar="ID",
                   help="a questionnaire to fill in, e.g. phq9; repeat for more")
    q.add_argument("--every", default="weekly", metavar="HOW_OFTEN",
                   help="daily, weekly (default), fortnightly, a number of days, or session (before each session)")
    q.add_argument("--start", metavar="DATE", help="the first day it is due, YYYY-MM-DD (default today)")
    q.add_argument("-o", "--output", metavar="FILE", help="also write the plan file to send to the client")
    q = action("file", cmd_plan_file, "therapist: write the client's current plan as the file to send")
    q.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. rekindle-plan.json")
    action("list", cmd_plan_list, "list the plans kept in a journal")
    q = action("end", cmd_plan_end, "stop a plan (nothing is due from it after that day)")
    q.add_argument("plan", help=f"the plan id, e.g. {PLAN_ID_EXAMPLE}")
    q.add_argument("--date", help="the day it ends, YYYY-MM-DD (default today)")
    q = action("open", cmd_plan_open, "client: open a plan file from your therapist and keep it in your journal")
    q.add_argument("file", type=Path, metavar="FILE", help="the plan file, rekindle-plan-....json")
    q.add_argument("--ics", metavar="FILE", help="also write its due days as a calendar file (.ics)")
    q.add_argument("--tz", help="a time zone for the calendar, e.g. Europe/Berlin (default: your calendar's)")
    q = action("due", cmd_plan_due, "what the journal's plans ask for today: due, overdue, done")
    q.add_argument("--date", help="as on this day, YYYY-MM-DD (default today)")
    q = action("calendar", cmd_plan_calendar, "client: the plan's due days as a calendar file (.ics, repeating)")
    q.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. rekindle-plan.ics")
    q.add_argument("--plan", help="which plan (default: the one opened last)")
    q.add_argument("--tz", help="a time zone, e.g. Europe/Berlin (default: your calendar's)")
    q = action("return", cmd_plan_return,
               "client: write your answers to the plan's questionnaires, to send to your therapist")
    q.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. rekindle-return.age")
    q.add_argument("--plan", help="which plan (default: the one opened last)")
    q.add_argument("--plain", action="store_true", help="write plain JSON instead of encrypting it")
    q = action("import", cmd_plan_import, "therapist: import a client's return (or their backup) without duplicates")
    q.add_argument("file", type=Path, metavar="FILE", help="the client's return or backup file")

    practice_action = action_group(command, "practice", "a therapist's practice as a whole", practice_option)
    q = practice_action("overview", cmd_practice_overview, "every client's latest scores, change, what is due and "
                        "alerts; and the practice's outcomes, anonymised")
    q.add_argument("-o", "--output", metavar="FILE", help="write it to FILE.html or FILE.csv instead of printing it")
    q.add_argument("--date", help="as on this day, YYYY-MM-DD (default today)")
    q.add_argument("--all", action="store_true", help="include archived clients")

