"""Importing mood logs: Daylio (CSV, both layouts, and backups), Pixels, any CSV; all or nothing."""

from __future__ import annotations

import base64
import codecs
import json
import sqlite3
from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.importers import (
    Options,
    UnknownLabelsError,
    detect,
    import_bytes,
    parse_bytes,
    parse_file,
    preview,
)
from rekindle_widgets.io.importers.generic import rescale
from rekindle_widgets.io.importers.options import parse_map_specs, parse_mood_scale, parse_tz, read_map_file
from rekindle_widgets.journal import Journal

from ..conftest import file_digest
from ..import_builders import DATA, fixture_backup, pack_backup

LONDON = ZoneInfo("Europe/London")
MAPPED = Options(mood_map={"superb": 5, "so-so": 3}, tz=LONDON)


def _rows(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT ts, mood, readiness, tags, note, source FROM entries ORDER BY ts_utc").fetchall()


def _key(entries):
    return sorted((e.at.isoformat(), e.mood, e.readiness, e.tags, e.note) for e in entries)


@pytest.fixture
def seeded(journal_path, run):
    """A journal that already holds one entry of the person's own."""
    run("log", "--mood", "3", "--note", "my own entry", "--at", "2024-01-05T10:00", "--journal", journal_path)
    return journal_path


# --------------------------------------------------------------------------
# Daylio CSV
# --------------------------------------------------------------------------


def test_daylio_csv_reads_every_field_of_the_8_column_layout():
    fmt, parsed = parse_file(DATA / "daylio_8col.csv", options=MAPPED)
    assert fmt == "daylio"
    got = sorted(parsed.entries, key=lambda e: e.at)
    assert [(e.at.isoformat(), e.mood) for e in got] == [
        ("2024-02-29T00:00:00+00:00", 5),  # "12:00 am" is midnight
        ("2024-03-01T20:30:00+00:00", 4),
        ("2024-03-02T13:00:00+00:00", 3),
        ("2024-03-02T21:10:00+00:00", 1),
        ("2024-03-03T07:40:00+00:00", 3),  # "So-so " with a stray space and capital is the mapped "so-so"
        ("2024-03-03T22:05:00+00:00", 5),  # "10:05 pm"
    ]
    assert got[1].tags == ("work", "gym") and got[4].tags == ("bad sleep", "mood:so-so") and got[0].tags == ()
    assert got[1].note == "Café with Zoë; naïve plan"
    assert got[3].note == "Saw the photos again 😔"
    assert got[2].note == "" and got[0].note == ""
    # the note title and the note (with commas, quotes and a line break) become one note
    assert got[5].note == 'Good talk\nWe talked, finally: "no pressure", she said.\nThen tea.'
    assert {e.source for e in got} == {"import:daylio"}


def test_the_7_and_8_column_daylio_layouts_give_the_same_entries():
    _, eight = parse_file(DATA / "daylio_8col.csv", options=MAPPED)
    fmt, seven = parse_file(DATA / "daylio_7col.csv", options=MAPPED)
    assert fmt == "daylio"
    assert _key(seven.entries) == _key(eight.entries)
    assert [e.fingerprint for e in seven.entries] == [e.fingerprint for e in eight.entries]


def test_importing_one_layout_after_the_other_adds_nothing(journal_path, run):
    code, out, err = run("import", DATA / "daylio_8col.csv", "--map-file", DATA / "moods.map", "--tz",
                         "Europe/London", "--journal", journal_path)
    assert code == 0, err
    assert "(Daylio CSV export): read 6 rows: 6 entries added, 0 already" in out
    code, out, _ = run("import", DATA / "daylio_7col.csv", "--map", "superb=5", "--map", "so-so=3", "--tz",
                       "Europe/London", "--journal", journal_path)
    assert code == 0 and "0 entries added, 6 already in the journal" in out


def test_unknown_daylio_labels_are_listed_all_at_once_with_how_to_map_them(seeded, run):
    before = file_digest(seeded)
    code, out, err = run("import", DATA / "daylio_8col.csv", "--journal", seeded)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert 'unknown mood labels: "superb" (1 entry, first at line 2), "So-so" (1 entry, first at line 4)' in err
    assert '--map "superb=N" --map "So-so=N"' in err
    assert '"rad"=5' in err  # the labels it does know are listed too
    assert file_digest(seeded) == before
    # mapping only one of them still names the other
    code, _, err = run("import", DATA / "daylio_8col.csv", "--map", "superb=5", "--journal", seeded)
    assert code == 2 and '"So-so"' in err and '"superb" (' not in err
    assert file_digest(seeded) == before


def test_unknown_labels_error_carries_the_labels_for_a_form():
    with pytest.raises(UnknownLabelsError) as caught:
        parse_file(DATA / "daylio_7col.csv")
    assert caught.value.labels == ["superb", "So-so"]
    assert caught.value.counts == {"superb": 1, "So-so": 1}


def test_a_custom_map_can_also_relabel_a_default_label():
    _, parsed = parse_file(DATA / "daylio_8col.csv", options=Options(mood_map={"superb": 5, "so-so": 3,
                                                                               "meh": 2}, tz=LONDON))
    assert sorted(e.mood for e in parsed.entries) == [1, 2, 3, 4, 5, 5]


@pytest.mark.parametrize(("specs", "message"), [
    (["so-so"], "is not LABEL=LEVEL"),
    (["so-so=6"], "from 1 (awful) to 5 (rad), not '6'"),
    (["=3"], "has no label"),
    (["a=3", "A=4"], "mapped twice"),
])
def test_bad_map_specs_are_explained(specs, message):
    with pytest.raises(RekindleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_map_specs(specs)


def test_map_file_format(tmp_path):
    assert read_map_file(DATA / "moods.map") == {"superb": 5, "so-so": 3}
    bad = tmp_path / "bad.map"
    bad.write_text("# mine\nsuperb = 5\nso-so: 3\n")
    with pytest.raises(RekindleError, match="bad.map line 3: 'so-so: 3' is not LABEL=LEVEL"):
        read_map_file(bad)


def test_daylio_dates_and_times_in_the_forms_the_app_writes():
    text = ("year,date,weekday,time,mood,activities,note\n"
            "2023,18 May,Thursday,11:54 pm,good,,\n"
            "2023,May 19,Friday,12:05 a.m.,meh,,\n"
            "2023,20. Sept,Saturday,07:00,bad,,\n")
    _, parsed = parse_bytes(text.encode(), "old.csv", options=Options(tz=LONDON))
    assert [e.at.isoformat() for e in parsed.entries] == [
        "2023-05-18T23:54:00+01:00", "2023-05-19T00:05:00+01:00", "2023-09-20T07:00:00+01:00"]


@pytest.mark.parametrize(("row", "message"), [
    ("2024-02-30,30 February,Friday,20:30,good,,,", "line 2: full_date '2024-02-30' is not a date"),
    ("2024-03-01,1 March,Friday,25:30,good,,,", "line 2: time '25:30' is not a time of day"),
    ("2024-03-01,1 March,Friday,13:30 pm,good,,,", "time '13:30 pm'"),
    ("2024-03-01,1 March,Friday,20:30,,,,", "line 2: the mood cell is empty"),
    ("2099-03-01,1 March,Sunday,20:30,good,,,", "is in the future"),
    ("2024-03-01,1 March,Friday,20:30", "line 2: expected 8 columns, found 4; the file may be cut short"),
])
def test_bad_daylio_rows_name_the_line(row, message):
    text = "full_date,date,weekday,time,mood,activities,note_title,note\n" + row + "\n"
    with pytest.raises(RekindleError, match=message.replace("(", r"\(")):
        parse_bytes(text.encode(), "d.csv")


def test_a_date_no_language_reads_names_the_line():
    text = "year,date,weekday,time,mood,activities,note\n2024,1. Xyzzy,Freitag,20:30,good,,\n"
    with pytest.raises(RekindleError, match="de.csv line 2: date '1. Xyzzy' is not a day and month such as"):
        parse_bytes(text.encode(), "de.csv")


def test_daylio_formatting_tags_in_notes_become_plain_text_but_plain_text_is_kept():
    text = ("full_date,date,weekday,time,mood,activities,note_title,note\n"
            '2024-03-01,1 March,Friday,20:30,good,,,"<b>list</b><ul><li>one</li><li>two &amp; three</li></ul>"\n'
            '2024-03-02,2 March,Saturday,20:30,good,,,"a < b & c > d"\n')
    _, parsed = parse_bytes(text.encode(), "d.csv")
    assert [e.note for e in parsed.entries] == ["list\n- one\n- two & three", "a < b & c > d"]


# --------------------------------------------------------------------------
# Daylio backup
# --------------------------------------------------------------------------


def test_daylio_backup_gives_the_same_entries_as_the_csv_export(tmp_path):
    _, csv_parsed = parse_file(DATA / "daylio_8col.csv", options=MAPPED)
    backup = tmp_path / "backup_2024_03_04.daylio"
    backup.write_bytes(pack_backup(fixture_backup()))
    fmt, parsed = parse_file(backup, options=Options(tz=LONDON))
    assert fmt == "daylio-backup"
    # custom moods take their level from their mood group; seconds are dropped as Daylio shows minutes
    assert _key(parsed.entries) == _key(csv_parsed.entries)
    assert {e.source for e in parsed.entries} == {"import:daylio-backup"}


def test_the_csv_and_the_backup_of_one_diary_import_once(journal_path, tmp_path, run):
    backup = tmp_path / "b.daylio"
    backup.write_bytes(pack_backup(fixture_backup()))
    code, out, err = run("import", backup, "--journal", journal_path)
    assert code == 0, err
    assert "(Daylio backup (.daylio)): read 6 rows: 6 entries added" in out
    code, out, _ = run("import", DATA / "daylio_8col.csv", "--map-file", DATA / "moods.map", "--tz",
                       "Europe/London", "--journal", journal_path)
    assert "0 entries added, 6 already" in out
    code, out, _ = run("import", backup, "--journal", journal_path)
    assert "0 entries added, 6 already" in out


def test_backup_member_and_decoded_json_are_recognised_too():
    raw = json.dumps(fixture_backup()).encode()
    assert detect(raw, "decoded.json") == "daylio-backup"
    assert detect(base64.b64encode(raw), "backup.daylio") == "daylio-backup"
    _, parsed = parse_bytes(base64.b64encode(raw), "backup.daylio")
    assert len(parsed.entries) == 6


def test_backup_month_counts_from_zero_when_only_fields_are_given():
    doc = fixture_backup()
    for entry in doc["dayEntries"]:
        del entry["datetime"]
    _, parsed = parse_bytes(pack_backup(doc), "b.daylio")
    first = min(parsed.entries, key=lambda e: e.at)
    assert first.at.isoformat() == "2024-02-29T00:00:00+00:00"  # month 1 is February


def test_a_mapping_overrides_a_custom_backup_mood():
    _, parsed = parse_bytes(pack_backup(fixture_backup()), "b.daylio", options=Options(mood_map={"superb": 4}))
    assert sorted(e.mood for e in parsed.entries) == [1, 3, 3, 4, 4, 5]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["dayEntries"][0].update(mood=99), "dayEntries[0]: mood id 99 is not one of the backup's moods"),
    (lambda d: d["dayEntries"][1].update(tags=[404]), "dayEntries[1]: activity id 404 is not in the backup"),
    (lambda d: d["customMoods"][5].update(mood_group_id=7), "customMoods[5]: mood_group_id must be 1 (rad) to 5"),
    (lambda d: d["dayEntries"][2].update(datetime="yesterday"), "'datetime' must be a whole number"),
    (lambda d: d["dayEntries"][2].update(datetime=10**20), "dayEntries[2]: not a real date and time"),
    (lambda d: d.pop("dayEntries"), 'not a Daylio backup (no "dayEntries" list)'),
])
def test_bad_backups_are_explained(change, message):
    doc = fixture_backup()
    change(doc)
    with pytest.raises(RekindleError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")):
        parse_bytes(pack_backup(doc), "b.daylio")


def test_a_zip_without_a_backup_inside_is_refused():
    with pytest.raises(RekindleError, match="this zip archive holds no backup.daylio"):
        parse_bytes(pack_backup(fixture_backup(), member="other.txt"), "x.daylio")


# --------------------------------------------------------------------------
# Pixels
# --------------------------------------------------------------------------


def test_pixels_days_with_several_scores_become_several_entries(journal_path, run):
    code, out, err = run("import", DATA / "pixels.json", "--tz", "Europe/London", "--journal", journal_path)
    assert code == 0, err
    assert "(Pixels JSON backup): read 6 records: 5 entries added, 0 already in the journal, 1 not an entry (1 day without a score)" in out
    rows = _rows(journal_path)
    assert [(r[0], r[1]) for r in rows] == [
        ("2024-03-01T12:00:00+00:00", 4), ("2024-03-02T12:00:00+00:00", 2), ("2024-03-02T12:01:00+00:00", 4),
        ("2024-03-02T12:02:00+00:00", 4), ("2024-03-04T12:00:00+00:00", 5)]
    assert rows[0][3] == "calm|hopeful|work"
    assert rows[1][4] == 'Up and down: "why now?"\nThen better, à bientôt.'
    assert rows[2][3] == "anxious" and rows[2][4] == ""  # the note goes with the day's first entry
    assert {r[5] for r in rows} == {"import:pixels"}
    code, out, _ = run("import", DATA / "pixels.json", "--tz", "Europe/London", "--journal", journal_path)
    assert "0 entries added, 5 already" in out


@pytest.mark.parametrize(("doc", "message"), [
    ([{"date": "2024-03-01", "scores": [6]}], "day 2024-03-01 ([0]): score 6 is not a whole number from 1 to 5"),
    ([{"date": "2024-13-01", "scores": [3]}], "day [0]: date '2024-13-01' does not exist"),
    ([{"date": "01/03/2024", "scores": [3]}], "'date' must be a date such as"),
    ([{"date": "2024-03-01", "scores": [3], "tags": "calm"}], "'tags' must be a list"),
    ({"date": "2024-03-01"}, "not a Pixels export"),
])
def test_bad_pixels_files_are_explained(doc, message):
    with pytest.raises(RekindleError) as caught:
        parse_bytes(json.dumps(doc).encode(), "p.json", fmt="pixels")
    assert message in str(caught.value)


# --------------------------------------------------------------------------
# Generic CSV
# --------------------------------------------------------------------------

GENERIC = ["--date-col", "When", "--mood-col", "score (1-10)", "--mood-scale", "1..10", "--note-col", "Journal",
           "--tags-col", "Labels", "--readiness-col", "Ready", "--date-format", "%d/%m/%Y %H:%M"]


def test_generic_csv_maps_columns_and_rescales_moods(journal_path, run):
    code, out, err = run("import", DATA / "generic_10.csv", *GENERIC, "--journal", journal_path)
    assert code == 0, err
    assert "5 entries added" in out
    rows = _rows(journal_path)
    assert [r[1] for r in rows] == [1, 5, 3, 3, 4]  # 1, 10, 5, 6, 7.5 on 1..10
    assert [r[2] for r in rows] == [2, 8, None, 5, None]
    assert rows[0][3:5] == ("sleep|tired", "slept badly; grumpy")
    assert rows[1][3:5] == ("friends|dinner", 'great evening, "finally"')
    assert rows[3][4] == "mixed\nfeelings" and rows[4][4] == "Ünïcödé ok"
    assert {r[5] for r in rows} == {"import:csv"}
    code, out, _ = run("import", DATA / "generic_10.csv", *GENERIC, "--journal", journal_path)
    assert "0 entries added, 5 already" in out  # rescaled moods round the same way every time


def test_rescaling_is_exact_and_rounds_halves_up():
    low, high = parse_mood_scale("1..10")
    assert [rescale(Fraction(v), low, high) for v in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert [rescale(Fraction(v), Fraction(0), Fraction(4)) for v in range(5)] == [1, 2, 3, 4, 5]
    assert rescale(Fraction(1, 2), Fraction(0), Fraction(1)) == 3  # exactly half way rounds up
    assert parse_mood_scale("0-100") == (0, 100)
    with pytest.raises(RekindleError, match="maximum must be larger"):
        parse_mood_scale("5..1")


@pytest.mark.parametrize(("extra", "message"), [
    (["--date-col", "When"], "give --mood-col"),
    (["--date-col", "Day", "--mood-col", "Score (1-10)"],
     "no column 'Day' for --date-col; the columns are 'When', 'Score (1-10)'"),
    (["--date-col", "When", "--mood-col", "Score (1-10)"], "line 2: date '01/03/2024 08:00' does not match ISO"),
    (["--date-col", "When", "--mood-col", "Score (1-10)", "--date-format", "%d/%m/%Y %H:%M"],
     "line 3: mood 10 is outside the scale 1..5; give the right --mood-scale"),
    (["--date-col", "When", "--mood-col", "Journal", "--date-format", "%d/%m/%Y %H:%M"],
     'unknown mood labels: "slept badly; grumpy" (1 entry, first at line 2)'),
    (["--date-col", "When", "--mood-col", "Score (1-10)", "--mood-scale", "ten"], "is not MIN..MAX"),
    (["--date-col", "When", "--mood-col", "Score (1-10)", "--tz", "Mars/Olympus"], "not a known time zone"),
])
def test_generic_csv_mistakes_are_one_line_and_change_nothing(seeded, run, extra, message):
    before = file_digest(seeded)
    code, out, err = run("import", DATA / "generic_10.csv", *extra, "--journal", seeded)
    assert code == 2, out
    assert err.count("\n") == 1 and message in err, err
    assert file_digest(seeded) == before


def test_a_csv_from_another_app_without_columns_says_how_to_map_it(run, tmp_path):
    code, _, err = run("import", DATA / "generic_10.csv", "--journal", tmp_path / "j.sqlite")
    assert code == 2
    assert "cannot tell what kind of file this is" in err
    assert "whose first line has the columns when, score (1-10), journal" in err
    assert "name its columns with --date-col and --mood-col" in err
    assert not (tmp_path / "j.sqlite").exists()


# --------------------------------------------------------------------------
# Dry run, progress
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args"), [
    ("daylio_8col.csv", ["--map-file", DATA / "moods.map"]),
    ("pixels.json", []),
    ("generic_10.csv", GENERIC),
    ("backup", []),
])
def test_dry_run_previews_and_writes_nothing(tmp_path, run, name, args):
    path = DATA / name
    if name == "backup":
        path = tmp_path / "b.daylio"
        path.write_bytes(pack_backup(fixture_backup()))
    target = tmp_path / "new.sqlite"
    code, out, err = run("import", path, *args, "--dry-run", "--journal", target)
    assert code == 0, err
    assert "would add" in out and "(no journal yet)" in out
    assert out.splitlines()[1].startswith("time")  # the preview table's header
    assert out.rstrip().endswith("dry run: nothing was written")
    assert not target.exists()
    # against an existing journal it counts what is already there, and still writes nothing
    run("import", path, *args, "--journal", target)
    before = file_digest(target)
    code, out, _ = run("import", path, *args, "--dry-run", "--journal", target)
    assert "would add 0, skip" in out
    assert file_digest(target) == before


def test_dry_run_of_the_daylio_csv_shows_its_first_rows(tmp_path, run):
    code, out, _ = run("import", DATA / "daylio_8col.csv", "--map-file", DATA / "moods.map", "--tz",
                       "Europe/London", "--dry-run", "--rows", "2", "--journal", tmp_path / "j.sqlite")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("daylio_8col.csv: Daylio CSV export (8 columns, with note titles), 6 entries from 2024-02-29 to 2024-03-03; "
                        "would add 6 (no journal yet)")
    assert lines[2].startswith("2024-02-29T00:00+00:00    5 rad")
    assert "Café with Zoë; naïve plan" in lines[3]
    assert len(lines) == 5


def test_preview_counts_repeats_inside_the_file_as_duplicates(journal_path):
    text = "full_date,date,weekday,time,mood,activities,note_title,note\n" + \
           "2024-03-01,1 March,Friday,20:30,good,,,\n" * 3
    fmt, parsed = parse_bytes(text.encode(), "rep.csv")
    with Journal(journal_path) as journal:
        view = preview(parsed, fmt, "rep.csv", journal)
        assert (view.total, view.new, view.duplicates) == (3, 1, 2)
        result = import_bytes(journal, text.encode(), "rep.csv")
        assert (result.added, result.duplicates) == (1, 2)


def test_progress_callback_reports_up_to_the_total(journal_path):
    rows = "".join(f"2024-01-{d:02d},{d} January,x,{h}:00,good,,,\n" for d in range(1, 29) for h in range(8, 20))
    raw = ("full_date,date,weekday,time,mood,activities,note_title,note\n" + rows).encode()
    seen: list[tuple[int, int]] = []
    with Journal(journal_path) as journal:
        result = import_bytes(journal, raw, "big.csv", progress=lambda d, t: seen.append((d, t)))
    assert result.added == 336
    assert seen[0] == (0, 336) and seen[-1] == (336, 336)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_large_imports_show_a_tqdm_bar_on_stderr(journal_path, run, monkeypatch):
    from rekindle_widgets.cli import journal as journal_cli

    code, _, err = run("import", DATA / "pixels.json", "--journal", journal_path)
    assert code == 0 and err == ""  # small file, not a terminal: no bar
    monkeypatch.setattr(journal_cli, "LARGE_IMPORT", {"entries": 3, "B": 100})
    code, _, err = run("import", DATA / "pixels.json", "--journal", str(journal_path) + ".2")
    assert code == 0 and "importing" in err and "5/5" in err  # read whole: counted in entries
    code, _, err = run("import", DATA / "daylio_8col.csv", "--map-file", DATA / "moods.map", "--journal",
                       journal_path)
    size = (DATA / "daylio_8col.csv").stat().st_size
    assert code == 0  # a Daylio export streams: counted in bytes, to the end
    assert "importing" in err and "100%" in err and f"{size}/{size}" in err.replace(".00", "")


# --------------------------------------------------------------------------
# Encodings, truncated and wrong files
# --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be-bom"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_encodings_and_line_ends_met_in_the_wild_read_the_same(encoding, newline):
    text = (DATA / "daylio_8col.csv").read_text(encoding="utf-8").replace("\n", newline)
    if encoding == "utf-16-be-bom":
        raw = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        raw = text.encode(encoding)
    _, parsed = parse_bytes(raw, "d.csv", options=MAPPED)
    _, reference = parse_file(DATA / "daylio_8col.csv", options=MAPPED)
    assert _key(parsed.entries) == _key(reference.entries)


def _truncated(tmp_path):
    csv_text = (DATA / "daylio_8col.csv").read_text(encoding="utf-8")
    files = {
        "cut_in_note.csv": csv_text[: csv_text.index("no pressure")],
        "cut_mid_row.csv": csv_text[: csv_text.index("meh") + 3],
        "cut_pixels.json": (DATA / "pixels.json").read_text(encoding="utf-8")[:300],
        "cut.daylio": pack_backup(fixture_backup())[:400],
        "cut_member.daylio": base64.b64encode(json.dumps(fixture_backup()).encode())[:1001],
        "cp1252.csv": csv_text.encode("cp1252", errors="replace").decode("latin-1"),
    }
    paths = {}
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif name == "cp1252.csv":
            path.write_bytes(content.encode("latin-1"))
        else:
            path.write_text(content, encoding="utf-8")
        paths[name] = path
    return paths


@pytest.mark.parametrize(("name", "message"), [
    ("cut_in_note.csv", "cut_in_note.csv line 2: a quoted cell is never closed; the file may be cut short"),
    ("cut_mid_row.csv", "cut_mid_row.csv line 6: expected 8 columns, found 5; the file may be cut short"),
    ("cut_pixels.json", "the data ends too early: the file may be cut short"),
    ("cut.daylio", "cut.daylio: not a complete zip archive"),
    ("cut_member.daylio", "the backup data is not complete base64 text; the file may be cut short"),
    ("cp1252.csv", "cp1252.csv line 7, column 58: not readable as UTF-8 text; save the file as UTF-8"),
])
def test_truncated_and_unreadable_files_are_refused_and_change_nothing(seeded, tmp_path, run, name, message):
    path = _truncated(tmp_path)[name]
    before = file_digest(seeded)
    code, out, err = run("import", path, "--map-file", DATA / "moods.map", "--journal", seeded)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("rekindle: error: ")
    assert message in err, err
    assert file_digest(seeded) == before


@pytest.mark.parametrize(("name", "fmt", "message"), [
    ("daylio_8col.csv", "pixels", "daylio_8col.csv line 1, column 1: not valid JSON"),
    ("pixels.json", "daylio", "pixels.json line 1: not a Daylio CSV export"),
    ("pixels.json", "daylio-backup", 'not a Daylio backup (no "dayEntries" list)'),
    ("daylio_8col.csv", "json", "not valid JSON"),
    ("daylio_8col.csv", "csv", "is this a Rekindle export? For another app's CSV, name its columns"),
    ("daylio_backup.json", "pixels", "not a Pixels export (expected a list of days)"),
])
def test_a_file_read_as_the_wrong_format_is_refused(seeded, run, name, fmt, message):
    before = file_digest(seeded)
    code, _, err = run("import", DATA / name, "--format", fmt, "--journal", seeded)
    assert code == 2 and message in err, err
    assert file_digest(seeded) == before


def test_binary_and_empty_files_are_refused(tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(RekindleError, match="photo.png line 1, column 1: not readable as UTF-8"):
        parse_file(tmp_path / "photo.png")
    (tmp_path / "empty.csv").write_bytes(codecs.BOM_UTF8 + b"\n\n")
    with pytest.raises(RekindleError, match="empty.csv is empty; nothing to import"):
        parse_file(tmp_path / "empty.csv")


def test_detection_uses_content_not_the_file_name(tmp_path):
    disguised = tmp_path / "pixels.csv"
    disguised.write_bytes((DATA / "pixels.json").read_bytes())
    assert parse_file(disguised)[0] == "pixels"
    assert detect((DATA / "daylio_7col.csv").read_bytes(), "x.json") == "daylio"


def test_options_reject_levels_outside_the_scale_and_unknown_zones():
    with pytest.raises(RekindleError, match="levels are 1"):
        Options(mood_map={"x": 9})
    assert parse_tz("Europe/London") == LONDON and parse_tz("") is None


def test_imported_log_is_what_the_journal_shows(journal_path):
    with Journal(journal_path) as journal:
        import_bytes(journal, (DATA / "pixels.json").read_bytes(), "pixels.json", options=Options(tz=LONDON))
        import_bytes(journal, (DATA / "daylio_8col.csv").read_bytes(), "d.csv", options=MAPPED)
        frame = journal.entries()
    assert len(frame) == 11
    assert set(frame["source"]) == {"import:pixels", "import:daylio"}
    assert frame["timestamp"].is_monotonic_increasing
    assert frame.loc[frame["local_time"] == "2024-03-03T22:05:00+00:00", "mood_label"].item() == "rad"
    assert datetime.fromisoformat(frame["local_time"].iloc[0]).date().isoformat() == "2024-02-29"


def test_ten_years_of_daylio_import_whole_and_once(journal_path, tmp_path, run):
    from datetime import timedelta

    from ..import_builders import Row, daylio_csv

    start = datetime(2015, 1, 1, 20, 15)
    labels = ["rad", "good", "meh", "bad", "awful", "superb"]
    rows = [Row(start + timedelta(days=d, minutes=d % 90), labels[d % 6], ("work",) if d % 3 else (),
                "", "a, b \"c\"\nd" if d % 7 == 0 else "") for d in range(3650)]
    path = tmp_path / "daylio_export.csv"
    path.write_text(daylio_csv(rows, 8, twelve_hour=True), encoding="utf-8")
    code, out, err = run("import", path, "--map", "superb=5", "--journal", journal_path)
    assert code == 0, err
    assert "3650 entries added, 0 already" in out
    code, out, _ = run("import", path, "--map", "superb=5", "--journal", journal_path)
    assert "0 entries added, 3650 already" in out
    assert _count_days(journal_path) == 3650


def _count_days(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(DISTINCT day) FROM entries").fetchone()[0]


@pytest.mark.parametrize("fmt", ["auto", "pixels", "json", "daylio-backup"])
def test_absurdly_nested_json_is_refused_not_a_crash(fmt):
    with pytest.raises(RekindleError, match="^deep.json"):
        parse_bytes(b"[" * 100_000 + b"]" * 100_000, "deep.json", fmt=fmt)
    with pytest.raises(RekindleError, match="^deep.json"):
        parse_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "deep.json", fmt=fmt)
