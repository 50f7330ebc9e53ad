"""The red-flag watch: the one rule for when a weekly check-in's warning sign has *recurred*.

The guide names the red flags to watch for once a couple is back together:
agreed boundaries that are not kept, old hurts brought up again and again,
promises of change with nothing changing; and stage 6 asks whether this is a
new beginning or a repeat. A single bad week is a bad week. The watch speaks
up when the same sign shows in **two of the last three** check-ins:

* **an agreement not kept**: the last three check-ins *that rated it*
  (:data:`WINDOW`). "Not kept" counts as one, **"partly" as half**
  (:data:`PARTLY`), "kept" as nothing; the flag is raised at two
  (:data:`NEEDED`). So *not kept* twice raises it, and so does *not kept*
  once with *partly* twice; *not kept* once with *partly* once does not, nor
  does *partly* three times (half-kept is still an effort, but a standing
  half is worth noticing when a miss comes with it). A new agreement with only
  two check-ins, both *not kept*, raises it: two misses are two misses. A
  check-in that did not rate it neither helps nor hurts. An agreement that has
  ended is no longer watched.
* **old hurts raised again** ("yes"), **promises not visible** ("no"), and a
  relationship that **feels like a repeat**: the last three check-ins that
  answered that question, and the sign in two of them.

It never computes a score: the counts exist only to say "in 2 of your last 3
check-ins", and a :class:`Flag` carries the check-in dates involved
(``weeks``) so that the timeline and the report can mark them. The words
(the guide's red flag, what the watch says, what to do next) come from
``content/watch.toml`` (:mod:`rekindle_widgets.content.watch`). No SQL here:
feed it ``journal.agreements()`` and ``journal.checkins()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ..content.watch import Sign, watch_text
from ..journal.watch import Agreement, CheckIn

if TYPE_CHECKING:
    from ..journal import Journal

__all__ = ["NEEDED", "PARTLY", "WINDOW", "Flag", "flag_history", "journal_flags", "raised"]

WINDOW = 3  # the last three check-ins (that rated the agreement, or answered the question)
NEEDED = 2  # the sign in two of them raises the flag
PARTLY = 0.5  # "partly kept" counts as half a "not kept"
_MISS = {"not-kept": 1.0, "partly": PARTLY, "kept": 0.0}


@dataclass(frozen=True)
class Flag:
    """One red flag the watch raises: which sign, in the guide's words, and the weeks it showed in."""

    sign: Sign
    says: str  # the sentence, with the agreement's text and the counts in it
    weeks: tuple[date, ...]  # the check-ins (their days) where the sign showed, oldest first
    window: tuple[date, ...]  # the check-ins the rule looked at, oldest first
    agreement: Agreement | None = None  # for "an agreement is not being kept"
    current: bool = True  # still raised after the latest check-in (False: an earlier episode)

    @property
    def id(self) -> str:
        return self.sign.id

    @property
    def title(self) -> str:
        return self.sign.title

    @property
    def key(self) -> tuple[str, int | None]:
        """What makes two flags the same flag: the sign, and the agreement it is about."""
        return (self.sign.id, self.agreement.id if self.agreement else None)

    @property
    def first(self) -> date:
        return self.weeks[0]

    @property
    def last(self) -> date:
        return self.weeks[-1]

    def line(self) -> str:
        """The flag as one line: what the watch saw, then what to do next."""
        return f"{self.says} Next: {self.sign.next}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.sign.id, "title": self.sign.title, "red_flag": self.sign.red_flag, "says": self.says,
            "next": self.sign.next, "current": self.current,
            "agreement": None if self.agreement is None else
            {"number": self.agreement.id, "text": self.agreement.text},
            "weeks": [d.isoformat() for d in self.weeks], "window": [d.isoformat() for d in self.window],
        }


def _checkins(window: int, seen: int) -> str:
    """How the sentence names the check-ins looked at: the last three, or all there are so far."""
    return f"your last {window} check-ins" if seen >= WINDOW else f"your {window} check-ins so far"


def _agreement_flag(agreement: Agreement, checkins: Sequence[CheckIn], sign: Sign) -> Flag | None:
    rated = [(c.day, kept) for c in checkins if (kept := c.mark(agreement.id or 0)) is not None]
    window = rated[-WINDOW:]
    if sum(_MISS[kept] for _, kept in window) < NEEDED:
        return None
    not_kept = sum(1 for _, kept in window if kept == "not-kept")
    partly = sum(1 for _, kept in window if kept == "partly")
    parts = ([f"not kept in {not_kept}"] if not_kept else []) + \
        ([f"only partly kept in {partly}"] if partly else [])
    says = sign.says.format(agreement=agreement.text, number=agreement.id, how=" and ".join(parts),
                            checkins=_checkins(len(window), len(rated)), count=not_kept + partly)
    return Flag(sign, says, tuple(d for d, kept in window if kept != "kept"), tuple(d for d, _ in window),
                agreement)


def _question_flag(checkins: Sequence[CheckIn], sign: Sign, answer: Callable[[CheckIn], Any],
                   shows: Callable[[Any], bool]) -> Flag | None:
    answered = [(c.day, a) for c in checkins if (a := answer(c)) is not None]
    window = answered[-WINDOW:]
    weeks = tuple(d for d, a in window if shows(a))
    if len(weeks) < NEEDED:
        return None
    says = sign.says.format(count=len(weeks), checkins=_checkins(len(window), len(answered)))
    return Flag(sign, says, weeks, tuple(d for d, _ in window))


#: The check-in questions the watch reads: sign id -> (the answer, whether it shows the sign).
QUESTIONS: dict[str, tuple[Callable[[CheckIn], Any], Callable[[Any], bool]]] = {
    "past-raised": (lambda c: c.past_raised, lambda a: a is True),
    "promises-not-visible": (lambda c: c.promises_visible, lambda a: a is False),
    "feels-repeat": (lambda c: c.feels, lambda a: a == "repeat"),
}


def raised(agreements: Sequence[Agreement], checkins: Sequence[CheckIn], *,
           today: date | None = None) -> list[Flag]:
    """The red flags raised now: agreements (by number) first, then the questions, in the content's order.

    ``checkins`` in any order (they are sorted by day). An agreement that has
    ended is not watched; ``today`` asks how things stood on that day instead
    (an agreement that ended before it is not watched; one that ended on it still is).
    """
    ordered = sorted(checkins, key=lambda c: (c.day, c.id or 0))
    if not ordered:
        return []
    text = watch_text()
    flags: list[Flag] = []
    sign = text.sign("agreement-not-kept")
    for agreement in sorted(agreements, key=lambda a: a.id or 0):
        if agreement.ended is not None and (today is None or agreement.ended < today):
            continue
        if (flag := _agreement_flag(agreement, ordered, sign)) is not None:
            flags.append(flag)
    for sign_id, (answer, shows) in QUESTIONS.items():
        if (flag := _question_flag(ordered, text.sign(sign_id), answer, shows)) is not None:
            flags.append(flag)
    return flags


def flag_history(agreements: Sequence[Agreement], checkins: Sequence[CheckIn]) -> list[Flag]:
    """Every time a red flag was raised, now and before, oldest first: for the timeline and the report.

    The rule is applied after each check-in in turn; the check-ins during
    which the same flag stayed raised are one episode, whose ``weeks`` are all
    the weeks that counted towards it. The episodes still raised after the
    latest check-in have ``current=True`` (the same as :func:`raised` gives).
    """
    ordered = sorted(checkins, key=lambda c: (c.day, c.id or 0))
    open_: dict[tuple[str, int | None], Flag] = {}
    done: list[Flag] = []
    for i in range(len(ordered)):
        now = {f.key: f for f in raised(agreements, ordered[:i + 1], today=ordered[i].day)}
        for key in [k for k in open_ if k not in now]:
            done.append(replace(open_.pop(key), current=False))
        for key, flag in now.items():
            if key in open_:
                before = open_[key]
                flag = replace(flag, weeks=tuple(sorted(set(before.weeks) | set(flag.weeks))),
                               window=tuple(sorted(set(before.window) | set(flag.window))))
            open_[key] = flag
    still = {f.key for f in raised(agreements, ordered)}  # an agreement ended since is raised no longer
    done.extend(flag if key in still else replace(flag, current=False) for key, flag in open_.items())
    return sorted(done, key=lambda f: (f.first, f.key[0], f.key[1] or 0))


def journal_flags(journal: Journal, *, history: bool = False, since: date | str | None = None,
                  until: date | str | None = None) -> list[Flag]:
    """The flags of a journal's check-ins: raised now (:func:`raised`), or ``history=True`` every episode.

    ``since``/``until`` (inclusive dates, as a chart or report range takes
    them) keep the flags with a week in the range, and of those weeks only
    the ones in it: what a timeline of that range can mark.
    """
    from ..journal import parse_date

    agreements, checkins = journal.agreements(), journal.checkins()
    flags = flag_history(agreements, checkins) if history else raised(agreements, checkins)
    if since is None and until is None:
        return flags
    start = parse_date(since, what="--since date") if since is not None else date.min
    end = parse_date(until, what="--until date") if until is not None else date.max
    trimmed = [replace(f, weeks=tuple(d for d in f.weeks if start <= d <= end)) for f in flags]
    return [f for f in trimmed if f.weeks]
