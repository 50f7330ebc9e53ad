"""Every mood log people really keep (issue 13): each layout and tracker, counted, re-imported, refused."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.importers import Options, UnknownLabelsError, parse_bytes, parse_file

from ..import_builders import DATA

LONDON = ZoneInfo("Europe/London")
UTC_OPTS = Options(tz=ZoneInfo("UTC"))


def _by_time(parsed):
    return sorted(parsed.entries, key=lambda e: e.at)


# --------------------------------------------------------------------------
# Daylio CSV: every layout
# --------------------------------------------------------------------------


def test_todays_daylio_layout_with_scales_keeps_the_scales_in_the_note():
    fmt, parsed = parse_file(DATA / "daylio_9col_scales.csv", options=UTC_OPTS)
    assert fmt == "daylio" and parsed.layout.startswith("9 columns")
    got = _by_time(parsed)
    assert [(e.at.strftime("%m-%d %H:%M"), e.mood) for e in got] == [
        ("06-01 20:00", 1), ("06-02 18:00", 2), ("06-03 00:30", 5), ("06-04 07:05", 3), ("06-04 21:15", 4)]
    assert got[4].note == "Evening\nLong walk\nthen tea & a book\nSleep Quality: 8/10 points | Sleep Time: 7:30"
    assert got[4].tags == ("reading", "walk")
    assert got[2].note == "Late one\nEnergy: 4/5 points"
    assert got[0].note == "Rough day \u2014 slept badly"  # an entity without tags is resolved too
    assert got[1].note == "" and got[1].tags == ()  # the row that lacks its last empty cell


def test_the_2019_layout_with_full_date_and_no_note_title():
    fmt, parsed = parse_file(DATA / "daylio_7col_fulldate.csv", options=UTC_OPTS)
    assert fmt == "daylio" and "2019-2021" in parsed.layout
    got = _by_time(parsed)
    assert [(e.at.strftime("%H:%M"), e.mood) for e in got] == [("15:30", 3), ("08:10", 4), ("22:40", 5)]
    assert got[0].note == "Quiet\nRainy"


@pytest.mark.parametrize(("name", "days"), [
    ("daylio_old7_pl.csv", ["2019-08-29", "2019-08-30", "2019-09-05", "2019-09-06", "2019-09-07"]),
    ("daylio_old7_es.csv", ["2018-10-15", "2018-10-16"]),
])
def test_the_old_layout_reads_month_names_in_other_languages(name, days):
    fmt, parsed = parse_file(DATA / name, options=UTC_OPTS)
    assert fmt == "daylio" and parsed.layout.startswith("old 7")
    assert [e.at.date().isoformat() for e in _by_time(parsed)] == days


def test_polish_and_german_default_mood_names_need_no_mapping():
    _, polish = parse_file(DATA / "daylio_old7_pl.csv", options=UTC_OPTS)
    assert [e.mood for e in _by_time(polish)] == [1, 2, 3, 4, 5]
    assert not any(t.startswith("mood:") for e in polish.entries for t in e.tags)
    with pytest.raises(UnknownLabelsError) as info:
        parse_file(DATA / "daylio_8col_de.csv", options=UTC_OPTS)
    assert info.value.labels == ["ängstlich"]  # only the person's own label needs a level
    _, german = parse_file(DATA / "daylio_8col_de.csv", options=Options(tz=ZoneInfo("UTC"), mood_map={"ängstlich": 2}))
    got = _by_time(german)
    assert [e.mood for e in got] == [2, 1, 2, 3, 4, 5]
    assert got[0].tags == ("mood:ängstlich",)  # the label is kept


def test_twelve_and_twenty_four_hour_times_mix_in_any_case():
    text = ("full_date,date,weekday,time,mood,activities,note_title,note\n"
            "2024-03-01,x,x,8:30 PM,good,,,\n2024-03-02,x,x,8:30 pm,good,,,\n2024-03-03,x,x,20:30,good,,,\n"
            "2024-03-04,x,x,12:05 AM,good,,,\n2024-03-05,x,x,12:05 p.m.,good,,,\n")
    _, parsed = parse_bytes(text.encode(), "t.csv", options=UTC_OPTS)
    assert [e.at.strftime("%H:%M") for e in _by_time(parsed)] == ["20:30", "20:30", "20:30", "00:05", "12:05"]


# --------------------------------------------------------------------------
# Never a silent loss: the account, duplicates, unreadable rows
# --------------------------------------------------------------------------

HEAD8 = "full_date,date,weekday,time,mood,activities,note_title,note\n"


def test_reimporting_under_another_time_zone_adds_nothing(journal_path, run):
    path = DATA / "daylio_9col_scales.csv"
    code, out, _ = run("import", path, "--tz", "Europe/London", "--journal", journal_path)
    assert code == 0 and "read 5 rows: 5 entries added, 0 already in the journal" in out
    code, out, _ = run("import", path, "--tz", "America/New_York", "--journal", journal_path)
    assert code == 0 and "read 5 rows: 0 entries added, 5 already in the journal" in out


def test_rows_of_one_file_that_differ_in_anything_are_separate_entries(journal_path, run, tmp_path):
    path = tmp_path / "same.csv"
    path.write_text(HEAD8 + "2024-03-01,x,x,20:30,good,,,one\n2024-03-01,x,x,20:30,good,,,two\n"
                    "2024-03-01,x,x,20:30,bad,,,one\n2024-03-01,x,x,20:30,good,walk,,one\n"
                    "2024-03-01,x,x,20:30,good,walk,,one\n", encoding="utf-8")
    code, out, _ = run("import", path, "--tz", "UTC", "--journal", journal_path)
    # the last row is the one before it again: one entry; the rest differ in a note, a mood or a tag
    assert code == 0 and "read 5 rows: 4 entries added, 0 already in the journal, 1 repeated in this file" in out
    code, out, _ = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "read 5 rows: 0 entries added, 4 already in the journal, 1 repeated in this file" in out


def test_two_labels_of_one_minute_are_two_entries_and_a_reimport_adds_nothing(journal_path, run, tmp_path):
    """Issue 25: a Daylio export trimmed to four columns, with a label of the person's own beside a default one,
    both mapped to 3 and written in the same minute, became one entry in a new journal ("12 already in the
    journal"), and the second label was lost."""
    from rekindle_widgets.journal import Journal

    path = tmp_path / "trimmed.csv"
    path.write_text("full_date,weekday,time,mood\n"
                    "2024-05-02,Thursday,21:10,meh\n2024-05-02,Thursday,21:10,fine I\u2019m fine\n"
                    "2024-05-01,Wednesday,08:00,good\n", encoding="utf-8")
    args = ["--date-col", "full_date", "--time-col", "time", "--mood-col", "mood", "--tz", "UTC",
            "--map", "fine I\u2019m fine=3", "--journal", journal_path]
    code, out, _ = run("import", path, *args)
    assert code == 0 and "read 3 rows: 3 entries added, 0 already in the journal" in out, out
    with Journal(journal_path) as j:
        tags = sorted(str(t) for t in j.entries()["tags"])
    assert any("mood:fine i\u2019m fine" in t for t in tags), tags  # the person's own label is kept
    code, out, _ = run("import", path, *args)
    assert code == 0 and "read 3 rows: 0 entries added, 3 already in the journal" in out


def test_an_entry_stored_under_the_old_fingerprint_rule_is_still_found(journal_path, run, tmp_path):
    from rekindle_widgets.journal import Journal

    with Journal(journal_path) as journal:  # fingerprints there hash tags and readiness too
        journal.add(4, 7, tags=["walk"], note="one", at="2024-03-01T20:30+00:00", source="manual")
    path = tmp_path / "one.csv"
    path.write_text(HEAD8 + "2024-03-01,x,x,20:30,good,,,one\n", encoding="utf-8")
    code, out, _ = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "0 entries added, 1 already in the journal" in out


def test_unreadable_rows_refuse_the_file_naming_the_first_lines(journal_path, run, tmp_path):
    path = tmp_path / "bad.csv"
    rows = [f"2024-03-{d:02d},x,x,20:30,good,,," for d in range(1, 10)]
    rows[2] = "2024-03-03,x,x,25:99,good,,,"
    rows[4] = "2024-02-30,x,x,20:30,good,,,"
    rows[5] = "2024-03-06,x,x,20:30,,,,"
    rows[7] = "2024-03-08,x,x,7 pm,good,,,"
    path.write_text(HEAD8 + "\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "bad.csv: 4 rows cannot be read (line 4: time '25:99'" in err
    assert "line 6: full_date '2024-02-30'" in err and "line 7: the mood cell is empty" in err
    assert "and 1 more" in err and "--skip-invalid" in err
    assert not journal_path.exists()
    code, out, _ = run("import", path, "--tz", "UTC", "--skip-invalid", "--journal", journal_path)
    assert code == 0
    assert ("read 9 rows: 5 entries added, 0 already in the journal, 4 not entries "
            "(4 rows that cannot be read, skipped (--skip-invalid))") in out
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("skipped")] == [
        "skipped line 4", "skipped line 6", "skipped line 7", "skipped line 9"]


def test_one_unreadable_row_is_named_in_one_line(tmp_path):
    with pytest.raises(RekindleError, match=r"^one.csv line 3: time '25:99' is not a time of day.*--skip-invalid$"):
        parse_bytes((HEAD8 + "2024-03-01,x,x,20:30,good,,,\n2024-03-02,x,x,25:99,good,,,\n").encode(), "one.csv")


def test_an_option_the_format_does_not_use_is_an_error(run, journal_path):
    code, _out, err = run("import", DATA / "pixels.json", "--map", "so-so=3", "--journal", journal_path)
    assert code == 2 and "--map is not used when reading a Pixels JSON backup" in err
    assert not journal_path.exists()


# --------------------------------------------------------------------------
# Pixels, old and new
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "layout", "moods", "not_entries"), [
    ("pixels.json", "current", [4, 2, 4, 4, 5], {"day without a score": 1}),
    ("pixels_2019.json", "2019", [4, 2, 5], {"day without a score": 1}),
    ("pixels_2021_entries.json", "2019-2021", [3, 5, 4],
     {"day without a score": 2, "record of type 'Sleep' (only Mood is imported)": 1}),
])
def test_every_pixels_layout_imports_each_score(name, layout, moods, not_entries):
    fmt, parsed = parse_file(DATA / name, options=UTC_OPTS)
    assert fmt == "pixels" and parsed.layout.startswith(layout)
    assert [e.mood for e in _by_time(parsed)] == moods
    assert parsed.not_entries == not_entries


def test_the_2019_pixels_layout_keeps_emotions_and_notes():
    _, parsed = parse_file(DATA / "pixels_2019.json", options=UTC_OPTS)
    got = _by_time(parsed)
    assert got[0].tags == ("calm", "grateful") and got[0].note == "Picnic in the park"
    assert got[2].note == "Concert & late dinner"


def test_a_2019_pixels_backup_is_no_longer_a_silent_success(journal_path, run):
    code, out, _ = run("import", DATA / "pixels_2019.json", "--format", "pixels", "--tz", "UTC",
                       "--journal", journal_path)
    assert code == 0
    assert "read 4 records: 3 entries added, 0 already in the journal, 1 not an entry (1 day without a score)" in out
    code, out, _ = run("import", DATA / "pixels_2019.json", "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "0 entries added, 3 already in the journal" in out


# --------------------------------------------------------------------------
# Other trackers
# --------------------------------------------------------------------------


def test_bearable_mood_rows_are_entries_and_the_rest_is_accounted_for():
    fmt, parsed = parse_file(DATA / "bearable.csv", options=UTC_OPTS)
    assert fmt == "bearable"
    got = _by_time(parsed)
    assert [(e.at.strftime("%m-%d %H:%M"), e.mood) for e in got] == [
        ("09-22 03:00", 4), ("09-22 18:00", 2), ("09-23 13:00", 5), ("10-01 09:15", 1)]  # 1..10: 7->4, 4->2
    assert got[0].tags == ("Content", "Calm") and got[1].note == "Long meeting"
    assert got[2].tags == ("Happy", "Energetic")
    assert parsed.not_entries == {"row of category 'Symptom'": 1,
                                  "row of category 'Sleep'": 1,
                                  "row of category 'Energy'": 1,
                                  "row of category 'Medication'": 1}
    assert any("read on 1..10" in w for w in parsed.warnings)


def test_imoodjournal_reads_hour_and_minute_and_keeps_two_entries_in_one_minute():
    fmt, parsed = parse_file(DATA / "imoodjournal.csv", options=UTC_OPTS)
    assert fmt == "imoodjournal"
    got = _by_time(parsed)
    assert [(e.at.strftime("%d %H:%M"), e.mood) for e in got] == [
        ("04 08:30", 3), ("04 08:30", 5), ("04 21:05", 2), ("05 12:00", 5), ("06 19:45", 1)]  # 1..10 rescaled
    assert {e.note: e.tags for e in got}["Slow start"] == ("work", "tired")


def test_pixy_rates_on_seven_steps_and_names_its_tags():
    fmt, parsed = parse_file(DATA / "pixy.json", options=UTC_OPTS)
    assert fmt == "pixy"
    got = _by_time(parsed)
    assert [e.mood for e in got] == [5, 3, 2, 1]
    assert got[0].at.isoformat() == "2022-01-23T20:15:00+00:00"
    assert got[0].tags == ("grateful", "friends") and got[2].tags == ("anxious", "tired", "work")
    assert got[3].at.isoformat() == "2022-01-26T12:00:00+00:00"  # no dateTime: noon of its date


def test_a_long_activities_cell_never_costs_the_row_its_mood(journal_path, run, tmp_path):
    """Issue 25: activities joined by commas made one tag over 64 characters, and the row (so the file) was
    refused; with --skip-invalid the mood was dropped."""
    from rekindle_widgets.journal import Journal

    commas = "friends, family, long walk, cooking dinner together, reading, early night"
    one_long = "a very long activity name that somebody typed out in full in the app settings x"
    path = tmp_path / "long.csv"
    path.write_text(HEAD8 + f'2024-03-01,x,x,20:30,good,"{commas}",,\n'
                            f'2024-03-02,x,x,20:30,bad,"{one_long} | work",,tired\n', encoding="utf-8")
    code, out, err = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "read 2 rows: 2 entries added" in out, out
    assert "2 rows held an activity longer than a tag may be" in out + err  # the account says so
    with Journal(journal_path) as j:
        rows = j.entries().sort_values("timestamp")
    first, second = rows.iloc[0], rows.iloc[1]
    assert {"cooking dinner together", "early night", "friends"} <= set(first["tags"])
    assert f"Activities: {commas}" in first["note"]  # the cell as the file had it
    assert all(len(t) <= 64 for t in second["tags"]) and "work" in second["tags"]
    assert any(t.endswith("…") for t in second["tags"])
    assert second["note"].startswith("tired") and one_long in second["note"]


def test_a_daylio_export_resaved_by_a_spreadsheet_reads_when_the_file_settles_the_order(journal_path, run,
                                                                                        tmp_path):
    """Issue 25: Excel or Numbers turns full_date into 6/30/2021 and date into 30-Jun, with a BOM."""
    settled_by_day = tmp_path / "excel.csv"
    settled_by_day.write_text("\ufeff" + HEAD8 + "6/30/2021,30-Jun,Wednesday,21:10,good,walk,,fine\n"
                              "7/1/2021,1-Jul,Thursday,08:05,meh,,,\n", encoding="utf-8")
    code, out, _ = run("import", settled_by_day, "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "read 2 rows: 2 entries added" in out, out
    _, parsed = parse_file(settled_by_day, "auto", Options(tz=ZoneInfo("UTC")))
    assert sorted(e.at.date().isoformat() for e in parsed.entries) == ["2021-06-30", "2021-07-01"]
    # no day above 12: 3/4/2021 is a Saturday read day-first and a Thursday read month-first
    by_weekday = tmp_path / "weekday.csv"
    by_weekday.write_text(HEAD8 + "3/4/2021,4-Mar,Thursday,09:00,rad,,,\n", encoding="utf-8")
    _, parsed = parse_file(by_weekday, "auto", Options(tz=ZoneInfo("UTC")))
    assert parsed.entries[0].at.date().isoformat() == "2021-03-04"
    # nothing settles it: one line asks, and --date-format answers
    unsettled = tmp_path / "unsettled.csv"
    unsettled.write_text(HEAD8 + "3/4/2021,,,09:00,rad,,,\n", encoding="utf-8")
    code, _, err = run("import", unsettled, "--tz", "UTC", "--journal", journal_path)
    assert code == 2 and "read as day/month and as month/day" in err and "--date-format" in err
    code, out, _ = run("import", unsettled, "--tz", "UTC", "--date-format", "%d/%m/%Y", "--journal", journal_path)
    assert code == 0 and "1 entry added" in out, out
    _, parsed = parse_file(unsettled, "auto", Options(tz=ZoneInfo("UTC"), date_format="%d/%m/%Y"))
    assert parsed.entries[0].at.date().isoformat() == "2021-04-03"


OLD_IMOOD = ("\nDate,Day of week,Hour,Minute,Level,LevelText,Comment,#work,#family\n"
             "25 Feb 2014,Tuesday,9,5,7,Good,First day back,1,0\n"
             "26 Feb 2014,Wednesday,21,40,3,Bad,,0,1\n"
             "2 März 2014,Sonntag,10,0,9,Great,,0,0\n")


def test_imoodjournals_2014_layout_detects_itself_and_reads_its_dates(journal_path, run, tmp_path):
    """Issue 25: a blank first line and dates like "25 Feb 2014": detection gave up, and with
    --format imoodjournal every row failed on its date. Month names in another language read too."""
    path = tmp_path / "imood-2014.csv"
    path.write_text(OLD_IMOOD, encoding="utf-8")
    code, out, _ = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "iMoodJournal" in out and "read 3 rows: 3 entries added" in out, out
    _, parsed = parse_file(path, "auto", Options(tz=ZoneInfo("UTC")))
    days = sorted(e.at.date().isoformat() for e in parsed.entries)
    assert days == ["2014-02-25", "2014-02-26", "2014-03-02"]
    assert sorted(e.tags for e in parsed.entries)[1:] == [("family",), ("work",)]
    code, out, _ = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "0 entries added, 3 already in the journal" in out


def test_a_second_imoodjournal_export_pasted_below_is_refused_at_its_line(journal_path, run, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(OLD_IMOOD + OLD_IMOOD.lstrip("\n"), encoding="utf-8")
    code, _, err = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 2 and "line 6: a second iMoodJournal export starts here" in err and "\n" not in err.strip()
    from rekindle_widgets.journal import Journal

    with Journal(journal_path) as j:
        assert j.count() == 0  # nothing written


def test_pixy_tags_by_id_resolve_through_the_files_top_level_tag_list(tmp_path):
    """Issue 25: a Pixy export whose items name tags by id ({"id": "16"}) and list the tags at the top level
    (ids as numbers there) lost every tag silently."""
    document = {"items": [
        {"date": "2023-04-02", "rating": "good", "emotions": ["calm"], "tags": [{"id": "16"}, {"id": 3}],
         "message": "park"},
        {"date": "2023-04-03", "rating": "bad", "tags": [{"id": "99"}], "message": ""}],
        "tags": [{"id": 16, "title": "family"}, {"id": "3", "name": "walk"}]}
    path = tmp_path / "pixy.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    _, parsed = parse_file(path, "pixy", Options(tz=ZoneInfo("UTC")))
    first, second = sorted(parsed.entries, key=lambda e: e.at)
    assert set(first.tags) == {"calm", "family", "walk"} and second.tags == ()
    assert any("1 tag named by an id" in w for w in parsed.warnings), parsed.warnings


def test_pixy_tags_of_the_wrong_shape_are_skipped_not_a_traceback():
    # a damaged or hand-edited export: tags that are a number, and tag ids that are lists (these raised
    # "TypeError: unhashable type: 'list'" and "'int' object is not iterable" out of the importer)
    doc = {"version": 1, "settings": {"tags": [{"id": [2], "title": "odd"}, {"id": 2, "title": "friends"}]},
           "items": [{"date": "2022-01-23", "rating": "good", "tags": 5},
                     {"date": "2022-01-24", "rating": "bad", "tags": [{"id": [1]}, {"id": 2}, "walk"]}]}
    fmt, parsed = parse_bytes(json.dumps(doc).encode(), "pixy.json", "pixy", UTC_OPTS)
    assert fmt == "pixy"
    assert [(e.mood, e.tags) for e in _by_time(parsed)] == [(4, ()), (2, ("friends", "walk"))]
    doc["settings"] = {"tags": 7}
    _, parsed = parse_bytes(json.dumps(doc).encode(), "pixy.json", "pixy", UTC_OPTS)
    assert [e.tags for e in _by_time(parsed)] == [(), ("walk",)]


@pytest.mark.parametrize("where", ["notes", "emotions"])
def test_half_a_character_in_a_json_export_is_one_line_and_changes_nothing(tmp_path, run, journal_path, where):
    # JSON can spell half of a UTF-16 pair on its own ("\\ud83d" without its partner): not text, and SQLite
    # cannot store it. It raised UnicodeEncodeError out of the fingerprint (found by the property tests).
    doc = [{"date": "2019-03-01", "mood": 4, "emotions": ["calm"], "notes": "fine"},
           {"date": "2019-03-02", "mood": 3, "emotions": ["tired"], "notes": "cut short"}]
    text = json.dumps(doc).replace("cut short" if where == "notes" else "tired", "cut \\ud83d short")
    path = tmp_path / "pixels-2019.json"
    path.write_text(text, encoding="ascii")
    code, out, err = run("import", path, "--format", "pixels", "--journal", journal_path)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert "U+D83D, half of a character on its own" in err and "Traceback" not in err
    assert not journal_path.exists()


def test_how_we_feel_needs_a_mapping_and_lists_the_words_found(tmp_path, run, journal_path):
    with pytest.raises(UnknownLabelsError) as info:
        parse_file(DATA / "howwefeel.csv", options=UTC_OPTS)
    assert info.value.labels == ["Calm", "Determined", "Down"]
    code, out, err = run("import", DATA / "howwefeel.csv", "--tz", "UTC", "--journal", journal_path)
    assert code == 2 and '"Calm" (1 entry, first at line 2)' in err and not journal_path.exists()
    code, out, _ = run("import", DATA / "howwefeel.csv", "--tz", "UTC", "--map-file", DATA / "hwf.map",
                       "--journal", journal_path)
    assert code == 0 and "read 3 rows: 3 entries added" in out
    _, parsed = parse_file(DATA / "howwefeel.csv", options=Options(tz=ZoneInfo("UTC"),
                                                                     mood_map={"calm": 4, "determined": 4, "down": 2}))
    got = _by_time(parsed)
    assert [e.mood for e in got] == [4, 4, 2]
    assert got[1].tags == ("Coworkers", "Work", "Working", "mood:determined") and got[1].note == "Finish the draft"
    assert got[2].at.strftime("%H:%M") == "21:05" and got[2].note == "Tired of waiting\nCall a friend tomorrow"


def test_any_csv_with_a_time_column_a_filter_and_word_moods(tmp_path, run, journal_path):
    path = tmp_path / "sheet.csv"
    path.write_text("day;clock;kind;feeling;text\n2024-05-01;8:15 pm;mood;grand;evening\n"
                    "2024-05-01;09:00;sleep;7;\n2024-05-02;07:30;Mood;meh;\n", encoding="utf-8")
    args = ["import", path, "--date-col", "day", "--time-col", "clock", "--mood-col", "feeling", "--note-col",
            "text", "--where", "kind=Mood", "--tz", "UTC", "--journal", journal_path]
    code, out, err = run(*args)
    assert code == 2 and '"grand"' in err  # a custom word needs a level; Daylio's "meh" does not
    code, out, err = run(*args, "--map", "grand=5")
    assert code == 0
    assert ("read 3 rows: 2 entries added, 0 already in the journal, 1 not an entry "
            "(1 row whose kind is not 'Mood' (--where))") in out
    code, out, _ = run(*args, "--map", "grand=5")
    assert "0 entries added, 2 already in the journal" in out


# --------------------------------------------------------------------------
# Messages that help
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "says", "never"), [
    ('[{"when": "2024-01-01", "feeling": 3}]', "a JSON list of 1 item, the first with the keys when, feeling",
     "columns"),
    ('[1, 2, 3]', "a JSON list of 3 items", "columns"),
    ("just some notes\nabout my week\n", "text whose first line is 'just some notes'", "columns"),
    ("when|how\n2024|3\n", "text whose first line is 'when|how'", "JSON"),
])
def test_a_file_we_cannot_place_is_described_and_what_we_read_is_listed(content, says, never):
    with pytest.raises(RekindleError) as info:
        parse_bytes(content.encode(), "mystery.txt")
    message = str(info.value)
    assert "\n" not in message and says in message and "we read Daylio's CSV export" in message
    if content.startswith(("[", "{")):
        assert "columns" not in message.split("we read")[0] and "--date-col" not in message.split("we read")[0]


def test_a_foreign_json_object_names_the_trackers_whose_json_we_import():
    with pytest.raises(RekindleError) as info:
        parse_bytes(b'{"app": "moodmate", "records": []}', "other.json")  # auto: a JSON object is tried as ours
    message = str(info.value)
    assert "a JSON object with the keys app, records is not a Rekindle JSON export" in message
    assert "Pixels" in message and "Pixy" in message and "Daylio backups" in message


# --------------------------------------------------------------------------
# Every layout and tracker: the count, re-import adds 0, a defect refused in one line
# --------------------------------------------------------------------------

HWF_MAP = ["--map-file", str(DATA / "hwf.map")]
DE_MAP = ["--map", "ängstlich=2"]
OLD_MAP = ["--map-file", str(DATA / "moods.map")]

#: fixture, extra options, entries it holds, records read, a defect (old text -> new text), the line named
EVERY = [
    ("daylio_9col_scales.csv", [], 5, 5, ("9:15 PM", "9:75 PM"), "line 2"),
    ("daylio_8col.csv", OLD_MAP, 6, 6, ("2024-03-01", "2024-13-01"), "line "),
    ("daylio_8col_de.csv", DE_MAP, 6, 6, ("20:30", "20:3x"), "line 2"),
    ("daylio_7col_fulldate.csv", [], 3, 3, ("22:40", "24:40"), "line 2"),
    ("daylio_7col.csv", OLD_MAP, 6, 6, ("2024", "20x4"), "line "),
    ("daylio_old7_pl.csv", [], 5, 5, ("7 września", "7 wrzesniaaa"), "line 2"),
    ("daylio_old7_es.csv", [], 2, 2, ("16 de octubre", "36 de octubre"), "line 2"),
    ("pixels.json", [], 5, 6, ('"scores": [4]', '"scores": [4'), "line 2, column"),
    ("pixels_2019.json", [], 3, 4, ('"mood": 4,', '"mood": 4'), "line 2, column"),
    ("pixels_2021_entries.json", [], 3, 6, ('"value": 3,', '"value": 3'), "line 2, column"),
    ("pixy.json", [], 4, 4, ('"rating": "neutral"', '"rating": "so-so"'), "item [1]"),
    ("bearable.csv", [], 4, 8, ("23rd Sep 2020", "32nd Sep 2020"), "line 6"),
    ("imoodjournal.csv", [], 5, 5, ("21,5,3", "25,5,3"), "line 4"),
    ("howwefeel.csv", HWF_MAP, 3, 3, ("2026 Mon May 18 9:05 PM", "2026 Mon May 18 9:65 PM"), "line 4"),
    ("dailyyou.json", [], 4, 5, ('"mood": -1', '"mood": -3'), "log [2]"),
    ("moodsnap.json", [], 3, 5, ('"depression": 3', '"depression": 7'), "snap [0]"),
    ("moodtracker.json", [], 4, 4, ('"mood": 2,', '"mood": 12,'), "mood [1]"),
    ("moodtracker.csv", [], 4, 4, ("2025-05-02T21:15", "2025-05-32T21:15"), "line 3"),
]


@pytest.mark.parametrize(("name", "extra", "entries", "records", "defect", "where"), EVERY, ids=[e[0] for e in EVERY])
def test_every_layout_imports_its_count_and_reimports_nothing(name, extra, entries, records, defect, where,
                                                              tmp_path, run, journal_path):
    code, out, err = run("import", DATA / name, "--tz", "UTC", *extra, "--journal", journal_path)
    assert code == 0, err
    line = out.splitlines()[0]
    assert f"read {records} " in line and f": {entries} {'entry' if entries == 1 else 'entries'} added, 0 already" in line
    code, out, _ = run("import", DATA / name, "--tz", "Europe/Warsaw", *extra, "--journal", journal_path)
    assert code == 0 and f"0 entries added, {entries} already in the journal" in out  # another zone, still the same
    # a defective copy is refused in one line that names where, and changes nothing
    text = (DATA / name).read_text(encoding="utf-8-sig")
    old, new = defect
    assert old in text
    broken = tmp_path / name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    fresh = tmp_path / "fresh.sqlite"
    code, out, err = run("import", broken, "--tz", "UTC", *extra, "--journal", fresh)
    assert code == 2 and out == "" and err.count("\n") == 1 and where in err, err
    assert not fresh.exists()


def test_another_apps_json_list_read_as_pixels_says_so():
    with pytest.raises(RekindleError) as info:
        parse_bytes(b'[{"date": "01/02/2024", "mood": "ok"}]', "moods.json")
    message = str(info.value)
    assert message.startswith("moods.json: day [0]: 'date' must be a date")
    assert "(the file was read as a Pixels JSON backup; if it is not one, we read Daylio's CSV export" in message


def test_skip_invalid_skips_a_whole_pixels_day_and_is_refused_where_it_cannot_apply(tmp_path, run, journal_path):
    path = tmp_path / "px.json"
    path.write_text('[{"date": "2024-3-1", "scores": [4]}, {"date": "2024-3-2", "scores": [2, 9]},'
                    ' {"date": "2024-3-3", "scores": [5]}]', encoding="utf-8")
    code, _, err = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 2 and "score 9 is not a whole number from 1 to 5" in err
    code, out, _ = run("import", path, "--tz", "UTC", "--skip-invalid", "--journal", journal_path)
    assert code == 0 and ("read 3 records: 2 entries added, 0 already in the journal, 1 not an entry "
                          "(1 day that cannot be read, skipped (--skip-invalid))") in out
    assert "skipped day 2024-3-2 ([1]): score 9 is not a whole number from 1 to 5" in out
    code, _, err = run("import", DATA / "daylio_backup.json", "--skip-invalid", "--journal", journal_path)
    assert code == 2 and "--skip-invalid is not used when reading a Daylio backup (.daylio)" in err


# --------------------------------------------------------------------------
# Daily You, MoodSnap and MoodTracker (issue 25, item 6)
# --------------------------------------------------------------------------


def test_daily_you_faces_are_moods_and_a_page_without_one_is_counted():
    fmt, parsed = parse_file(DATA / "dailyyou.json", options=UTC_OPTS)
    assert fmt == "dailyyou" and parsed.unit == "logs"
    got = _by_time(parsed)
    assert [(e.at.strftime("%m-%d %H:%M"), e.mood) for e in got] == [
        ("02-03 21:40", 4), ("02-04 08:05", 1), ("02-05 22:10", 2), ("02-07 20:20", 5)]
    assert got[0].note == "Long walk by the river.\nCalled my sister, felt **lighter** after."
    assert parsed.not_entries == {"log without a mood": 1}
    assert any("2 pictures stayed in Daily You" in w for w in parsed.warnings)


def test_a_daily_you_time_without_a_zone_is_the_phones_wall_clock():
    _, parsed = parse_file(DATA / "dailyyou.json", options=Options(tz=LONDON))
    first = _by_time(parsed)[0]
    assert first.at.isoformat() == "2025-02-03T21:40:12.418000+00:00"  # London in February is UTC
    _, summer = parse_bytes(b'[{"timeCreated": "2025-07-01T21:40:00.000", "timeModified": "x", "text": "", '
                            b'"mood": 0}]', "dy.json", options=Options(tz=LONDON))
    assert summer.entries[0].at.utcoffset().total_seconds() == 3600 and summer.entries[0].mood == 3


def test_moodsnap_keeps_every_dimension_and_names_the_ticked_boxes():
    fmt, parsed = parse_file(DATA / "moodsnap.json", options=UTC_OPTS)
    assert fmt == "moodsnap"
    got = _by_time(parsed)
    # elevation minus depression on -4..4: depression 3 is 2, one each way is 3, anxiety alone is still 3
    assert [e.mood for e in got] == [2, 3, 3]
    assert got[0].tags == tuple(sorted(("Anhedonia", "Insomnia", "Caffeine", "Isolation"))) or \
        set(got[0].tags) == {"Anhedonia", "Insomnia", "Caffeine", "Isolation"}
    assert got[0].at.isoformat() == "2025-03-10T08:15:00+00:00"  # seconds since 2001, as Swift writes dates
    values = {(t.name, t.at.strftime("%d %H:%M")): t.value for t in parsed.records["trackers"]}
    assert values[("Anxiety", "12 07:30")] == 4 and values[("Depression", "10 08:15")] == 3
    assert len(values) == 12
    assert parsed.not_entries == {"event snap, without a mood": 1, "note snap, without a mood": 1}
    assert any("elevation minus depression became the mood" in w and "Irritability" in w for w in parsed.warnings)


def test_moodsnap_reads_iso_times_and_boxes_a_later_version_added():
    text = json.dumps({"moodSnaps": [{"timestamp": "2025-03-10T08:15:00Z", "snapType": 1, "elevation": 4,
                                      "depression": 0, "anxiety": 0, "irritability": 0,
                                      "symptoms": [False] * 24 + [True]}]})
    _, parsed = parse_bytes(text.encode(), "ms.json", options=UTC_OPTS)
    assert parsed.entries[0].mood == 5 and parsed.entries[0].tags == ("symptoms 25",)
    with pytest.raises(RekindleError, match=r"snap \[0\]: anxiety 2.5 is not a level from 0 to 4"):
        parse_bytes(text.replace('"anxiety": 0', '"anxiety": 2.5').encode(), "ms.json", options=UTC_OPTS)


@pytest.mark.parametrize("name", ["moodtracker.json", "moodtracker.csv"])
def test_moodtracker_rescales_zero_to_ten_and_leaves_places_out(name):
    fmt, parsed = parse_file(DATA / name, options=UTC_OPTS)
    assert fmt == "moodtracker" and parsed.layout == name.rsplit(".", 1)[1].upper()
    got = _by_time(parsed)
    assert [e.mood for e in got] == ([4, 2, 3, 5] if name.endswith("json") else [3, 2, 4, 1])
    assert all(e.at.tzinfo is not None and e.at.utcoffset().total_seconds() == 0 for e in got)
    assert got[1].note.startswith("lonely" if name.endswith("json") else "tired\nSlept badly")
    assert any("location of 1 mood was left out" in w for w in parsed.warnings)
    assert not any("51.5" in e.note or "48.85" in e.note for e in got)


@pytest.mark.parametrize(("name", "fmt"), [("dailyyou.json", "dailyyou"), ("moodsnap.json", "moodsnap"),
                                           ("moodtracker.json", "moodtracker"), ("moodtracker.csv", "moodtracker")])
def test_each_new_format_detects_itself_and_no_older_one_claims_it(name, fmt):
    from rekindle_widgets.io.importers import detect

    assert detect((DATA / name).read_bytes(), name) == fmt
    for other in ("pixels.json", "pixy.json", "daylio_9col_scales.csv", "bearable.csv", "howwefeel.csv"):
        assert detect((DATA / other).read_bytes(), other) != fmt
