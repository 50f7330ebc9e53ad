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

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...journal import Entry, ImportResult, Journal

__all__ = ["Account", "Imported", "split_known"]

#: how far a wall-clock time can move when read under another zone (UTC-12 to UTC+14)
_ZONE_SPAN = timedelta(hours=27)


def _row_keys(ts: str, ts_utc: str, mood: int, note: str) -> tuple[tuple, tuple]:
    moment = datetime.fromisoformat(ts)
    return (int(moment.timestamp()), mood, note), (moment.replace(tzinfo=None), mood, note)


def split_known(entries: list[Entry], journal: Journal | None) -> tuple[list[Entry], int, int]:
    """``(new entries, how many are already in the journal, how many repeat an identical earlier row)``."""
    from collections import Counter

    known: Counter[tuple] = Counter()
    if journal is not None and entries:
        first = min(e.at for e in entries) - _ZONE_SPAN
        last = max(e.at for e in entries) + _ZONE_SPAN
        for row in journal.moments(first, last):
            known.update(_row_keys(*row))
    new: list[Entry] = []
    seen: set[tuple] = set()
    already = repeats = 0
    for entry in entries:
        at = entry.at
        whole = (int(at.timestamp()), entry.mood, entry.readiness, entry.tags, entry.note)  # to the second
        if whole in seen:
            repeats += 1
            continue
        seen.add(whole)
        if known:
            utc = (int(at.timestamp()), entry.mood, entry.note)
            wall = (at.replace(tzinfo=None, microsecond=0), entry.mood, entry.note)
            match = utc if known[utc] > 0 else wall if known[wall] > 0 else None
            if match is not None:  # one entry of the journal accounts for one row of the file
                known[utc] -= known[utc] > 0
                known[wall] -= known[wall] > 0
                already += 1
                continue
        new.append(entry)
    return new, already, repeats
    for entry in entries:
        at = entry.at
        # to the second, as the journal stores times
        utc = (int(at.timestamp()), entry.mood, entry.note)
        wall = (at.replace(tzinfo=None, microsecond=0), entry.mood, entry.note)
        if utc in known or wall in known:
            already += 1
        elif utc in seen or wall in seen:
            repeats += 1
        else:
            seen.add(utc)
            seen.add(wall)
            new.append(entry)
    return new, already, repeats


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

    def __str__(self) -> str:
        return str(self.account) + self.extras() if self.account is not None else super().__str__()


