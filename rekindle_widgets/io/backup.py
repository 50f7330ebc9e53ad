"""Whole-journal backups, plain or encrypted, and restoring them.

A backup is the journal file itself, copied with SQLite's backup API
(:meth:`Journal.backup_to`): every entry, stage change, response and session,
exactly as stored. It can be kept plain (a SQLite file, ``.sqlite``) or
encrypted (``.age``).

**Encryption: the age format, through pyrage.** An encrypted backup is an `age
<https://age-encryption.org/v1>`_ file with one passphrase (scrypt) recipient,
written and read by ``pyrage``, the Python binding of ``rage``, a Rust
implementation of age. We chose age over building a format of our own on
``cryptography`` (scrypt + AES-GCM) because age is a small, published
specification with several independent, interoperable implementations (``age``
in Go, ``rage`` in Rust): a person can decrypt their backup elsewhere, without
Rekindle, with ``age -d journal.age > journal.sqlite``, and we write no
cryptographic code (no nonces, key derivation or file layout of our own).
age authenticates every chunk, so a wrong passphrase, a damaged file and a
truncated file are all refused rather than decrypted into garbage. (A plain
backup has no such seal: a cut-short file is found from its header and a
broken structure by SQLite's integrity check, but a changed letter inside a
note cannot be told from the original.)

The passphrase comes from the person (``rekindle backup --encrypt`` asks for it
twice; ``$REKINDLE_PASSPHRASE`` for scripts and tests); the scrypt work factor
is age's own, chosen when encrypting to take about a second on that machine
(two to six seconds on this project's busy 2-core test machines), which is
also the cost of each wrong guess.

**Restoring** (:func:`restore`) reads the file's first bytes to tell a plain
backup (``SQLite format 3``) from an encrypted one (``age-encryption.org/v1``),
decrypts it in memory if needed, and checks it completely
(:func:`~rekindle_widgets.journal.check_backup`: whole, undamaged, a Rekindle
journal, not from a newer schema) before the journal is touched. Then:

* into a journal that holds nothing (or with ``replace=True``) the backup's file
  is copied in whole: the journal becomes identical to the one backed up;
* into a journal with content it is merged: entries, stage changes,
  questionnaire responses and sessions not already there are added, through the
  same path as importing a Rekindle JSON export, so nothing is added twice.

Either way a safety copy of the journal is kept first
(:func:`~rekindle_widgets.journal.safety_copy`), and any problem is one
:class:`RekindleError` sentence with the journal unchanged.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RekindleError
from ..journal import SQLITE_HEADER, Journal, JournalLike, check_backup, opened, safety_copy
from ..paths import write_private

if TYPE_CHECKING:
    from .importers.account import Imported

__all__ = ["AGE_HEADER", "MAX_BACKUP", "MIN_PASSPHRASE", "PASSPHRASE_ENV", "Restored", "backup_bytes", "decrypt",
           "encrypt", "kind_of", "opened_backup", "restore", "write_backup"]

AGE_HEADER = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
PASSPHRASE_ENV = "REKINDLE_PASSPHRASE"
MIN_PASSPHRASE = 8  # characters: shorter ones are refused when encrypting
#: the largest backup file restore reads (its own copy of a journal, read into memory whole): 1 GiB
MAX_BACKUP = 1 << 30


def kind_of(data: bytes) -> str | None:
    """``"age"`` for an age-encrypted file, ``"sqlite"`` for a plain backup, None for anything else."""
    head = bytes(data[:64]).lstrip()
    if head.startswith(AGE_HEADER) or head.startswith(AGE_ARMOR):
        return "age"
    if bytes(data[:16]) == SQLITE_HEADER:
        return "sqlite"
    return None


def check_passphrase(passphrase: str) -> str:
    """A passphrase fit to encrypt with: at least :data:`MIN_PASSPHRASE` characters."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise RekindleError(f"the passphrase is too short ({len(passphrase)} characters); use at least "
                            f"{MIN_PASSPHRASE}, e.g. four unrelated words")
    return passphrase


def encrypt(data: bytes, passphrase: str) -> bytes:
    """``data`` as an age file with a passphrase (scrypt) recipient."""
    import pyrage

    return pyrage.passphrase.encrypt(bytes(data), check_passphrase(passphrase))


def decrypt(data: bytes, passphrase: str, name: str = "the backup") -> bytes:
    """The plaintext of an age file; a wrong passphrase or a damaged file is one sentence."""
    import pyrage

    if not passphrase:
        raise RekindleError(f"{name} is encrypted: give its passphrase")
    try:
        return pyrage.passphrase.decrypt(bytes(data), passphrase)
    except pyrage.DecryptError as exc:
        if "work" in str(exc).lower():  # age refuses a scrypt work factor that would take minutes or more
            factor = re.search(rb"^-> scrypt \S+ (\d+)$", bytes(data[:400]), re.M)
            said = f"2^{int(factor.group(1))}" if factor else "too high"
            raise RekindleError(f"{name} asks for a scrypt work factor of {said}, far more than a backup Rekindle "
                                f"or age writes (about a second's work); it would take too long to open, so it "
                                f"was not tried; nothing was restored") from None
        if "Decryption failed" in str(exc) or "passphrase" in str(exc).lower():
            raise RekindleError(f"{name} could not be decrypted: the passphrase is wrong, or the file was "
                                f"changed; nothing was restored") from None
        raise RekindleError(f"{name} is damaged or cut short and cannot be decrypted ({exc}); "
                            f"use another copy; nothing was restored") from None


def backup_bytes(journal: Journal, passphrase: str | None = None) -> bytes:
    """The whole journal as the bytes of a backup file, encrypted when a passphrase is given."""
    if passphrase is not None:
        check_passphrase(passphrase)  # before any work
    with tempfile.TemporaryDirectory(prefix="rekindle-backup-") as folder:
        copy = journal.backup_to(Path(folder) / "journal.sqlite")
        data = copy.read_bytes()
    return encrypt(data, passphrase) if passphrase is not None else data


def write_backup(journal: Journal, target: str | os.PathLike[str], passphrase: str | None = None) -> Path:
    """Write a backup of ``journal`` to ``target``, whole or not at all, mode 0600."""
    target = Path(target).expanduser()
    if target.exists() and target.resolve() == journal.path.resolve():
        raise RekindleError(f"{target} is the journal itself; write the backup to another file")
    if passphrase is None:
        return journal.backup_to(target)
    return write_private(target, backup_bytes(journal, passphrase))


@dataclass
class Restored:
    """What a restore did: ``mode`` is ``"replaced"`` (the journal is now the backup) or ``"merged"``."""

    mode: str
    summary: str  # the journal afterwards, in one line
    imported: Imported | None = None  # for a merge: what was added and what was already there
    safety_copy: Path | None = None

    def __str__(self) -> str:
        if self.mode == "merged" and self.imported is not None:
            text = f"merged the backup into the journal: {self.imported}"
        else:
            text = "restored the whole backup into the journal"
        return f"{text}; the journal now holds {self.summary}"


def restore(journal: JournalLike, data: bytes, name: str = "the backup", passphrase: str | None = None, *,
            replace: bool = False) -> Restored:
    """Restore the backup file held in ``data`` into ``journal`` (see the module's description).

    ``journal`` is a Journal, a path or None (the default journal); a path is
    opened (or created) only once the backup has been read and checked, so a
    bad backup creates or changes nothing. ``passphrase`` is needed for an
    encrypted backup. ``replace=True`` makes the journal a copy of the backup
    even when it holds entries (after a safety copy); otherwise a journal with
    content is merged into.
    """
    with opened_backup(data, name, passphrase) as source, opened(journal) as target:
        empty = target.is_empty()
        kept = safety_copy(target, "restore")
        if empty or replace:
            target.replace_from(source)
            return Restored("replaced", target.summary(), safety_copy=kept)
        imported = _merge(source, target)
        return Restored("merged", target.summary(), imported=imported, safety_copy=kept)


@contextmanager
def opened_backup(data: bytes, name: str = "the backup", passphrase: str | None = None) -> Iterator[Journal]:
    """The backup in ``data``, decrypted and checked, as a Journal on a private temporary copy.

    Raises one :class:`RekindleError` sentence for a file that is not a
    backup, a wrong passphrase, a damaged or cut-short file, or a newer schema.
    An older schema is upgraded in the copy. The copy is deleted afterwards.
    """
    kind = kind_of(data)
    if kind is None:
        raise RekindleError(f"{name} is not a Rekindle backup: it is neither a journal file (SQLite) nor an "
                            f"encrypted backup (age); for a CSV or JSON export use 'rekindle import'")
    if kind == "age":
        data = decrypt(data, passphrase or "", name)
        if kind_of(data) != "sqlite":
            raise RekindleError(f"{name} was decrypted but does not hold a Rekindle journal; nothing was restored")
    with tempfile.TemporaryDirectory(prefix="rekindle-restore-") as folder:
        copy = Path(folder) / "backup.sqlite"
        write_private(copy, data)
        check_backup(copy, name)
        with Journal(copy, create=False, safety_copies=False) as source:  # an older schema is upgraded here
            yield source


def _merge(source: Journal, journal: Journal) -> Imported:
    """Add what ``source`` holds and ``journal`` lacks, through the Rekindle JSON import."""
    from .export import export_json
    from .importers import import_parsed
    from .importers.native import parse_json

    parsed = parse_json(export_json(source), "the backup")
    return import_parsed(journal, "json", parsed, safety_copy=False)
