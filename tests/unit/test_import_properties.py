"""Property-based import tests: equivalent files give equal entries; a damaged file is all or nothing.

The "damaged file" property runs over 1,100 generated examples in memory
(parse only: fast) and a smaller number against a real journal file, where a
refused file must leave the journal byte-for-byte unchanged in content and an
accepted one must be imported in full.
"""

from __future__ import annotations

import base64
import codecs
import csv
import io
import json
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.importers import Options, import_bytes, parse_bytes
from rekindle_widgets.io.importers.generic import rescale
from rekindle_widgets.journal import Entry, Journal

from ..conftest import file_digest
from ..import_builders import (
    Row,
    backup_document,
    bearable_csv,
    daylio_csv,
    generic_csv,
    imoodjournal_csv,
    pack_backup,
)

LABELS = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1, "so-so": 3, "superb": 5, "Ok but sleepy": 2}
MAP = {"so-so": 3, "superb": 5, "ok but sleepy": 2}
COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}

# --------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------

_text_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r<")
notes = st.one_of(
    st.just(""),
    st.text(_text_chars, max_size=40),
    st.sampled_from(['a, b and "c"', "line one\nline two", "café ☕ naïve Zoë", '"quoted", with, commas\n\n']),
)
activity = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|<"), min_size=1,
                   max_size=20)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2025, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0))
rows = st.lists(st.builds(Row, when=moments, label=st.sampled_from(sorted(LABELS)),
                          activities=st.lists(activity, max_size=3).map(tuple), title=notes, note=notes),
                min_size=1, max_size=10)
offsets = st.sampled_from([0, 3_600_000, -18_000_000, 19_800_000])  # UTC, +1, -5, +5:30


def _encode(text: str, encoding: str, crlf: bool) -> bytes:
    text = text.replace("\n", "\r\n") if crlf else text
    if encoding == "utf-16-le-nobom":
        return text.encode("utf-16-le")
    return text.encode(encoding)


@st.composite
def damaged(draw, raw: bytes) -> bytes:
    """``raw`` cut short, with bytes dropped, inserted, replaced or repeated."""
    kind = draw(st.sampled_from(["truncate", "truncate", "delete", "insert", "replace", "repeat"]))
    n = len(raw)
    i = draw(st.integers(0, max(n - 1, 0)))
    if kind == "truncate":
        return raw[:i]
    if kind == "delete":
        return raw[:i] + raw[i + draw(st.integers(1, 16)):]
    if kind == "insert":
        return raw[:i] + draw(st.binary(min_size=1, max_size=8)) + raw[i:]
    if kind == "replace":
        return raw[:i] + bytes([(raw[i] + draw(st.integers(1, 255))) % 256]) + raw[i + 1:]
    j = draw(st.integers(i + 1, min(n, i + 40)))
    return raw[:j] + raw[i:j] + raw[j:]


@st.composite
def daylio_files(draw) -> tuple[bytes, Options]:
    text = daylio_csv(draw(rows), layout=draw(st.sampled_from([7, 70, 8, 9])), twelve_hour=draw(st.booleans()),
                      month_first=draw(st.booleans()))
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-nobom"]))
    return _encode(text, enc, draw(st.booleans())), Options(mood_map=MAP)


@st.composite
def backup_files(draw) -> tuple[bytes, Options]:
    doc = backup_document(draw(rows), LABELS, draw(offsets))
    raw = json.dumps(doc, ensure_ascii=False).encode()
    form = draw(st.sampled_from(["zip", "zip", "base64", "json"]))
    data = pack_backup(doc) if form == "zip" else base64.b64encode(raw) if form == "base64" else raw
    return data, Options()


@st.composite
def pixels_files(draw) -> tuple[bytes, Options]:
    days = draw(st.lists(st.tuples(st.dates(min_value=datetime(2010, 1, 1).date(),
                                            max_value=datetime(2025, 12, 31).date()),
                                   st.lists(st.integers(1, 5), max_size=3), notes,
                                   st.lists(activity, max_size=3)), min_size=1, max_size=8))
    if not any(s for _, s, _, _ in days):  # a file without a single score is refused: it holds no entries
        days[0] = (days[0][0], [3], *days[0][2:])
    doc = [{"date": f"{d.year}-{d.month}-{d.day}", "type": "Mood", "scores": s, "notes": n,
            "isHighlighted": False, "tags": [{"type": "Emotions", "entries": t}]} for d, s, n, t in days]
    return json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1]))).encode(), \
        Options()


@st.composite
def generic_files(draw) -> tuple[bytes, Options]:
    data = draw(st.lists(st.tuples(moments, st.integers(0, 20), notes, st.lists(activity, max_size=2)),
                         min_size=1, max_size=10))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    text = generic_csv([(w.strftime("%d/%m/%Y %H:%M"), str(m), n, "|".join(t)) for w, m, n, t in data], sep)
    options = Options(date_col="Date", mood_col="Score", note_col="Journal", tags_col="Labels",
                      mood_scale=(0, 20), date_format="%d/%m/%Y %H:%M")
    return _encode(text, draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])), draw(st.booleans())), options


@st.composite
def native_files(draw) -> tuple[bytes, Options]:
    data = draw(st.lists(st.tuples(moments, st.integers(1, 5), st.one_of(st.none(), st.integers(0, 10)), notes),
                         min_size=1, max_size=8))
    if draw(st.booleans()):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["timestamp", "mood", "readiness", "stage", "tags", "note", "source"])
        for w, m, r, n in data:
            writer.writerow([w.replace(tzinfo=UTC).isoformat(), m, "" if r is None else r, "", "x", n,
                             "manual"])
        return out.getvalue().encode(), Options()
    doc = {"format": "rekindle-journal", "version": 1, "stages": [], "responses": [],
           "entries": [{"timestamp": w.replace(tzinfo=UTC).isoformat(), "mood": m, "readiness": r,
                        "tags": ["x"], "note": n, "source": "manual"} for w, m, r, n in data]}
    return json.dumps(doc).encode(), Options()


@st.composite
def old_pixels_files(draw) -> tuple[bytes, Options]:
    """Pixels' 2019 ``mood`` shape or its 2019-2021 ``entries`` shape."""
    days = draw(st.lists(st.tuples(st.dates(min_value=datetime(2010, 1, 1).date(),
                                            max_value=datetime(2025, 12, 31).date()),
                                   st.lists(st.integers(1, 5), min_size=1, max_size=3), notes,
                                   st.lists(activity, max_size=3)), min_size=1, max_size=8, unique_by=lambda d: d[0]))
    if draw(st.booleans()):
        doc = [{"date": f"{d.year}-{d.month}-{d.day}", "mood": s[0], "emotions": t, "notes": n} for d, s, n, t in days]
    else:
        doc = [{"date": f"{d.year}-{d.month}-{d.day}", "entries": [
            {"type": "Mood", "value": v, "notes": n if k == 0 else "", "isHighlighted": False,
             "tags": [{"type": "Emotions", "entries": t}]} for k, v in enumerate(s)]} for d, s, n, t in days]
    return json.dumps(doc, ensure_ascii=draw(st.booleans())).encode(), Options()


CATEGORIES = st.sampled_from(["Mood", "Mood", "Symptom", "Sleep", "Energy", "Medication"])


@st.composite
def bearable_files(draw) -> tuple[bytes, Options]:
    readings = draw(st.lists(st.tuples(moments, CATEGORIES, st.integers(1, 10).map(str), activity, notes),
                             min_size=1, max_size=10))
    if not any(c == "Mood" for _, c, _, _, _ in readings):
        readings[0] = (readings[0][0], "Mood", *readings[0][2:])
    return bearable_csv(readings).encode(), Options(mood_scale=(1, 10))


@st.composite
def imoodjournal_files(draw) -> tuple[bytes, Options]:
    tags = ["work", "family", "sleep"]
    data = draw(st.lists(st.tuples(moments, st.integers(1, 10), notes, st.lists(st.sampled_from(tags), max_size=3)),
                         min_size=1, max_size=10))
    return imoodjournal_csv(data, tags).encode(), Options()


RATINGS = ["extremely_bad", "very_bad", "bad", "neutral", "good", "very_good", "extremely_good"]


@st.composite
def pixy_files(draw) -> tuple[bytes, Options]:
    data = draw(st.lists(st.tuples(moments, st.sampled_from(RATINGS), notes, st.lists(activity, max_size=2)),
                         min_size=1, max_size=8))
    doc = {"version": 1, "items": [{"date": w.date().isoformat(), "dateTime": w.replace(tzinfo=UTC).isoformat(),
                                    "rating": r, "message": n, "emotions": t} for w, r, n, t in data]}
    return json.dumps(doc, ensure_ascii=draw(st.booleans())).encode(), Options()


def _check_parse(data: bytes, options: Options, name: str) -> list[Entry] | None:
    """Parse in memory: either every entry is valid, or one clear RekindleError. Nothing else."""
    try:
        _, parsed = parse_bytes(data, name, options=options)
    except RekindleError as exc:
        text = str(exc)
        assert "\n" not in text and text.strip() == text and text
        assert name in text or text.startswith("unknown format"), text
        return None
    for entry in parsed.entries:
        assert isinstance(entry, Entry) and 1 <= entry.mood <= 5 and entry.at.tzinfo is not None
    return parsed.entries


# --------------------------------------------------------------------------
# Equivalent files give equal entries
# --------------------------------------------------------------------------


@settings(max_examples=150, **COMMON)
@given(rows, st.booleans(), st.booleans(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), st.booleans())
def test_any_diary_gives_the_same_entries_from_the_7_and_8_column_layouts(diary, twelve, month_first, enc, crlf):
    options = Options(mood_map=MAP, tz=UTC)
    _, eight = parse_bytes(daylio_csv(diary, 8).encode(), "new.csv", options=options)
    _, seven = parse_bytes(_encode(daylio_csv(diary, 7, twelve_hour=twelve, month_first=month_first), enc, crlf),
                           "old.csv", options=options)
    assert sorted(e.fingerprint for e in seven.entries) == sorted(e.fingerprint for e in eight.entries)
    assert len(eight.entries) == len(diary)
    assert sorted(e.mood for e in eight.entries) == sorted(LABELS[r.label] for r in diary)


@settings(max_examples=100, **COMMON)
@given(rows, offsets)
def test_any_diary_gives_the_same_entries_from_the_backup_and_the_csv(diary, offset):
    zone = timezone(timedelta(milliseconds=offset))
    _, from_csv = parse_bytes(daylio_csv(diary).encode(), "d.csv", options=Options(mood_map=MAP, tz=zone))
    _, from_backup = parse_bytes(pack_backup(backup_document(diary, LABELS, offset)), "b.daylio")
    assert sorted(e.fingerprint for e in from_backup.entries) == sorted(e.fingerprint for e in from_csv.entries)


@settings(max_examples=40, **COMMON)
@given(rows, st.sampled_from([7, 70, 8, 9]), st.sampled_from(["UTC", "Europe/Warsaw", "America/New_York"]),
       st.sampled_from(["Asia/Kolkata", "Pacific/Auckland"]))
def test_any_diary_in_any_layout_reimported_under_another_zone_adds_nothing(diary, layout, first, second):
    from zoneinfo import ZoneInfo

    raw = daylio_csv(diary, layout).encode()
    with tempfile.TemporaryDirectory() as folder, Journal(Path(folder) / "j.sqlite") as journal:
        one = import_bytes(journal, raw, "d.csv", options=Options(mood_map=MAP, tz=ZoneInfo(first)))
        two = import_bytes(journal, raw, "d.csv", options=Options(mood_map=MAP, tz=ZoneInfo(second)))
        assert one.account.balanced and two.account.balanced
        assert one.added + one.duplicates == len(diary) and two.added == 0
        assert journal.count() == one.added


@settings(max_examples=40, **COMMON)
@given(st.data())
def test_any_bearable_file_makes_an_entry_of_each_mood_row_and_accounts_for_the_rest(data):
    raw, options = data.draw(bearable_files())
    _, parsed = parse_bytes(raw, "bearable.csv", options=options)
    table = list(csv.reader(io.StringIO(raw.decode(), newline="")))[1:]
    assert len(parsed.entries) == sum(row[3] == "Mood" for row in table)
    assert parsed.records_read == len(table) == len(parsed.entries) + sum(parsed.not_entries.values())


@settings(max_examples=200, **COMMON)
@given(st.fractions(), st.integers(-5, 5), st.integers(1, 100))
def test_rescaled_moods_stay_in_range_and_keep_their_order(value, low, width):
    high = low + width
    inside = min(max(value, low), high)
    level = rescale(inside, low, high)
    assert 1 <= level <= 5
    assert rescale(low, low, high) == 1 and rescale(high, low, high) == 5
    assert rescale(min(inside + 1, high), low, high) >= level


# --------------------------------------------------------------------------
# A damaged file is imported in full or refused (in memory: 1,100 examples)
# --------------------------------------------------------------------------

DAMAGED = [
    ("daylio", daylio_files, "daylio_export.csv", 350),
    ("daylio-backup", backup_files, "backup.daylio", 250),
    ("pixels", pixels_files, "PIXELS-BACKUP.json", 200),
    ("generic", generic_files, "sheet.csv", 150),
    ("pixels-old", old_pixels_files, "pixels_2019.json", 60),
    ("bearable", bearable_files, "bearable.csv", 60),
    ("imoodjournal", imoodjournal_files, "imoodjournal.csv", 60),
    ("pixy", pixy_files, "pixy.json", 60),
    ("native", native_files, "rekindle.csv", 150),
]


@pytest.mark.parametrize(("kind", "files", "name", "examples"), DAMAGED, ids=[d[0] for d in DAMAGED])
def test_a_damaged_file_parses_fully_or_is_refused_with_one_clear_line(kind, files, name, examples):
    @settings(max_examples=examples, **COMMON)
    @given(st.data())
    def check(data):
        raw, options = data.draw(files())
        entries = _check_parse(raw, options, name)
        assert entries is not None, f"the undamaged {kind} file was refused"
        outcome = _check_parse(data.draw(damaged(raw)), options, name)
        event("refused" if outcome is None else "accepted")

    check()


# --------------------------------------------------------------------------
# ... and against a real journal file: refused means unchanged, accepted means complete
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "files", "name"), [(k, f, n) for k, f, n, _ in DAMAGED], ids=[d[0] for d in DAMAGED])
def test_a_damaged_file_leaves_a_real_journal_whole(kind, files, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite"
        with Journal(path) as journal:
            journal.add(3, note="mine, from before", at="2024-01-05T10:00+00:00")

        @settings(max_examples=20, **COMMON)
        @given(st.data())
        def check(data):
            raw, options = data.draw(files())
            bad = data.draw(damaged(raw))
            before = file_digest(path)
            with Journal(path) as journal:
                count = journal.count()
                try:
                    result = import_bytes(journal, bad, name, options=options)
                except RekindleError:
                    assert journal.count() == count
                    refused = True
                else:
                    refused = False
                    _, parsed = parse_bytes(bad, name, options=options)
                    assert result.added + result.duplicates == len(parsed.entries)
                    assert journal.count() == count + result.added
                    again = import_bytes(journal, bad, name, options=options)
                    assert again.added == 0  # re-importing adds nothing
            if refused:
                assert file_digest(path) == before

        check()


def test_the_damage_strategy_really_damages():
    """Guard: the mutations above change the bytes (a no-op strategy would make the property vacuous)."""
    raw = b"full_date,date,weekday,time,mood,activities,note_title,note\n"

    @settings(max_examples=50, **COMMON)
    @given(damaged(raw))
    def check(bad):
        assert bad != raw

    check()


def test_utf16_without_bom_is_read(tmp_path):
    text = daylio_csv([Row(datetime(2024, 3, 1, 20, 30), "good", ("work",), "", "ok")])
    for raw in (text.encode("utf-16-le"), codecs.BOM_UTF16_LE + text.encode("utf-16-le")):
        _, parsed = parse_bytes(raw, "u16.csv")
        assert [e.mood for e in parsed.entries] == [4]
