"""The red-flag watch's records (issue 17): agreements and the weekly check-in on them, and their SQL.

Once a couple is back together (stages 5-7 of the guide), two things are worth
writing down: what the two of you **agreed** (a boundary, a new habit: its text
and the day it was agreed, and the day it stopped applying, if it did), and a
short **weekly check-in**: for each agreement, kept, partly kept or not kept;
whether old hurts were brought up again; whether the promised changes are
visible in daily life; and stage 6's question, does this feel like a new
beginning or a repeat? A question not answered stays ``None``.

What a run of check-ins *means* is decided once, by the red-flag watch in
:mod:`rekindle_widgets.model.watch`; this module only keeps the records. The
:class:`WatchMixin` is part of :class:`~rekindle_widgets.journal.store.Journal`
(tables in schema 5): every write is one transaction and one row of the change
log, so undo takes an agreement or a check-in back and erase forgets them whole.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import RekindleError
from .part import JournalPart
from .records import _check_text, _now, _utc, _whole, parse_date, parse_yes_no

if TYPE_CHECKING:
    pass

__all__ = ["FEELS", "KEPT", "KEPT_LABELS", "MAX_AGREEMENT", "Agreement", "CheckIn", "WatchMixin"]

#: How an agreement went in a week, as stored and as the CLI spells it.
KEPT = ("kept", "partly", "not-kept")
#: ... and as a sentence says it.
KEPT_LABELS = {"kept": "kept", "partly": "partly kept", "not-kept": "not kept"}
#: Stage 6's question: a new beginning, a repeat of the old relationship, or not sure yet.
FEELS = ("new", "repeat", "unsure")
FEELS_LABELS = {"new": "a new beginning", "repeat": "a repeat", "unsure": "not sure yet"}
#: The check-in's two yes/no questions in a few words, as the CLI, the page and the report put them.
QUESTION_LABELS = {"past_raised": "old hurts raised again", "promises_visible": "promised changes visible"}
MAX_AGREEMENT = 300  # characters: an agreement is a sentence, not a contract


def _day(value: Any, what: str) -> date:
    day = parse_date(value, what=what) if value is not None else _now().date()
    if day > _now().date() + timedelta(days=1):
        raise RekindleError(f"{what} {day.isoformat()} is in the future; check the date")
    if day.year < 1900:
        raise RekindleError(f"{what} {day.isoformat()} is before 1900; check the year")
    return day


def _number(value: Any) -> int:
    return _whole(value, "agreement number", range(1, 10**9))


@dataclass(frozen=True)
class Agreement:
    """Something the two of you agreed on: in your words, from ``since``, until ``ended`` (if it ended)."""

    text: str
    since: date
    ended: date | None = None
    id: int | None = field(default=None, compare=False)  # its number, set when read from a journal

    @classmethod
    def make(cls, text: Any, since: Any = None, ended: Any = None) -> Agreement:
        if not isinstance(text, str):
            raise RekindleError(f"an agreement must be text, not {type(text).__name__}")
        words = " ".join(_check_text(text, "the agreement", MAX_AGREEMENT * 4).split())
        if not words:
            raise RekindleError("the agreement is empty; write what the two of you agreed in a few words")
        if any(ord(c) < 32 or ord(c) == 127 for c in words):
            raise RekindleError("the agreement contains control characters; remove them")
        if len(words) > MAX_AGREEMENT:
            raise RekindleError(f"the agreement is {len(words)} characters long; keep it under {MAX_AGREEMENT}")
        start = _day(since, "agreement date")
        end = None if ended is None or (isinstance(ended, str) and not ended.strip()) else _day(ended, "end date")
        if end is not None and end < start:
            raise RekindleError(f"the agreement cannot end on {end.isoformat()}, before it began on "
                                f"{start.isoformat()}")
        return cls(words, start, end)

    def active_on(self, day: date) -> bool:
        """Whether the agreement applied on ``day`` (from ``since`` to ``ended``, both included)."""
        return self.since <= day and (self.ended is None or day <= self.ended)

    def __str__(self) -> str:
        return f"agreement {self.id}: {self.text}" if self.id is not None else self.text


@dataclass(frozen=True)
class CheckIn:
    """One weekly check-in. ``marks``: (agreement number, ``kept``/``partly``/``not-kept``) pairs."""

    day: date
    marks: tuple[tuple[int, str], ...] = ()
    past_raised: bool | None = None  # were old hurts brought up again this week?
    promises_visible: bool | None = None  # are the promised changes visible in daily life?
    feels: str | None = None  # new, repeat or unsure (stage 6)
    id: int | None = field(default=None, compare=False)

    @classmethod
    def make(cls, day: Any = None, marks: Mapping[Any, Any] | Iterable[Sequence[Any]] = (), *,
             past_raised: Any = None, promises_visible: Any = None, feels: Any = None) -> CheckIn:
        when = _day(day, "check-in date")
        pairs = list(marks.items()) if isinstance(marks, Mapping) else list(marks)
        checked: list[tuple[int, str]] = []
        for pair in pairs:
            if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise RekindleError(f"a check-in rates an agreement as (number, kept), not {pair!r}")
            number, kept = _number(pair[0]), pair[1]
            word = kept.strip().lower().replace(" ", "-").replace("_", "-") if isinstance(kept, str) else kept
            if word not in KEPT:
                raise RekindleError(f"agreement {number} must be rated kept, partly or not-kept, not {kept!r}")
            if any(n == number for n, _ in checked):
                raise RekindleError(f"agreement {number} is rated twice; rate each agreement once per check-in")
            checked.append((number, word))
        feel = feels.strip().lower() if isinstance(feels, str) else feels
        if feel == "":
            feel = None
        if feel is not None and feel not in FEELS:
            raise RekindleError(f"'does it feel new or a repeat' must be new, repeat or unsure, not {feels!r}")
        checkin = cls(when, tuple(sorted(checked)), parse_yes_no(past_raised, "'old hurts brought up again'"),
                      parse_yes_no(promises_visible, "'promises of change visible'"), feel)
        if not checkin.marks and checkin.past_raised is None and checkin.promises_visible is None \
                and checkin.feels is None:
            raise RekindleError("the check-in is empty: rate an agreement or answer at least one question")
        return checkin

    def mark(self, number: int) -> str | None:
        """How agreement ``number`` went this week, or None when this check-in did not rate it."""
        return next((kept for n, kept in self.marks if n == number), None)

    def content(self) -> tuple[Any, ...]:
        """Everything but the id: two check-ins with the same content are the same check-in."""
        return (self.day, self.marks, self.past_raised, self.promises_visible, self.feels)

    def parts(self, name: Callable[[int], str] = lambda n: f"agreement {n}") -> list[str]:
        """This check-in in words, a part per answer given: ``agreement 1: not kept``, ``old hurts raised
        again: no``, ``feels like a new beginning``. ``name(n)`` names agreement ``n`` (escape it for HTML)."""
        yes_no = {True: "yes", False: "no"}
        parts = [f"{name(n)}: {KEPT_LABELS[kept]}" for n, kept in self.marks]
        parts += [f"{label}: {yes_no[value]}" for key, label in QUESTION_LABELS.items()
                  if (value := getattr(self, key)) is not None]
        if self.feels is not None:
            parts.append(f"feels like {FEELS_LABELS[self.feels]}")
        return parts


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


class WatchMixin(JournalPart):
    """The agreements and check-ins of a :class:`Journal` (its methods; all SQL for them is here)."""

    # -- writing -----------------------------------------------------------

    def add_agreement(self, text: Any, since: Any = None) -> Agreement:
        """Record an agreement and return it with its number (``id``)."""
        agreement = Agreement.make(text, since)
        with self._write() as conn:
            number = self._insert_agreement(conn, agreement)
            self._log(conn, "add", "agreements", number)
        return Agreement(agreement.text, agreement.since, None, id=number)

    def _insert_agreement(self, conn: sqlite3.Connection, a: Agreement) -> int:
        cur = conn.execute("INSERT INTO agreements (id, text, since, ended, created_utc) VALUES (?,?,?,?,?)",
                           (self._new_id(conn, "agreements"), a.text, a.since.isoformat(),
                            a.ended.isoformat() if a.ended else None, _utc(_now())))
        return int(cur.lastrowid or 0)

    def end_agreement(self, number: Any, on: Any = None) -> Agreement:
        """Say that agreement ``number`` stopped applying on ``on`` (default today); the watch then leaves it."""
        with self._write() as conn:
            old = self._current(conn, "agreements", _number(number))
            if old is None:
                raise self._no_agreement(conn, number)
            if old["ended"] is not None:
                raise RekindleError(f"agreement {old['id']} already ended on {old['ended']}")
            agreement = Agreement.make(old["text"], old["since"], on if on is not None else _now().date())
            assert agreement.ended is not None
            later = conn.execute(
                "SELECT min(c.day) FROM checkins c JOIN checkin_marks m ON m.checkin_id = c.id"
                " WHERE m.agreement_id = ? AND c.day > ?", (old["id"], agreement.ended.isoformat())).fetchone()[0]
            if later is not None:
                raise RekindleError(f"agreement {old['id']} was rated in the check-in on {later}; it cannot have "
                                    f"ended before, on {agreement.ended.isoformat()}")
            self._change_row(conn, "agreements", old, {"ended": agreement.ended.isoformat()})
        return Agreement(agreement.text, agreement.since, agreement.ended, id=old["id"])

    def add_checkin(self, checkin: CheckIn | None = None, /, **fields: Any) -> CheckIn:
        """Record one check-in (a :class:`CheckIn`, or its fields as :meth:`CheckIn.make` takes them).

        Every agreement it rates must exist and apply on its day; otherwise
        nothing is written and the error names the agreement.
        """
        if checkin is None:
            checkin = CheckIn.make(**fields)
        elif fields or not isinstance(checkin, CheckIn):
            raise TypeError("add_checkin takes a CheckIn or keyword fields, not both")
        with self._write() as conn:
            self._check_marks(conn, checkin)
            row_id = self._insert_checkin(conn, checkin)
            self._log(conn, "add", "checkins", row_id)
        return replace(checkin, id=row_id)

    def _no_agreement(self, conn: sqlite3.Connection, number: Any) -> RekindleError:
        known = [str(r[0]) for r in conn.execute("SELECT id FROM agreements ORDER BY id")]
        hint = (f"the agreements are numbered {', '.join(known)}" if len(known) <= 12 else
                f"there are {len(known)} agreements") if known else "there is none yet; add one with 'rekindle agree'"
        return RekindleError(f"there is no agreement {str(number)[:40]} in {self.path}; {hint}")

    def _check_marks(self, conn: sqlite3.Connection, checkin: CheckIn) -> None:
        for number, _ in checkin.marks:
            row = conn.execute("SELECT since, ended FROM agreements WHERE id = ?", (number,)).fetchone()
            if row is None:
                raise self._no_agreement(conn, number)
            since, ended = row
            day = checkin.day.isoformat()
            if day < since:
                raise RekindleError(f"agreement {number} was made on {since}; a check-in on {day} cannot rate it")
            if ended is not None and day > ended:
                raise RekindleError(f"agreement {number} ended on {ended}; a check-in on {day} cannot rate it")

    def _insert_checkin(self, conn: sqlite3.Connection, c: CheckIn) -> int:
        cur = conn.execute(
            "INSERT INTO checkins (id, day, past_raised, promises_visible, feels, created_utc) VALUES (?,?,?,?,?,?)",
            (self._new_id(conn, "checkins"), c.day.isoformat(), c.past_raised, c.promises_visible, c.feels,
             _utc(_now())))
        row_id = int(cur.lastrowid or 0)
        conn.executemany("INSERT INTO checkin_marks (checkin_id, agreement_id, kept) VALUES (?,?,?)",
                         [(row_id, number, kept) for number, kept in c.marks])
        return row_id

    def delete_checkin(self, checkin_id: Any) -> None:
        """Remove a check-in made by mistake; its last version is kept until :meth:`erase` (undo brings it back)."""
        self._delete("checkins", checkin_id, "check-in")

    def _add_agreements(self, conn: sqlite3.Connection, agreements: Iterable[Agreement],
                        context: dict[str, Any]) -> int:
        """Inside an import's transaction: the agreements not in the journal yet (same text, same day).

        A file numbers its agreements (``Agreement.id``) and its check-ins' marks
        name those numbers; ``context["agreement_numbers"]`` maps them to this
        journal's, for :meth:`_add_checkins`.
        """
        numbers: dict[int, int] = context.setdefault("agreement_numbers", {})
        known = {(text, since): row_id for row_id, text, since in conn.execute(
            "SELECT id, text, since FROM agreements")}
        added = 0
        for a in agreements:
            key = (a.text, a.since.isoformat())
            if key not in known:
                known[key] = self._insert_agreement(conn, a)
                added += 1
            if a.id is not None:
                numbers[a.id] = known[key]
        return added

    def _add_checkins(self, conn: sqlite3.Connection, checkins: Iterable[CheckIn], context: dict[str, Any]) -> int:
        """Inside an import's transaction: the check-ins not in the journal yet (the same content is the same
        check-in), their marks turned from the file's agreement numbers into this journal's."""
        numbers: dict[int, int] = context.get("agreement_numbers", {})
        seen = {c.content() for c in self._read_checkins(conn)}
        added = 0
        for c in checkins:
            try:
                marks = tuple(sorted((numbers[n], kept) for n, kept in c.marks))
            except KeyError as exc:
                raise RekindleError(f"the check-in on {c.day.isoformat()} rates agreement {exc.args[0]}, "
                                    "which the file does not hold") from None
            local = CheckIn(c.day, marks, c.past_raised, c.promises_visible, c.feels)
            if local.content() in seen:
                continue
            self._check_marks(conn, local)
            self._insert_checkin(conn, local)
            seen.add(local.content())
            added += 1
        return added

    # -- reading -----------------------------------------------------------

    def agreements(self) -> list[Agreement]:
        """Every agreement, in the order they were made (by day, then number)."""
        try:
            rows = self._conn.execute("SELECT id, text, since, ended FROM agreements ORDER BY since, id").fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None
        return [Agreement(text, date.fromisoformat(since), date.fromisoformat(ended) if ended else None, id=row_id)
                for row_id, text, since, ended in rows]

    def checkins(self) -> list[CheckIn]:
        """Every check-in, oldest first (by day, then the order they were recorded in)."""
        try:
            with self._snapshot() as conn:
                return self._read_checkins(conn)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    @staticmethod
    def _read_checkins(conn: sqlite3.Connection) -> list[CheckIn]:
        marks: dict[int, list[tuple[int, str]]] = {}
        for checkin_id, number, kept in conn.execute(
                "SELECT checkin_id, agreement_id, kept FROM checkin_marks ORDER BY checkin_id, agreement_id"):
            marks.setdefault(checkin_id, []).append((number, kept))
        rows = conn.execute("SELECT id, day, past_raised, promises_visible, feels FROM checkins ORDER BY day, id")
        return [CheckIn(date.fromisoformat(day), tuple(marks.get(row_id, ())), _flag(past), _flag(promises), feels,
                        id=row_id)
                for row_id, day, past, promises, feels in rows]
