"""Backup commands: backup (plain or encrypted) and restore (a backup, or the list of safety copies)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import RekindleError
from .common import journal_path


def _passphrase(*, twice: bool) -> str:
    """``$REKINDLE_PASSPHRASE`` if set (scripts, tests), else asked on the terminal (twice to encrypt)."""
    from ..io.backup import PASSPHRASE_ENV, check_passphrase

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return check_passphrase(given) if twice else given
    if not sys.stdin.isatty():
        raise RekindleError(f"a passphrase is needed: run this in a terminal to type it, or set {PASSPHRASE_ENV}")
    import getpass

    first = getpass.getpass("Passphrase: ")
    if twice:
        check_passphrase(first)
        if getpass.getpass("The same passphrase again: ") != first:
            raise RekindleError("the two passphrases differ; nothing was written, try again")
    return first


def cmd_backup(args: argparse.Namespace) -> None:
    from ..io.backup import write_backup
    from ..journal import as_journal

    target = Path(args.output).expanduser()
    if target.is_dir() or not target.parent.is_dir():
        raise RekindleError(f"cannot write {target}: give a file name in a folder that exists")
    passphrase = _passphrase(twice=True) if args.encrypt else None  # asked before the journal is opened
    with as_journal(journal_path(args), create=False) as journal:
        write_backup(journal, target, passphrase)
        what = "encrypted backup (age, passphrase)" if args.encrypt else "backup (SQLite journal file)"
        print(f"wrote {what} of {journal.path} to {target}: {journal.summary()}")
    from ..io.backup import MAX_BACKUP

    size = target.stat().st_size
    if size > MAX_BACKUP:  # written all the same: a copy too large to restore beats no copy
        print(f"rekindle: warning: {target} is {size / 1e6:,.0f} MB, more than 'rekindle restore' reads "
              f"({MAX_BACKUP / 1e6:,.0f} MB); to use it, copy it over the journal file by hand", file=sys.stderr)


def cmd_restore(args: argparse.Namespace) -> None:
    from ..io.backup import kind_of, restore
    from ..journal import safety_copies

    path = journal_path(args)
    if args.file is None or args.list:
        if args.file is not None:
            raise RekindleError("give a FILE to restore or --list, not both")
        copies = safety_copies(path)
        if not copies:
            print(f"no safety copies of {path} yet (one is kept before every import, migration, undo, erase "
                  f"and restore)")
            return
        print(f"safety copies of {path}, newest first (restore one with 'rekindle restore --replace FILE'):")
        for copy in copies:
            print(copy.describe())
        return
    from ..io.backup import MAX_BACKUP
    from ..io.importers.text import read_bytes

    data = read_bytes(args.file, MAX_BACKUP)
    passphrase = _passphrase(twice=False) if kind_of(data) == "age" else None
    result = restore(path, data, args.file.name, passphrase, replace=args.replace)
    print(f"{args.file}: {result}")
    if result.safety_copy is not None:
        print(f"a safety copy of the journal as it was is kept at {result.safety_copy}")


def cmd_check(args: argparse.Namespace) -> None:
    from .common import open_journal

    with open_journal(args, create=False) as journal:
        found = journal.check()
        where = journal.path
    if not found:
        print(f"{where}: no problems (integrity, schema and every row checked)")
        return
    print(f"{where}: {len(found)} problem{'s' if len(found) != 1 else ''}"
          f"{' (the first 20)' if len(found) >= 20 else ''}:")
    for line in found:
        print(f"  {line}")
    print("restore a safety copy ('rekindle restore --list') or a backup to replace the damaged rows")
    raise SystemExit(1)


def register(command) -> None:
    p = command("check", cmd_check, "check the journal: SQLite's integrity, its schema, and every row "
                                    "(exit 1 when something is wrong)")

    p = command("backup", cmd_backup, "write a backup of the whole journal, plain or encrypted (--encrypt)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the backup file to write (mode 0600)")
    p.add_argument("--encrypt", action="store_true",
                   help="encrypt it (age format, passphrase asked twice, or $REKINDLE_PASSPHRASE); "
                        "decrypt elsewhere with 'age -d'")

    p = command("restore", cmd_restore, "restore a backup (plain or encrypted) into the journal, merging into one "
                                        "that has entries; with no FILE, list the safety copies")
    p.add_argument("file", type=Path, nargs="?", metavar="FILE", help="a backup from 'rekindle backup'")
    p.add_argument("--list", action="store_true", help="list the journal's safety copies (date, reason, size)")
    p.add_argument("--replace", action="store_true",
                   help="make the journal exactly the backup instead of merging (a safety copy is kept first)")
