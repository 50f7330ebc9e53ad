"""Helpers shared by the command groups."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def journal_option(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """``--journal PATH``, or ``--client ID`` in a ``--practice DIR``: which journal a command uses.

    ``nested=True`` is for the subcommands of a group (``rekindle session add``):
    their options then only override the group's when given.
    """
    default = argparse.SUPPRESS if nested else None
    parser.add_argument("--journal", metavar="PATH", type=Path, default=default,
                        help="journal file (default: $REKINDLE_HOME/journal.sqlite)")
    parser.add_argument("--client", metavar="ID", default=default,
                        help="work on this client's journal in the practice folder (id or alias)")
    practice_option(parser, nested=nested)


def practice_option(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    parser.add_argument("--practice", metavar="DIR", type=Path, default=argparse.SUPPRESS if nested else None,
                        help="practice folder with one folder per client "
                             "(default: $REKINDLE_PRACTICE or $REKINDLE_HOME/practice)")


def journal_path(args: argparse.Namespace) -> Path:
    """The journal a command works on: ``--client`` in the practice, ``--journal``, or the default."""
    from ..errors import RekindleError
    from ..paths import default_journal

    client, journal, practice = (getattr(args, name, None) for name in ("client", "journal", "practice"))
    if client is not None:
        if journal is not None:
            raise RekindleError("give --client or --journal, not both: a client's journal is in the practice folder")
        from ..practice import Practice

        return Practice(practice).get(client).journal_path
    if practice is not None:
        raise RekindleError("--practice needs --client ID to say whose journal to use (see 'rekindle client list')")
    return Path(journal).expanduser() if journal is not None else default_journal()


def open_journal(args: argparse.Namespace, *, create: bool = True):
    """The journal a command works on (see :func:`journal_path`), opened."""
    from ..journal import Journal

    return Journal(journal_path(args), create=create)


def write_output(target: str, text: str) -> None:
    if target == "-":
        sys.stdout.write(text)
    else:
        from ..paths import write_private

        write_private(target, text)
