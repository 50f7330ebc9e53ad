"""Helpers shared by the command groups."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def journal_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--journal", metavar="PATH", type=Path,
                        help="journal file (default: $REKINDLE_HOME/journal.sqlite)")


def open_journal(args: argparse.Namespace, *, create: bool = True):
    from ..journal import Journal

    return Journal(args.journal, create=create)


def write_output(target: str, text: str) -> None:
    if target == "-":
        sys.stdout.write(text)
    else:
        from ..paths import write_private

        write_private(target, text)
