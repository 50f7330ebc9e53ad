"""Helpers shared by the command groups."""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

#: what a terminal must never be sent raw, since it would obey it rather than show it: C0 controls other
#: than tab and newline (ESC starts colour, cursor and title sequences), DEL, C1 controls (U+009B is a
#: one-character ESC [), and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069) that can make text read in another order than it is stored
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """``text`` as a terminal should show it: each unsafe character written as an escape (``\\x1b``, ``\\u202e``)."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                      text)


class TerminalText(io.TextIOBase):
    """A text stream that passes what is written through :func:`shown` to ``exact``, the stream it wraps.

    :func:`rekindle_widgets.cli.main` puts one over stdout and stderr for the
    whole command, so no note, tag, alias, file name or path a command prints
    can move the cursor, recolour or retitle the terminal, or reorder a line.
    Data meant for a file or a pipe (``rekindle export``) is written to
    ``exact`` instead (see :func:`write_output`).
    """

    def __init__(self, exact):
        super().__init__()
        self.exact = exact

    def write(self, text: str) -> int:
        self.exact.write(shown(text))
        return len(text)

    def flush(self) -> None:
        self.exact.flush()

    def isatty(self) -> bool:
        return self.exact.isatty()

    def fileno(self) -> int:
        return self.exact.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self):  # type: ignore[override]
        return getattr(self.exact, "encoding", "utf-8")


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


def action_group(command: Callable[..., argparse.ArgumentParser], name: str, help: str,
                 option: Callable[..., None]) -> Callable[..., argparse.ArgumentParser]:
    """A command made of actions (``rekindle client add``, ``rekindle plan set``): returns
    ``action(name, func, help)``, which adds one, with ``option`` (:func:`journal_option` or
    :func:`practice_option`) on it."""
    group = command(name, lambda args: None, help)
    sub = group.add_subparsers(dest=f"{name}_command", metavar="ACTION", parser_class=type(group))
    sub.required = True

    def action(action_name: str, func: Callable[[argparse.Namespace], None],
               action_help: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(action_name, help=action_help, description=action_help)
        option(parser, nested=True)
        parser.set_defaults(func=func)
        return parser

    return action



def journal_path(args: argparse.Namespace) -> Path:
    """The journal a command works on: ``--client`` in the practice, ``--journal``, or the default."""
    from ..errors import RekindleError
    from ..journal import path_of

    client, journal, practice = (getattr(args, name, None) for name in ("client", "journal", "practice"))
    if client is not None:
        if journal is not None:
            raise RekindleError("give --client or --journal, not both: a client's journal is in the practice folder")
        from ..model.practice import Practice

        return Practice(practice).get(client).journal_path
    if practice is not None:
        raise RekindleError("--practice needs --client ID to say whose journal to use (see 'rekindle client list')")
    return path_of(journal)


def open_journal(args: argparse.Namespace, *, create: bool = True):
    """The journal a command works on (see :func:`journal_path`), opened."""
    from ..journal import as_journal

    return as_journal(journal_path(args), create=create)


def write_output(target: str, text: str) -> None:
    """Data (an export) to a file, or to stdout: exact for a pipe or file, made safe for a terminal."""
    if target == "-":
        exact = getattr(sys.stdout, "exact", sys.stdout)
        (sys.stdout if exact.isatty() else exact).write(text)
    else:
        from ..paths import write_private

        write_private(target, text)
