"""Trackers of a person's own (issue 27): logged, edited, undone, exported, imported, backed up and erased like
entries; Daylio's scales come in as trackers; insights compare them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import Entry, Journal

DATA = Path(__file__).resolve().parents[1] / "data"


def _values(journal_path) -> list[tuple[str, str]]:
    with Journal(journal_path) as j:
        return [(t.name, t.shown) for t in j.tracked()]


def test_log_with_an_entry_or_alone_then_list_edit_undo_and_delete(journal_path, run):
    code, out, err = run("log", "--mood", 4, "--track", "sleep=7.5", "--track", "worked out=yes", "--journal",
                         journal_path)
    assert code == 0, err
    assert "saved entry 1" in out and "tracked sleep = 7.5" in out and "tracked worked out = yes" in out
    code, out, _ = run("log", "--track", "sleep=6", "--at", "2026-12-01T07:00:00+01:00", "--journal", journal_path)
    assert code == 0 and "saved entry" not in out  # a tracker alone: no mood entry
    with Journal(journal_path) as j:
        assert j.count() == 1
        entry_at = j.entries()["local_time"].iloc[0]
        with_entry = {(t.name, t.shown) for t in j.tracked() if t.at.isoformat() == entry_at}
        assert with_entry == {("sleep", "7.5"), ("worked out", "yes")}  # logged with the entry: its moment
    code, out, _ = run("trackers", "--journal", journal_path)
    assert code == 0 and [line.split("  ")[-1] for line in out.splitlines()] == [
        "sleep = 6", "sleep = 7.5", "worked out = yes"]
    sleep_id = next(line.split()[0] for line in out.splitlines() if line.endswith("sleep = 7.5"))
    assert run("trackers", "--edit", f"{sleep_id}=8", "--journal", journal_path)[0] == 0
    assert ("sleep", "8") in _values(journal_path)
    assert run("undo", "--journal", journal_path)[0] == 0
    assert ("sleep", "7.5") in _values(journal_path) and ("sleep", "8") not in _values(journal_path)
    assert run("trackers", "--delete", sleep_id, "--journal", journal_path)[0] == 0
    assert ("sleep", "7.5") not in _values(journal_path)
    assert run("undo", "--journal", journal_path)[0] == 0
    assert ("sleep", "7.5") in _values(journal_path)


@pytest.mark.parametrize(("argv", "message"), [
    (["--track", "sleep"], "needs NAME=VALUE"),
    (["--track", "sleep=lots"], "tracker 'sleep' needs a number or yes/no"),
    (["--track", "=7"], "a tracker needs a name"),
    (["--track", "sleep=1e9"], "is not a number from -1,000,000 to 1,000,000"),
    (["--track", "sleep=nan"], "is not a number"),
    (["--mood", "4", "--track", "sleep=7", "--track", "x=maybe"], "tracker 'x' needs a number or yes/no"),
    (["--tag", "walk"], "give --mood, --track NAME=VALUE, or both"),
    (["--note", "hi", "--track", "sleep=7"], "--readiness, --tag and --note belong to a mood entry"),
])
def test_a_bad_tracker_is_one_line_and_writes_nothing(journal_path, run, argv, message):
    code, _, err = run("log", *argv, "--journal", journal_path)
    assert code == 2 and message in err and err.count("\n") == 1
    assert not journal_path.exists()  # checked before the journal was opened


def test_a_tracker_keeps_its_kind(journal_path):
    with Journal(journal_path) as j:
        j.track("worked out", "yes")
        with pytest.raises(RekindleError, match="holds yes/no answers; log it as yes or no"):
            j.track("Worked Out", 3)
        assert len(j.tracked()) == 1


def test_export_import_backup_and_erase_carry_trackers_like_entries(journal_path, tmp_path, run, monkeypatch):
    with Journal(journal_path) as j:
        j.add(4, at="2026-11-05T20:00:00+00:00")
        kept = j.track("sleep", "7.5", at="2026-11-05T08:00:00+00:00")
        gone = j.track("secret-tracker-name-9931", 2, at="2026-11-05T09:00:00+00:00")
        j.track("worked out", "no", at="2026-11-06T19:00:00+00:00")
    exported = tmp_path / "export.json"
    assert run("export", "--format", "json", "-o", exported, "--journal", journal_path)[0] == 0
    trackers = json.loads(exported.read_text())["trackers"]
    assert [(t["name"], t["value"]) for t in trackers] == [("sleep", 7.5), ("secret-tracker-name-9931", 2.0),
                                                           ("worked out", "no")]
    copy = tmp_path / "copy.sqlite"
    code, out, _ = run("import", exported, "--journal", copy)
    assert code == 0 and "3 tracker values" in out
    assert _values(copy) == _values(journal_path)
    code, out, _ = run("import", exported, "--journal", copy)  # again: nothing new
    assert code == 0 and len(_values(copy)) == 3
    monkeypatch.setenv("REKINDLE_PASSPHRASE", "correct horse battery staple tracker")
    backup = tmp_path / "journal.age"
    assert run("backup", "--encrypt", "-o", backup, "--journal", journal_path)[0] == 0
    restored = tmp_path / "restored.sqlite"
    assert run("restore", backup, "--journal", restored)[0] == 0
    assert _values(restored) == _values(journal_path)
    with Journal(journal_path) as j:  # delete one, then erase: it is gone from the file, not only hidden
        j.delete_tracker(gone.id)
    files = lambda: b"".join(p.read_bytes() for p in journal_path.parent.glob(journal_path.name + "*"))
    assert b"secret-tracker-name-9931" in files()  # kept for undo until the erase
    with Journal(journal_path) as j:
        j.erase()
        assert [t.id for t in j.tracked()][:1] == [kept.id]
    assert b"secret-tracker-name-9931" not in files()


def test_daylios_scales_come_in_as_trackers_and_a_second_import_adds_none(journal_path, run):
    path = DATA / "daylio_9col_scales.csv"
    code, out, err = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 0, err
    assert "3 scale values (Energy, Sleep Quality, Sleep Time) became trackers" in out + err
    assert sorted(_values(journal_path)) == [("Energy", "4"), ("Sleep Quality", "8"), ("Sleep Time", "7.5")]
    with Journal(journal_path) as j:
        at = {t.name: t.at for t in j.tracked()}
        assert at["Sleep Time"] == datetime.fromisoformat("2025-06-04T21:15:00+00:00")  # the entry's moment
    code, out, _ = run("import", path, "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and "0 entries added, 5 already in the journal" in out and len(_values(journal_path)) == 3


def test_insights_compare_a_yes_no_tracker_and_a_number(journal_path):
    from rekindle_widgets.model.insights import insights

    start = date(2026, 3, 2)
    with Journal(journal_path) as j:
        items = []
        for i in range(48):
            moment = datetime.combine(start + timedelta(days=i), datetime.min.time()).replace(hour=20)
            worked = i % 3 == 0
            sleep = 8 if i % 2 == 0 else 6
            noise = (-1, 0, 1, 0)[(i // 2) % 4]
            items.append(Entry.make(mood=3 + worked + noise, at=moment))
            j.track("worked out", "yes" if worked else "no", at=moment)
            j.track("sleep", sleep, at=moment)
        j.add_entries(items)
        found = insights(j.entries(), trackers=j.trackers())
    same = {e.tag: e for e in found.effects if e.lag == 0}
    assert same["worked out: yes"].low > 0 and same["worked out: yes"].difference == pytest.approx(1.0)
    assert same["sleep above 7"].low < 0 < same["sleep above 7"].high  # every other day: no difference
    assert same["worked out: yes"].days_with == 16 and same["worked out: yes"].days_without == 32


def test_the_trackers_chart_draws_each_tracker_and_says_it_in_words(journal_path, run, tmp_path):
    from rekindle_widgets.widgets import MoodLog

    assert run("chart", "--kind", "trackers", "-o", tmp_path / "none.png", "--journal", _logged(journal_path))[0] == 0
    code, _, err = run("chart", "--kind", "trackers", "-o", tmp_path / "t.svg", "--since", "2026-09-10",
                       "--journal", journal_path)
    assert code == 0, err
    svg = (tmp_path / "t.svg").read_text()
    assert "'sleep': 31 days, from 6 to 8" in svg and "'worked out': yes on" in svg  # the alt text, in the file
    page = MoodLog(journal_path)
    page.kind.value = "trackers"
    assert "Your own trackers from" in page.chart.value and "<img" in page.chart.value
    from rekindle_widgets import charts

    with Journal(journal_path) as j:  # over the stages, shaded as on the timeline
        j.set_stage(2, "2026-09-01")
        j.set_stage(3, "2026-09-20")
        ax = charts.trackers(j)
    assert sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("stage-")) == ["stage-2",
                                                                                                  "stage-3"]


def _logged(journal_path):
    with Journal(journal_path) as j:
        for i in range(40):
            at = (datetime(2026, 9, 1, 20) + timedelta(days=i)).isoformat() + "+00:00"
            j.add(3, at=at)
            j.track("sleep", 6 + (i % 5) * 0.5, at=at)
            j.track("worked out", "yes" if i % 3 == 0 else "no", at=at)
    return journal_path


def test_the_mood_log_form_logs_trackers_with_the_entry_and_refuses_a_wrong_kind_before_saving(journal_path):
    from rekindle_widgets.widgets import MoodLog

    page = MoodLog(Journal(journal_path))
    page.mood.value, page.track.value = 4, "sleep=7.5, worked out=yes"
    page.save.click()
    assert "Saved entry 1: mood 4 (good) and 2 tracker values." in page.status.value and page.track.value == ""
    with Journal(journal_path) as j:
        entry_at = j.entries()["local_time"].iloc[0]
        assert {(t.name, t.shown, t.at.isoformat()) for t in j.tracked()} == {
            ("sleep", "7.5", entry_at), ("worked out", "yes", entry_at)}
    page.mood.value, page.track.value = 3, "worked out=2"
    page.save.click()
    assert "holds yes/no answers" in page.status.value
    with Journal(journal_path) as j:
        assert j.count() == 1 and len(j.tracked()) == 2  # neither the entry nor the value was saved


def test_bearables_ratings_of_other_categories_come_in_as_trackers(journal_path, run):
    code, out, err = run("import", DATA / "bearable.csv", "--tz", "UTC", "--journal", journal_path)
    assert code == 0, err
    assert "4 ratings of other categories became trackers" in out + err
    assert sorted(_values(journal_path)) == [("Energy", "3"), ("Medication: Ibuprofen", "1"), ("Sleep", "7.5"),
                                             ("Symptom: Headache", "2")]
    code, _, _ = run("import", DATA / "bearable.csv", "--tz", "UTC", "--journal", journal_path)
    assert code == 0 and len(_values(journal_path)) == 4  # a second import adds none
