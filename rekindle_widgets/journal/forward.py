"""Moving forward (schema 5): decisions, "I feel ... when you ..." sentences, micro-dates, fresh ideas.

The record types (frozen dataclasses, each checked by its ``make``) and
:class:`ForwardMixin`, the :class:`~.store.Journal` methods that read and
write them. Like the rest of the journal, every statement runs inside
:meth:`Journal._write` (one transaction) or a read snapshot.

* a **decision** (``decisions`` with ``decision_reasons``): the option chosen
  (:data:`OPTIONS`), the reasons for each option weighted 0-5, the four
  "how sure am I" answers (:data:`SURE_QUESTIONS`, yes or no), who else is
  involved and a review date. :func:`compare` says what changed between two.
* an **I-statement** (``idea_statements``): a feeling, the situation and what
  the person would like instead; :attr:`Statement.sentence` is the sentence.
* a **micro-date** (``idea_dates``): an idea planned on a day, and the day it
  happened (shown on the timeline: :meth:`ForwardMixin.timeline_moments`).
* **ideas** the person added (``idea_custom``) and fresh ideas **tried**
  (``idea_tried``).

Each record has a fingerprint (its content): adding or importing the same one
twice stores it once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from ..content.forward import OPTIONS, SURE_QUESTIONS
from ..errors import RekindleError
from .part import JournalPart
from .records import _check_text, _now, _utc, _whole, parse_date, parse_yes_no

if TYPE_CHECKING:
    pass

__all__ = [
    "IDEA_KINDS",
    "MAX_FORWARD_TEXT",
    "MAX_REASONS",
    "OPTIONS",
    "SURE_QUESTIONS",
    "Decision",
    "DecisionChanges",
    "ForwardMixin",
    "ForwardRecords",
    "MicroDate",
    "Reason",
    "Statement",
    "compare",
]

#: Ideas a person can add: micro-dates, and things to try to keep it fresh.
IDEA_KINDS = ("date", "fresh")
MAX_FORWARD_TEXT = 2_000  # characters of one reason, feeling, situation, wish, idea or name
MAX_REASONS = 60
MAX_INVOLVED = 20


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def _text(value: Any, what: str, *, required: bool = True) -> str:
    text = " ".join(_check_text(value, what, MAX_FORWARD_TEXT).split())
    if required and not text:
        raise RekindleError(f"{what} is empty; write a few words")
    return text


def _option(value: Any) -> str:
    text = str(value).strip().lower() if value is not None else ""
    if text not in OPTIONS:
        raise RekindleError(f"option {str(value)[:40]!r} is not one of {', '.join(OPTIONS)}")
    return text


def _yes_no(value: Any, what: str) -> bool:
    return bool(parse_yes_no(value, what, required=True))


def _day(value: Any, what: str) -> date:
    day = parse_date(value, what=what)
    if day.year < 1900:
        raise RekindleError(f"{what} {day.isoformat()} is before 1900; check the year")
    return day


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


class Reason(NamedTuple):
    """One reason for or against an option, weighted 0 (hardly matters) to 5 (matters most)."""

    option: str
    text: str
    weight: int

    @classmethod
    def make(cls, option: Any, text: Any, weight: Any) -> Reason:
        return cls(_option(option), _text(text, "a reason"), _whole(weight, "a reason's weight", range(0, 6)))


@dataclass(frozen=True)
class Decision:
    day: date
    option: str
    reasons: tuple[Reason, ...] = ()
    answers: Mapping[str, bool] = field(default_factory=dict)  # SURE_QUESTIONS -> yes (True) / no
    involved: tuple[str, ...] = ()
    review: date | None = None
    note: str = ""
    id: int | None = None

    @classmethod
    def make(cls, *, option: Any, reasons: Iterable[Any] = (), answers: Mapping[str, Any] | None = None,
             involved: Iterable[str] | str | None = (), review: Any = None, day: Any = None,
             note: str | None = "") -> Decision:
        """A checked decision. ``reasons``: (option, text, weight) triples; ``answers``: the four
        questions, each yes or no (all four are needed); ``day`` defaults to today."""
        option = _option(option)
        made = _day(day, "decision date") if day is not None else date.today()
        checked = tuple(r if isinstance(r, Reason) else Reason.make(*r) for r in reasons)
        if len(checked) > MAX_REASONS:
            raise RekindleError(f"{len(checked)} reasons is too many; keep to {MAX_REASONS}")
        seen = set()
        for r in checked:
            if (r.option, r.text) in seen:
                raise RekindleError(f"the reason {r.text[:60]!r} is given twice for {r.option}; give it once")
            seen.add((r.option, r.text))
        answers = dict(answers or {})
        unknown = set(answers) - set(SURE_QUESTIONS)
        if unknown:
            raise RekindleError(f"unknown question {sorted(unknown)[0]!r}; the questions are "
                                f"{', '.join(SURE_QUESTIONS)}")
        missing = [q for q in SURE_QUESTIONS if answers.get(q) is None]
        if missing:
            named = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
            raise RekindleError(f"answer {named} (yes or no): all four questions are needed")
        if isinstance(involved, str):
            involved = [p for p in involved.split(",")]
        people = tuple(dict.fromkeys(_text(p, "who is involved", required=False) for p in involved or ()))
        people = tuple(p for p in people if p)
        if len(people) > MAX_INVOLVED:
            raise RekindleError(f"{len(people)} people is too many; keep to {MAX_INVOLVED}")
        review_day = _day(review, "review date") if review not in (None, "") else None
        if review_day is not None and review_day < made:
            raise RekindleError(f"the review date {review_day} is before the decision ({made}); choose a later day")
        return cls(day=made, option=option, reasons=checked,
                   answers={q: _yes_no(answers[q], q) for q in SURE_QUESTIONS}, involved=people,
                   review=review_day, note=_check_text(note, "note", MAX_FORWARD_TEXT).strip())

    @property
    def unsure(self) -> tuple[str, ...]:
        """The questions answered no (in order): any one suggests talking it through more."""
        return tuple(q for q in SURE_QUESTIONS if not self.answers.get(q, False))

    def reasons_for(self, option: str) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.option == option)

    @property
    def fingerprint(self) -> str:
        return _hash(self.day.isoformat(), self.option, [list(r) for r in self.reasons],
                     [self.answers[q] for q in SURE_QUESTIONS], list(self.involved),
                     self.review.isoformat() if self.review else None, self.note)


@dataclass(frozen=True)
class Statement:
    """ "I feel <feeling> when you <situation>, and I would like <wish>." """

    feeling: str
    situation: str
    wish: str = ""
    day: date = field(default_factory=date.today)
    id: int | None = None

    @classmethod
    def make(cls, feeling: Any, situation: Any, wish: Any = "", day: Any = None) -> Statement:
        situation = _text(situation, "what happened")
        if situation.lower().startswith("you "):  # "when you you are late" would read badly
            situation = situation[4:]
        situation = situation.rstrip(".!,; ")
        wish = _text(wish, "what you would like", required=False).rstrip(".!,; ")
        return cls(feeling=_text(feeling, "the feeling").rstrip(".!,; ").lower(), situation=situation,
                   wish=wish, day=_day(day, "date") if day is not None else date.today())

    @property
    def sentence(self) -> str:
        text = f"I feel {self.feeling} when you {self.situation}"
        if self.wish:
            wish = self.wish[0].lower() + self.wish[1:] if not self.wish[:2].isupper() else self.wish
            text += f", and I would like {wish.removeprefix('i would like ')}"
        return text + "."

    @property
    def fingerprint(self) -> str:
        return _hash(self.day.isoformat(), self.feeling, self.situation, self.wish)


@dataclass(frozen=True)
class MicroDate:
    idea: str
    planned: date
    happened: date | None = None
    id: int | None = None

    @classmethod
    def make(cls, idea: Any, planned: Any, happened: Any = None) -> MicroDate:
        return cls(idea=_text(idea, "the date idea"), planned=_day(planned, "planned date"),
                   happened=_day(happened, "the day it happened") if happened not in (None, "") else None)

    @property
    def fingerprint(self) -> str:
        return _hash(self.idea, self.planned.isoformat())


@dataclass
class ForwardRecords:
    """Everything of this module in one file (an import): written with the entries, all or nothing."""

    decisions: list[Decision] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    dates: list[MicroDate] = field(default_factory=list)
    ideas: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    tried: list[tuple[str, date]] = field(default_factory=list)  # (idea, day)

    def __bool__(self) -> bool:
        return bool(self.decisions or self.statements or self.dates or self.ideas or self.tried)

    def as_records(self) -> dict[str, list[Any]]:
        """The lists by their kinds' names in journal/tables.py, as :meth:`Journal.add_entries` takes them."""
        return {"decisions": self.decisions, "statements": self.statements, "dates": self.dates,
                "ideas": self.ideas, "tried": self.tried}


# --------------------------------------------------------------------------
# Comparing two decisions
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionChanges:
    """What changed from decision ``before`` to decision ``after``."""

    before: Decision
    after: Decision
    option: tuple[str, str] | None  # (old, new) when the chosen option changed
    added: tuple[Reason, ...]
    removed: tuple[Reason, ...]
    reweighted: tuple[tuple[str, str, int, int], ...]  # (option, text, old weight, new weight)
    answers: tuple[tuple[str, bool, bool], ...]  # (question, old, new) for each answer that changed
    involved_added: tuple[str, ...]
    involved_removed: tuple[str, ...]
    review: tuple[date | None, date | None] | None

    @property
    def nothing(self) -> bool:
        return not (self.option or self.added or self.removed or self.reweighted or self.answers
                    or self.involved_added or self.involved_removed or self.review)

    def lines(self, option_label: Mapping[str, str] | None = None,
              question_text: Mapping[str, str] | None = None) -> list[str]:
        """The changes as short sentences, in the words given (default: the ids)."""
        name = dict(option_label or {})
        ask = dict(question_text or {})

        def yn(v: bool) -> str:
            return "yes" if v else "no"

        out = []
        if self.option:
            out.append(f"chosen option: {name.get(self.option[0], self.option[0])} -> "
                       f"{name.get(self.option[1], self.option[1])}")
        out += [f"reason added ({name.get(r.option, r.option)}, weight {r.weight}): {r.text}" for r in self.added]
        out += [f"reason removed ({name.get(r.option, r.option)}, weight {r.weight}): {r.text}"
                for r in self.removed]
        out += [f"weight {old} -> {new} ({name.get(o, o)}): {text}" for o, text, old, new in self.reweighted]
        out += [f"{ask.get(q, q)} {yn(old)} -> {yn(new)}" for q, old, new in self.answers]
        out += [f"now involved: {p}" for p in self.involved_added]
        out += [f"no longer involved: {p}" for p in self.involved_removed]
        if self.review:
            old, new = self.review
            out.append(f"review date: {old or 'none'} -> {new or 'none'}")
        return out or ["nothing changed"]


def compare(before: Decision, after: Decision) -> DecisionChanges:
    """What changed between two decisions: the option, reasons added, removed or reweighted (a reason
    is its option and text), the four answers, who is involved and the review date."""
    old = {(r.option, r.text): r for r in before.reasons}
    new = {(r.option, r.text): r for r in after.reasons}
    return DecisionChanges(
        before=before, after=after,
        option=(before.option, after.option) if before.option != after.option else None,
        added=tuple(r for k, r in new.items() if k not in old),
        removed=tuple(r for k, r in old.items() if k not in new),
        reweighted=tuple((k[0], k[1], old[k].weight, r.weight) for k, r in new.items()
                         if k in old and old[k].weight != r.weight),
        answers=tuple((q, before.answers[q], after.answers[q]) for q in SURE_QUESTIONS
                      if before.answers[q] != after.answers[q]),
        involved_added=tuple(p for p in after.involved if p not in before.involved),
        involved_removed=tuple(p for p in before.involved if p not in after.involved),
        review=(before.review, after.review) if before.review != after.review else None,
    )


# --------------------------------------------------------------------------
# The Journal's methods
# --------------------------------------------------------------------------


def _opt_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class ForwardMixin(JournalPart):
    """Journal methods for this module's records (mixed into :class:`~.store.Journal`)."""

    # -- decisions ---------------------------------------------------------

    def add_decision(self, decision: Decision | None = None, /, **fields: Any) -> int:
        """Save a decision (a :class:`Decision`, or its fields for :meth:`Decision.make`); return its id.
        The same decision made twice is stored once."""
        decision = decision if decision is not None else Decision.make(**fields)
        with self._write() as conn:
            new_id, added = _insert_decision(conn, decision)
            if added:  # logged like every other write, so that undo takes back this, not the change before
                self._log(conn, "add", "decisions", new_id)
            return new_id

    def decisions(self) -> list[Decision]:
        """Every decision, oldest first, with its reasons."""
        with self._snapshot() as conn:
            reasons: dict[int, list[Reason]] = {}
            for did, option, text, weight in conn.execute(
                    "SELECT decision_id, option, text, weight FROM decision_reasons ORDER BY decision_id, position"):
                reasons.setdefault(did, []).append(Reason(option, text, weight))
            rows = conn.execute("SELECT id, day, option, know, values_clear, support, sure, involved, review, note"
                                " FROM decisions ORDER BY day, id").fetchall()
        return [Decision(day=date.fromisoformat(day), option=option, reasons=tuple(reasons.get(did, ())),
                         answers={"know": bool(k), "values": bool(v), "support": bool(s), "sure": bool(u)},
                         involved=tuple(json.loads(inv)), review=_opt_day(review), note=note, id=did)
                for did, day, option, k, v, s, u, inv, review, note in rows]

    def decision(self, decision_id: Any) -> Decision:
        """One decision by its id (a one-line error naming the ids there are, for one that is not)."""
        number = _whole(decision_id, "decision id", range(1, 2**62))
        every = self.decisions()
        for d in every:
            if d.id == number:
                return d
        known = ", ".join(str(d.id) for d in every) or "none yet"
        raise RekindleError(f"there is no decision {number} in {self.path} (decisions: {known})")

    # -- I-statements ------------------------------------------------------

    def add_statement(self, feeling: Any, situation: Any, wish: Any = "",
                      day: Any = None) -> Statement:
        statement = Statement.make(feeling, situation, wish, day)
        with self._write() as conn:
            new_id, added = _insert_statement(conn, statement)
            if added:
                self._log(conn, "add", "idea_statements", new_id)
        return Statement(statement.feeling, statement.situation, statement.wish, statement.day, id=new_id)

    def statements(self) -> list[Statement]:
        rows = self._conn.execute("SELECT id, day, feeling, situation, wish FROM idea_statements"
                                  " ORDER BY day, id").fetchall()
        return [Statement(f, s, w, date.fromisoformat(d), id=i) for i, d, f, s, w in rows]

    # -- micro-dates -------------------------------------------------------

    def plan_date(self, idea: Any, planned: Any) -> MicroDate:
        """Plan a micro-date (the same idea on the same day is planned once)."""
        plan = MicroDate.make(idea, planned)
        with self._write() as conn:
            new_id, added = _insert_date(conn, plan)
            if added:
                self._log(conn, "add", "idea_dates", new_id)
        return MicroDate(plan.idea, plan.planned, None, id=new_id)

    def mark_date_happened(self, date_id: Any, on: Any = None) -> MicroDate:
        """Record that a planned date happened (on ``on``, default its planned day); None undoes it."""
        number = _whole(date_id, "date id", range(1, 2**62))
        with self._write() as conn:
            old = self._current(conn, "idea_dates", number)
            if old is None:
                raise RekindleError(f"there is no planned date {number} in {self.path}")
            day = _day(on, "the day it happened") if on is not None else date.fromisoformat(old["planned"])
            self._change_row(conn, "idea_dates", old, {"happened": day.isoformat()})  # an edit: undo restores it
        return MicroDate(old["idea"], date.fromisoformat(old["planned"]), day, id=number)

    def unmark_date(self, date_id: Any) -> None:
        """Record that a planned date did not happen after all (an edit, which undo takes back)."""
        number = _whole(date_id, "date id", range(1, 2**62))
        with self._write() as conn:
            old = self._current(conn, "idea_dates", number)
            if old is None:
                raise RekindleError(f"there is no planned date {number} in {self.path}")
            self._change_row(conn, "idea_dates", old, {"happened": None})

    def micro_dates(self) -> list[MicroDate]:
        rows = self._conn.execute("SELECT id, idea, planned, happened FROM idea_dates ORDER BY planned, id").fetchall()
        return [MicroDate(idea, date.fromisoformat(p), _opt_day(h), id=i) for i, idea, p, h in rows]

    def timeline_moments(self) -> dict[str, list[date]]:
        """Label -> days, marked as events on the timeline: the days micro-dates happened."""
        days = sorted({d.happened for d in self.micro_dates() if d.happened is not None})
        return {"micro-date": days} if days else {}

    # -- ideas and keep it fresh --------------------------------------------

    def add_idea(self, kind: str, text: Any) -> str:
        """Add an idea of one's own (kind ``date`` or ``fresh``); return its text as stored."""
        if kind not in IDEA_KINDS:
            raise RekindleError(f"idea kind {kind!r} is not one of {', '.join(IDEA_KINDS)}")
        idea = _text(text, "the idea")
        with self._write() as conn:
            if _insert_idea(conn, kind, idea):
                (new_id,) = conn.execute("SELECT id FROM idea_custom WHERE kind = ? AND text = ?",
                                         (kind, idea)).fetchone()
                self._log(conn, "add", "idea_custom", new_id)
        return idea

    def ideas(self, kind: str) -> list[str]:
        """The ideas the person added of ``kind``, oldest first."""
        return [r[0] for r in self._conn.execute("SELECT text FROM idea_custom WHERE kind = ? ORDER BY id", (kind,))]

    def mark_tried(self, idea: Any, tried: bool = True, day: Any = None) -> None:
        """Mark a keep-it-fresh idea as tried (on ``day``, default today), or not tried."""
        text = _text(idea, "the idea")
        with self._write() as conn:
            if tried:
                if _insert_tried(conn, text, _day(day, "date") if day is not None else date.today()):
                    (new_id,) = conn.execute("SELECT id FROM idea_tried WHERE idea = ?", (text,)).fetchone()
                    self._log(conn, "add", "idea_tried", new_id)
                return
            found = conn.execute("SELECT id FROM idea_tried WHERE idea = ?", (text,)).fetchone()
        if found:  # a delete that keeps the old row, so undo can mark it tried again with its day
            self._delete("idea_tried", found[0], "idea marked tried")

    def tried(self) -> dict[str, date]:
        """Idea -> the day it was first marked tried."""
        return {idea: date.fromisoformat(day) for idea, day in
                self._conn.execute("SELECT idea, day FROM idea_tried ORDER BY day, id")}

    # -- everything at once: export and import -------------------------------

    def forward_records(self) -> ForwardRecords:
        with self._snapshot() as conn:
            ideas = [(k, t) for k, t in conn.execute("SELECT kind, text FROM idea_custom ORDER BY id")]
            return ForwardRecords(decisions=self.decisions(), statements=self.statements(),
                                  dates=self.micro_dates(), ideas=ideas,
                                  tried=[(i, d) for i, d in self.tried().items()])

    # An import's records of each kind, inside its transaction (the adders of journal/tables.py): each
    # returns how many were new; one already here (by its fingerprint or key) is not added twice.

    @staticmethod
    def _add_decisions(conn: sqlite3.Connection, items: Iterable[Decision], context: dict[str, Any]) -> int:
        return sum(_insert_decision(conn, d)[1] for d in items)

    @staticmethod
    def _add_statements(conn: sqlite3.Connection, items: Iterable[Statement], context: dict[str, Any]) -> int:
        return sum(_insert_statement(conn, s)[1] for s in items)

    @staticmethod
    def _add_dates(conn: sqlite3.Connection, items: Iterable[MicroDate], context: dict[str, Any]) -> int:
        return sum(_insert_date(conn, d)[1] for d in items)

    @staticmethod
    def _add_ideas(conn: sqlite3.Connection, items: Iterable[tuple[str, str]], context: dict[str, Any]) -> int:
        return sum(_insert_idea(conn, kind, text) for kind, text in items)

    @staticmethod
    def _add_tried(conn: sqlite3.Connection, items: Iterable[tuple[str, date]], context: dict[str, Any]) -> int:
        return sum(_insert_tried(conn, idea, day) for idea, day in items)


def _insert_decision(conn: sqlite3.Connection, d: Decision) -> tuple[int, bool]:
    """(id, True) for a new decision, (the existing id, False) for one already stored."""
    fp = d.fingerprint
    found = conn.execute("SELECT id FROM decisions WHERE fingerprint = ?", (fp,)).fetchone()
    if found:
        return found[0], False
    cur = conn.execute(
        "INSERT INTO decisions (day, option, know, values_clear, support, sure, involved, review, note, fingerprint,"
        " created_utc) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (d.day.isoformat(), d.option, *(int(d.answers[q]) for q in SURE_QUESTIONS),
         json.dumps(list(d.involved), ensure_ascii=False), d.review.isoformat() if d.review else None, d.note,
         fp, _utc(_now())))
    new_id = int(cur.lastrowid or 0)
    conn.executemany("INSERT INTO decision_reasons (decision_id, position, option, text, weight) VALUES (?,?,?,?,?)",
                     [(new_id, i, *r) for i, r in enumerate(d.reasons)])
    return new_id, True


def _insert_statement(conn: sqlite3.Connection, s: Statement) -> tuple[int, bool]:
    found = conn.execute("SELECT id FROM idea_statements WHERE fingerprint = ?", (s.fingerprint,)).fetchone()
    if found:
        return found[0], False
    cur = conn.execute("INSERT INTO idea_statements (day, feeling, situation, wish, fingerprint, created_utc)"
                       " VALUES (?,?,?,?,?,?)",
                       (s.day.isoformat(), s.feeling, s.situation, s.wish, s.fingerprint, _utc(_now())))
    return int(cur.lastrowid or 0), True


def _insert_date(conn: sqlite3.Connection, d: MicroDate) -> tuple[int, bool]:
    found = conn.execute("SELECT id, happened FROM idea_dates WHERE fingerprint = ?", (d.fingerprint,)).fetchone()
    if found:
        if d.happened and not found[1]:  # an import that knows it happened says so
            conn.execute("UPDATE idea_dates SET happened = ? WHERE id = ?", (d.happened.isoformat(), found[0]))
        return found[0], False
    cur = conn.execute("INSERT INTO idea_dates (idea, planned, happened, fingerprint, created_utc) VALUES (?,?,?,?,?)",
                       (d.idea, d.planned.isoformat(), d.happened.isoformat() if d.happened else None,
                        d.fingerprint, _utc(_now())))
    return int(cur.lastrowid or 0), True


def _insert_idea(conn: sqlite3.Connection, kind: str, text: str) -> bool:
    return bool(conn.execute("INSERT OR IGNORE INTO idea_custom (kind, text, created_utc) VALUES (?,?,?)",
                             (kind, text, _utc(_now()))).rowcount)


def _insert_tried(conn: sqlite3.Connection, idea: str, day: date) -> bool:
    return bool(conn.execute("INSERT OR IGNORE INTO idea_tried (idea, day, created_utc) VALUES (?,?,?)",
                             (idea, day.isoformat(), _utc(_now()))).rowcount)
