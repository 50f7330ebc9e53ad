"""The import's fast paths give what the plain ways give (benchmark P10).

A clean Daylio file is read column by column (``daylio._parse_clean``), its
entries checked as a whole (``journal.make_entries``), bare ``<b>``/``<br>``
notes turned to text without the HTML parser, fingerprints written without
``json.dumps`` and a one-offset file's repeats found by its moment alone. Each
is compared here with the row-by-row way it stands in for, on files and values
made to be awkward; a difference would change what a person's import adds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.importers import Options, daylio, parse_bytes, split_known
from rekindle_widgets.io.importers.base import _bare_html_text, _parsed_html_text, note_text
from rekindle_widgets.journal import Entry, make_entries
from rekindle_widgets.journal.records import entry_fingerprint

HEADER = ["full_date", "date", "weekday", "time", "mood", "activities", "scales", "note_title", "note"]
NOTE_PIECES = ["<b>", "</b>", "<br>", "<BR/>", "</br>", "<li>", "</li>", "<ul>", "</ul>", "<p>", "</p>", "<div>",
               "<h2>", "<span style='x'>", "<font>", "&amp;", "&amp", "&lt;b&gt;", "&#0;", "&#xd800;", "&nbsp;",
               "\xa0", "a", "Day 1", " ", "\n", "\n\n\n", "&", "<", "<!--", "é", "😀", "\r", "\x00", "\ud800"]


def _both(text: str, options: Options) -> tuple[object, object]:
    """(column reading, row-by-row reading) of ``text``: each a Parsed, or the message it is refused with."""
    def run() -> object:
        try:
            return parse_bytes(text.encode("utf-8", "surrogatepass"), "d.csv", "daylio", options)[1]
        except RekindleError as exc:
            return f"{type(exc).__name__}: {exc}"

    fast = run()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(daylio, "_parse_clean", lambda *_a: None)
        slow = run()
    return fast, slow


def _same(fast: object, slow: object) -> None:
    if isinstance(slow, str):
        assert fast == slow
        return
    assert not isinstance(fast, str), fast
    assert fast.entries == slow.entries
    assert [e.at.tzinfo for e in fast.entries] == [e.at.tzinfo for e in slow.entries]
    assert list(fast.labels.items()) == list(slow.labels.items())
    assert (fast.read, fast.layout, fast.not_entries, fast.skipped) == \
        (slow.read, slow.layout, slow.not_entries, slow.skipped)


cell = st.sampled_from(["", " ", "work", "work | work", " friends |  family ", "bad sleep|", "a" * 70, "x\x01y"])
row = st.fixed_dictionaries({
    "day": st.sampled_from(["2024-03-01", " 2024-03-02 ", "2024-02-30", "1899-12-31", "2999-01-01", "20240303"]),
    "time": st.sampled_from(["20:30", "8:30 pm", "12:05 a.m.", "25:00", " 7:05 ", "13:00 pm"]),
    "mood": st.sampled_from(["rad", "good", " meh ", "so-so", "Ok but sleepy", "unknown one", ""]),
    "activities": cell,
    "scales": st.sampled_from(["", "  ", "Sleep Quality:\xa08/10 points"]),
    "title": st.sampled_from(["", "Title", " <b>T</b> "]),
    "note": st.lists(st.sampled_from(NOTE_PIECES), max_size=6).map("".join),
    "width": st.sampled_from([9] * 12 + [8, 10, 0]),
})


@settings(max_examples=120, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=8), zone=st.sampled_from([UTC, timezone(timedelta(hours=-5)), None]),
       skip=st.booleans())
def test_a_daylio_file_read_by_columns_gives_what_the_row_by_row_reading_gives(rows, zone, skip):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        cells = [r["day"], "March 1", "Friday", r["time"], r["mood"], r["activities"], r["scales"], r["title"],
                 r["note"], "extra"]
        writer.writerow(cells[: r["width"]])
    options = Options(tz=zone, mood_map={"so-so": 3, "ok but sleepy": 2}, skip_invalid=skip)
    _same(*_both(out.getvalue(), options))


def test_one_bad_row_among_many_clean_ones_is_still_named_by_its_line():
    lines = [",".join(HEADER)] + [f"2024-03-{1 + i % 28:02d},March 1,Friday,{i % 24}:00,good,work,,,note {i}"
                                  for i in range(500)]
    lines[321] = lines[321].replace(",good,", ",sort of,")
    lines[400] = "2024-03-01,March 1,Friday,16:75,good,work,,,late"
    text = "\n".join(lines) + "\n"
    fast, slow = _both(text, Options(tz=UTC))
    _same(fast, slow)
    assert '"sort of" (1 entry, first at line 322)' in fast
    fast, slow = _both(text.replace(",sort of,", ",good,"), Options(tz=UTC))
    assert fast == slow and "line 401: time '16:75' is not a time of day" in fast


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*NOTE_PIECES, "<b >", "<br />", "< b>", "</p/>", "<li/>", "<script>", "&#60;"]),
                max_size=12).map("".join))
def test_bare_tags_are_read_as_the_html_parser_reads_them(note):
    text = _bare_html_text(note)
    if text is not None:
        assert text == _parsed_html_text(note)


def test_daylio_notes_with_bare_tags_take_the_short_way():
    note = "Day 1: a <b>short</b> note &amp; a second line<br>about it"
    assert _bare_html_text(note) is not None
    assert note_text(note) == "Day 1: a short note & a second line\nabout it"
    assert _bare_html_text('<span style="color:red">x</span>') is None  # attributes: the parser reads it
    assert note_text('<span style="color:red">x</span> & y') == "x & y"


@settings(max_examples=300, deadline=None)
@given(utc=st.text(max_size=30), mood=st.integers(1, 5), readiness=st.none() | st.integers(0, 10),
       tags=st.lists(st.text(max_size=8), max_size=4), note=st.text(max_size=40))
def test_the_fingerprint_is_the_sha256_of_the_json_it_always_was(utc, mood, readiness, tags, note):
    key = json.dumps([utc, mood, readiness, sorted(tags), note], ensure_ascii=False)
    want = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    try:
        got = entry_fingerprint(utc, mood, readiness, tuple(tags), note)
    except UnicodeEncodeError:  # a lone surrogate, which no stored entry can hold
        with pytest.raises(UnicodeEncodeError):
            key.encode("utf-8")
        return
    assert got == want


AT = datetime(2024, 3, 1, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize("change", [
    {"ats": [AT.replace(tzinfo=None)]}, {"ats": [AT.replace(year=1899)]}, {"ats": [datetime.now(UTC) + timedelta(days=2)]},
    {"moods": [0]}, {"moods": [6]}, {"moods": [True]}, {"moods": ["3"]},
    {"tags": [("a|b",)]}, {"tags": [("x\x01",)]}, {"tags": [("t" * 65,)]}, {"tags": [("\ud800",)]},
    {"notes": ["a\x00b"]}, {"notes": ["a\rb"]}, {"notes": ["\ud800"]}, {"notes": ["x" * 1_000_001]}, {"notes": [None]},
])
def test_make_entries_refuses_whatever_entry_make_would_refuse_or_change(change):
    columns = {"ats": [AT], "moods": [4], "tags": [("work",)], "notes": ["fine"], **change}
    assert make_entries(columns["ats"], columns["moods"], columns["tags"], columns["notes"], "import:x") is None


def test_make_entries_makes_what_entry_make_makes():
    ats = [AT, AT + timedelta(hours=1), datetime(2024, 3, 2, 9, tzinfo=timezone(timedelta(hours=2)))]
    tags = [("work", " friends ", "work"), (), ("a  b",)]
    made = make_entries(ats, [1, 5, 3], tags, ["", "é 😀", "two\nlines"], " import:x ")
    assert made == [Entry.make(at=a, mood=m, tags=t, note=n, source=" import:x ")
                    for a, m, t, n in zip(ats, [1, 5, 3], tags, ["", "é 😀", "two\nlines"], strict=True)]
    assert made[0].tags == ("work", "friends")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(-3000, 3000), st.integers(1, 2), st.sampled_from(["", "n"]),
                          st.sampled_from([0, 0, 0, 500_000])), max_size=12),
       st.sampled_from([UTC, timezone(timedelta(hours=9))]), st.sampled_from([1960, 2024]))
def test_within_a_file_only_identical_rows_are_one_entry(moments, zone, year):
    """Issue 25: rows of one file are one entry only when identical (to the second); the old rule (moment,
    mood and note) merged rows that differed in tags or readiness."""
    start = datetime(year, 1, 1, tzinfo=zone)
    entries = [Entry(start + timedelta(seconds=s, microseconds=us), m, None, (), n, "import:x")
               for s, m, n, us in moments]
    new, already, repeats = split_known(entries, None)
    # to the second, as the journal keeps times: a time's fraction is dropped (before 1970 too, where
    # int(timestamp()) would round towards 1970 instead)
    distinct = {(e.at.astimezone(UTC).replace(microsecond=0), e.mood, e.readiness, e.tags, e.note) for e in entries}
    assert already == 0 and len(new) == len(distinct) and repeats == len(entries) - len(distinct)


def test_a_clean_file_is_read_by_columns():
    """Else the comparisons above would compare the row-by-row reading with itself."""
    text = ",".join(HEADER) + "\n" + "2024-03-01,March 1,Friday,8:30 pm,rad,work | gym,,Title,a <b>b</b>\n"
    parsed = daylio._parse_clean(text, Options(tz=UTC))
    assert parsed is not None and parsed.entries[0].note == "Title\na b"
    assert parsed.entries[0].tags == ("work", "gym")
