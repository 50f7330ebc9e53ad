"""Safety copies: a copy of a journal kept automatically before anything that rewrites much of it.

Before an import, a schema migration, an undo, an erase or a restore,
:func:`safety_copy` keeps a whole copy of the journal (SQLite's backup API, see
:meth:`Journal.backup_to`) in ``$REKINDLE_HOME/safety-copies/``: a private
folder (0700), each file 0600. Only the newest :data:`KEEP` copies of each
journal are kept; older ones are deleted as a new one is made. A journal that
holds nothing yet is not copied (there is nothing to lose).

Erasing for good (``rekindle erase``) should end with
:func:`discard_safety_copies`, since every copy still holds what was erased.

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

__all__ = ["FOLDER", "KEEP", "REASONS", "SafetyCopy", "copies_folder", "discard_safety_copies", "safety_copies",
           "safety_copy"]

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
    for old in safety_copies(journal.path)[keep:]:
        old.path.unlink(missing_ok=True)
    return target


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


def discard_safety_copies(journal: Journal | str | os.PathLike[str]) -> int:
    """Delete every safety copy of the journal; how many were deleted.

    For erasing for good: the copies hold what was deleted, so an erase that
    left them would not be one.
    """
    copies = safety_copies(journal)
    for copy in copies:
        copy.path.unlink(missing_ok=True)
    return len(copies)
