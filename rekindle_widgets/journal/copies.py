"""Safety copies: a copy of a journal kept automatically before anything that rewrites much of it.

Before an import, a schema migration, an undo, an erase or a restore,
:func:`safety_copy` keeps a whole copy of the journal (SQLite's backup API, see
:meth:`Journal.backup_to`) in ``$REKINDLE_HOME/safety-copies/``: a private
folder (0700), each file 0600. Only the newest :data:`KEEP` copies of each
journal are kept; older ones are deleted as a new one is made. A journal that
holds nothing yet is not copied (there is nothing to lose).

Erasing for good (``rekindle erase``, ``rekindle client erase``) ends with
:func:`forget_copies`: every copy still holds what was erased. :func:`copies_of`
is the one list of the places a journal's data lives besides the file itself:
its ``-wal`` and ``-shm``, its safety copies, and the ``NAME.vN.bak`` files that
versions before this one left beside a journal they upgraded (an upgrade now
keeps a safety copy instead, and an old ``.bak`` becomes one when the journal is
next opened, so it is listed, kept to :data:`KEEP` and erased like the others).

A copy is named ``<UTC time>-<reason>-<journal key>.sqlite``: the key is a
hash of the journal file's full path, so the copies of one journal (and a
therapist's clients' journals) are told apart without writing anyone's name or
path into the file name. :func:`safety_copies` lists one journal's copies,
newest first; ``rekindle restore --list`` shows them, and ``rekindle restore
--replace FILE`` puts one back.

This module runs no SQL of its own: it asks the journal for the copy.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import home, private_dir

if TYPE_CHECKING:
    from .store import Journal

__all__ = ["FOLDER", "KEEP", "REASONS", "SafetyCopy", "adopt_legacy_backups", "copies_folder", "copies_of",
           "discard_safety_copies", "forget_copies", "prune_safety_copies", "safety_copies", "safety_copy"]

FOLDER = "safety-copies"
KEEP = 5  # copies kept per journal
#: what a copy is made before, as its file name and ``rekindle restore --list`` say it
REASONS = ("import", "migration", "undo", "erase", "restore")
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class SafetyCopy:
    """One safety copy: when (UTC), before what, its size in bytes, and its file."""

    made: datetime
    reason: str
    size: int
    path: Path

    def describe(self) -> str:
        """One line for a list: local date and time, reason, size."""
        when = self.made.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        size = f"{self.size / 1024:,.0f} KB" if self.size >= 1024 else f"{self.size} bytes"
        return f"{when}  before {self.reason:<9}  {size:>9}  {self.path}"


def copies_folder() -> Path:
    """``$REKINDLE_HOME/safety-copies`` (not created here)."""
    return home() / FOLDER


def _key(path: Path) -> str:
    return hashlib.sha256(str(Path(path).expanduser().resolve()).encode("utf-8")).hexdigest()[:12]


def safety_copy(journal: Journal, reason: str, *, keep: int = KEEP) -> Path | None:
    """Keep a copy of ``journal`` before an operation of kind ``reason`` (one of :data:`REASONS`).

    Returns the copy's path, or None when the journal holds nothing. Keeps the
    newest ``keep`` copies of this journal and deletes older ones.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown safety-copy reason {reason!r}; one of {', '.join(REASONS)}")
    if journal.is_empty():
        return None
    folder = private_dir(copies_folder())
    key = _key(journal.path)
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = folder / f"{stamp}-{reason}-{key}.sqlite"
    journal.backup_to(target)
    prune_safety_copies(journal, keep)
    return target


def prune_safety_copies(journal: Journal | str | os.PathLike[str], keep: int = KEEP) -> None:
    """Delete all but the newest ``keep`` safety copies of the journal."""
    for old in safety_copies(journal)[keep:]:
        old.path.unlink(missing_ok=True)


def safety_copies(journal: Journal | str | os.PathLike[str]) -> list[SafetyCopy]:
    """The safety copies of the journal (a Journal or its path), newest first."""
    path = journal.path if hasattr(journal, "path") else Path(journal)
    folder = copies_folder()
    if not folder.is_dir():
        return []
    key = _key(Path(path))
    found = []
    for file in folder.glob(f"*-{key}.sqlite"):
        stamp, _, rest = file.name.partition("-")
        reason = rest.rpartition("-")[0]
        try:
            made = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
            size = file.stat().st_size
        except (ValueError, OSError):
            continue  # not one of ours, or deleted meanwhile
        found.append(SafetyCopy(made, reason, size, file))
    return sorted(found, key=lambda c: c.made, reverse=True)


def _legacy_backups(path: Path) -> list[Path]:
    """``NAME.vN.bak`` beside the journal: what an upgrade by an earlier version kept."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{glob_escape(path.name)}.v*.bak")
                  if p.name[len(path.name) + 2:-4].isdigit())


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


def adopt_legacy_backups(journal: Journal) -> int:
    """Turn the ``.vN.bak`` files an earlier version left beside ``journal`` into migration safety copies
    (kept to :data:`KEEP`, listed by ``restore --list``, erased by erase); how many were moved."""
    moved = 0
    for old in _legacy_backups(journal.path):
        folder = private_dir(copies_folder())
        try:
            made = datetime.fromtimestamp(old.stat().st_mtime, UTC)
            target = folder / f"{made.strftime(_STAMP)}-migration-{_key(journal.path)}.sqlite"
            os.replace(old, target)
            os.chmod(target, 0o600)
        except OSError:
            continue  # another folder or disk: left where it is, and erase still finds it there
        moved += 1
    for extra in safety_copies(journal.path)[KEEP:]:
        extra.path.unlink(missing_ok=True)
    return moved


def copies_of(path: str | os.PathLike[str]) -> list[Path]:
    """Every file besides the journal at ``path`` that holds its data: ``-wal``, ``-shm``, its safety copies
    and any ``.vN.bak`` an earlier version left; only those that exist."""
    path = Path(path)
    beside = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
    return [p for p in beside if p.exists()] + _legacy_backups(path) + [c.path for c in safety_copies(path)]


def forget_copies(journal: Journal | str | os.PathLike[str]) -> list[Path]:
    """Delete every safety copy of the journal and every ``.vN.bak`` beside it; the files deleted.

    For erasing for good (a journal's history, or a whole client): each still holds what was erased.
    The journal's own ``-wal``/``-shm`` are SQLite's to empty (erase checkpoints; a client erase removes them).
    """
    path = journal.path if hasattr(journal, "path") else Path(journal)
    gone = [*_legacy_backups(path), *(c.path for c in safety_copies(path))]
    for file in gone:
        file.unlink(missing_ok=True)
    return gone


def discard_safety_copies(journal: Journal | str | os.PathLike[str]) -> int:
    """Delete every safety copy of the journal; how many were deleted.

    For erasing for good: the copies hold what was deleted, so an erase that
    left them would not be one.
    """
    copies = safety_copies(journal)
    for copy in copies:
        copy.path.unlink(missing_ok=True)
    return len(copies)
