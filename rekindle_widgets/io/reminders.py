"""Check-in reminders for any calendar app: an iCalendar file (RFC 5545).

::

    cal = calendar(daily="20:30")                               # every day at 20:30
    cal = calendar(weekly=("sun", "18:00"),                     # Sundays at 18:00, plus
                   reviews=[(date(2027, 1, 10), REVIEW)])       # a dated review (issues 17/18 add theirs)
    data = to_ics(cal)                                          # bytes, for a file or a download link
    write_ics("rekindle.ics", daily="20:30")                    # whole or not at all, mode 0600

Privacy: a calendar is often synced to a provider and shown on a lock screen,
so the events say only :data:`CHECK_IN` (or a neutral review summary) and
hold nothing from the journal: no mood, note, tag, stage or path.

Times are *floating* by default (``DTSTART:20261202T203000``, no zone): RFC
5545 section 3.3.5 meant them for things fixed to the clock wherever one is,
which is what a habit reminder is. Google Calendar and Apple Calendar show a
floating time in the calendar's or device's own zone, and Outlook treats a
recurring event's time without a VTIMEZONE as local too, so 20:30 stays
20:30 across daylight saving and travel. The app's kernel may also run far
from the person (Binder machines run in UTC), so it cannot name their zone.
Given a zone (``tz="Europe/Berlin"``), the times carry ``TZID`` and the file
a matching ``VTIMEZONE``, as RFC 5545 requires for each TZID used (Outlook
mis-reads a TZID it has no definition for).

Each event has a stable UID (the same reminder made twice has the same UID,
so importing a new file updates the old event instead of adding a second),
a DTSTAMP, and a display alarm at its start.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..content.forward import forward
from ..errors import RekindleError
from ..journal import Decision, MicroDate

if TYPE_CHECKING:
    import icalendar

__all__ = [
    "CHECK_IN",
    "DAY_NAMES",
    "NEUTRAL_TITLE",
    "REVIEW",
    "TITLE_ENV",
    "WEEKDAYS",
    "Repeat",
    "calendar",
    "date_ics",
    "dated",
    "event_title",
    "parse_time",
    "parse_weekday",
    "review_ics",
    "to_ics",
    "write_ics",
]

#: What every event Rekindle writes is called by default: the app's own neutral tab title. An event shows on
#: lock screens and in shared calendars, so it names neither Rekindle nor what the day is for.
NEUTRAL_TITLE = "Notes"
#: Sets another title for every event (a person may prefer "Gym" or their own word); 1 to 60 characters.
TITLE_ENV = "REKINDLE_CALENDAR_TITLE"
#: The only text a check-in event carries.
CHECK_IN = NEUTRAL_TITLE
#: The summary of a dated review (a decision's review date).
REVIEW = NEUTRAL_TITLE
#: RFC 5545 BYDAY codes, Monday first (the order of :meth:`datetime.date.weekday`).
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: How long a check-in occupies the calendar.
LENGTH = timedelta(minutes=10)
PRODID = "-//Rekindle//Check-in reminders//EN"
_UID_SPACE = uuid.UUID("6f1c1d52-3a57-4c53-9f0a-6b1e2f6e0a11")  # ours: UIDs are uuid5 names within it
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def parse_time(text: str) -> time:
    """``"HH:MM"`` (24-hour, 00:00 to 23:59) as a time; anything else is a one-line error."""
    m = _TIME.fullmatch(str(text).strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise RekindleError(f"{str(text)!r} is not a time of day; write it as HH:MM between 00:00 and 23:59, "
                            "for example 20:30")
    return time(int(m[1]), int(m[2]))


def parse_weekday(text: str) -> int:
    """A weekday in English (``mon``, ``Monday``, ``MO``) as 0 (Monday) to 6 (Sunday)."""
    word = str(text).strip().lower()
    if len(word) >= 2:
        for i, name in enumerate(DAY_NAMES):
            if name.startswith(word):
                return i
    raise RekindleError(f"{str(text)!r} is not a day of the week; use one of mon, tue, wed, thu, fri, sat, sun")


def _zone(tz: str | None):
    if tz is None:
        return None
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(str(tz))
    except (ValueError, OSError, LookupError):  # ZoneInfoNotFoundError is a KeyError (a LookupError)
        raise RekindleError(f"{str(tz)!r} is not a time zone name; use one such as Europe/Berlin or "
                            "America/New_York, or leave it out for the calendar's own zone") from None


def _uid(*parts: object) -> str:
    return f"{uuid.uuid5(_UID_SPACE, '/'.join(map(str, parts)))}@rekindle"


def event_title(summary: str = NEUTRAL_TITLE) -> str:
    """What an event is called: ``$REKINDLE_CALENDAR_TITLE`` when set (checked), else ``summary``."""
    chosen = " ".join(os.environ.get(TITLE_ENV, "").split())
    if not chosen:
        return summary
    if len(chosen) > 60:
        raise RekindleError(f"{TITLE_ENV} is {len(chosen)} characters; give a title of 60 at most, or unset it")
    return chosen


def _event(summary: str, uid: str, stamp: datetime):
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", event_title(summary))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    return event


def _alarm(summary: str):
    import icalendar

    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event_title(summary))
    alarm.add("trigger", timedelta(0))
    return alarm


class Repeat(NamedTuple):
    """An all-day event on ``first`` and every ``every_days`` days after (``RRULE:FREQ=DAILY;INTERVAL=n``),
    e.g. a measurement plan's due days (issue 18). ``key`` makes its UID (the same key: the same event)."""

    first: date
    every_days: int
    summary: str
    key: str


def calendar(daily: str | time | None = None, weekly: tuple[str | int, str | time] | None = None,
             reviews: Iterable[tuple[date, str]] = (), *, tz: str | None = None,
             today: date | None = None, now: datetime | None = None,
             repeats: Iterable[Repeat] = ()) -> icalendar.Calendar:
    """A calendar with the check-in reminders asked for and any dated reviews.

    ``daily``: a time (``"20:30"``) for a check-in every day. ``weekly``: a
    (weekday, time) pair such as ``("sun", "18:00")`` for one a week. At least
    one of the two. ``reviews``: (date, summary) pairs, each an all-day event
    on its date; the summary is shown in the person's calendar and on their
    lock screen, so it must be neutral (e.g. :data:`REVIEW`), never journal
    text. ``tz``: an IANA zone name for TZID times, or None for floating times
    (see the module's notes). ``today``/``now``: for tests. ``repeats``:
    :class:`Repeat` all-day events (then daily and weekly may both be left out).
    """
    import icalendar

    repeats = list(repeats)
    if daily is None and weekly is None and not repeats:
        raise RekindleError("say when to be reminded: a daily time (e.g. 20:30), or a weekday and a time "
                            "(e.g. sun 18:00)")
    zone = _zone(tz)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    day0 = today or (datetime.now(zone).date() if zone else date.today())
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    rules: list[tuple[str, time, date, dict[str, object]]] = []
    if daily is not None:
        at = daily if isinstance(daily, time) else parse_time(daily)
        rules.append(("daily", at, day0, {"freq": "DAILY"}))
    if weekly is not None:
        day, when = weekly
        weekday = day if isinstance(day, int) and 0 <= day <= 6 else parse_weekday(str(day))
        at = when if isinstance(when, time) else parse_time(when)
        first = day0 + timedelta(days=(weekday - day0.weekday()) % 7)
        rules.append((f"weekly-{WEEKDAYS[weekday]}", at, first, {"freq": "WEEKLY", "byday": WEEKDAYS[weekday]}))
    for kind, at, first, rrule in rules:
        event = _event(CHECK_IN, _uid("check-in", kind), stamp)
        start = datetime.combine(first, at, tzinfo=zone)
        event.add("dtstart", start)
        event.add("dtend", start + LENGTH)
        event.add("rrule", rrule)
        event.add_component(_alarm(CHECK_IN))
        cal.add_component(event)
    _add_days(cal, reviews, stamp)
    _add_repeats(cal, repeats, stamp)  # a measurement plan's due days (issue 18)
    if zone is not None:
        cal.add_missing_timezones()
    return cal


def _add_days(cal: icalendar.Calendar, days: Iterable[tuple[date, str] | tuple[date, str, object]],
              stamp: datetime) -> None:
    """Add one all-day event per (date, neutral summary[, key]); its UID is made of these, so it is stable.

    ``key`` tells apart two events with the same day and summary (two micro-dates planned for one day),
    which a calendar would otherwise take for one event and merge.
    """
    for on, summary, *key in days:
        if isinstance(on, datetime) or not isinstance(on, date):
            raise RekindleError(f"a review needs a date, not {on!r}")
        summary = " ".join(str(summary).split())
        if not summary:
            raise RekindleError("a review needs a short, neutral summary such as " + repr(REVIEW))
        event = _event(summary, _uid("review", on.isoformat(), summary, *key), stamp)
        event.add("dtstart", on)  # a DATE value: an all-day event, the same in every zone
        event.add("dtend", on + timedelta(days=1))
        cal.add_component(event)


def _add_repeats(cal: icalendar.Calendar, repeats: Iterable[Repeat], stamp: datetime) -> None:
    """Add one all-day event per :class:`Repeat`, on its first day and every ``every_days`` after (RRULE)."""
    import icalendar

    for rep in repeats:
        summary = " ".join(str(rep.summary).split())
        if isinstance(rep.first, datetime) or not isinstance(rep.first, date) or not summary:
            raise RekindleError("a repeating event needs a first date and a short, neutral summary")
        if isinstance(rep.every_days, bool) or not isinstance(rep.every_days, int) or not 1 <= rep.every_days <= 366:
            raise RekindleError(f"a repeating event repeats every 1 to 366 days, not {rep.every_days!r}")
        event = _event(summary, _uid("repeat", rep.key), stamp)
        event.add("dtstart", rep.first)  # all-day, the same in every zone
        event.add("dtend", rep.first + timedelta(days=1))
        event.add("rrule", {"freq": "DAILY", "interval": rep.every_days})
        alarm = _alarm(summary)
        alarm["trigger"] = icalendar.vDDDTypes(timedelta(hours=9))  # 09:00 on the day, in the calendar's zone
        event.add_component(alarm)
        cal.add_component(event)


def dated(days: Iterable[tuple[date, str] | tuple[date, str, object]], *,
          now: datetime | None = None) -> icalendar.Calendar:
    """A calendar of dated all-day events only, no check-in: a decision's review date, a planned date.

    ``days``: (date, summary) pairs, or (date, summary, key) to tell apart events of one day and summary,
    at least one; as with ``reviews`` in
    :func:`calendar`, each summary must be neutral, never journal text (it is
    shown on lock screens). The events have the same UIDs :func:`calendar`
    gives them, so importing both files does not duplicate a review.
    """
    import icalendar

    days = list(days)
    if not days:
        raise RekindleError("there is no date to put in the calendar file")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    _add_days(cal, days, (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
    return cal


def to_ics(cal: icalendar.Calendar) -> bytes:
    """The calendar as the bytes of a .ics file (CRLF lines, folded at 75 octets, as RFC 5545 says)."""
    return cal.to_ical()


def write_ics(path: str | os.PathLike[str], daily: str | time | None = None,
              weekly: tuple[str | int, str | time] | None = None, reviews: Iterable[tuple[date, str]] = (),
              *, tz: str | None = None) -> Path:
    """Write the reminders to ``path`` whole or not at all (temp file + rename), mode 0600."""
    from ..paths import write_private

    data = to_ics(calendar(daily, weekly, reviews, tz=tz))  # every mistake is found before the file is touched
    return write_private(path, data)


def review_ics(decision: Decision) -> bytes:
    """A calendar file with the decision's review date as an all-day event that says only :data:`REVIEW`."""
    if decision.review is None:
        raise RekindleError("this decision has no review date; give one to put it in a calendar")
    return to_ics(dated([(decision.review, REVIEW)]))


def date_ics(dates: MicroDate | Iterable[MicroDate]) -> bytes:
    """A calendar file with each planned micro-date as an all-day event saying only the neutral summary."""
    plans = [dates] if isinstance(dates, MicroDate) else list(dates)
    summary = forward().calendar_summary
    # the date's number in the journal keeps two dates on one day apart (same day, same neutral summary)
    return to_ics(dated([(d.planned, summary, f"micro-date {d.id}") for d in plans]))
