"""The account of an import: every record of a file is an entry added, one already kept, one repeated in the
file, or a named non-entry.

    records read = entries added + already in the journal + repeated in this file + not entries

**Within a file, only identical rows are one entry** (issue 25): rows that differ in anything that reaches the
entry (mood, readiness, tags, the note; a person's own mood label is a ``mood:`` tag) are separate entries,
even in the same minute. A row identical to an earlier one of the file is "repeated in this file".

**Against the journal** a row is "already in the journal" when the journal holds an entry of the same moment,
the same mood and the same note: the moment compared in UTC, or, for files whose times carry no zone, as the
same wall-clock time (so re-importing a Daylio CSV under another ``--tz`` adds nothing). Tags, readiness and
the source are not part of it, so the CSV and the backup of one diary import once. The journal's entries are
counted, not merely looked up: two distinct rows of a file with the same moment, mood and note match two
entries of the journal, so a file imported twice adds nothing while a row the journal lacks is still added
(among them one that an older version merged into its neighbour). The comparison reads the journal's stored
times, moods and notes (:meth:`Journal.moments`), not its stored fingerprints, so journals written before
this rule need no migration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ...journal import Entry, ImportResult, Journal

__all__ = ["Account", "Imported", "Known", "split_known"]

#: how far a wall-clock time can move when read under another zone (UTC-12 to UTC+14)
_ZONE_SPAN = timedelta(hours=27)


def _row_keys(ts: str, mood: int, note: str) -> tuple[tuple, tuple]:
    moment = datetime.fromisoformat(ts)
    return (int(moment.timestamp()), mood, note), (moment.replace(tzinfo=None), mood, note)


class Known:
    """What a file's entries are, part after part: new, already in the journal, or repeated in the file.

    An import that streams (issue 25) splits each part of a file as it comes, so this remembers, from one
    part to the next, only what it must: which of the journal's entries a row has matched already (one byte
    an entry id), and a 128-bit key of every row's content (its fingerprint's 32 hex digits as one number,
    about 60 bytes a row, exact for any file there is) instead of the rows. Each part is compared with the
    journal as it was before the import (``upto``: its last entry id then), never with the parts written
    since.
    """

    def __init__(self, journal: Journal | None, upto: int | None = None,
                 row: Callable[[Entry], tuple[Any, ...]] | None = None):
        self.journal = journal
        self.upto = upto
        self.row = row or _row
        self.matched = bytearray()  # by entry id: 1 once a row of the file has matched that entry
        self.seen: set[int] = set()

    def _known(self, entries: Sequence[Entry]) -> dict[tuple, list[int]]:
        """The ids of the journal's entries near ``entries``' moments not matched yet, by each of their keys
        (the moment in UTC, and the wall-clock moment; each with the mood and note)."""
        known: dict[tuple, list[int]] = {}
        if self.journal is None or not entries:
            return known
        first = min(e.at for e in entries) - _ZONE_SPAN
        last = max(e.at for e in entries) + _ZONE_SPAN
        matched = self.matched
        for entry_id, ts, mood, note in self.journal.moments(first, last, upto=self.upto):
            if entry_id < len(matched) and matched[entry_id]:
                continue
            for key in _row_keys(ts, mood, note):
                known.setdefault(key, []).append(entry_id)
        return known

    def _match(self, known: dict[tuple, list[int]], key: tuple) -> bool:
        """Whether an entry of the journal not matched yet has ``key``; if so, it is matched now."""
        ids = known.get(key)
        matched = self.matched
        while ids:
            entry_id = ids.pop()
            if entry_id >= len(matched):
                matched.extend(bytes(entry_id + 1 - len(matched)))
            if not matched[entry_id]:
                matched[entry_id] = 1
                return True
        return False

    def split(self, entries: Sequence[Entry]) -> tuple[list[tuple[Any, ...]], int, int]:
        """``(the new entries as rows, how many are already in the journal, how many repeat an earlier row
        of the file)`` for the next part of a file."""
        _, rows, already, repeats = self.split_at(entries)
        return rows, already, repeats

    def split_at(self, entries: Sequence[Entry]) -> tuple[list[int], list[tuple[Any, ...]], int, int]:
        """:meth:`split`, with the positions in ``entries`` of the new ones first."""
        known = self._known(entries)
        at_new: list[int] = []
        new: list[tuple[Any, ...]] = []
        seen = self.seen
        already = repeats = 0
        for index, entry in enumerate(entries):
            row = self.row(entry)
            key = int(row[FINGERPRINT], 16)  # the whole row to the second: moment, mood, readiness, tags, note
            if key in seen:
                repeats += 1
                continue
            seen.add(key)
            if known:
                at = entry.at
                # one entry of the journal accounts for one row of the file
                if self._match(known, (int(at.timestamp()), entry.mood, entry.note)) or \
                        self._match(known, (at.replace(tzinfo=None, microsecond=0), entry.mood, entry.note)):
                    already += 1
                    continue
            at_new.append(index)
            new.append(row)
        return at_new, new, already, repeats


#: where a row (:meth:`~rekindle_widgets.journal.ImportBatch.row`) holds the entry's fingerprint
FINGERPRINT = 8


def _row(entry: Entry) -> tuple[Any, ...]:
    """An entry as a row of the entries table, for a split with no import open (a dry run)."""
    from ...journal import ImportBatch

    return ImportBatch.row_of(entry, "")


def split_known(entries: list[Entry], journal: Journal | None) -> tuple[list[Entry], int, int]:
    """``(new entries, how many are already in the journal, how many repeat an identical earlier row)``."""
    at_new, _, already, repeats = Known(journal).split_at(entries)
    return [entries[i] for i in at_new], already, repeats


def counted(n: int, reason: str) -> str:
    """``(2, "day without a score")`` -> ``"2 days without a score"`` (reasons are written singular)."""
    if n == 1:
        return f"1 {reason}"
    first, _, rest = reason.partition(" ")
    return f"{n} {first}s" + (f" {rest}" if rest else "")


def describe(not_entries: dict[str, int]) -> str:
    return "; ".join(counted(n, reason) for reason, n in not_entries.items())


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass
class Account:
    """How every record of one file was accounted for."""

    read: int
    unit: str
    added: int
    already: int
    not_entries: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: rows identical to an earlier row of the same file
    repeated: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.added + self.already + self.repeated + sum(self.not_entries.values())

    def reasons(self) -> str:
        return describe(self.not_entries)

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.read == 1 and self.unit.endswith("s") else self.unit
        text = (f"read {self.read} {unit}: {_plural(self.added, 'entry', 'entries')} added, "
                f"{self.already} already in the journal")
        if self.repeated:
            text += f", {self.repeated} repeated in this file"
        others = sum(self.not_entries.values())
        if others:
            text += f", {others} {'not an entry' if others == 1 else 'not entries'} ({self.reasons()})"
        return text


@dataclass
class Imported(ImportResult):
    """An import's result with its account of rows."""

    account: Account | None = None
    #: the days the file records thoughts of self-harm or suicide (:attr:`.base.Parsed.concerns`), oldest first
    concerns: list[date] = field(default_factory=list)

    def __str__(self) -> str:
        return str(self.account) + self.extras() if self.account is not None else super().__str__()


