"""Every kind of record the journal keeps, declared once.

Each :class:`Kind` says where its rows live (its table and the child tables that
hang off it), how a duplicate is recognised, how it is named in words, and what
the journal does with it: whether it makes a journal "not empty" (and so worth a
safety copy before it is replaced), whether the change log keeps it (undo, history,
erase), whether the JSON export writes it and an import reads it back, and which
of the journal's methods adds an import's records of that kind.

Every list that used to be written by hand is derived from :data:`KINDS`:
:meth:`Journal.is_empty`, the change log's tables and the order an import is
undone in, the names undo uses, :class:`~.records.ImportResult`'s account,
``Parsed.records`` and the importers' preview, the JSON export and its import.
``tests/unit/test_tables.py`` compares this registry with ``sqlite_master``, so
a table nobody registered fails a test.

Adding a kind of record: a migration in :mod:`.schema`, its record type and
methods in a module of its own (an ``_add_<name>`` method among them, mixed into
:class:`~.store.Journal`), one :class:`Kind` here, and its JSON writer, reader and
row check beside the others (:data:`rekindle_widgets.io.export.WRITERS`,
:data:`rekindle_widgets.io.importers.native.READERS`, :data:`.checks.ROW_CHECKS`).

This module holds data only: no SQL, no imports from the rest of the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["KINDS", "SUPPORT_TABLES", "Kind", "all_tables", "content_tables", "kind", "kind_of_table",
           "logged_tables", "undo_order"]


@dataclass(frozen=True)
class Kind:
    """One kind of record: where it is kept and what the journal does with it."""

    #: its key everywhere outside SQL: ``Parsed.records``, ``ImportResult.counts``, the JSON export's list
    name: str
    table: str
    #: one row in words, as undo names it ("adding stage change 3")
    noun: str
    #: several, as an import's account names them ("added 2 stage changes")
    plural: str
    #: how an import recognises one already in the journal (its words; the adder applies it)
    duplicate_key: str
    #: tables whose rows belong to one row of this kind (deleted with it, kept with it in a version)
    children: tuple[str, ...] = ()
    #: the Journal method that adds an import's records of this kind inside its transaction:
    #: ``method(conn, items, context) -> how many were new`` (entries are added by add_entries itself)
    adder: str = ""
    #: a journal holding only this is not empty: it gets a safety copy, and a restore merges into it
    counted: bool = True
    #: the change log records its adds, edits and deletes (undo, history); erase forgets those versions
    logged: bool = True
    #: the JSON export writes it, and importing that export reads it back
    exported: bool = True

    def counted_words(self, n: int) -> str:
        """``n`` records in words: "1 stage change", "3 stage changes"."""
        return f"{n} {self.noun if n == 1 else self.plural}"


#: In the order an import adds them (an agreement before the check-ins that rate it);
#: undo of an import removes them in the opposite order (:func:`undo_order`).
KINDS: tuple[Kind, ...] = (
    Kind("entries", "entries", "entry", "entries",
         "its fingerprint: the moment, mood, readiness, tags and note"),
    Kind("stages", "stage_changes", "stage change", "stage changes", "the stage and its first day",
         adder="_add_stages"),
    Kind("responses", "responses", "response", "questionnaire responses",
         "the questionnaire and the moment (UTC)", adder="_add_responses"),
    Kind("sessions", "sessions", "session", "sessions", "its fingerprint: day, notes, goals and the rest",
         children=("session_goals",), adder="_add_sessions"),
    Kind("agreements", "agreements", "agreement", "agreements", "its text and the day it was agreed",
         adder="_add_agreements"),
    Kind("checkins", "checkins", "check-in", "check-ins", "its day, marks and answers",
         children=("checkin_marks",), adder="_add_checkins"),
    Kind("decisions", "decisions", "decision", "decisions", "its fingerprint: every field and reason",
         children=("decision_reasons",), adder="_add_decisions"),
    Kind("statements", "idea_statements", "I-statement", "I-statements", "its fingerprint: day and words",
         adder="_add_statements"),
    Kind("dates", "idea_dates", "micro-date", "micro-dates", "the idea and the day planned",
         adder="_add_dates"),
    Kind("ideas", "idea_custom", "idea", "ideas of your own", "its kind and text", adder="_add_ideas"),
    Kind("tried", "idea_tried", "idea marked tried", "ideas tried", "the idea", adder="_add_tried"),
    Kind("plans", "plan_plans", "questionnaire plan", "measurement plans", "the plan id", adder="_add_plans"),
    Kind("trackers", "tracker_values", "tracker value", "tracker values", "its name, moment and value",
         adder="_add_trackers"),
)

#: The tables that are not records of their own, and what each is for.
SUPPORT_TABLES: dict[str, str] = {
    "entry_blocks": "the entries packed column by column (derived: rebuilt from entries)",
    "changes": "the change log: one row per add, edit, delete or import, newest last",
    "versions": "the change log's kept rows: each as it was before the change that replaced it",
    "settings": "the person's choices for the app, one row each (the helplines' region); not records: not "
                "exported, counted or logged",
}

_BY_NAME = {k.name: k for k in KINDS}
_BY_TABLE = {k.table: k for k in KINDS}


def kind(name: str) -> Kind:
    """The kind called ``name`` ("entries", "plans", ...)."""
    return _BY_NAME[name]


def kind_of_table(table: str) -> Kind:
    """The kind whose rows are in ``table``."""
    return _BY_TABLE[table]


def content_tables() -> tuple[str, ...]:
    """The tables a journal is empty without (:meth:`Journal.is_empty`)."""
    return tuple(k.table for k in KINDS if k.counted)


def logged_tables() -> tuple[str, ...]:
    """The tables whose changes the change log keeps (undo, history, erase)."""
    return tuple(k.table for k in KINDS if k.logged)


def undo_order(tables: Iterable[str]) -> list[str]:
    """``tables`` (names from an import's record) in the order undo removes them: the reverse of :data:`KINDS`."""
    rank = {k.table: i for i, k in enumerate(KINDS)}
    return sorted(tables, key=lambda t: -rank.get(t, len(rank)))


def all_tables() -> set[str]:
    """Every table a journal of this version holds: the kinds', their children's and the support tables."""
    return {k.table for k in KINDS} | {c for k in KINDS for c in k.children} | set(SUPPORT_TABLES)
