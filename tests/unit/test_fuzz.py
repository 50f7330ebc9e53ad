"""Hostile input, property-based: every importer and every command line either works whole or fails cleanly.

Two properties, each over at least 1,000 generated examples:

* **importers** (Daylio CSV, Daylio backup, Pixels JSON, another app's CSV,
  our CSV, our JSON): a file built from the format's own structure, with
  fields swapped for hostile values (wrong types, huge or non-ASCII numbers,
  impossible dates, script tags, control characters, NUL, 5,000-digit
  numbers, 100,000-deep nesting) and sometimes damaged byte by byte, is
  either accepted whole (every record becomes an entry, notes kept exactly)
  or refused with one line of :class:`RekindleError`, and nothing else: no
  other exception; no file takes 2 seconds or more. All 1,000 parse in
  memory; a further 100 per importer are imported into a real journal file,
  where a refused file must leave its content unchanged and an accepted one
  must be added in full. Hypothesis draws each file's shape (how hostile,
  how many records, which layout, what damage) and a seed for its field
  values (see :class:`Values`): about 2 ms an example.
* **the command line**: random argument lists drawn from the real commands
  and their options, with hostile values, run in-process through
  ``rekindle_widgets.cli.main``: the exit status is 0 or 2, a failure is
  exactly one line on stderr and never a traceback, nothing the CLI prints
  holds a raw terminal control character, and after exit status 2 no file in
  the folder was created, removed or changed. ``chart`` and ``report`` are
  slow, so they only get targets they must refuse before any work; ``app``
  (a server) is left out.

Runs are derandomised (``derandomize=True``, no example database), so CI
sees the same examples every time.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import hashlib
import io
import json
import random
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rekindle_widgets import cli
from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.export import neutralise
from rekindle_widgets.io.importers import Options, import_bytes, parse_bytes
from rekindle_widgets.journal import Entry, Journal

from ..conftest import file_digest

#: examples per importer (in memory) and for the command line; the journal subset is smaller
EXAMPLES = 1000
JOURNAL_EXAMPLES = 100
SETTINGS = {"deadline": None, "derandomize": True, "database": None,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much]}

# --------------------------------------------------------------------------
# Hostile values
# --------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    SCRIPT, IMG, "$x^2$", "a lone $", "\\", "C:\\new\\table", "\u202eevil\u202c", "שלום", "مرحبا",
    "zero\u200bwidth\u200djoin\ufeff", "\x1b[2J\x1b[31mred", "\x9b31m", "=1+2", "+1", "-1", "@SUM(A1)", "\t=1",
    "\r=1", "'=1", "", " ", "\n", "a\r\nb", "a|b", "a, b; c", '"', "'", "null", "NaN", "💔", "\x00", "\x7f",
    "\u2028", "x" * 300, "<b>bold</b><br>next", "&amp; &lt;", "#", "## Plan", "so-so",
)
NUMBER_WORDS = (
    "²", "٣", "３", "1e999999999", "1e-999999999", "+3", " 3 ", "3.0", "3.5", "0x3", "0", "-1", "6", "11", "",
    "NaN", "inf", "-0", "1_0", "9" * 30, "3/1", "9" * 5000, "1,5", "−2",
)
BAD_STAMPS = ("0001-01-01T00:00", "9999-12-31T23:59", "2024-02-30T10:00", "2024-01-01T25:00",
              "1899-12-31T23:59+00:00", "2024-01-01T10:00+25:00", "2024-01-01T10:00Z", "2024-01-01",
              "1900-01-01T00:00-23:59", "٢٠٢٤-٠١-٠١", "2099-01-01T00:00+00:00", "tomorrow", "")
TAG_WORDS = ("walk", "contact", SCRIPT, IMG, "$x^2$", "\u202e", "שלום", "a" * 70, "x|y")
BIG, DEEP = "@@BIG@@", "@@DEEP@@"  # replaced after json.dumps: a 5,000-digit number, 100,000-deep nesting
OFFSETS = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-5))]
ZONES = [None, UTC, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("America/St_Johns")]
#: code point ranges random text is drawn from (weights: mostly printable ASCII), never surrogates
ALPHABET = [((0x20, 0x7E), 8), ((0x00, 0x1F), 1), ((0x7F, 0x9F), 1), ((0xA0, 0x2FF), 1), ((0x590, 0x6FF), 1),
            ((0x200B, 0x200F), 1), ((0x2028, 0x202E), 1), ((0x2066, 0x2069), 1), ((0x4E00, 0x4E80), 1),
            ((0x1F600, 0x1F64F), 1), ((0xFEFF, 0xFEFF), 1)]
_RANGES, _WEIGHTS = zip(*ALPHABET, strict=True)

# Hypothesis strategies for the command line (a command costs far more than drawing its arguments)
texts = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=12))
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2025, 12, 31),
                       timezones=st.sampled_from(OFFSETS))
stamps = moments.map(lambda d: d.isoformat())
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31))


class Values:
    """The field values of one generated file, from a seed Hypothesis draws.

    A file needs hundreds of values; drawing each one through Hypothesis costs
    about 30 µs, which would make 1,000 examples per importer take minutes.
    Hypothesis still chooses each file's shape (how many records, how hostile,
    which layout, what damage) and the seed, so runs are reproducible.
    """

    def __init__(self, seed: int, rate: int):
        self.rng = random.Random(seed)
        self.rate = rate  # percent of fields made hostile

    def hostile(self, weight: float = 1.0) -> bool:
        return self.rate > 0 and self.rng.random() * 100 < self.rate * weight

    def pick(self, valid: Any, hostile: Any = None, weight: float = 1.0) -> Any:
        """``valid`` (a value, or a function making one), or, ``rate`` percent of the time, a hostile value."""
        if self.hostile(weight):
            return (hostile or self.junk)()
        return valid() if callable(valid) else valid

    def text(self) -> str:
        if self.rng.random() < 0.6:
            return self.rng.choice(HOSTILE_TEXT)
        return "".join(chr(self.rng.randint(*self.rng.choices(_RANGES, _WEIGHTS)[0]))
                       for _ in range(self.rng.randint(0, 12)))

    def number_word(self) -> str:
        return self.rng.choice(NUMBER_WORDS)

    def bad_stamp(self) -> Any:
        return self.rng.choice(BAD_STAMPS) if self.rng.random() < 0.7 else self.junk()

    def junk(self, depth: int = 0) -> Any:
        """A JSON value of the wrong kind: numbers of every sort, hostile text, nested lists and objects."""
        roll = self.rng.random()
        if depth < 2 and roll < 0.15:
            return [self.junk(depth + 1) for _ in range(self.rng.randint(0, 3))]
        if depth < 2 and roll < 0.25:
            return {self.text(): self.junk(depth + 1) for _ in range(self.rng.randint(0, 3))}
        return self.rng.choice([
            None, True, False, 0, -1, 6, 11, 2**63, -(2**70), 1.5, 1e308, float("inf"), float("nan"), BIG, DEEP,
            self.number_word(), self.text(), self.rng.randint(-10**6, 10**6), self.rng.uniform(-1e6, 1e6)])

    def moment(self) -> datetime:
        seconds = self.rng.randint(0, int((datetime(2025, 12, 31) - datetime(2000, 1, 1)).total_seconds()))
        naive = datetime(2000, 1, 1) + timedelta(seconds=seconds)
        return naive.replace(tzinfo=self.rng.choice(OFFSETS))

    def stamp(self) -> str:
        return self.moment().isoformat()

    def day(self) -> date:
        return self.moment().date()

    def tags(self) -> list[str]:
        return [self.rng.choice(TAG_WORDS) if self.rng.random() < 0.6 else self.text()
                for _ in range(self.rng.randint(0, 3))]

    def choice(self, options: Any) -> Any:
        return self.rng.choice(options)


SEEDS = st.integers(0, 2**32 - 1)
#: how often a field is hostile, drawn once per file: some files are all well-formed, some riddled
RATES = st.sampled_from([0, 2, 5, 10, 25])
COUNTS = st.integers(0, 4)
PERMILLE = st.integers(0, 999)
BOOL = st.booleans()


def chance(draw, percent: float) -> bool:
    return percent > 0 and draw(PERMILLE) < 10 * percent


def dumps(document: Any) -> bytes:
    """JSON with the BIG and DEEP markers turned into what no encoder would write."""
    text = json.dumps(document, ensure_ascii=False)
    text = text.replace(json.dumps(BIG), "9" * 5000).replace(json.dumps(DEEP), "[" * 100_000 + "]" * 100_000)
    return text.encode("utf-8")


def _norm(note: str) -> str:
    return note.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Case:
    """One generated file: what an importer is given, and what it must give back if it accepts it."""

    raw: bytes
    name: str
    fmt: str
    options: Options
    expected: int | None = None  # entries an accepted file must give (None: unknown after damage)
    notes: list[str] | None = None  # their notes, exactly (our own formats only)


TOKENS = (b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b"\n", b",", b"9" * 5000, b"\x1b[2J", b"\r", b"{", b"[",
          b"\xc3", "\u202e".encode())
DAMAGE = st.sampled_from(["cut", "delete", "insert", "replace", "token"])
SPAN = st.integers(1, 16)
INSERTED = st.binary(min_size=1, max_size=8)
BYTE = st.integers(1, 255)
TOKEN = st.sampled_from(TOKENS)


def damaged(draw, case: Case) -> Case:
    """A quarter of the time, ``case`` damaged byte by byte (cut short, bytes changed, hostile tokens spliced in)."""
    if not chance(draw, 25):
        return case
    raw, n = case.raw, len(case.raw)
    i = draw(st.integers(0, max(n - 1, 0)))
    kind = draw(DAMAGE)
    if kind == "cut":
        raw = raw[:i]
    elif kind == "delete":
        raw = raw[:i] + raw[i + draw(SPAN):]
    elif kind == "insert":
        raw = raw[:i] + draw(INSERTED) + raw[i:]
    elif kind == "replace" and n:
        raw = raw[:i] + bytes([(raw[i] + draw(BYTE)) % 256]) + raw[i + 1:]
    else:
        raw = raw[:i] + draw(TOKEN) + raw[i:]
    return Case(raw, case.name, case.fmt, case.options)


# --------------------------------------------------------------------------
# One strategy per importer: the format's structure, with hostile fields
# --------------------------------------------------------------------------


def _drop_key(v: Values, record: dict[str, Any]) -> None:
    if v.hostile(0.5):
        del record[v.choice(sorted(record))]


@st.composite
def native_json(draw) -> Case:
    v = Values(draw(SEEDS), draw(RATES))
    entries, notes = [], []
    for _ in range(draw(COUNTS)):
        record = {"timestamp": v.pick(v.stamp, v.bad_stamp), "mood": v.pick(lambda: v.rng.randint(1, 5)),
                  "readiness": v.pick(lambda: v.choice([None, *range(11)])), "tags": v.pick(v.tags),
                  "note": v.pick(v.text), "source": v.pick(lambda: v.choice(["manual", "import:json", ""]))}
        _drop_key(v, record)
        entries.append(record)
        shown = record.get("note") or ""
        notes.append(_norm(shown) if isinstance(shown, str) else "")
    stages = [{"stage": v.pick(lambda: v.rng.randint(1, 7)), "since": v.pick(lambda: v.day().isoformat()),
               "note": v.pick(v.text)} for _ in range(draw(COUNTS) // 2)]
    responses = [{"instrument": v.pick(lambda: v.choice(["who5", "phq9"])),
                  "answers": v.pick(lambda: [v.rng.randint(0, 5) for _ in range(v.rng.randint(0, 5))]),
                  "total": v.pick(lambda: v.choice([None, 12.0, 100])), "band": v.pick(lambda: v.choice([None, "low"])),
                  "flags": v.pick(lambda: [v.text()]), "timestamp": v.pick(v.stamp, v.bad_stamp),
                  "context": v.pick(lambda: v.choice(["self", "session"]))} for _ in range(draw(COUNTS) // 2)]
    sessions = [{"date": v.pick(lambda: v.day().isoformat()), "minutes": v.pick(lambda: v.choice([None, 1, 50, 600])),
                 "stage": v.pick(lambda: v.choice([None, 1, 7])), "instruments": v.pick(lambda: ["who5"]),
                 "template": v.pick(lambda: v.choice(["soap", "dap"])), "notes": v.pick(lambda: {"plan": v.text()}),
                 "homework": v.pick(v.text), "goals": v.pick(lambda: [{"goal": v.text(), "rating": v.rng.randint(0, 10)}])}
                for _ in range(draw(COUNTS) // 2)]
    document: Any = {"format": v.pick("rekindle-journal", weight=0.4), "version": 1, "entries": entries,
                     "stages": stages, "responses": responses, "sessions": sessions}
    if v.hostile(0.5):
        document[v.choice(["entries", "stages", "responses", "sessions"])] = v.junk()
    return Case(dumps(document), "rekindle.json", "json", Options(), len(entries), notes)


CSV_HEADER = ["timestamp", "mood", "readiness", "stage", "tags", "note", "source"]


@st.composite
def native_csv(draw) -> Case:
    v = Values(draw(SEEDS), draw(RATES))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([v.text() for _ in range(v.rng.randint(0, 8))] if v.hostile(0.5) else CSV_HEADER)
    rows, notes = 0, []
    for _ in range(draw(COUNTS)):
        note = v.text()
        row = [v.pick(v.stamp, lambda: str(v.bad_stamp())), v.pick(lambda: str(v.rng.randint(1, 5)), v.number_word),
               v.pick(lambda: v.choice(["", *map(str, range(11))]), v.number_word),
               v.pick(lambda: v.choice(["", *map(str, range(1, 8))]), v.number_word),
               neutralise("|".join(v.pick(v.tags, lambda: [v.text()]))), neutralise(note),
               v.pick(lambda: v.choice(["manual", "import:daylio"]), v.text)]
        if v.hostile(0.5):
            row = row[: v.rng.randint(0, 6)]
        writer.writerow(row)
        if row not in ([], [""]):  # a blank line is no record
            rows += 1
            notes.append(_norm(note))
    return Case(out.getvalue().encode("utf-8"), "rekindle.csv", "csv", Options(), rows, notes)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
LABELS = ["rad", "good", "meh", "bad", "awful", "so-so", "Superb"]
BAD_CLOCKS = ["24:00", "13:00 pm", "0:00 am", "٢:٣٠", "8:60", "", "noon"]


@st.composite
def daylio_csv(draw) -> Case:
    v = Values(draw(SEEDS), draw(RATES))
    eight = draw(BOOL)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"] if eight
                    else ["year", "date", "weekday", "time", "mood", "activities", "note"])
    expected = 0
    for _ in range(draw(COUNTS)):
        when = v.moment().replace(tzinfo=None)
        month = MONTHS[when.month - 1]
        words = v.choice([f"{when.day} {month}", f"{month} {when.day}"])
        clock = v.choice([when.strftime("%H:%M"), f"{when.hour % 12 or 12}:{when.minute:02d} "
                                                  f"{'am' if when.hour < 12 else 'pm'}"])
        common = [v.pick(words, v.text), when.strftime("%A"), v.pick(clock, lambda: v.choice([*BAD_CLOCKS, v.text()])),
                  v.pick(lambda: v.choice(LABELS), v.text), " | ".join(v.pick(v.tags, lambda: [v.text()]))]
        if eight:
            row = [v.pick(when.date().isoformat(), v.text), *common, v.text(), v.text()]
        else:
            row = [v.pick(str(when.year), v.number_word), *common, v.text()]
        if v.hostile(0.5):
            row = row[:-1]
        writer.writerow(row)
        expected += any(cell.strip() for cell in row)
    labels = {SCRIPT: 2, "so-so": 3} if v.hostile(2) else {"so-so": 3, "superb": 5}
    return Case(out.getvalue().encode("utf-8"), "daylio_export.csv", "daylio",
                Options(mood_map=labels, tz=v.choice(ZONES)), expected)


FORMS = st.sampled_from(["zip", "zip", "base64", "json"])


@st.composite
def daylio_backup(draw) -> Case:
    v = Values(draw(SEEDS), draw(RATES))
    moods = [{"id": i, "custom_name": "", "mood_group_id": i, "mood_group_order": 0, "predefined_name_id": i,
              "state": 0} for i in range(1, 6)]
    moods.append({"id": 6, "custom_name": v.pick("so-so"), "mood_group_id": v.pick(3),
                  "predefined_name_id": v.pick(-1)})
    names = v.rng.sample(TAG_WORDS, v.rng.randint(0, 3))
    activities = [{"id": 100 + i, "name": v.pick(name)} for i, name in enumerate(names)]
    ids = [a["id"] for a in activities]
    entries = []
    for _ in range(draw(COUNTS)):
        when = v.moment()
        offset = int(when.utcoffset().total_seconds() * 1000)
        record = {"minute": when.minute, "hour": when.hour, "day": when.day, "month": when.month - 1,
                  "year": when.year, "datetime": v.pick(int(when.timestamp() * 1000)),
                  "timeZoneOffset": v.pick(offset), "mood": v.pick(lambda: v.rng.randint(1, 6)),
                  "note_title": v.pick(v.text), "note": v.pick(v.text),
                  "tags": v.pick(lambda: v.rng.sample(ids, min(len(ids), v.rng.randint(0, 2))))}
        _drop_key(v, record)
        entries.append(record)
    document = {"version": 15, "customMoods": v.pick(moods, weight=0.4), "tags": v.pick(activities, weight=0.4),
                "dayEntries": entries}
    raw = dumps(document)
    form = draw(FORMS)
    if form == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("other.txt" if v.hostile(0.5) else "backup.daylio", base64.b64encode(raw))
        raw = buf.getvalue()
    elif form == "base64":
        raw = base64.b64encode(raw)
    return Case(raw, "backup.daylio", "daylio-backup", Options(tz=v.choice(ZONES)), len(entries))


BAD_PIXEL_DAYS = ["2024-2-30", "0000-1-1", "٢٠٢٤-١-١", "1899-12-31", "2024-01-01T00:00"]


@st.composite
def pixels_json(draw) -> Case:
    v = Values(draw(SEEDS), draw(RATES))
    document, expected = [], 0
    for _ in range(draw(COUNTS)):
        day = v.day()
        record = {"date": v.pick(f"{day.year}-{day.month}-{day.day}", lambda: v.choice([*BAD_PIXEL_DAYS, v.junk()])),
                  "type": v.pick("Mood", lambda: v.choice(["mood", "Sleep", "MOOD", v.junk()])),
                  "scores": v.pick(lambda: [v.rng.randint(1, 5) for _ in range(v.rng.randint(0, 3))]),
                  "notes": v.pick(v.text), "tags": v.pick(lambda: [{"type": "Emotions", "entries": v.tags()}])}
        _drop_key(v, record)
        document.append(record)
        kind = record.get("type", "Mood")
        if isinstance(kind, str) and kind.casefold() == "mood" and isinstance(record.get("scores"), list):
            expected += len(record["scores"])
    return Case(dumps(document), "PIXELS-BACKUP.json", "pixels", Options(tz=v.choice(ZONES)), expected)


DATE_FORMATS = st.sampled_from(["%d/%m/%Y %H:%M", "%Y-%m-%d", None])
SCALES = st.sampled_from([(1, 5), (0, 20), (-3, 3)])
SEPARATORS = st.sampled_from([",", ";", "\t"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])


@st.composite
def other_csv(draw) -> Case:
    v = Values(draw(SEEDS), draw(RATES))
    sep, fmt, (low, high) = draw(SEPARATORS), draw(DATE_FORMATS), draw(SCALES)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(["Date", "Score", "Journal", "Labels", "Ready"])
    expected = 0
    for _ in range(draw(COUNTS)):
        when = v.moment().replace(tzinfo=None)
        shown = when.strftime(fmt) if fmt else when.isoformat(sep=" ", timespec="minutes")
        row = [v.pick(shown, lambda: v.choice((*BAD_STAMPS, v.text()))),
               v.pick(lambda: str(v.rng.randint(low, high)), v.number_word), v.text(), "|".join(v.tags()),
               v.pick(lambda: v.choice(["", *map(str, range(11))]), v.number_word)]
        if v.hostile(0.5):
            row = row[:-2]
        writer.writerow(row)
        expected += any(cell.strip() for cell in row)
    options = Options(date_col=v.pick("Date", v.text, 0.4), mood_col=v.pick("Score", v.text, 0.4),
                      note_col="Journal", tags_col="Labels", readiness_col=v.pick("Ready", v.text, 0.4),
                      mood_scale=(low, high), date_format=v.pick(fmt, lambda: v.choice(["%", "%Q", "%Y", "%s"]), 0.5),
                      tz=v.choice(ZONES))
    return Case(out.getvalue().encode(draw(ENCODINGS)), "sheet.csv", "csv", options, expected)


IMPORTERS = {"daylio": daylio_csv, "daylio-backup": daylio_backup, "pixels": pixels_json, "other-csv": other_csv,
             "our-csv": native_csv, "our-json": native_json}


@st.composite
def cases(draw, importer: str) -> Case:
    case = draw(IMPORTERS[importer]())
    if chance(draw, 20):  # detected from the content, as the app and CLI do by default
        case = Case(case.raw, case.name, "auto", case.options, case.expected, case.notes)
    return damaged(draw, case)


# --------------------------------------------------------------------------
# The importer properties
# --------------------------------------------------------------------------


def one_line(text: str) -> None:
    assert text and text == text.strip(), repr(text)
    assert not any(c in text for c in "\n\r\x0b\x0c\x85\u2028\u2029"), repr(text)


def check_parse(case: Case):
    """Parse in memory: accepted whole, or one RekindleError line naming the file. Anything else fails."""
    try:
        fmt, parsed = parse_bytes(case.raw, case.name, case.fmt, case.options)
    except RekindleError as exc:
        one_line(str(exc))
        assert case.name in str(exc), str(exc)
        if case.expected == 0 and "no entries found" in str(exc):
            return EMPTY  # a file that yields no entries is refused, never reported as a success
        return None
    for entry in parsed.entries:
        assert isinstance(entry, Entry) and 1 <= entry.mood <= 5 and entry.at.tzinfo is not None
        assert entry.readiness is None or 0 <= entry.readiness <= 10
        assert "\x00" not in entry.note and all(t and "|" not in t and len(t) <= 64 for t in entry.tags)
        assert 1900 <= entry.at.year and entry.at - datetime.now(UTC) <= timedelta(days=1)
    if case.expected is not None and fmt == case.fmt:
        assert len(parsed.entries) == case.expected, (len(parsed.entries), case.expected, parsed.warnings)
    if case.notes is not None and fmt == case.fmt:
        assert [e.note for e in parsed.entries] == case.notes
    return parsed


#: check_parse's outcome for an undamaged file with no records: refused for holding no entries
EMPTY = object()


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_each_file_is_accepted_whole_or_refused_with_one_line(importer):
    seen = {"accepted": 0, "refused": 0, "slowest": 0.0}

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(cases(importer))
    def check(case):
        start = time.perf_counter()
        outcome = check_parse(case)
        seen["slowest"] = max(seen["slowest"], time.perf_counter() - start)
        kind = "empty" if outcome is EMPTY else "accepted" if outcome is not None else "refused"
        seen[kind] = seen.get(kind, 0) + 1
        event(kind)

    check()
    seen["accepted"] += seen.pop("empty", 0)  # an empty file rightly refused counts as a good file handled right
    # both outcomes occur often: a generator that only made bad (or only good) files would prove little
    assert seen["accepted"] >= EXAMPLES // 10 and seen["refused"] >= EXAMPLES // 10, seen
    assert seen["slowest"] < 2.0, f"one file took {seen['slowest']:.1f} s to parse: a hostile file must not hang"


def _hostile_journal(path: Path) -> None:
    with Journal(path) as journal:
        journal.add(3, 5, tags=[SCRIPT, "$x^2$"], note="mine, from before: " + "\u202e" + IMG,
                    at="2024-01-05T10:00+00:00")
        journal.set_stage(2, "2024-01-01")


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_a_real_journal_takes_a_file_whole_or_stays_as_it_was(importer):
    seen = {"accepted": 0, "refused": 0}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite"
        _hostile_journal(path)

        @settings(max_examples=JOURNAL_EXAMPLES, **SETTINGS)
        @given(cases(importer))
        def check(case):
            before = file_digest(path)
            with Journal(path) as journal:
                count = journal.count()
                try:
                    result = import_bytes(journal, case.raw, case.name, case.fmt, case.options)
                except RekindleError as exc:
                    one_line(str(exc))
                    assert journal.count() == count
                    refused = True
                else:
                    refused = False
                    _, parsed = parse_bytes(case.raw, case.name, case.fmt, case.options)
                    assert result.added + result.duplicates == len(parsed.entries)
                    assert journal.count() == count + result.added
                    notes = set(journal.entries()["note"])
                    assert {e.note for e in parsed.entries} <= notes  # every entry is there, note intact
            if refused:
                assert file_digest(path) == before  # not a row, stage, response or session changed
            seen["refused" if refused else "accepted"] += 1

        check()
    assert seen["accepted"] and seen["refused"], seen


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------

#: characters the CLI must never print raw: C0 controls but tab and newline, DEL, C1, bidi overrides/isolates
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Template:
    """A folder every command-line example starts from (a fresh copy each time), and what it holds."""

    root: Path
    client: str
    files: dict[str, tuple[str, str]]  # relative path -> (sha256 of its bytes, content digest)


def _holdings(root: Path) -> dict[str, Path]:
    """Every file under ``root`` by relative path (SQLite's passing -wal/-shm/-journal files left out)."""
    return {str(p.relative_to(root)): p for p in sorted(root.rglob("*"))
            if not p.is_dir() and not p.name.endswith(("-wal", "-shm", "-journal"))}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def cli_template(tmp_path_factory) -> Template:
    """A hostile journal, a practice with one client, and files to import or read."""
    from rekindle_widgets.io.export import export_json
    from rekindle_widgets.model.practice import Practice

    root = tmp_path_factory.mktemp("cli-template")
    _hostile_journal(root / "journal.sqlite")
    with Journal(root / "journal.sqlite") as journal:
        journal.add_session(day="2024-01-06", minutes=50, notes={"subjective": "\x1b[31m" + SCRIPT, "plan": "\u202eplan"},
                            homework="\x9b2J homework", goals={"$x^2$ \u202egoal": 4})
        journal.add_response("who5", [3, 3, 3, 3, 3], total=15, band="x", at="2024-01-07T10:00+00:00")
        (root / "export.json").write_text(export_json(journal), encoding="utf-8")
    client = Practice(root / "practice").add(IMG)
    with client.open_journal() as journal:
        journal.add(4, note="\x1b]0;title\x07 client note", at="2024-02-01T10:00+00:00")
    (root / "daylio.csv").write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-03-01,1 March,Friday,20:30,good,walk | \u202e,\x1b[2J,<script>x</script>\n", encoding="utf-8")
    (root / "labels.csv").write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-03-01,1 March,Friday,20:30,\x1b[31mweird\u202e,,,\n", encoding="utf-8")
    (root / "sheet.csv").write_text("Date;Score\n2024-03-01;7\n", encoding="utf-8")
    (root / "map.txt").write_text("so-so = 3\n", encoding="utf-8")
    (root / "notes.md").write_text("## S\n\x1b[31m hello \u202e\n## Plan\nnext\n", encoding="utf-8")
    (root / "binary.bin").write_bytes(b"\xff\xfe\x00\x00\x9b[2J")
    (root / "folder").mkdir()
    files = {rel: (_sha(p), file_digest(p) if p.suffix == ".sqlite" else _sha(p)) for rel, p in _holdings(root).items()}
    return Template(root, client.id, files)


def _unchanged(template: Template, root: Path) -> list[str]:
    """What differs in ``root`` (a copy of the template after a command): files added, removed or changed."""
    now = _holdings(root)
    problems = [f"added {rel}" for rel in sorted(set(now) - set(template.files))]
    problems += [f"removed {rel}" for rel in sorted(set(template.files) - set(now))]
    for rel in sorted(set(now) & set(template.files)):
        raw, content = template.files[rel]
        path = now[rel]
        if _sha(path) != raw and (path.suffix != ".sqlite" or file_digest(path) != content):
            problems.append(f"changed {rel}")
    return problems


HOSTILE_ARG = st.one_of(texts, st.sampled_from(NUMBER_WORDS), st.sampled_from(BAD_STAMPS))
COMMANDS = st.sampled_from(["log", "stage", "export", "import", "summary", "where", "demo", "score", "instruments",
                            "client", "session", "chart", "report"])
ANSWERS_FOR = {"who5": "3,3,3,3,3", "phq9": "0,1,0,1,0,1,0,1,0", "gad7": "0,0,1,1,0,0,1", "safety": "no,no,no,no,no",
               "ruler": "6"}
DAY_TEXT = days.map(str)
STRAY = st.one_of(st.sampled_from(["--bogus", "--journal", "-o", "--", "--help", "-h", "--version", "\x1b[2J"]), texts)


@st.composite
def argvs(draw, t: Template) -> list[str]:
    """An argument list for one of the real commands: each value valid, or (``rate`` percent of the time) hostile."""
    root = t.root
    rate = draw(st.sampled_from([0, 10, 25, 50]))
    paths = st.one_of(
        st.sampled_from([str(root / n) for n in ["journal.sqlite", "missing.sqlite", "no-such-folder/j.sqlite", "folder",
                                                 "daylio.csv", "binary.bin", "\x1b[31m.sqlite", "\u202ecod.sqlite",
                                                 "a\nb.sqlite", "export.json"]]),
        st.sampled_from(["", "~", "/", "-", "/dev/null"]), texts)
    args: list[str] = []

    def val(valid, hostile=HOSTILE_ARG) -> str:
        return draw(hostile) if chance(draw, rate) else draw(valid if isinstance(valid, st.SearchStrategy)
                                                              else st.sampled_from(valid))

    def opt(name: str, valid, hostile=HOSTILE_ARG, percent: int = 50) -> None:
        if chance(draw, percent):
            args.extend([name, val(valid, hostile)])

    def flag(name: str, percent: int = 30) -> None:
        if chance(draw, percent):
            args.append(name)

    journal = str(root / "journal.sqlite")
    command = draw(COMMANDS)
    args.append(command)
    if command == "client":
        action = draw(st.sampled_from(["add", "list", "archive", "erase"]))
        args.append(action)
        if action == "add":
            args.append(val(["J.K.", IMG, "$x^2$", "שלום", "Tuesday 3pm"],
                            st.one_of(st.sampled_from(["\u202eevil", "", "../x", "c-aaaaaa", "a" * 65]), texts)))
        elif action in ("archive", "erase"):
            args.append(val([t.client, IMG], st.one_of(st.sampled_from(["c-aaaaaa", "../x"]), texts)))
            flag("--undo" if action == "archive" else "--yes")
        else:
            flag("--all")
        opt("--practice", [str(root / "practice")], paths, 85)
    elif command == "session":
        action = draw(st.sampled_from(["add", "list"]))
        args.append(action)
        if action == "add":
            opt("--date", DAY_TEXT)
            opt("--minutes", ["1", "50", "600"])
            opt("--stage", ["1", "7", "none"], percent=30)
            opt("--template", ["soap", "dap", "SOAP"], percent=30)
            opt("--notes-file", [str(root / "notes.md")], st.sampled_from([str(root / n) for n in
                                                                           ["binary.bin", "folder", "missing.md"]]), 30)
            opt("--homework", texts, percent=30)
            opt("--goal", ["sleep before midnight=6", f"{IMG}=2", "$x^2$ \u202e=4"],
                st.one_of(st.sampled_from(["a=²", "=3", "x=11", "nothing"]), texts), 40)
            opt("--instrument", ["who5", "phq9", "WHO5"], percent=30)
        else:
            opt("--since", DAY_TEXT, percent=30)
            opt("--until", DAY_TEXT, percent=30)
            flag("--notes", 50)
        if draw(BOOL):
            opt("--client", [t.client, IMG], percent=100)
            opt("--practice", [str(root / "practice")], paths, 90)
        else:
            opt("--journal", [journal], paths, 90)
    else:
        if command == "log":
            opt("--mood", ["1", "3", "5"], percent=95)
            opt("--readiness", ["0", "7", "10"], percent=40)
            opt("--tag", ["walk", SCRIPT, "$x^2$", "שלום \u200d"], st.one_of(st.just("a|b"), HOSTILE_ARG), 40)
            opt("--note", texts)
            opt("--at", stamps, percent=40)
        elif command == "stage":
            args.append(val(["1", "4", "7"]))
            opt("--since", DAY_TEXT)
            opt("--note", texts, percent=30)
        elif command == "export":
            opt("--format", ["csv", "json"])
            opt("--output", ["-", str(root / "out.csv")], paths)
            opt("--since", DAY_TEXT, percent=30)
            opt("--until", DAY_TEXT, percent=30)
        elif command == "import":
            args.append(val([str(root / n) for n in ["daylio.csv", "export.json"] * 2 + ["labels.csv", "sheet.csv"]],
                            st.one_of(paths, st.sampled_from([str(root / n) for n in ["notes.md", "map.txt"]]))))
            opt("--format", ["auto", "daylio", "json", "csv"], percent=25)
            opt("--map", ["weird=2", "so-so=3"], st.one_of(st.sampled_from(["a=²", "=3", "x", "a=9"]), texts), 40)
            opt("--map-file", [str(root / "map.txt")], paths, 15)
            opt("--tz", ["Europe/London", "UTC"], st.one_of(st.sampled_from(["../../etc/passwd", "a" * 3000,
                                                                             "Mars/Olympus"]), texts), 30)
            opt("--date-col", ["Date"], percent=25)
            opt("--mood-col", ["Score"], percent=25)
            opt("--mood-scale", ["1..10", "0..20"],
                st.one_of(st.sampled_from(["5..1", "1..1", "1.." + "9" * 5000]), texts), 20)
            opt("--date-format", ["%Y-%m-%d"], st.one_of(st.sampled_from(["%", "%Q"]), texts), 15)
            flag("--dry-run", 50)
            opt("--rows", ["2", "0"], st.sampled_from(["-3", "x", "9" * 20]), 20)
        elif command == "demo":
            opt("--days", ["1", "2"], st.sampled_from(["0", "-1", "3651", "x", "²", "", "1e3", "9" * 30]), 90)
            journal = str(root / "demo.sqlite")  # the demo goes into a new journal only
        elif command == "score":
            name = val(sorted(ANSWERS_FOR), st.one_of(st.just("WHO5"), texts))
            args.append(name)
            opt("--answers", [ANSWERS_FOR.get(name, "1")],
                st.one_of(st.sampled_from(["5", "", "²,3,3,3,3", "yes,no,no,no,no"]), texts), 90)
            flag("--json")
            opt("--region", ["us", "UK", "other"], percent=30)
            flag("--save", 40)
            opt("--context", ["self", "session"], percent=20)
            opt("--at", stamps, percent=30)
        elif command == "instruments":
            if draw(BOOL):
                args.append(val(["who5", "phq9", "stage3"]))
        elif command == "chart":  # chart and report are slow: only targets they must refuse before any work
            args.extend(["-o", draw(st.sampled_from([str(root / "out.txt"), str(root / "no-such-folder" / "x.png"),
                                                     str(root / "folder"), "", str(root / "x.png."), "\x1b[2J.txt"]))])
            opt("--kind", ["timeline", "goals"], percent=40)
            opt("--dpi", ["150"], st.sampled_from(["10", "601", "x"]), 30)
            opt("--since", DAY_TEXT, percent=20)
        elif command == "report":
            args.extend(["-o", draw(st.sampled_from([str(root / "out.txt"), str(root / "no-such-folder" / "x.html"),
                                                     str(root / "folder"), "", str(root / "x.pdf.txt")]))])
            opt("--region", ["US"], percent=30)
            opt("--title", texts, percent=30)
            flag("--anonymise")
        # whose journal: --journal (usually), a client of the practice, or the default one
        choice = draw(st.integers(0, 9))
        if choice < 8:
            opt("--journal", [journal], paths, percent=100)
        elif choice == 8:
            opt("--client", [t.client], percent=100)
            opt("--practice", [str(root / "practice")], paths, 90)
    if chance(draw, 8):  # a stray argument: an unknown option, a value without its option, a help flag
        args.insert(draw(st.integers(1, len(args))), draw(STRAY))
    return [arg.replace("\x00", "") for arg in args]  # a real command line cannot hold NUL (argv is C strings)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse: usage errors (2), --help and --version (0)
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def test_any_command_line_succeeds_or_fails_with_one_line_and_changes_nothing(cli_template, tmp_path, monkeypatch):
    seen: dict[str, int] = {"ok": 0, "error": 0}
    monkeypatch.delenv("REKINDLE_PRACTICE", raising=False)
    monkeypatch.delenv("REKINDLE_JOURNAL", raising=False)
    template = cli_template.root

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(argvs(cli_template))
    def check(argv):
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        try:
            root = work / "w"
            shutil.copytree(template, root)
            argv = [a.replace(str(template), str(root)) for a in argv]
            monkeypatch.setenv("REKINDLE_HOME", str(root / "home"))
            with contextlib.chdir(root):  # a relative path lands in the copy, never in the repository
                code, out, err = run_cli(argv)
            assert code in (0, 2), (argv, code, err)
            assert "Traceback" not in err and "Traceback" not in out
            if argv[0] != "export":  # export's data goes out exact when it is not shown on a terminal
                assert not RAW_CONTROL.search(out), (argv, out[:500])
            assert not RAW_CONTROL.search(err.rstrip("\n")), (argv, err)
            if code == 2:
                assert err.count("\n") == 1 and err.endswith("\n"), (argv, err)
                assert re.match(r"rekindle( [a-z]+)*: error: ", err), (argv, err)
                assert _unchanged(cli_template, root) == [], argv  # nothing created, removed or changed
            seen["ok" if code == 0 else "error"] += 1
            event(f"{argv[0]}: exit {code}")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    check()
    assert seen["ok"] >= EXAMPLES // 5 and seen["error"] >= EXAMPLES // 5, seen


@pytest.mark.parametrize("args", [
    ("summary", "--journal", "{long}"), ("log", "--mood", "3", "--journal", "{long}"),
    ("import", "{long}", "--journal", "{journal}"), ("export", "--journal", "{journal}", "-o", "{long}/x.csv"),
    ("chart", "--journal", "{journal}", "-o", "{long}.png"), ("client", "list", "--practice", "{long}"),
], ids=lambda args: args[0])
def test_a_path_the_system_refuses_is_one_line_and_creates_nothing(args, run, demo_journal, tmp_path):
    """Found by the property above: a file name over 255 bytes raised OSError from pathlib with a traceback."""
    long = str(tmp_path / ("x" * 300))
    before = file_digest(demo_journal)
    code, _, err = run(*(a.format(long=long, journal=demo_journal) for a in args))
    assert code == 2 and err.count("\n") == 1 and "File name too long" in err, err
    assert file_digest(demo_journal) == before
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))] == ["journal.sqlite"]
