"""Journal commands: demo, log, stage, export, import, where, summary; entries, edit, delete, history, undo, erase."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from ..errors import RekindleError
from ..io import APPS
from ..journal import MOOD_LABELS
from .common import journal_path, open_journal, write_output


def cmd_demo(args: argparse.Namespace) -> None:
    from ..io.demo import demo_entries, write_demo

    demo_entries(args.days)  # a wrong --days is refused before any journal is created
    with open_journal(args) as journal:
        result = write_demo(journal, days=args.days)
        print(f"demo journal {journal.path}: {result}; {journal.summary()}")


def cmd_log(args: argparse.Namespace) -> None:
    from datetime import datetime

    from ..journal import Entry, parse_track

    if args.mood is None and not args.track:
        raise RekindleError("give --mood, --track NAME=VALUE, or both")
    # everything checked before the journal is opened: a mistake creates no file and writes nothing
    at = args.at if args.at is not None else datetime.now().astimezone()  # an entry and its trackers: one moment
    entry = Entry.make(mood=args.mood, readiness=args.readiness, tags=args.tag, note=args.note, at=at) \
        if args.mood is not None else None
    if entry is None and (args.readiness is not None or args.tag or args.note):
        raise RekindleError("--readiness, --tag and --note belong to a mood entry: give --mood too")
    tracked = [parse_track(spec, at) for spec in args.track]
    with open_journal(args) as journal:
        journal.check_trackers(tracked)  # a number for a yes/no tracker: refused before the entry is saved
        if entry is not None:
            entry_id = journal.add(args.mood, args.readiness, tags=args.tag, note=args.note, at=at)
            print(f"saved entry {entry_id} to {journal.path}")
        for item in tracked:
            saved = journal.add_tracked(item)
            print(f"tracked {saved.name} = {saved.shown} (value {saved.id})")


def cmd_trackers(args: argparse.Namespace) -> None:
    from ..journal import parse_date

    since = parse_date(args.since, what="--since date") if args.since else None
    with open_journal(args, create=False) as journal:
        if args.edit:
            value_id, sep, value = args.edit.partition("=")
            if not sep:
                raise RekindleError(f"--edit {args.edit[:40]!r} needs ID=VALUE, e.g. 12=7.5")
            saved = journal.edit_tracker(value_id, value.strip())
            print(f"changed tracker value {saved.id}: {saved.name} = {saved.shown}")
            return
        if args.delete:
            journal.delete_tracker(args.delete)
            print(f"deleted tracker value {args.delete} ('rekindle undo' brings it back)")
            return
        rows = [t for t in journal.tracked() if since is None or t.at.date() >= since]
    if not rows:
        print("no tracker values yet: rekindle log --track sleep=7.5")
    for t in rows:
        print(f"{t.id:>5}  {t.at.isoformat(timespec='minutes')}  {t.name} = {t.shown}")


def cmd_stage(args: argparse.Namespace) -> None:
    from ..content import guide
    from ..journal import StageChange

    StageChange.make(args.stage, args.since, args.note)  # checked before a journal file is created
    with open_journal(args) as journal:
        change = journal.set_stage(args.stage, args.since, args.note)
        print(f"stage {change.stage} ({guide().stage(change.stage).name}) from {change.since}")


def cmd_export(args: argparse.Namespace) -> None:
    from ..io.export import export_csv, export_json

    with open_journal(args, create=False) as journal:
        make = export_json if args.format == "json" else export_csv
        text = make(journal, args.since, args.until)
        unreadable = len(journal.unreadable_entries())
    write_output(args.output, text)
    if unreadable:
        print(f"rekindle: warning: {unreadable} entr{'y' if unreadable == 1 else 'ies'} could not be read and "
              f"{'was' if unreadable == 1 else 'were'} left out; 'rekindle check' lists them", file=sys.stderr)
    if args.output != "-":
        print(f"wrote {args.output}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> None:
    from ..io.importers import LABELS, import_parsed, import_parts, parse_file, preview, stream_file
    from ..io.importers.options import (
        Options,
        parse_map_specs,
        parse_mood_scale,
        parse_tz,
        parse_where,
        read_map_file,
    )

    mapping = read_map_file(args.map_file) if args.map_file else {}
    mapping.update(parse_map_specs(args.map))  # --map wins over the file
    options = Options(mood_map=mapping, tz=parse_tz(args.tz), date_col=args.date_col, mood_col=args.mood_col,
                      note_col=args.note_col, tags_col=args.tags_col, readiness_col=args.readiness_col,
                      mood_scale=parse_mood_scale(args.mood_scale) if args.mood_scale else None,
                      date_format=args.date_format, time_col=args.time_col, where=parse_where(args.where),
                      skip_invalid=args.skip_invalid)
    # a large file of a format that streams is read a part at a time, each written as it comes in one
    # transaction (a damaged row rolls it all back); any other file is parsed whole before a journal is opened
    streamed = None if args.dry_run else stream_file(args.file, args.format, options)
    if streamed is not None:
        fmt, parts = streamed
        with _new_journal_kept_only_on_success(journal_path(args)), open_journal(args) as journal, \
                _progress_bar(args.file.stat().st_size, unit="B") as progress:
            result = import_parts(journal, fmt, parts, progress=progress, name=args.file.name)
        _say_imported(args.file, LABELS[fmt], result)
        return
    fmt, parsed = parse_file(args.file, args.format, options)
    if args.dry_run:
        view = preview(parsed, fmt, args.file.name, journal_path(args), rows=args.rows)
        _say_concerns(view.concerns)
        print(view.summary())
        if view.rows:
            print(view.table())
        for line in view.account.skipped:
            print(f"skipped {line}")
        for warning in view.warnings:
            print(f"note: {warning}")
        print("dry run: nothing was written")
        return
    with open_journal(args) as journal, _progress_bar(len(parsed.entries)) as progress:
        result = import_parsed(journal, fmt, parsed, progress=progress)
    _say_imported(args.file, LABELS[fmt], result)


def _say_imported(file: Path, label: str, result) -> None:
    _say_concerns(result.concerns)
    print(f"imported {file} ({label}): {result}")
    for line in result.account.skipped if result.account is not None else ():
        print(f"skipped {line}")
    for warning in result.warnings:
        print(f"note: {warning}")


def _say_concerns(days: list) -> None:
    """Help before anything else when the file records thoughts of self-harm or suicide (never a score)."""
    if not days:
        return
    from ..model.scorer import resources
    from .scores import _wrap, safety_lines

    when = f"on {len(days)} day{'s' if len(days) != 1 else ''}, the latest {days[-1].isoformat()}"
    why = _wrap(f"Your file records thoughts of harming yourself {when}. If they are with you now, you do not "
                "have to wait: talking to someone helps, and these lines are free and confidential.")
    print("\n".join(safety_lines(resources(("crisis",), None), "crisis", [why])))


@contextmanager
def _new_journal_kept_only_on_success(path: Path):
    """A journal the import creates is removed again when the import fails: a refused file changes nothing."""
    existed = path.exists()
    try:
        yield
    except BaseException:
        if not existed:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise


#: files with at least this many entries (or, streaming, bytes) show a progress bar even when stderr is not
#: a terminal
LARGE_IMPORT = {"entries": 20_000, "B": 2_000_000}


@contextmanager
def _progress_bar(total: int, unit: str = "entries"):
    """A tqdm bar on stderr for an interactive terminal or a large file; else no callback at all."""
    if not total or not (sys.stderr.isatty() or total >= LARGE_IMPORT[unit]):
        yield None
        return
    from tqdm import tqdm

    # the bar redraws its line with "\r", so it writes past the terminal-safe wrapper (it shows no user text)
    with tqdm(total=total, unit=" entries" if unit == "entries" else "B", unit_scale=unit == "B",
              desc="importing", file=getattr(sys.stderr, "exact", sys.stderr), mininterval=0.2) as bar:
        def update(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        yield update


def cmd_where(args: argparse.Namespace) -> None:
    from ..paths import home

    print(f"journal: {journal_path(args)}")
    print(f"data folder: {home()}")


def cmd_summary(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        print(journal.summary())


def _entry_line(row) -> str:
    """One entry on one line: id, local time, mood, readiness, tags, note (line breaks shown as \\n)."""
    entry_id, ts, _day, mood, readiness, tags, note, _source = row[:8]
    parts = [f"{entry_id:>5}", ts[:16].replace("T", " ") + ts[19:], f"mood {mood} ({MOOD_LABELS[mood]})"]
    if readiness is not None:
        parts.append(f"readiness {readiness}")
    if tags:
        parts.append("tags " + ", ".join(tags.split("|")))
    if note:
        parts.append(note.replace("\n", "\\n"))
    return "  ".join(parts)


def cmd_entries(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        rows = journal.rows(args.since, args.until)
    for row in rows:
        print(_entry_line(row))
    if not rows:
        print("no entries" + (" in that range" if args.since or args.until else " yet"), file=sys.stderr)


def cmd_edit(args: argparse.Namespace) -> None:
    from ..journal import UNCHANGED

    fields = {name: UNCHANGED if value is None else value for name, value in
              (("mood", args.mood), ("readiness", args.readiness), ("tags", args.tag), ("note", args.note),
               ("at", args.at))}
    if isinstance(fields["readiness"], str) and fields["readiness"].strip().lower() == "none":
        fields["readiness"] = None
    if all(value is UNCHANGED for value in fields.values()):
        raise RekindleError("say what to change: --mood, --readiness, --tag, --note or --at")
    with open_journal(args, create=False) as journal:
        changed = journal.edit_entry(args.id, **fields)
        row = journal.row(args.id)
    print(("changed entry " if changed else "entry already so, nothing changed: ") + _row_text(row).lstrip())


def _row_text(row) -> str:
    return _entry_line(tuple(row[k] for k in ("id", "ts", "day", "mood", "readiness", "tags", "note", "source")))


def cmd_delete(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        row = journal.row(args.id)
        journal.delete_entry(args.id)
    print(f"deleted entry {_row_text(row).lstrip()}")
    print("'rekindle undo' brings it back; 'rekindle erase' removes it for good")


def cmd_history(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        versions = journal.history(args.id)
        now = journal.row(args.id)
    if now is None and not versions:
        raise RekindleError(f"there is no entry {args.id} and no history of one; 'rekindle entries' lists them")
    for number, version in enumerate(versions, 1):
        when = version.at_utc.replace("T", " ").replace("+00:00", " UTC")
        verb = "edited" if version.replaced_by == "edit" else "deleted"
        print(f"version {number} ({verb} {when}): {_row_text(version.row).lstrip()}")
    print(f"now: {_row_text(now).lstrip()}" if now is not None else "now: deleted (kept until 'rekindle erase')")


def cmd_undo(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        change = journal.undo()
        following = journal.last_change()
    print(f"undid {change}")
    if following is not None:
        print(f"'rekindle undo' again would undo {following}")


def cmd_erase(args: argparse.Namespace) -> None:
    with open_journal(args, create=False) as journal:
        kept = journal.kept()
        if not args.yes:
            if not sys.stdin.isatty():
                raise RekindleError("erase removes deleted entries and every earlier version for good; "
                                    "run it in a terminal to confirm, or add --yes")
            print(f"This removes {kept.versions} earlier or deleted versions and the undo history of "
                  f"{kept.changes} changes from {journal.path} for good.")
            answer = input("Type 'erase' to go on: ")
            if answer.strip().lower() != "erase":
                print("nothing was erased")
                return
        erased = journal.erase()
    print(f"erased {erased.versions} earlier or deleted versions and the undo history of {erased.changes} changes; "
          "the file was rewritten without them")


def register(command) -> None:
    p = command("demo", cmd_demo, "write a made-up demo journal (deterministic)")
    p.add_argument("--days", type=int, default=180, help="how many days it covers (default 180)")

    p = command("log", cmd_log, "add a mood entry, tracker values of your own, or both")
    p.add_argument("--mood", help=f"1 ({MOOD_LABELS[1]}) to 5 ({MOOD_LABELS[5]})")
    p.add_argument("--readiness", help="0-10: how ready you feel to move forward")
    p.add_argument("--tag", action="append", default=[], help="a tag, e.g. contact; repeat for more")
    p.add_argument("--note", default="", help="a note in your own words")
    p.add_argument("--at", help="when, ISO 8601 (default: now, local time)")
    p.add_argument("--track", action="append", default=[], metavar="NAME=VALUE",
                   help="a tracker of your own: a number or yes/no, e.g. sleep=7.5 or 'worked out=yes'; repeat "
                        "for more")

    p = command("trackers", cmd_trackers, "list, change or delete your tracker values")
    p.add_argument("--since", help="first day to list, YYYY-MM-DD")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--edit", metavar="ID=VALUE", help="change one value, e.g. 12=7.5")
    change.add_argument("--delete", metavar="ID", help="delete one value ('rekindle undo' brings it back)")

    p = command("stage", cmd_stage, "record entering a stage (1-7)")
    p.add_argument("stage", help="the stage number, 1-7")
    p.add_argument("--since", help="first day in the stage, YYYY-MM-DD (default today)")
    p.add_argument("--note", default="", help="a note about this step")

    p = command("export", cmd_export, "export the journal as CSV or JSON")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("-o", "--output", default="-", help="file to write, or - for standard output")
    p.add_argument("--since", help="first day to include, YYYY-MM-DD")
    p.add_argument("--until", help="last day to include, YYYY-MM-DD")

    p = command("import", cmd_import, f"import a mood log ({APPS}, any CSV, our exports), all or nothing")
    p.add_argument("file", type=Path)
    p.add_argument("--format", default="auto", metavar="FORMAT",
                   help="auto (from the content, the default), daylio, daylio-backup, bearable, imoodjournal, "
                        "howwefeel, pixels, pixy, csv or json")
    p.add_argument("--map", action="append", default=[], metavar="LABEL=LEVEL",
                   help=f"your own mood label and its level 1 ({MOOD_LABELS[1]}) to 5 ({MOOD_LABELS[5]}), "
                        "e.g. --map so-so=3; repeat")
    p.add_argument("--map-file", type=Path, metavar="FILE", help="a file of 'label = level' lines")
    p.add_argument("--tz", metavar="ZONE", help="time zone of times without one, e.g. Europe/London "
                                                "(default: this computer's)")
    p.add_argument("--date-col", metavar="NAME", help="another app's CSV: the date (and time) column")
    p.add_argument("--mood-col", metavar="NAME", help="another app's CSV: the mood column (numbers)")
    p.add_argument("--mood-scale", metavar="MIN..MAX", help="the mood column's scale, rescaled to 1-5 "
                                                            "(default 1..5), e.g. 1..10")
    p.add_argument("--note-col", metavar="NAME", help="another app's CSV: a note column")
    p.add_argument("--tags-col", metavar="NAME", help="another app's CSV: a tags column (split on | , ;)")
    p.add_argument("--readiness-col", metavar="NAME", help="another app's CSV: a 0-10 readiness column")
    p.add_argument("--date-format", metavar="FORMAT", help="strptime pattern of the dates, e.g. %%d/%%m/%%Y "
                                                           "(default ISO 8601)")
    p.add_argument("--time-col", metavar="NAME", help="another app's CSV: a separate time-of-day column")
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                   help="another app's CSV: only rows whose COLUMN holds VALUE, e.g. --where category=Mood; repeat")
    p.add_argument("--skip-invalid", action="store_true",
                   help="import the rows that can be read and list the lines skipped (default: refuse the file)")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    p.add_argument("--rows", type=int, default=5, help="with --dry-run: how many rows to show (default 5)")

    p = command("entries", cmd_entries, "list entries, one a line, each starting with its id")
    p.add_argument("--since", help="first day to list, YYYY-MM-DD")
    p.add_argument("--until", help="last day to list, YYYY-MM-DD")

    p = command("edit", cmd_edit, "correct an entry (the old version is kept; 'rekindle undo' takes it back)")
    p.add_argument("id", help="the entry's id, as 'rekindle entries' shows it")
    p.add_argument("--mood", help=f"1 ({MOOD_LABELS[1]}) to 5 ({MOOD_LABELS[5]})")
    p.add_argument("--readiness", help="0-10, or none to clear it")
    p.add_argument("--tag", action="append", help="a tag; repeat for more; replaces the tags (--tag '' clears)")
    p.add_argument("--note", help="the note in your own words")
    p.add_argument("--at", help="when, ISO 8601, e.g. 2026-03-01T20:30 (local time)")

    p = command("delete", cmd_delete, "delete an entry (kept for 'rekindle undo' until 'rekindle erase')")
    p.add_argument("id", help="the entry's id, as 'rekindle entries' shows it")

    p = command("history", cmd_history, "show each earlier version of an entry")
    p.add_argument("id", help="the entry's id")

    command("undo", cmd_undo, "undo the last change (an entry, an edit, a deletion or a whole import); repeat "
                              "to go further back")

    p = command("erase", cmd_erase, "remove deleted entries and earlier versions for good, and rewrite the file")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    command("where", cmd_where, "print where the journal and data folder are")
    command("summary", cmd_summary, "print a one-line summary of the journal")
