"""What a journal holds, as values: entries, stage changes, responses, sessions.

Every record is built from loose input (a form, a command line, an imported
file) by its ``make`` and checked there, so a bad value is refused with one
sentence before anything is written. The parsers and checks are shared by the
CLI, the widgets and the importers. Nothing here touches SQLite.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from ..errors import RekindleError
from .tables import KINDS

#: Mood levels and the labels common trackers (Daylio, Pixels) use for them.
MOOD_LABELS: dict[int, str] = {5: "rad", 4: "good", 3: "meh", 2: "bad", 1: "awful"}
STAGES = range(1, 8)
READINESS = range(11)
MAX_NOTE = 1_000_000  # characters; generous, but a bound
MAX_TAG = 64
#: the source of the made-up demo entries: a journal that holds only these is the example journal
DEMO_SOURCE = "demo"

# --------------------------------------------------------------------------
# Values: parsing and validation
# --------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now().astimezone()


def parse_datetime(value: str | datetime | date, *, what: str = "time") -> datetime:
    """A timezone-aware datetime from ISO 8601 text (naive times are local)."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day, 12)
    else:
        text = str(value).strip()
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            raise RekindleError(
                f"{what} {text!r} is not a date-time; use ISO 8601 such as 2026-03-01T20:30 or 2026-03-01"
            ) from None
    if dt.year < 1900:  # checked first: a naive time near year 1 cannot be placed in a time zone
        raise RekindleError(f"{what} {dt.isoformat()} is before 1900; check the year")
    if dt.tzinfo is None:
        try:
            dt = dt.astimezone()  # local time zone, DST included
        except (OverflowError, ValueError, OSError):
            raise RekindleError(f"{what} {dt.isoformat()} is not a time this computer can place; "
                                "check the year") from None
    if dt - datetime.now(UTC) > timedelta(days=1):  # an aware difference: no need for the local zone here
        raise RekindleError(f"{what} {dt.isoformat()} is in the future; check the date")
    return dt


def parse_date(value: str | date, *, what: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            raise RekindleError(f"{what} {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-01") from None


def _id(value: Any, what: str) -> int:
    """A record's id (``what``: "entry", "tracker value") from an int or its text; else a clear error."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise RekindleError(f"{what} id must be a whole number such as 12, not {str(value)[:40]!r}") from None
    if number < 1:
        raise RekindleError(f"{what} id must be 1 or more, not {number}")
    return number


def _day_range(since: str | date | None, until: str | date | None) -> tuple[str, list[str]]:
    """An SQL ``WHERE`` on the ``day`` column for inclusive local dates, and its arguments."""
    clauses, args = [], []
    if since is not None:
        clauses.append("day >= ?")
        args.append(parse_date(since, what="--since date").isoformat())
    if until is not None:
        clauses.append("day <= ?")
        args.append(parse_date(until, what="--until date").isoformat())
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args


def _whole(value: Any, what: str, allowed: range) -> int:
    """An int within ``allowed`` from an int or its decimal text; else a clear error."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in ("+", "-") else text
        if digits.isdecimal() and len(digits) <= 30:  # not "²" or "--3", which int() refuses
            number = int(text)
    if number is None or number not in allowed:
        shown = repr(value)
        raise RekindleError(
            f"{what} must be a whole number from {allowed.start} to {allowed.stop - 1}, "
            f"not {shown if len(shown) <= 60 else shown[:56] + '...'}"
        )
    return number


def check_mood(value: Any) -> int:
    return _whole(value, "mood", range(1, 6))


def check_readiness(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):  # NaN from pandas
        return None
    return _whole(value, "readiness", READINESS)


def check_stage(value: Any) -> int:
    return _whole(value, "stage", STAGES)


#: half of a UTF-16 pair on its own (JSON's "\ud800"): not a character, and SQLite cannot store it
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogate(value: str, what: str) -> None:
    if not value.isascii() and (found := _LONE_SURROGATE.search(value)):
        raise RekindleError(f"{what} holds U+{ord(found.group()):04X}, half of a character on its own, "
                            "which is not text; the file may be damaged")


def _check_text(value: Any, what: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RekindleError(f"{what} must be text, not {type(value).__name__}")
    if "\x00" in value:
        raise RekindleError(f"{what} contains a NUL character; remove it and try again")
    _no_lone_surrogate(value, what)
    if len(value) > limit:
        raise RekindleError(f"{what} is {len(value):,} characters long; the limit is {limit:,}")
    return value.replace("\r\n", "\n").replace("\r", "\n")


def check_tags(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Tags: short labels without '|' or control characters, kept in order, no repeats."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split("|")
    tags: list[str] = []
    for raw in values:
        if not isinstance(raw, str):
            raise RekindleError(f"tag {raw!r} must be text")
        tag = " ".join(raw.split())
        if not tag:
            continue
        if "|" in tag or any(ord(c) < 32 for c in tag):
            raise RekindleError(f"tag {tag!r} may not contain '|' or control characters")
        _no_lone_surrogate(tag, "a tag")
        if len(tag) > MAX_TAG:
            raise RekindleError(f"tag {tag[:20]!r}... is longer than {MAX_TAG} characters")
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


@dataclass(frozen=True)
class Entry:
    """One mood entry, validated. Build with :meth:`make` from loose input."""

    at: datetime
    mood: int
    readiness: int | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    source: str = "manual"

    @classmethod
    def make(
        cls,
        *,
        mood: Any,
        readiness: Any = None,
        tags: Iterable[str] | str | None = (),
        note: str | None = "",
        at: str | datetime | date | None = None,
        source: str = "manual",
    ) -> Entry:
        return cls(
            at=parse_datetime(at) if at is not None else _now(),
            mood=check_mood(mood),
            readiness=check_readiness(readiness),
            tags=check_tags(tags),
            note=_check_text(note, "note", MAX_NOTE),
            source=_check_text(source, "source", 200).strip() or "manual",
        )

    @property
    def fingerprint(self) -> str:
        """Same moment, mood, readiness, tags and note: the same entry, wherever it came from."""
        return entry_fingerprint(_utc(self.at), self.mood, self.readiness, self.tags, self.note)


#: how ``json.dumps(..., ensure_ascii=False)`` writes a string (its C encoder), quotes included
_json_text = json.encoder.encode_basestring


def entry_fingerprint(utc: str, mood: int, readiness: int | None, tags: Sequence[str], note: str) -> str:
    """:attr:`Entry.fingerprint` from its parts, ``utc`` being the moment as :func:`_utc` writes it
    (a writer that has that text already need not make it twice).

    The key is the text ``json.dumps([utc, mood, readiness, sorted(tags), note], ensure_ascii=False)``
    gives, written piece by piece with json's own string encoder (``json.dumps`` builds a new encoder on
    every call, most of the cost of 100,000 fingerprints); the tests compare the two.
    """
    key = (f"[{_json_text(utc)}, {int.__repr__(mood)}, "
           f"{'null' if readiness is None else int.__repr__(readiness)}, "
           f"[{', '.join(map(_json_text, sorted(tags)))}], {_json_text(note)}]")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def make_entries(ats: Sequence[datetime], moods: Sequence[int], tags: Sequence[tuple[str, ...]],
                 notes: Sequence[str], source: str) -> list[Entry] | None:
    """Entries (no readiness) from columns, checked as :meth:`Entry.make` checks each one, but column by column.

    The times must be aware, from 1900 on and not in the future, the moods whole numbers from 1 to 5, each
    distinct tag tuple pass :func:`check_tags` (which makes the entry's tags), and the notes be text without
    NUL, carriage returns or lone surrogates, within :data:`MAX_NOTE`. Returns None when any value would not
    pass as it is (or would be changed by :meth:`Entry.make`): the caller then makes the entries one by one,
    so that the row at fault gets its own message.
    """
    n = len(ats)
    if not n == len(moods) == len(tags) == len(notes):
        raise ValueError("make_entries: columns of different lengths")
    if not n:
        return []
    try:
        src = _check_text(source, "source", 200).strip() or "manual"
        if any(at.tzinfo is None for at in ats) or min(at.year for at in ats) < 1900 \
                or max(ats) - datetime.now(UTC) > timedelta(days=1):
            return None
        if set(map(type, moods)) != {int} or not set(moods) <= set(range(1, 6)):
            return None
        checked = {t: check_tags(t) for t in set(tags)}  # the same few tuples, row after row
        if set(map(type, notes)) != {str} or max(map(len, notes)) > MAX_NOTE:
            return None
        text = "".join(notes)
        if "\x00" in text or "\r" in text or (not text.isascii() and _LONE_SURROGATE.search(text)):
            return None
    except (RekindleError, TypeError):
        return None
    return [Entry(at, mood, None, checked[tag], note, src)
            for at, mood, tag, note in zip(ats, moods, tags, notes, strict=True)]


@dataclass(frozen=True)
class StageChange:
    stage: int
    since: date
    note: str = ""
    id: int | None = field(default=None, compare=False)  # set when read from a journal

    @classmethod
    def make(cls, stage: Any, since: str | date | None = None, note: str | None = "") -> StageChange:
        day = parse_date(since, what="stage date") if since is not None else _now().date()
        if day > _now().date() + timedelta(days=1):
            raise RekindleError(f"stage date {day.isoformat()} is in the future; check the date")
        return cls(check_stage(stage), day, _check_text(note, "stage note", 10_000))


@dataclass(frozen=True)
class Response:
    """One questionnaire response as stored; scoring happens in the scorer, not here."""

    instrument: str
    at: datetime
    answers: tuple[Any, ...]
    total: float | None = None
    band: str | None = None
    flags: tuple[str, ...] = ()
    context: str = "self"

    @classmethod
    def make(cls, instrument: Any, answers: Sequence[Any], *, total: Any = None, band: Any = None,
             flags: Sequence[str] = (), at: str | datetime | None = None, context: str = "self") -> Response:
        if not isinstance(instrument, str) or not instrument.strip():
            raise RekindleError(f"instrument must be a name such as 'who5', not {instrument!r}")
        if not isinstance(context, str) or context not in {"self", "session"}:
            raise RekindleError(f"context must be 'self' or 'session', not {context!r}")
        if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
            raise RekindleError("answers must be a list")
        if isinstance(flags, (str, bytes)) or not isinstance(flags, Iterable):
            raise RekindleError(f"flags must be a list of flag ids, not {flags!r}")
        if total is not None and (isinstance(total, bool) or not isinstance(total, (int, float))):
            raise RekindleError(f"total must be a number, not {total!r}")
        return cls(instrument.strip(), parse_datetime(at) if at is not None else _now(), tuple(answers),
                   None if total is None else float(total), None if band is None else str(band),
                   tuple(str(f) for f in flags), context)


#: Session note templates: their sections, in order. SOAP: subjective, objective,
#: assessment, plan; DAP: data, assessment, plan.
NOTE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "soap": ("subjective", "objective", "assessment", "plan"),
    "dap": ("data", "assessment", "plan"),
}
SESSION_MINUTES = range(1, 601)
GOAL_RATING = range(11)
MAX_GOALS = 20
MAX_GOAL = 200  # characters of a goal's text
MAX_SECTION = 100_000  # characters of one notes section
MAX_HOMEWORK = 10_000
_INSTRUMENT_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class Goal(NamedTuple):
    """A goal in the client's words and its 0-10 progress rating in one session."""

    text: str
    rating: int


def _check_goals(goals: Mapping[str, Any] | Iterable[Any] | None) -> tuple[Goal, ...]:
    if goals is None:
        return ()
    pairs = list(goals.items()) if isinstance(goals, Mapping) else list(goals)
    if len(pairs) > MAX_GOALS:
        raise RekindleError(f"a session has at most {MAX_GOALS} goals, not {len(pairs)}; keep the ones you track")
    checked: list[Goal] = []
    seen: set[str] = set()
    for pair in pairs:
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise RekindleError(f"a goal must be a goal text and a 0-10 rating, not {pair!r}")
        raw, rating = pair
        if not isinstance(raw, str):
            raise RekindleError(f"a goal must be text, not {raw!r}")
        text = " ".join(raw.split())
        if not text:
            raise RekindleError("a goal is empty; write the goal in a few words")
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise RekindleError(f"goal {text[:40]!r} contains control characters; remove them")
        if len(text) > MAX_GOAL:
            raise RekindleError(f"goal {text[:40]!r}... is longer than {MAX_GOAL} characters; shorten it")
        if text.casefold() in seen:
            raise RekindleError(f"goal {text!r} is given twice; rate each goal once per session")
        seen.add(text.casefold())
        checked.append(Goal(text, _whole(rating, f"the rating of goal {text!r}", GOAL_RATING)))
    return tuple(checked)


def _check_instruments(values: Iterable[str] | str | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable):
        raise RekindleError(f"instruments must be a list of instrument ids such as 'who5', not {values!r}")
    ids: list[str] = []
    for raw in values:
        name = raw.strip().lower() if isinstance(raw, str) else raw
        if not isinstance(name, str) or not _INSTRUMENT_ID.match(name):
            raise RekindleError(f"instrument {raw!r} is not an instrument id such as 'who5' or 'phq9'")
        if name not in ids:
            ids.append(name)
    return tuple(ids)


def _check_notes(notes: Mapping[str, Any] | None, template: str) -> dict[str, str]:
    sections = NOTE_TEMPLATES[template]
    checked = dict.fromkeys(sections, "")
    if notes is None:
        return checked
    if not isinstance(notes, Mapping):
        raise RekindleError(f"session notes must map sections ({', '.join(sections)}) to text")
    for key, value in notes.items():
        section = key.strip().lower() if isinstance(key, str) else key
        if section not in checked:
            raise RekindleError(
                f"notes section {key!r} is not part of the {template.upper()} template; "
                f"use {', '.join(sections)}"
            )
        checked[section] = _check_text(value, f"notes section {section!r}", MAX_SECTION).strip()
    return checked


@dataclass(frozen=True)
class Session:
    """One therapy session, validated. Build with :meth:`make` from loose input.

    The client is the journal the session is stored in. ``notes`` maps every
    section of the ``template`` (see :data:`NOTE_TEMPLATES`) to its text, in
    order; ``goals`` are the goals worked on, each with its 0-10 progress rating
    in this session (the same goal text links ratings across sessions).
    """

    day: date
    template: str = "soap"
    notes: Mapping[str, str] = field(default_factory=dict)
    minutes: int | None = None
    stage: int | None = None
    instruments: tuple[str, ...] = ()
    homework: str = ""
    goals: tuple[Goal, ...] = ()
    id: int | None = field(default=None, compare=False)  # set when read from a journal

    @classmethod
    def make(
        cls,
        *,
        day: str | date | None = None,
        minutes: Any = None,
        stage: Any = None,
        instruments: Iterable[str] | str | None = (),
        template: Any = "soap",
        notes: Mapping[str, Any] | None = None,
        homework: str | None = "",
        goals: Mapping[str, Any] | Iterable[Any] | None = (),
    ) -> Session:
        when = parse_date(day, what="session date") if day is not None else _now().date()
        if when > _now().date() + timedelta(days=1):
            raise RekindleError(f"session date {when.isoformat()} is in the future; check the date")
        if when.year < 1900:
            raise RekindleError(f"session date {when.isoformat()} is before 1900; check the year")
        name = template.strip().lower() if isinstance(template, str) else template
        if not isinstance(name, str) or name not in NOTE_TEMPLATES:
            raise RekindleError(f"template must be {' or '.join(NOTE_TEMPLATES)}, not {template!r}")
        blank = minutes is None or (isinstance(minutes, str) and not minutes.strip())
        no_stage = stage is None or (isinstance(stage, str) and stage.strip().lower() in {"", "none"})
        return cls(
            day=when,
            template=name,
            notes=_check_notes(notes, name),
            minutes=None if blank else _whole(minutes, "minutes", SESSION_MINUTES),
            stage=None if no_stage else check_stage(stage),
            instruments=_check_instruments(instruments),
            homework=_check_text(homework, "homework", MAX_HOMEWORK).strip(),
            goals=_check_goals(goals),
        )

    @property
    def fingerprint(self) -> str:
        """Same day and content: the same session, so importing it twice adds it once."""
        key = json.dumps(
            [self.day.isoformat(), self.minutes, self.stage, list(self.instruments), self.template,
             [[k, self.notes[k]] for k in self.notes], self.homework, [list(g) for g in self.goals]],
            ensure_ascii=False,
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class ImportResult:
    """What one import did: how many entries were added and how many were already there."""

    added: int = 0
    duplicates: int = 0
    #: records of every other kind added, by the kind's name in :data:`.tables.KINDS` ("stages", "plans", ...)
    counts: dict[str, int] = field(default_factory=dict)
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"added {self.added} entries, skipped {self.duplicates} already in the journal" + self.extras()

    def count(self, name: str) -> int:
        """How many records of the kind ``name`` were added (``"entries"``: :attr:`added`)."""
        return self.added if name == "entries" else self.counts.get(name, 0)

    def extras(self) -> str:
        """What the import added besides entries (stage changes, responses, sessions, ...), as ", added ..."."""
        return "".join(f", added {k.counted_words(self.counts[k.name])}" for k in KINDS[1:] if self.counts.get(k.name))


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


_YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def parse_yes_no(value: Any, what: str, *, required: bool = False) -> bool | None:
    """``yes``/``no`` (also y/n, true/false, 1/0, or a bool) as a bool: the one reading of a yes-or-no answer.

    None or an empty value means "not answered" (None), unless ``required``.
    """
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if not text and not required:
        return None
    if text in _YES_NO:
        return _YES_NO[text]
    raise RekindleError(f"{what} must be yes or no, not {str(value)[:40]!r}")
