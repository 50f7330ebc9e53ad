"""Measurement plans in a journal (schema 5, table ``plan_plans``): which questionnaires, how often, from when.

A plan is kept in the journal it is about, on both sides:

* the therapist's copy (``role = "set"``) in the client's journal in the practice
  folder (:mod:`rekindle_widgets.model.practice`), set on the session page or with
  ``rekindle plan set``;
* the client's copy (``role = "received"``) in the client's own journal, when
  they open the plan file (``rekindle plan open``).

Why the journal and not a file beside it: the journal is the one durable store
(a write is one SQLite transaction), it travels with the person's backups, and a
client's backup then carries the plan id, so a backup sent back to the therapist
can be matched to the right client (:func:`rekindle_widgets.model.plans.import_return`).

Setting a new plan for the same client ends the one before it (its ``ended``
day is the new plan's start); returns for an ended plan are still accepted. Setting,
opening and ending a plan are not in the undo log (a plan is replaced by setting
another, or ended); plans that came with an import (a Rekindle JSON export, a
backup merged in) are part of that import, and undoing it takes them back.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import RekindleError
from .part import JournalPart
from .records import _now, _utc, parse_date

if TYPE_CHECKING:
    pass

__all__ = ["MAX_EVERY", "MAX_PLAN_INSTRUMENTS", "PLAN_ID_EXAMPLE", "PLAN_ROLES", "Plan", "PlansMixin", "check_plan_id"]

PLAN_ROLES = ("set", "received")
MAX_PLAN_INSTRUMENTS = 8
MAX_EVERY = 92  # days: a plan asks at least once a quarter
_PLAN_ID = re.compile(r"p-[a-z2-7]{10}")
#: what a plan id looks like, in messages and help (base32: no 0, 1, 8 or 9; a test checks it is one)
PLAN_ID_EXAMPLE = "p-k3m7qa2xyz"
_CLIENT_ID = re.compile(r"c-[a-z2-7]{6}")
_INSTRUMENT_ID = re.compile(r"[a-z][a-z0-9_]{0,31}")


def check_plan_id(text: object) -> str:
    """A plan id such as :data:`PLAN_ID_EXAMPLE`, else a one-line error."""
    if not isinstance(text, str) or not _PLAN_ID.fullmatch(text):
        raise RekindleError(f"{str(text)[:40]!r} is not a plan id; plan ids look like {PLAN_ID_EXAMPLE}")
    return text


@dataclass(frozen=True)
class Plan:
    """A measurement plan: ``instruments`` every ``every_days`` days (None: before each session) from ``start``."""

    plan: str  # the plan id, also in the plan file and in every return
    client: str  # the client id it was set for (a practice's c-xxxxxx)
    instruments: tuple[str, ...]
    every_days: int | None  # None: before each session
    start: date
    role: str = "set"  # "set" (the therapist's copy) or "received" (the client's)
    ended: date | None = None
    id: int | None = None

    @classmethod
    def make(cls, *, plan: Any, client: Any, instruments: Any, every_days: Any, start: Any, role: Any = "set",
             ended: Any = None, id: int | None = None) -> Plan:
        """A checked plan (the instruments' ids are checked against the catalogue by the caller)."""
        plan = check_plan_id(plan)
        if not isinstance(client, str) or not _CLIENT_ID.fullmatch(client):
            raise RekindleError(f"{str(client)[:40]!r} is not a client id; ids look like c-k3m9qa")
        if role not in PLAN_ROLES:
            raise RekindleError(f"a plan's role is 'set' or 'received', not {role!r}")
        if isinstance(instruments, str) or not isinstance(instruments, Iterable):
            raise RekindleError("a plan's questionnaires must be a list of instrument ids")
        chosen: list[str] = []
        for name in instruments:
            if not isinstance(name, str) or not _INSTRUMENT_ID.fullmatch(name):
                raise RekindleError(f"{str(name)[:40]!r} is not an instrument id such as phq9")
            if name in chosen:
                raise RekindleError(f"questionnaire {name!r} is in the plan twice; give it once")
            chosen.append(name)
        if not chosen:
            raise RekindleError("a plan needs at least one questionnaire, e.g. phq9")
        if len(chosen) > MAX_PLAN_INSTRUMENTS:
            raise RekindleError(f"a plan asks for at most {MAX_PLAN_INSTRUMENTS} questionnaires, not {len(chosen)}")
        if every_days is not None:
            if isinstance(every_days, bool) or not isinstance(every_days, int) or not 1 <= every_days <= MAX_EVERY:
                raise RekindleError(f"a plan repeats every 1 to {MAX_EVERY} days, not {every_days!r}")
        start_day = parse_date(start, what="plan start") if not isinstance(start, date) else start
        ended_day = None if ended is None else (ended if isinstance(ended, date) else parse_date(ended, what="end"))
        return cls(plan, client, tuple(chosen), every_days, start_day, role, ended_day, id)

    @property
    def active(self) -> bool:
        return self.ended is None

    @property
    def how_often(self) -> str:
        """``"weekly"``, ``"every 14 days"``, ``"daily"`` or ``"before each session"``."""
        if self.every_days is None:
            return "before each session"
        return {1: "daily", 7: "weekly"}.get(self.every_days, f"every {self.every_days} days")


_COLUMNS = "id, plan, client, role, instruments, every_days, start, ended"


def _plan(row: tuple[Any, ...]) -> Plan:
    row_id, plan, client, role, instruments, every_days, start, ended = row
    return Plan(plan, client, tuple(json.loads(instruments)), every_days, date.fromisoformat(start), role,
                date.fromisoformat(ended) if ended else None, row_id)


class PlansMixin(JournalPart):
    """The journal's measurement-plan methods (mixed into :class:`~rekindle_widgets.journal.Journal`)."""

    def add_plan(self, plan: Plan) -> Plan:
        """Keep ``plan``; the active plan of the same role ends on its start day. The same plan id twice
        (a plan file opened again) changes nothing and returns the kept plan."""
        try:
            with self._write() as conn:
                found = conn.execute(f"SELECT {_COLUMNS} FROM plan_plans WHERE plan = ?", (plan.plan,)).fetchone()
                if found is not None:
                    kept = _plan(found)
                    if (kept.client, kept.instruments, kept.every_days, kept.start) != (
                            plan.client, plan.instruments, plan.every_days, plan.start):
                        raise RekindleError(f"plan {plan.plan} is already kept here with other settings; "
                                            "the file was changed: ask for a new plan")
                    return kept
                # each write is in the change log, so that Undo takes back this plan, not the change before it
                # (and a second Undo the end of the plan it replaced)
                for (old_id,) in conn.execute("SELECT id FROM plan_plans WHERE role = ? AND ended IS NULL",
                                              (plan.role,)).fetchall():
                    old = self._current(conn, "plan_plans", old_id)
                    if old is not None:
                        self._change_row(conn, "plan_plans", old, {"ended": plan.start.isoformat()})
                cur = conn.execute(
                    "INSERT INTO plan_plans (plan, client, role, instruments, every_days, start, ended, created_utc)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (plan.plan, plan.client, plan.role, json.dumps(list(plan.instruments)), plan.every_days,
                     plan.start.isoformat(), None, _utc(_now())))
                self._log(conn, "add", "plan_plans", int(cur.lastrowid or 0))
                return Plan(plan.plan, plan.client, plan.instruments, plan.every_days, plan.start, plan.role,
                            None, int(cur.lastrowid or 0))
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    @staticmethod
    def _add_plans(conn: sqlite3.Connection, plans: Iterable[Plan], context: dict[str, Any]) -> int:
        """Inside an import's transaction (a Rekindle JSON export, a backup merged in): the plans whose ids are
        not here yet, as they were (ended or not); returns how many were added. Undoing the import removes them."""
        known = {row[0] for row in conn.execute("SELECT plan FROM plan_plans")}
        added = 0
        for p in plans:
            if p.plan in known:
                continue
            conn.execute(
                "INSERT INTO plan_plans (plan, client, role, instruments, every_days, start, ended, created_utc)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (p.plan, p.client, p.role, json.dumps(list(p.instruments)), p.every_days, p.start.isoformat(),
                 p.ended.isoformat() if p.ended else None, _utc(_now())))
            known.add(p.plan)
            added += 1
        return added

    def end_plan(self, plan_id: str, day: date | str | None = None) -> Plan:
        """Stop a plan from ``day`` (default today); ending an ended plan changes nothing."""
        plan_id = check_plan_id(plan_id)
        on = date.today() if day is None else (day if isinstance(day, date) else parse_date(day))
        try:
            with self._write() as conn:
                found = conn.execute("SELECT id FROM plan_plans WHERE plan = ? AND ended IS NULL",
                                     (plan_id,)).fetchone()
                old = self._current(conn, "plan_plans", found[0]) if found else None
                if old is not None:  # an edit in the change log: Undo restarts the plan
                    self._change_row(conn, "plan_plans", old, {"ended": on.isoformat()})
                row = conn.execute(f"SELECT {_COLUMNS} FROM plan_plans WHERE plan = ?", (plan_id,)).fetchone()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        if row is None:
            raise RekindleError(f"there is no plan {plan_id} in this journal; see 'rekindle plan list'")
        return _plan(row)

    def plans(self, *, role: str | None = None, active: bool = False) -> list[Plan]:
        """The plans kept here, oldest first (one role, or both; only active ones with ``active=True``)."""
        sql, args = f"SELECT {_COLUMNS} FROM plan_plans", []
        where = []
        if role is not None:
            where.append("role = ?")
            args.append(role)
        if active:
            where.append("ended IS NULL")
        if where:
            sql += " WHERE " + " AND ".join(where)
        try:
            with self._snapshot() as conn:
                return [_plan(r) for r in conn.execute(sql + " ORDER BY id", args).fetchall()]
        except sqlite3.Error as exc:
            raise self._error(exc) from None
