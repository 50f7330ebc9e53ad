"""The Start page's Reminders panel in a real browser: choose a weekly check-in, save the .ics it offers."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import icalendar
import pytest

from ..servers import screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000


@pytest.mark.parametrize("width", [1280, 390])
def test_the_reminders_panel_downloads_a_weekly_check_in(browser, app_server, width):
    server, journal = app_server
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server.url, timeout=TIMEOUT)
        page.get_by_text("Reminders", exact=True).wait_for(timeout=TIMEOUT)
        day = page.get_by_label("On", exact=True)
        assert not day.is_visible()  # a daily check-in needs no weekday
        page.get_by_label("Remind me").select_option(label="Once a week")
        day.wait_for(state="visible", timeout=TIMEOUT)
        day.select_option(label="Friday")
        page.get_by_label("At", exact=True).fill("07:45")
        page.get_by_label("At", exact=True).press("Tab")  # the picker syncs its value on change
        page.wait_for_timeout(300)
        page.get_by_role("button", name="Prepare calendar file").click()
        link = page.get_by_role("link", name=re.compile(r"Save notes-reminder\.ics"))
        link.wait_for(timeout=TIMEOUT)
        link.scroll_into_view_if_needed()
        screenshot(page, f"reminders-{width}")
        with page.expect_download() as info:
            link.click()
        assert info.value.suggested_filename == "notes-reminder.ics"
        data = Path(info.value.path()).read_bytes()
        (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
        assert event["SUMMARY"] == "Notes"
        assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=FR"
        assert event.decoded("DTSTART").time() == time(7, 45) and event.decoded("DTSTART").weekday() == 4
        assert journal.name.encode() not in data  # and nothing but the neutral title: no note, place or path
        assert [line for line in data.decode().splitlines()
                if line.split(":")[0] in ("DESCRIPTION", "LOCATION", "COMMENT", "SUMMARY")] == \
            ["SUMMARY:Notes", "DESCRIPTION:Notes"]
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # nothing runs off a phone
    finally:
        context.close()
