"""Chart and report commands: ``rekindle chart`` and ``rekindle report``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..charts.kinds import REGISTRY
from ..errors import RekindleError
from .common import open_journal

CHART_SUFFIXES = (".png", ".svg")
REPORT_SUFFIXES = (".html", ".htm", ".pdf")
#: The chart kinds, from the registry (which imports no matplotlib: building the parser stays cheap).
CHART_KINDS = tuple(REGISTRY)


def _check_target(target: str, suffixes: tuple[str, ...], what: str) -> Path:
    """A path we can write to: right suffix, existing folder, writable. Checked before any work."""
    path = Path(target).expanduser()
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise RekindleError(f"cannot save a {what} as {str(target)!r}; end the file name in "
                            f"{' or '.join(suffixes)}")
    if path.is_dir():
        raise RekindleError(f"{path} is a folder; give a file name such as {path / ('out' + suffixes[0])}")
    folder = path.parent
    if not folder.is_dir():
        raise RekindleError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RekindleError(f"cannot write {path}: folder {folder} is not writable; choose another folder")
    return path


def _check_dates(args: argparse.Namespace) -> None:
    from ..journal import parse_date

    since = parse_date(args.since, what="--since date") if args.since else None
    until = parse_date(args.until, what="--until date") if args.until else None
    if since and until and since > until:
        raise RekindleError(f"--since {since} is after --until {until}; swap them")


def cmd_chart(args: argparse.Namespace) -> None:
    from .. import charts
    from ..paths import write_private

    path = _check_target(args.output, CHART_SUFFIXES, "chart")
    _check_dates(args)
    with open_journal(args, create=False) as journal:
        data = journal.entries(args.since, args.until)
        stages = journal.stage_changes()
        responses = journal.responses() if args.kind == "scores" else None
        progress = journal.goal_progress(args.since, args.until) if args.kind == "goals" else None
        trackers = journal.trackers(args.since, args.until) if args.kind == "trackers" else None
        moments = journal.timeline_moments() if args.kind == "timeline" else None  # micro-dates that happened
        from ..model.watch import journal_flags  # the red-flag watch's weeks, marked on the timeline

        flags = journal_flags(journal, history=True, since=args.since, until=args.until) \
            if args.kind == "timeline" else []
    fig = charts.figure(args.kind, data, stages=stages, responses=responses, progress=progress, trackers=trackers,
                        **({"flags": flags} if flags else {}), **({"moments": moments} if moments else {}))
    text = charts.describe(data, stages, kind=args.kind, responses=responses, progress=progress, moments=moments,
                           trackers=trackers)
    text += " " + charts.describe_flags(flags) if flags else ""
    write_private(path, charts.render(fig, path.suffix, dpi=args.dpi, description=text))
    print(f"wrote {path}", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> None:
    from ..report import write_report

    _check_target(args.output, REPORT_SUFFIXES, "report")
    _check_dates(args)
    with open_journal(args, create=False) as journal:
        if getattr(args, "client", None) is not None:  # a therapist's client: their sessions and goals too
            from ..model.practice import Practice
            from ..report import SESSION_TITLE, write_session_report

            client = Practice(args.practice).get(args.client)
            path = write_session_report(journal, args.output, args.since, args.until, client=client,
                                        anonymise=args.anonymise, region=args.region,
                                        title=args.title or SESSION_TITLE)
        else:
            path = write_report(journal, args.output, args.since, args.until, anonymise=args.anonymise,
                                region=args.region, title=args.title or "Rekindle journal report")
    print(f"wrote {path}", file=sys.stderr)


def _dpi(value: str) -> int:
    try:
        dpi = int(value)
    except ValueError:
        dpi = 0
    if not 50 <= dpi <= 600:
        raise argparse.ArgumentTypeError(f"--dpi must be a whole number from 50 to 600, not {value!r}")
    return dpi


def register(command) -> None:
    p = command("chart", cmd_chart, "draw a chart of the journal as a PNG or SVG file")
    p.add_argument("--kind", choices=CHART_KINDS, default="timeline",
                   help="which chart (default timeline): " + "; ".join(
                       f"{k.name}: {k.summary}" for k in REGISTRY.values()))
    p.add_argument("-o", "--output", required=True, help="file to write, ending in .png or .svg")
    p.add_argument("--since", help="first day to include, YYYY-MM-DD")
    p.add_argument("--until", help="last day to include, YYYY-MM-DD")
    p.add_argument("--dpi", type=_dpi, default=150, help="resolution of a PNG (default 150)")

    p = command("report", cmd_report, "write a report (charts, stage summary, questionnaires) as HTML or PDF")
    p.add_argument("-o", "--output", required=True, help="file to write, ending in .html or .pdf")
    p.add_argument("--since", help="first day to include, YYYY-MM-DD")
    p.add_argument("--until", help="last day to include, YYYY-MM-DD")
    p.add_argument("--anonymise", action="store_true",
                   help="leave out notes and free-text answers (with --client also: the alias, tags, homework "
                        "and the wording of goals)")
    from ..content import guide

    p.add_argument("--region", help="show the safety services of one region: "
                                    + ", ".join(r.code for r in guide().safety.regions) + " (default: all)")
    p.add_argument("--title", help="the report's title (default 'Rekindle journal report', "
                                   "or 'Session report' with --client)")
