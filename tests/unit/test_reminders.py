"""Check-in reminders: the .ics file a calendar app imports, from the CLI and from the app."""

from __future__ import annotations

import base64
import re
import stat
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io import reminders

NOTE = "met Sam at the lake, felt awful"
TAG = "secret-tag-xyz"


def _events(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    return list(cal.walk("VEVENT"))


def _check_in(event: icalendar.Event) -> None:
    """What every check-in event must carry: the neutral summary, a UID, a DTSTAMP in UTC, an alarm."""
    assert event["SUMMARY"] == reminders.CHECK_IN
    assert event["UID"] and event.decoded("DTSTAMP").tzinfo is not None
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    alarms = list(event.walk("VALARM"))
    assert [a["ACTION"] for a in alarms] == ["DISPLAY"] and alarms[0]["DESCRIPTION"] == reminders.CHECK_IN


def test_a_daily_check_in_recurs_every_day_at_that_clock_time():
    cal = reminders.calendar(daily="20:30", today=date(2026, 12, 1))
    (event,) = _events(reminders.to_ics(cal))
    _check_in(event)
    assert event["RRULE"]["FREQ"] == ["DAILY"] and "BYDAY" not in event["RRULE"]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 12, 1, 20, 30) and start.tzinfo is None  # floating: the calendar's own clock
    assert event.decoded("DTEND") - start == reminders.LENGTH


def test_a_weekly_check_in_falls_on_its_weekday_and_starts_on_the_next_one():
    cal = reminders.calendar(weekly=("Sunday", "9:05"), today=date(2026, 12, 1))  # a Tuesday
    (event,) = _events(reminders.to_ics(cal))
    _check_in(event)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["SU"]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 12, 6, 9, 5) and start.weekday() == 6
    # On the weekday itself the first check-in is that same day.
    (same,) = _events(reminders.to_ics(reminders.calendar(weekly=("tue", "07:00"), today=date(2026, 12, 1))))
    assert same.decoded("DTSTART").date() == date(2026, 12, 1) and same["RRULE"]["BYDAY"] == ["TU"]


def test_the_rule_expands_to_the_days_a_calendar_would_show():
    from dateutil.rrule import rrulestr

    cal = reminders.calendar(daily="07:00", weekly=("sat", "10:30"), today=date(2026, 12, 30))
    data = reminders.to_ics(cal)
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)  # CRLF lines, folded (RFC 5545 3.1)
    daily, weekly = _events(data)
    days = [rrulestr(e["RRULE"].to_ical().decode(), dtstart=e.decoded("DTSTART"))[:3] for e in (daily, weekly)]
    assert days[0] == [datetime(2026, 12, 30, 7), datetime(2026, 12, 31, 7), datetime(2027, 1, 1, 7)]
    assert days[1] == [datetime(2027, 1, 2, 10, 30), datetime(2027, 1, 9, 10, 30), datetime(2027, 1, 16, 10, 30)]


def test_uids_are_stable_and_distinct_so_a_new_file_updates_the_old_events():
    a = _events(reminders.to_ics(reminders.calendar(daily="20:00", weekly=("mon", "08:00"))))
    b = _events(reminders.to_ics(reminders.calendar(daily="21:15", weekly=("mon", "09:00"),
                                                    now=datetime(2030, 1, 1, tzinfo=UTC))))
    assert [str(e["UID"]) for e in a] == [str(e["UID"]) for e in b]
    assert len({str(e["UID"]) for e in a}) == 2
    assert str(a[0]["DTSTAMP"].to_ical()) != str(b[0]["DTSTAMP"].to_ical())


def test_reviews_are_all_day_events_on_their_dates_with_their_neutral_summary():
    reviews = [(date(2027, 1, 10), reminders.REVIEW), (date(2027, 2, 1), "Rekindle: look back at your goals")]
    events = _events(reminders.to_ics(reminders.calendar(daily="20:00", reviews=reviews)))
    assert len(events) == 3
    dated = {e.decoded("DTSTART"): e for e in events[1:]}
    assert set(dated) == {date(2027, 1, 10), date(2027, 2, 1)}
    assert not any(isinstance(d, datetime) for d in dated)  # DATE values: the same day in every zone
    assert str(dated[date(2027, 1, 10)]["SUMMARY"]) == reminders.REVIEW
    assert all("RRULE" not in e for e in events[1:])
    assert len({str(e["UID"]) for e in events}) == 3


def test_a_named_zone_gives_tzid_times_and_the_vtimezone_rfc_5545_requires():
    cal = reminders.calendar(weekly=("sun", "18:00"), tz="Europe/Berlin", today=date(2026, 12, 1))
    data = reminders.to_ics(cal)
    assert b"DTSTART;TZID=Europe/Berlin:20261206T180000" in data
    parsed = icalendar.Calendar.from_ical(data)
    assert [str(z["TZID"]) for z in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=1)  # CET in December


@pytest.mark.parametrize("kwargs, words", [
    ({}, "say when to be reminded"),
    ({"daily": "25:00"}, "'25:00' is not a time of day"),
    ({"daily": "20:60"}, "'20:60' is not a time of day"),
    ({"daily": "8pm"}, "'8pm' is not a time of day"),
    ({"weekly": ("fun", "10:00")}, "'fun' is not a day of the week"),
    ({"weekly": ("10:00", "sun")}, "'10:00' is not a day of the week"),
    ({"daily": "20:00", "tz": "Mars/Olympus"}, "'Mars/Olympus' is not a time zone name"),
    ({"daily": "20:00", "reviews": [(date(2027, 1, 1), "  ")]}, "a review needs a short, neutral summary"),
    ({"daily": "20:00", "reviews": [("2027-01-01", "x")]}, "a review needs a date"),
])
def test_bad_values_are_one_sentence_errors(kwargs, words):
    with pytest.raises(RekindleError) as info:
        reminders.calendar(**kwargs)
    assert words in str(info.value) and "\n" not in str(info.value)


# --------------------------------------------------------------------------
# rekindle remind
# --------------------------------------------------------------------------


def test_remind_writes_a_private_file_without_any_journal_text(tmp_path, journal_path, run):
    code, _, err = run("log", "--mood", "2", "--note", NOTE, "--tag", TAG, "--journal", journal_path)
    assert code == 0, err
    out = tmp_path / "reminders.ics"
    code, stdout, err = run("remind", "--daily", "20:30", "--weekly", "sun", "18:00", "-o", out,
                            "--journal", journal_path)
    assert code == 0, err
    assert stdout == "" and f"wrote {out}" in err and "daily at 20:30 and every Sunday at 18:00" in err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = out.read_bytes()
    daily, weekly = _events(data)
    for event in (daily, weekly):
        _check_in(event)
    assert daily["RRULE"].to_ical() == b"FREQ=DAILY"
    assert weekly["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=SU"
    assert daily.decoded("DTSTART").time() == time(20, 30)
    assert weekly.decoded("DTSTART").time() == time(18, 0)
    text = data.decode("utf-8").lower()
    for private in (NOTE, "sam", TAG, str(journal_path), journal_path.name, str(tmp_path)):
        assert private.lower() not in text
    # Only the summary and alarm text: no description, location, attendee or organizer.
    assert not re.search(r"^(DESCRIPTION|LOCATION|ATTENDEE|ORGANIZER|URL|COMMENT)", data.decode().replace(
        "DESCRIPTION:Notes", ""), re.M)


def test_remind_with_a_zone_writes_tzid_times(tmp_path, run):
    out = tmp_path / "r.ics"
    code, _, err = run("remind", "--daily", "06:00", "--tz", "America/New_York", "-o", out)
    assert code == 0, err
    data = out.read_bytes()
    assert b"BEGIN:VTIMEZONE\r\nTZID:America/New_York" in data
    (event,) = _events(data)
    assert str(event.decoded("DTSTART").tzinfo) == "America/New_York"


def test_remind_replaces_an_existing_file_whole(tmp_path, run):
    out = tmp_path / "r.ics"
    out.write_text("old contents")
    code, _, err = run("remind", "--weekly", "Mon", "07:15", "-o", out)
    assert code == 0, err
    (event,) = _events(out.read_bytes())
    assert event["RRULE"]["BYDAY"] == ["MO"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.ics"]  # no temporary file left behind


@pytest.mark.parametrize("args, words", [
    (["--daily", "25:00"], "'25:00' is not a time of day"),
    (["--weekly", "someday", "10:00"], "'someday' is not a day of the week"),
    ([], "say when to be reminded"),
    (["--daily", "20:00", "--tz", "Nowhere/Land"], "not a time zone name"),
])
def test_remind_refuses_bad_values_and_leaves_the_old_file(tmp_path, run, args, words):
    out = tmp_path / "r.ics"
    out.write_text("old contents")
    code, stdout, err = run("remind", *args, "-o", out)
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and err.startswith("rekindle: error: ") and words in err
    assert out.read_text() == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.ics"]


def test_remind_refuses_paths_it_cannot_write(tmp_path, run):
    folder = tmp_path / "cal.ics"
    folder.mkdir()
    a_file = tmp_path / "plain"
    a_file.write_text("x")
    cases = [
        (folder, "is a folder"),
        (tmp_path / "missing" / "r.ics", "does not exist"),
        (a_file / "r.ics", "does not exist"),  # a "folder" that is a file: nothing can be written under it
        (tmp_path / "r.txt", "end the file name in .ics"),
    ]
    for target, words in cases:
        code, _, err = run("remind", "--daily", "20:00", "-o", target)
        assert code == 2 and words in err and err.count("\n") == 1, (target, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal.ics", "plain"]
    assert list(folder.iterdir()) == [] and a_file.read_text() == "x"


def test_remind_is_in_the_help(run):
    code, out, _ = run("--help")
    assert code == 0 and "remind" in out


# --------------------------------------------------------------------------
# The app: the same file as a download link
# --------------------------------------------------------------------------


def _link_bytes(html_text: str) -> tuple[str, bytes]:
    m = re.search(r'download="([^"]+)" href="data:text/calendar;base64,([^"]+)"', html_text)
    assert m, html_text
    return m[1], base64.b64decode(m[2])


def test_the_start_page_offers_a_daily_check_in_download(journal_path, run):
    from rekindle_widgets.widgets.start import StartPage

    run("log", "--mood", "2", "--note", NOTE, "--tag", TAG, "--journal", journal_path)
    page = StartPage(journal_path)
    panel = page.reminders
    assert panel in page.children and panel.day.layout.display == "none"  # no weekday for a daily check-in
    panel.at.value = time(21, 45)
    panel.button.click()
    name, data = _link_bytes(panel.link.value)
    assert name.endswith(".ics")
    (event,) = _events(data)
    _check_in(event)
    assert event["RRULE"].to_ical() == b"FREQ=DAILY"
    assert event.decoded("DTSTART").time() == time(21, 45)
    text = data.decode().lower()
    assert NOTE.lower() not in text and TAG not in text and journal_path.name not in text


def test_the_panel_offers_a_weekly_check_in_and_drops_a_stale_link():
    from rekindle_widgets.widgets.reminders import ReminderPanel

    panel = ReminderPanel()
    panel.button.click()
    assert "data:text/calendar" in panel.link.value
    panel.often.value = "weekly"  # the old link was for a daily check-in
    assert panel.link.value == "" and panel.day.layout.display == ""
    panel.day.value = 2
    panel.at.value = time(6, 30)
    panel.button.click()
    (event,) = _events(_link_bytes(panel.link.value)[1])
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=WE"
    assert event.decoded("DTSTART").weekday() == 2 and event.decoded("DTSTART").time() == time(6, 30)


def test_the_panel_says_so_when_no_time_is_chosen():
    from rekindle_widgets.widgets.reminders import ReminderPanel

    panel = ReminderPanel()
    panel.at.value = None
    panel.button.click()
    assert "choose a time" in panel.link.value and "data:" not in panel.link.value


def test_every_calendar_file_is_titled_as_neutrally_as_the_tab_and_the_title_can_be_changed(monkeypatch):
    """A calendar shows on lock screens and in shared calendars: no event names Rekindle or what it is for."""
    from rekindle_widgets.io.plan_files import plan_calendar
    from rekindle_widgets.io.reminders import date_ics, review_ics
    from rekindle_widgets.journal import Decision, MicroDate, Plan

    decision = Decision.make(option="carry-on", day="2026-11-01", review="2027-01-10",
                             answers={"know": True, "values": True, "support": True, "sure": True})
    files = [reminders.to_ics(reminders.calendar(daily="20:30", weekly=("sun", "18:00"))),
             review_ics(decision), date_ics(MicroDate.make("coffee", "2026-12-20")),
             reminders.to_ics(plan_calendar(Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["phq9"],
                                                      every_days=7, start="2026-11-02")))]
    for data in files:
        summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
        assert summaries and set(summaries) == {"Notes"}, summaries
        assert b"Rekindle" not in data.replace(b"@rekindle", b"").replace(b"//Rekindle//", b"")
    monkeypatch.setenv(reminders.TITLE_ENV, "  Gym   time ")
    cal = icalendar.Calendar.from_ical(reminders.to_ics(reminders.calendar(daily="07:00")))
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Gym time"]
    monkeypatch.setenv(reminders.TITLE_ENV, "x" * 61)
    with pytest.raises(RekindleError, match="60 at most"):
        reminders.calendar(daily="07:00")
