"""The ``rekindle`` command line.

A view, like the widgets and notebooks: it parses arguments, calls the
package, and prints. Any mistake a person can make ends in one line on stderr,
``rekindle: error: ...``, exit status 2, and an unchanged journal.

Commands live in one module per group (``cli/journal.py``, ...), each with a
``register(command)`` function; :data:`GROUPS` lists them in help order.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import NoReturn

from .. import __version__
from ..errors import RekindleError
from .common import TerminalText, journal_option

EXIT_USAGE = 2

#: Command groups, each a module in this package with ``register(command)``.
GROUPS = ["journal", "backup", "scores", "clients", "app", "charts", "insights", "reminders", "watch",
          "reliable_change", "forward"]
GROUPS.append("plans")  # rekindle plan ..., rekindle practice overview (issue 18)


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line too (no usage block)."""

    def error(self, message: str) -> NoReturn:
        message = message.replace("\r", "\\r").replace("\n", "\\n")  # an argument may hold line breaks
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


# --------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rekindle",
        description="Rekindle: a workbook for deciding whether, and how, to get back together with an "
                    "ex. Self-help, not therapy; your data stays on this computer.",
    )
    parser.add_argument("--version", action="version", version=f"rekindle {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def command(name: str, func: Callable[[argparse.Namespace], None], help: str) -> argparse.ArgumentParser:
        # argparse %-formats a command's help, not its description: "95%%" in help is "95%" in both
        p = sub.add_parser(name, help=help, description=help.replace("%%", "%"))
        journal_option(p)
        p.set_defaults(func=func)
        return p

    for group in GROUPS:
        import_module(f"{__name__}.{group}").register(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; everything it prints is made safe for a terminal (see :class:`.common.TerminalText`)."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalText(stdout), TerminalText(stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from ..content.instruments import use_practice

        use_practice(getattr(args, "practice", None))  # --practice DIR: its own questionnaires are offered too
        args.func(args)
    except RekindleError as exc:
        print(f"rekindle: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("rekindle: interrupted; nothing was half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        getattr(sys.stderr, "exact", sys.stderr).close()  # e.g. `rekindle export | head`: not an error
        return 0
    except OSError as exc:  # the system refused a path given on the command line (e.g. a name over 255 bytes)
        what = f"cannot use {exc.filename}" if exc.filename else "the system refused the command"
        print(f"rekindle: error: {RekindleError(f'{what}: {exc.strerror or exc}; check the path')}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
