"""A first visit on a phone, then coming back (issue 24), as someone in London who has never seen the app.

`make app` opens the example journal: every page says so, and "Start my own journal" gives an empty one that
every later visit opens. The helplines follow the browser's time zone until the person picks a region, which the
journal then keeps. A result ("See my result") is scrolled into view and takes the focus.
"""

from __future__ import annotations

import re

import pytest

from ..servers import demo_app, off_computer, record_requests, screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000
PHONE = {"width": 390, "height": 844}
BAND = "Example journal: these entries are made up"


@pytest.fixture
def london(browser):
    """A phone in London whose browser names no country in its language (``en``)."""
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/London", locale="en", has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    yield context
    context.close()


def _open(page, url: str) -> None:
    page.goto(url, timeout=TIMEOUT)
    page.get_by_text("Ways through the workbook").wait_for(timeout=TIMEOUT)


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] < height and box["y"] + min(box["height"], 100) > 0


def test_a_first_visit_on_a_phone_in_london_and_coming_back(london, tmp_path):
    # no REKINDLE_REGION and a locale that names no country: only the browser can say where the person is
    server, _ = demo_app(tmp_path, REKINDLE_REGION="", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    try:
        page = london.new_page()
        requests = record_requests(london, page)
        _open(page, server.url)
        band = page.get_by_text(BAND)
        assert band.is_visible()
        assert page.get_by_text("The example journal").is_visible()
        # the browser's time zone picks the UK's helplines on the Start page
        start = page.locator(".rk-safety-panel").first
        start.get_by_text("Samaritans").first.wait_for(timeout=TIMEOUT)
        assert start.get_by_role("combobox").input_value() == "United Kingdom"
        screenshot(page, "24-first-visit-390")

        # every page says it is the example, and the tab bar keeps its height whichever tab is open
        bar = "() => document.querySelector('.rk-app .jupyter-widget-tab > .lm-TabBar').getBoundingClientRect().height"
        heights = {page.evaluate(bar)}
        for tab in ("Moving forward", "Mood log", "Check-up"):
            page.get_by_role("tab", name=tab).click()
            assert band.is_visible(), tab
            heights.add(page.evaluate(bar))
            if tab == "Mood log":  # its chart is drawn for this screen: no more than twice as wide as shown
                chart = page.locator(".widget-tab-contents img[alt]").first
                chart.wait_for(timeout=TIMEOUT)
                page.wait_for_function("() => { const img = document.querySelector('.widget-tab-contents img[alt]');"
                                       " return img && img.complete && img.naturalWidth > 0"
                                       " && img.naturalWidth <= 2 * img.getBoundingClientRect().width; }",
                                       timeout=TIMEOUT)
                natural, shown = chart.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
                assert natural <= 2 * shown and shown >= 300, (natural, shown)
                assert page.get_by_text("Describe this chart").is_visible()
                screenshot(page, "24-mood-log-390")

        assert len(heights) == 1, heights  # it used to jump from two rows to three
        # the safety screen's result is on screen, with the focus, without scrolling by hand
        screen = page.locator(".rk-checkup .rk-questionnaire").first
        screen.get_by_text("Has your ex ever hit").wait_for(timeout=TIMEOUT)
        radios = screen.get_by_role("radio", name="Yes", exact=True)
        radios.first.check()
        for i in range(1, radios.count()):
            screen.get_by_role("radio", name="No", exact=True).nth(i).check()
        page.evaluate("window.scrollTo(0, 0)")
        screen.get_by_role("button", name="See my result").click()
        help_first = page.locator(".rk-checkup .rk-reveal").first
        help_first.get_by_text("National Domestic Abuse Helpline").first.wait_for(timeout=TIMEOUT)
        page.wait_for_function("() => document.activeElement && document.activeElement.closest('.rk-reveal')",
                               timeout=TIMEOUT)
        assert _in_viewport(page, help_first), help_first.bounding_box()
        assert help_first.get_by_text("0808 2000 247").first.is_visible()  # the UK's abuse line, in London
        screenshot(page, "24-safety-result-in-view-390")

        # "Start my own journal": an empty journal of one's own, and no band
        page.get_by_role("button", name="Start my own journal").click()
        page.get_by_text("Your own journal is open").wait_for(timeout=TIMEOUT)
        assert not band.count()
        page.get_by_role("tab", name="Start").click()
        page.get_by_text(re.compile("no entries yet")).wait_for(timeout=TIMEOUT)
        own = tmp_path / "home" / "journal.sqlite"
        assert own.exists()

        # the person picks a region: a week later (a new page, a new kernel) it is still theirs, as is the journal
        start = page.locator(".rk-safety-panel").first
        start.get_by_role("combobox").select_option(label="Ireland")
        start.get_by_text("Samaritans Ireland").or_(start.get_by_text("116 123")).first.wait_for(timeout=TIMEOUT)
        page.close()
        later = london.new_page()
        _open(later, server.url)
        assert not later.get_by_text(BAND).count()
        later.get_by_text(re.compile("no entries yet")).wait_for(timeout=TIMEOUT)
        panel = later.locator(".rk-safety-panel").first
        panel.get_by_role("combobox").wait_for(timeout=TIMEOUT)
        later.wait_for_timeout(1500)  # time for the browser's time zone to arrive: it must not win over the choice
        assert panel.get_by_role("combobox").input_value() == "Ireland"
        screenshot(later, "24-coming-back-390")
        assert off_computer(requests) == []
    finally:
        server.stop()
