"""Journal commands: demo, log, stage, export, import, where, summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import open_journal, write_output


def cmd_demo(args: argparse.Namespace) -> None:
    from ..demo import write_demo

    with open_journal(args) as journal:
        result = write_demo(journal, days=args.days)
        print(f"demo journal {journal.path}: {result}; {journal.summary()}")


def cmd_log(args: argparse.Namespace) -> None:
    with open_journal(args) as journal:
        entry_id = journal.add(args.mood, args.readiness, tags=args.tag, note=args.note, at=args.at)
        print(f"saved entry {entry_id} to {journal.path}")


def cmd_stage(args: argparse.Namespace) -> None:
    from ..content import guide

    with open_journal(args) as journal:
        change = journal.set_stage(args.stage, args.since, args.note)
        print(f"stage {change.stage} ({guide().stage(change.stage).name}) from {change.since}")


def cmd_export(args: argparse.Namespace) -> None:
    from ..export import export_csv, export_json

    with open_journal(args, create=False) as journal:
        make = export_json if args.format == "json" else export_csv
        text = make(journal, args.since, args.until)
    write_output(args.output, text)
    if args.output != "-":
        print(f"wrote {args.output}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> None:
    from ..importers import import_file, parse_file

    parse_file(args.file, args.format)  # a bad file is refused before any journal is created
    with open_journal(args) as journal:
        result = import_file(journal, args.file, args.format)
        print(f"imported {args.file}: {result}")
        for warning in result.warnings:
            print(f"note: {warning}")


def cmd_where(args: argparse.Namespace) -> None:
    from ..paths import default_journal, home

    print(f"journal: {args.journal or default_journal()}")
    print(f"data folder: {home()}")


def cmd_summary(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        print(journal.summary())


def register(command) -> None:
    p = command("demo", cmd_demo, "write a made-up demo journal (deterministic)")
    p.add_argument("--days", type=int, default=180, help="how many days it covers (default 180)")

    p = command("log", cmd_log, "add a mood entry")
    p.add_argument("--mood", required=True, help="1 (awful) to 5 (rad)")
    p.add_argument("--readiness", help="0-10: how ready you feel to move forward")
    p.add_argument("--tag", action="append", default=[], help="a tag, e.g. contact; repeat for more")
    p.add_argument("--note", default="", help="a note in your own words")
    p.add_argument("--at", help="when, ISO 8601 (default: now, local time)")

    p = command("stage", cmd_stage, "record entering a stage (1-7)")
    p.add_argument("stage", help="the stage number, 1-7")
    p.add_argument("--since", help="first day in the stage, YYYY-MM-DD (default today)")
    p.add_argument("--note", default="", help="a note about this step")

    p = command("export", cmd_export, "export the journal as CSV or JSON")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("-o", "--output", default="-", help="file to write, or - for standard output")
    p.add_argument("--since", help="first day to include, YYYY-MM-DD")
    p.add_argument("--until", help="last day to include, YYYY-MM-DD")

    p = command("import", cmd_import, "import a file into the journal, all or nothing")
    p.add_argument("file", type=Path)
    p.add_argument("--format", default="auto", help="auto (from the content), csv or json")

    command("where", cmd_where, "print where the journal and data folder are")
    command("summary", cmd_summary, "print a one-line summary of the journal")
