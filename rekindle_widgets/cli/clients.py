"""Therapist commands: ``rekindle client ...`` (the practice folder) and ``rekindle session ...``.

Every other journal command takes ``--client ID`` too (see :mod:`.common`).
"""

from __future__ import annotations

import argparse
import re
import sys

from ..errors import RekindleError
from .common import action_group, journal_option, open_journal, practice_option

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(text: str) -> str:
    """User text for a terminal: control characters (escape sequences) made visible, not obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _practice(args: argparse.Namespace):
    from ..model.practice import Practice

    if args.journal is not None or args.client is not None:
        raise RekindleError("'rekindle client' works on the practice folder: give --practice DIR, "
                            "not --journal or --client")
    return Practice(args.practice)


# --------------------------------------------------------------------------
# rekindle client ...
# --------------------------------------------------------------------------


def cmd_client_add(args: argparse.Namespace) -> None:
    practice = _practice(args)
    client = practice.add(args.alias)
    print(client.id)
    print(f"added client {client.id} ({client.alias}) in {practice.path}", file=sys.stderr)


def cmd_client_list(args: argparse.Namespace) -> None:
    practice = _practice(args)
    clients = practice.list(include_archived=args.all)
    if not clients:
        hidden = len(practice.list(include_archived=True))
        more = f" ({hidden} archived: see --all)" if hidden else ""
        print(f"no clients in {practice.path}{more}; add one with 'rekindle client add ALIAS'")
        return
    rows = [("id", "alias", "created", "entries", "last entry", "sessions", "archived")]
    for client in clients:
        try:
            entries, last, sessions = client.activity()
            counts = (str(entries), last or "-", str(sessions))
        except RekindleError:
            counts = ("?", "unreadable journal", "?")
        rows.append((client.id, client.alias, client.created[:10], *counts,
                     client.archived[:10] if client.archived else "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def cmd_client_archive(args: argparse.Namespace) -> None:
    client = _practice(args).archive(args.id, archived=not args.undo)
    state = "archived (hidden from 'client list'; data kept)" if client.is_archived else "active again"
    print(f"client {client.id} ({client.alias}) is {state}")


def cmd_client_erase(args: argparse.Namespace) -> None:
    paths = _practice(args).erase(args.id, yes=args.yes)
    print(f"{'would remove' if not args.yes else 'removed'} client {args.id}: {len(paths)} files and folders")
    for path in paths:
        print(f"  {path}")
    if not args.yes:
        print(f"nothing removed; run 'rekindle client erase {args.id} --yes' to erase this client for good")
        return
    print(f"erased client {args.id}: nothing of this client is left in the practice folder")
    print("exports, charts or reports saved outside the practice folder are not touched; delete those yourself")


# --------------------------------------------------------------------------
# rekindle session ...
# --------------------------------------------------------------------------


def _needs_journal(args: argparse.Namespace) -> None:
    if args.client is None and args.journal is None:
        raise RekindleError("name the client with --client ID (see 'rekindle client list'), or give --journal PATH")


def cmd_session_add(args: argparse.Namespace) -> None:
    from ..journal import Session
    from ..model.sessions import check_instruments, parse_goal, read_notes

    _needs_journal(args)
    # everything is read and checked before the journal is opened: a mistake changes nothing
    Session.make(template=args.template)  # an unknown template is named before the notes file is read
    notes = read_notes(args.notes_file, args.template) if args.notes_file else None
    session = Session.make(day=args.date, minutes=args.minutes, stage=args.stage, template=args.template,
                           notes=notes, homework=args.homework, goals=[parse_goal(g) for g in args.goal],
                           instruments=check_instruments(args.instrument))
    with open_journal(args) as journal:
        session_id = journal.add_session(session)
        print(f"saved session {session_id} on {session.day} to {journal.path}")


def cmd_session_list(args: argparse.Namespace) -> None:
    from ..content import guide
    from ..model.sessions import format_notes

    _needs_journal(args)
    with open_journal(args, create=False) as journal:
        sessions = journal.sessions(args.since, args.until)
    if not sessions:
        print("no sessions in this range" if args.since or args.until else "no sessions yet")
        return
    for s in sessions:
        parts = [f"session {s.id}", s.day.isoformat()]
        parts.append(f"{s.minutes} min" if s.minutes else "- min")
        parts.append(f"stage {s.stage} ({guide().stage(s.stage).name})" if s.stage else "no stage")
        parts.append(s.template.upper())
        if s.instruments:
            parts.append("instruments: " + ", ".join(s.instruments))
        print("  ".join(parts))
        if s.goals:
            print("  goals: " + "; ".join(f"{_shown(g.text)} {g.rating}/10" for g in s.goals))
        if s.homework:
            print("  homework: " + _shown(s.homework).replace("\n", "\n            "))
        if args.notes:
            text = format_notes(s.notes, s.template).rstrip()
            if text:
                print("\n".join(f"  {line}" if line else "" for line in _shown(text).split("\n")))


def register(command) -> None:
    action = action_group(command, "client", "a therapist's clients: one folder and journal each", practice_option)

    q = action("add", cmd_client_add, "add a client and print their id (use an alias, not a legal name)")
    q.add_argument("alias", help="initials or a nickname, e.g. 'J.K.'; at most 64 characters")
    q = action("list", cmd_client_list, "list the clients: id, alias, created, entries, last entry, sessions")
    q.add_argument("--all", action="store_true", help="include archived clients")
    q = action("archive", cmd_client_archive, "hide a client from the list; their data is kept")
    q.add_argument("id", help="client id or alias")
    q.add_argument("--undo", action="store_true", help="bring an archived client back")
    q = action("erase", cmd_client_erase,
               "remove every file of a client for good; without --yes, only list what would go")
    q.add_argument("id", help="the client id (not the alias), e.g. c-k3m9qa")
    q.add_argument("--yes", action="store_true", help="really erase; cannot be undone")

    session_action = action_group(command, "session", "a client's therapy sessions: notes, homework, goals",
                                  journal_option)

    q = session_action("add", cmd_session_add, "record a session in a client's journal")
    q.add_argument("--date", help="day of the session, YYYY-MM-DD (default today)")
    q.add_argument("--minutes", help="length in minutes, 1-600")
    q.add_argument("--stage", help="the stage discussed, 1-7 (default none)")
    q.add_argument("--template", default="soap", help="notes template: soap (default) or dap")
    q.add_argument("--notes-file", metavar="FILE",
                   help="notes as UTF-8 text with a heading per section: '## Subjective', '## Objective', "
                        "'## Assessment', '## Plan' (SOAP) or '## Data', '## Assessment', '## Plan' (DAP); "
                        "'## S' works too")
    q.add_argument("--homework", default="", help="homework set for the next session")
    q.add_argument("--goal", action="append", default=[], metavar="TEXT=RATING",
                   help="a goal and its progress this session, 0-10, e.g. \"sleep before midnight=6\"; repeat")
    q.add_argument("--instrument", action="append", default=[], metavar="ID",
                   help="a questionnaire given in the session, e.g. who5; repeat")
    q = session_action("list", cmd_session_list, "list a client's sessions, oldest first")
    q.add_argument("--since", help="first day to include, YYYY-MM-DD")
    q.add_argument("--until", help="last day to include, YYYY-MM-DD")
    q.add_argument("--notes", action="store_true", help="show the notes too (mind who can see the screen)")
