"""The import page, driven as a person would: upload, read, choose levels, press Import."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from rekindle_widgets.journal import Journal
from rekindle_widgets.widgets.importer import ImportPage

from ..conftest import file_digest
from ..import_builders import DATA, fixture_backup, pack_backup


def _upload(page: ImportPage, data: bytes, name: str) -> None:
    page.upload.value = ({"name": name, "type": "", "size": len(data),
                          "last_modified": dt.datetime(2024, 3, 4, 9, 0), "content": memoryview(data)},)


def _count(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]


def test_every_control_has_a_visible_label(journal_path):
    page = ImportPage(journal_path)
    for control in (page.upload, page.format, page.tz, page.import_button, page.progress, page.mood_scale,
                    page.date_format, page.apply_levels, page.apply_columns):
        assert control.description.strip()


def test_upload_preview_and_import_a_pixels_file(journal_path):
    page = ImportPage(journal_path)
    assert page.import_button.disabled
    _upload(page, (DATA / "pixels.json").read_bytes(), "PIXELS-BACKUP.json")
    assert page.fmt == "pixels"
    assert "Pixels JSON backup (current, with scores), 5 entries from 2024-03-01 to 2024-03-04; would add 5 (no journal yet)" \
        in page.status.value
    assert "6 records read, not entries: 1 day without a score" in page.status.value
    assert "calm, hopeful, work" in page.preview.value
    assert "&quot;why now?&quot;" in page.preview.value  # user text escaped in the table
    assert not journal_path.exists()  # nothing written before Import
    assert not page.import_button.disabled
    page.import_button.click()
    assert page.result is not None and (page.result.added, page.result.duplicates) == (5, 0)
    assert ("Added 5 entries from PIXELS-BACKUP.json (Pixels JSON backup, current, with scores); skipped 0 already "
            "in your journal.") in page.outcome.value
    assert ("Every row accounted for: read 6 records: 5 entries added, 0 already in the journal, 1 not an entry "
            "(1 day without a score).") in page.outcome.value
    assert page.progress.value == page.progress.max == 5
    assert page.upload.value == ()  # the upload is not kept once imported
    assert "would add" not in page.status.value  # no stale counts next to the result
    # the same file again: everything is a duplicate
    _upload(page, (DATA / "pixels.json").read_bytes(), "PIXELS-BACKUP.json")
    assert "would add 0, skip 5 already in the journal" in page.status.value
    page.import_button.click()
    assert (page.result.added, page.result.duplicates) == (0, 5)
    assert _count(journal_path) == 5


def test_unknown_daylio_labels_get_a_level_form(journal_path):
    page = ImportPage(journal_path)
    page.tz.value = "Europe/London"
    _upload(page, (DATA / "daylio_8col.csv").read_bytes(), "daylio_export.csv")
    assert page.mapping.layout.display != "none"
    assert list(page.level_pickers) == ["superb", "So-so", "awful", "meh", "good", "rad"]
    # the file's default names come filled in; only the person's own labels wait for a level
    assert [p.value for p in page.level_pickers.values()] == [0, 0, 1, 3, 4, 5]
    assert "(Daylio CSV export)" in page.status.value
    assert page.import_button.disabled and page.apply_levels.disabled
    page.level_pickers["superb"].value = 5
    assert page.apply_levels.disabled  # every label needs a level
    page.level_pickers["So-so"].value = 3
    page.apply_levels.click()
    assert page.fmt == "daylio" and page.mapping.layout.display == "none"
    assert "Daylio CSV export (8 columns, with note titles), 6 entries" in page.status.value
    assert "Café with Zoë; naïve plan" in page.preview.value
    page.import_button.click()
    assert page.result.added == 6
    with Journal(journal_path) as journal:
        assert sorted(journal.entries()["mood"]) == [1, 3, 3, 4, 5, 5]


def test_a_daylio_backup_is_read_from_memory(journal_path, tmp_path):
    page = ImportPage(journal_path)
    _upload(page, pack_backup(fixture_backup()), "backup_2024_03_04.daylio")
    assert page.fmt == "daylio-backup"
    assert "Daylio backup (.daylio), 6 entries" in page.status.value
    assert list(tmp_path.iterdir()) == []  # no temporary copy of the upload
    page.import_button.click()
    assert page.result.added == 6


def test_a_csv_from_another_app_gets_a_column_form(journal_path):
    page = ImportPage(journal_path)
    _upload(page, (DATA / "generic_10.csv").read_bytes(), "mood-sheet.csv")
    assert page.columns_form.layout.display != "none"
    assert "looks like a CSV from another app" in page.status.value
    assert list(page.column_pickers["date"].options) == ["When", "Score (1-10)", "Journal", "Labels", "Ready"]
    page.column_pickers["mood"].value = "Score (1-10)"
    page.column_pickers["note"].value = "Journal"
    page.column_pickers["tags"].value = "Labels"
    page.mood_scale.value = "1..10"
    page.apply_columns.click()
    assert page.parsed is None and "does not match ISO" in page.status.value  # dates are day/month/year
    page.date_format.value = "%d/%m/%Y %H:%M"
    page.apply_columns.click()
    assert page.fmt == "csv" and "5 entries" in page.status.value
    page.import_button.click()
    with Journal(journal_path) as journal:
        assert list(journal.entries()["mood"]) == [1, 5, 3, 3, 4]


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(200)), "photo.png", "photo.png line 1, column 1: not readable as UTF-8"),
    ((DATA / "pixels.json").read_bytes()[:300], "cut.json", "the file may be cut short"),
    (pack_backup(fixture_backup())[:300], "cut.daylio", "not a complete zip archive"),
])
def test_unreadable_files_show_one_clear_message_and_write_nothing(demo_journal, data, name, message):
    before = file_digest(demo_journal)
    page = ImportPage(demo_journal)
    _upload(page, data, name)
    assert message in page.status.value and 'role="alert"' in page.status.value
    assert page.import_button.disabled
    page.import_button.click()
    assert page.result is None
    assert file_digest(demo_journal) == before


def test_an_unknown_time_zone_is_explained(journal_path):
    page = ImportPage(journal_path)
    _upload(page, (DATA / "pixels.json").read_bytes(), "p.json")
    page.tz.value = "Atlantis/Capital"
    assert "not a known time zone" in page.status.value and page.import_button.disabled
    page.tz.value = "Europe/Paris"
    assert not page.import_button.disabled


def test_the_page_works_with_an_open_journal(journal_path):
    with Journal(journal_path) as journal:
        page = ImportPage(journal)
        page.load((DATA / "pixels.json").read_bytes(), "p.json")
        page.import_button.click()
        assert journal.count() == 5  # the journal it was given stays open and usable


def test_a_right_to_left_file_name_is_set_apart_from_the_sentence_around_it(journal_path):
    page = ImportPage(journal_path)
    name = "יומן-מצב-רוח.json"  # Hebrew: "mood journal"
    _upload(page, (DATA / "pixels.json").read_bytes(), name)
    # isolated, the name reads right to left on its own and the rest of the line keeps its order
    assert f"\u2068{name}\u2069: Pixels JSON backup (current, with scores), 5 entries" in page.status.value
    page.import_button.click()
    assert f"Added 5 entries from \u2068{name}\u2069 (Pixels JSON backup" in page.outcome.value


def test_a_how_we_feel_file_names_the_tracker_and_shows_the_account_after_import(journal_path):
    page = ImportPage(journal_path)
    page.tz.value = "UTC"
    _upload(page, (DATA / "howwefeel.csv").read_bytes(), "hwf.csv")
    assert "(How We Feel CSV export)" in page.status.value and list(page.level_pickers) == [
        "Calm", "Determined", "Down"]
    for label, level in (("Calm", 4), ("Determined", 4), ("Down", 2)):
        page.level_pickers[label].value = level
    page.apply_levels.click()
    assert page.fmt == "howwefeel" and "How We Feel CSV export, 3 entries" in page.status.value
    page.import_button.click()
    assert "Every row accounted for: read 3 rows: 3 entries added, 0 already in the journal." in page.outcome.value


def test_rows_that_cannot_be_read_are_refused_or_skipped_and_listed(journal_path):
    page = ImportPage(journal_path)
    page.tz.value = "UTC"
    raw = (b"full_date,date,weekday,time,mood,activities,note_title,note\n2024-03-01,x,x,20:30,good,,,\n"
           b"2024-03-02,x,x,25:99,good,,,<b>x</b>\n")
    _upload(page, raw, "d.csv")
    assert "d.csv line 3: time &#x27;25:99&#x27;" in page.status.value and page.import_button.disabled
    page.skip_invalid.value = True
    assert "Skipped 1 line that cannot be read" in page.status.value
    assert "<li>line 3: time &#x27;25:99&#x27; is not a time of day" in page.status.value
    page.import_button.click()
    assert "1 not an entry (1 row that cannot be read, skipped (--skip-invalid))" in page.outcome.value
    assert _count(journal_path) == 1


def test_the_column_form_starts_from_the_columns_a_name_suggests(journal_path, tmp_path):
    page = ImportPage(journal_path)
    _upload(page, b"When;Time;Feeling;Comment\n2024-05-01;20:30;3;fine\n", "sheet.csv")
    chosen = {role: p.value for role, p in page.column_pickers.items()}
    assert chosen == {"date": "When", "mood": "Feeling", "time": "Time", "note": "Comment", "tags": "(none)",
                      "readiness": "(none)"}
    page.apply_columns.click()
    assert page.fmt == "csv" and "1 entry from 2024-05-01" in page.status.value and "would add 1" in page.status.value
    assert "2024-05-01 20:30" in page.preview.value  # the time came from the time column


def test_the_skip_box_does_not_stand_in_the_way_of_a_backup(journal_path):
    page = ImportPage(journal_path)
    page.skip_invalid.value = True
    _upload(page, pack_backup(fixture_backup()), "backup.daylio")
    assert page.fmt == "daylio-backup" and not page.import_button.disabled  # backups are read whole or refused


def _snaps_with(ticked: int | None) -> bytes:
    """A MoodSnap backup of two snaps; the second with symptom box ``ticked`` (23: suicidal thoughts)."""
    import json

    boxes = [False] * 24
    if ticked is not None:
        boxes[ticked] = True
    return json.dumps({"moodSnaps": [
        {"timestamp": 763287300.0, "snapType": 1, "elevation": 0, "depression": 1, "anxiety": 0, "irritability": 0},
        {"timestamp": 763373700.0, "snapType": 1, "elevation": 0, "depression": 4, "anxiety": 2, "irritability": 0,
         "symptoms": boxes, "notes": ""}]}).encode()


def test_a_file_that_records_thoughts_of_self_harm_shows_help_first(journal_path):
    from rekindle_widgets.widgets.safety import SafetyPanel

    page = ImportPage(journal_path)
    _upload(page, _snaps_with(23), "moodsnap.json")
    assert page.fmt == "moodsnap"
    assert page.children[0] is page.safety  # above the form, the preview and the Import button
    notice, panel = page.safety.children
    assert "records thoughts of harming yourself on 1 day, the latest 2025-03-11" in notice.value
    assert isinstance(panel, SafetyPanel) and panel.kinds == ("crisis",)
    page.do_import()
    assert page.safety.children  # help stays in view after the import
    _upload(page, _snaps_with(None), "other.json")  # a file without it: no panel
    assert page.safety.children == ()


def test_the_command_line_prints_help_before_the_account(tmp_path, run, journal_path):
    path = tmp_path / "moodsnap.json"
    path.write_bytes(_snaps_with(21))  # self harm
    for extra in (["--dry-run"], []):
        code, out, err = run("import", path, "--tz", "UTC", "--journal", journal_path, *extra)
        assert code == 0, err
        assert out.startswith("SAFETY FIRST (crisis): please read this before anything else.")
        assert out.index("In immediate danger?") < out.index("moodsnap.json")
    path.write_bytes(_snaps_with(None))
    code, out, _ = run("import", path, "--tz", "UTC", "--journal", str(journal_path) + ".2")
    assert code == 0 and "SAFETY FIRST" not in out
