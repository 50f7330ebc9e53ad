"""Questionnaires between sessions: measurement plans and what is due (the files that carry them between
therapist and client, the plan file and the return, are :mod:`rekindle_widgets.io.plan_files`).

The round trip::

    therapist                                  client (their own Rekindle)
    ---------                                  ---------------------------
    set_plan(journal, client, ["phq9"], "weekly", start)
    write_plan_file(plan, "rekindle-plan-p-....json")  ──email──►  open_plan(journal, data)
                                                                   due(journal) -> "PHQ-9 due today"
                                                                   plan_calendar(plan) -> .ics (RRULE)
                                                                   ... fills in the PHQ-9 ...
    import_return(practice, client, data)  ◄──email──  return_bytes(journal, passphrase=...)

**The plan file** and **the return** are :mod:`rekindle_widgets.io.plan_files`.

**What is due** (:func:`schedule`). A plan that repeats every N days is due on
its start day and every N days after; a questionnaire answered on or after its
latest due day is done until the next one. Unanswered, it is *due* on its due
day and for :data:`GRACE_DAYS` day after, then *overdue since* that due day
(an answer after a missed due day catches up: the questionnaire is done until
the next due day). A plan "before each session" is due from the day after the
last session (or its start) until it is answered; when a session came with no
answer since the one before, it is overdue since that session's day. The
client's own journal has no sessions, so there such a plan is due until it is
first answered.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ..errors import RekindleError
from ..journal import Journal, Plan, check_plan_id
from ..journal.plans import MAX_EVERY

if TYPE_CHECKING:
    import pandas as pd


__all__ = [
    "GRACE_DAYS",
    "PLAN_DUE",
    "Due",
    "NewResponse",
    "Plan",
    "due",
    "due_line",
    "new_plan_id",
    "new_since_last_session",
    "parse_every",
    "schedule",
    "set_plan",
]

GRACE_DAYS = 1  # an unanswered questionnaire is "due" on its day and this many days after, then overdue
#: The only text a plan's calendar event carries (it is shown on lock screens): no questionnaire's name.
PLAN_DUE = "Notes"
_PLAN_KEYS = {"format", "version", "plan", "client", "instruments", "every_days", "start"}
_EVERY_WORDS = {"daily": 1, "weekly": 7, "fortnightly": 14}
_SESSION_WORDS = {"session", "sessions", "before-session", "before each session", "before-each-session",
                  "each session"}


def new_plan_id() -> str:
    """A fresh plan id: ``p-`` and ten lower-case base32 letters (50 random bits)."""
    return "p-" + base64.b32encode(secrets.token_bytes(7)).decode("ascii").lower()[:10]


def parse_every(text: object) -> int | None:
    """How often, as days: ``"weekly"`` 7, ``"daily"`` 1, ``"fortnightly"`` 14, ``"10"`` or ``"every 10 days"``
    10; ``"session"`` (before each session) None."""
    if isinstance(text, int) and not isinstance(text, bool):
        words = str(text)
    elif isinstance(text, str):
        words = " ".join(text.strip().lower().split())
    else:
        words = ""
    if words in _EVERY_WORDS:
        return _EVERY_WORDS[words]
    if words in _SESSION_WORDS:
        return None
    m = re.fullmatch(r"(?:every )?(\d{1,3})(?: ?days?)?", words)
    if m and 1 <= int(m[1]) <= MAX_EVERY:
        return int(m[1])
    raise RekindleError(f"{str(text)[:40]!r} is not how often: say daily, weekly, fortnightly, a number of days "
                        f"from 1 to {MAX_EVERY} (e.g. 10), or session (before each session)")


def _check_instruments(ids: Iterable[object], also: Iterable[str] = ()) -> tuple[str, ...]:
    """Instrument ids Rekindle offers (or ``also``: those a plan file carries), each once; the stage
    reflections are not for a plan."""
    from ..content.instruments import instrument_ids

    offered = instrument_ids()
    known = (*offered, *(i for i in also if i not in offered))
    chosen: list[str] = []
    for name in ids:
        text = str(name).strip().lower()
        if text not in known:
            raise RekindleError(f"questionnaire {str(name)[:40]!r} is not one Rekindle offers; choose from "
                                f"{', '.join(known)}")
        if text not in chosen:
            chosen.append(text)
    return tuple(chosen)


def set_plan(journal: Journal, client: str, instruments: Iterable[object], every: object,
             start: date | str | None = None) -> Plan:
    """The therapist's plan for ``client`` (an id), kept in ``journal`` (that client's journal); it replaces
    the client's plan before it. ``every``: see :func:`parse_every`; ``start``: default today."""
    every_days = parse_every(every)
    chosen = _check_instruments(instruments)
    plan = Plan.make(plan=new_plan_id(), client=client, instruments=chosen, every_days=every_days,
                     start=date.today() if start is None else start)
    return journal.add_plan(plan)


# --------------------------------------------------------------------------
# The plan file
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# What is due
# --------------------------------------------------------------------------


class Due(NamedTuple):
    """One questionnaire of a plan on ``today``: ``status`` is ``"due"``, ``"overdue"``, ``"done"`` or
    ``"upcoming"`` (the plan has not started)."""

    plan: str
    instrument: str
    title: str
    status: str
    since: date | None  # due / overdue since this day (None for done and upcoming)
    next: date | None  # the next due day, when known (None: before the next session)
    last: date | None  # the day it was last answered since the plan started

    @property
    def pending(self) -> bool:
        return self.status in ("due", "overdue")

    def text(self, today: date) -> str:
        """``"PHQ-9 (today)"``, ``"GAD-7 (overdue since 2026-11-24)"``,
        ``"WHO-5 (answered 2026-12-02; next due 2026-12-08)"``."""
        if self.status == "overdue":
            return f"{self.title} (overdue since {self.since.isoformat() if self.since else '?'})"
        if self.status == "due":
            if self.next is None and self.since is not None and self.since != today:
                return f"{self.title} (before the next session)"
            when = "today" if self.since == today else f"since {self.since.isoformat() if self.since else '?'}"
            return f"{self.title} ({when})"
        if self.status == "upcoming":
            return f"{self.title} (from {self.next.isoformat() if self.next else '?'})"
        done = f"answered {self.last.isoformat()}" if self.last else "answered"
        nxt = f"next due {self.next.isoformat()}" if self.next else "again before the next session"
        return f"{self.title} ({done}; {nxt})"


def _answer_days(responses: pd.DataFrame, instrument: str, start: date, today: date) -> list[date]:
    days = sorted({date.fromisoformat(str(t)[:10]) for i, t in zip(responses["instrument"], responses["local_time"],
                                                                  strict=True) if i == instrument})
    return [d for d in days if start <= d <= today]


def schedule(plan: Plan, responses: pd.DataFrame, today: date, session_days: Sequence[date] = ()) -> list[Due]:
    """Each of the plan's questionnaires on ``today`` (see the module's description for the rules).

    ``responses`` is a :meth:`Journal.responses` frame of the same journal; ``session_days`` its sessions'
    days (for a plan before each session).
    """
    from ..content.instruments import find

    out = []
    end = min(today, plan.ended - timedelta(days=1)) if plan.ended else today
    for name in plan.instruments:
        inst = find(name)
        title = inst.title.split(" (")[0].strip() if inst is not None else name  # "PHQ-9", as change.py says
        answered = _answer_days(responses, name, plan.start, today)
        last = answered[-1] if answered else None
        if today < plan.start:
            out.append(Due(plan.plan, name, title, "upcoming", None, plan.start, last))
            continue
        if plan.every_days is not None:
            n = plan.every_days
            latest = plan.start + timedelta(days=((end - plan.start).days // n) * n) if end >= plan.start \
                else plan.start
            following = latest + timedelta(days=n)
            if last is not None and last >= latest:
                out.append(Due(plan.plan, name, title, "done", None, following, last))
                continue
            # the first due day after the last answer (or the start) is the one still open
            if last is None:
                since = plan.start
            else:
                k = (last - plan.start).days // n + 1
                since = plan.start + timedelta(days=k * n)
            status = "due" if (today - since).days <= min(GRACE_DAYS, n - 1) else "overdue"
            out.append(Due(plan.plan, name, title, status, since, following, last))
        else:
            held = sorted(d for d in session_days if plan.start <= d <= today)
            opened = held[-1] + timedelta(days=1) if held else plan.start
            if last is not None and last >= opened:
                out.append(Due(plan.plan, name, title, "done", None, None, last))
                continue
            if held:
                before = held[-2] + timedelta(days=1) if len(held) > 1 else plan.start
                if not any(before <= d <= held[-1] for d in answered):
                    out.append(Due(plan.plan, name, title, "overdue", held[-1], None, last))
                    continue
            out.append(Due(plan.plan, name, title, "due", opened, None, last))
    return out


def due(journal: Journal, today: date | None = None, *, role: str | None = None) -> list[Due]:
    """What the journal's active plans ask for on ``today`` (default: today), overdue first, then due."""
    today = today or date.today()
    plans = [p for p in journal.plans(role=role) if p.active or (p.ended and p.ended > today)]
    if not plans:
        return []
    responses = journal.responses()
    sessions = [s.day for s in journal.sessions()]
    rows = [d for p in plans for d in schedule(p, responses, today, sessions)]
    order = {"overdue": 0, "due": 1, "upcoming": 2, "done": 3}
    return sorted(rows, key=lambda d: (order[d.status], d.since or date.max))


def due_line(rows: Sequence[Due], today: date) -> str:
    """``"due: PHQ-9 (today), GAD-7 (overdue since 2026-11-24)"``, or ``""`` when nothing is pending."""
    pending = [d.text(today) for d in rows if d.pending]
    return "due: " + ", ".join(pending) if pending else ""


class NewResponse(NamedTuple):
    """A response dated after the previous session's day."""

    instrument: str
    title: str
    day: str  # local day, YYYY-MM-DD
    total: float | None
    max_total: int | None
    band: str | None
    context: str

    @property
    def text(self) -> str:
        if self.total is None:
            return f"{self.title} on {self.day} (no score)"
        top = f" of {self.max_total}" if self.max_total else ""
        band = f", {self.band}" if self.band else ""
        return f"{self.title}: {self.total:g}{top}{band} on {self.day}"


def new_since_last_session(journal: Journal, today: date | None = None) -> tuple[date | None, list[NewResponse]]:
    """``(the previous session's day or None, responses dated after it up to today)``, oldest first.

    The previous session is the latest one before ``today`` (a session saved today is the one being held).
    With no previous session every response up to today is new.
    """
    from ..content.instruments import find

    today = today or date.today()
    before = [s.day for s in journal.sessions() if s.day < today]
    last = max(before) if before else None
    out = []
    for row in journal.responses().itertuples(index=False):
        day = str(row.local_time)[:10]
        if (last is None or day > last.isoformat()) and day <= today.isoformat():
            inst = find(str(row.instrument))
            total = None if row.total is None or row.total != row.total else float(row.total)
            out.append(NewResponse(str(row.instrument), inst.title if inst else str(row.instrument), day, total,
                                   (inst.max_total or None) if inst is not None and inst.has_total else None,
                                   row.band if isinstance(row.band, str) else None, str(row.context)))
    return last, out


# --------------------------------------------------------------------------
# The return: answers sent back, and imported by the therapist
# --------------------------------------------------------------------------


def _the_plan(journal: Journal, plan_id: str | None) -> Plan:
    plans = journal.plans(role="received")
    if plan_id is not None:
        plan_id = check_plan_id(plan_id)
        for plan in plans:
            if plan.plan == plan_id:
                return plan
        raise RekindleError(f"there is no plan {plan_id} in this journal; open the plan file first "
                            "('rekindle plan open FILE')")
    active = [p for p in plans if p.active] or plans
    if not active:
        raise RekindleError("this journal has no plan from a therapist; open the plan file first "
                            "('rekindle plan open FILE')")
    return active[-1]


