"""The code-free app in a real browser: `rekindle app` serves it, Debian's Chromium shows it.

Each step saves a screenshot under artefacts/screenshots/ so a person can
look at what the app showed. Every test also records each request its page
makes (CSS, fonts, websockets included) and fails on any that would leave
the computer.
"""

from __future__ import annotations

import re

import pytest

from rekindle_widgets.app import PAGES
from rekindle_widgets.journal import Journal

from ..servers import ExitPage, demo_app, download, off_computer, screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def exit_page():
    neutral = ExitPage()
    yield neutral
    neutral.stop()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, exit_page):
    server, journal = demo_app(tmp_path_factory.mktemp("app"), REKINDLE_EXIT_URL=exit_page.url)
    yield server, journal
    server.stop()


def open_app(page, server) -> None:
    page.goto(server.url, timeout=TIMEOUT)
    page.get_by_role("tab", name="Start").wait_for(timeout=TIMEOUT)
    page.get_by_text("Ways through the workbook").wait_for(timeout=TIMEOUT)


def no_widget_errors(page) -> None:
    assert page.get_by_text("Error displaying widget").count() == 0
    assert not [e for e in page.errors if "widget" in e.lower() or "kernel" in e.lower()], page.errors
    assert off_computer(page.requests) == []  # every style, font, script and socket came from this computer


def test_app_loads_without_widget_or_kernel_errors(page, app_server):
    server, _ = app_server
    open_app(page, server)
    assert page.get_by_role("link", name="Leave this page quickly").first.is_visible()
    assert page.get_by_text("800-799-7233").first.is_visible()  # the start page shows help first
    assert "import rekindle_widgets" not in page.content()  # sources are stripped
    screenshot(page, "01-start")
    no_widget_errors(page)


def _choose(block, label: str) -> None:
    block.get_by_role("radio", name=label, exact=True).check()


def test_safety_yes_shows_the_hotline_and_withholds_the_verdict(page, app_server):
    server, _ = app_server
    open_app(page, server)
    page.get_by_role("tab", name="Check-up").click()
    screen = page.locator(".rk-checkup .rk-questionnaire").first
    screen.get_by_text("Has your ex ever hit").wait_for(timeout=TIMEOUT)
    radios = screen.get_by_role("radio", name="Yes", exact=True)
    radios.first.check()
    for i in range(1, radios.count()):
        screen.get_by_role("radio", name="No", exact=True).nth(i).check()
    screen.get_by_role("button", name="See my result").click()
    flow = page.locator(".rk-checkup")
    flow.get_by_text("National Domestic Violence Hotline").first.wait_for(timeout=TIMEOUT)
    assert flow.get_by_text("800-799-7233").first.is_visible()
    assert not flow.get_by_text("Why did the relationship end?").is_visible()  # the check-up stays hidden
    assert not flow.get_by_text(re.compile("go slowly|not a re-starter|take a long pause first")).count()
    screenshot(page, "02-safety-yes")
    no_widget_errors(page)


def test_check_up_reaches_a_verdict(page, app_server):
    server, _ = app_server
    open_app(page, server)
    page.get_by_role("tab", name="Check-up").click()
    screen = page.locator(".rk-checkup .rk-questionnaire").first
    screen.get_by_text("Has your ex ever hit").wait_for(timeout=TIMEOUT)
    nos = screen.get_by_role("radio", name="No", exact=True)
    for i in range(nos.count()):
        nos.nth(i).check()
    screen.get_by_role("button", name="See my result").click()
    checkup = page.locator(".rk-checkup .rk-questionnaire").nth(1)
    checkup.get_by_role("button", name="Next").wait_for(timeout=TIMEOUT)
    taps = 0
    for question in range(1, 40):  # one question a page: answer what is asked, then go on
        progress = checkup.get_by_text(re.compile(rf"Question {question} of (\d+)"))
        progress.wait_for(timeout=TIMEOUT)  # the kernel has shown this question
        radios = checkup.get_by_role("radio").filter(visible=True)
        next_button = checkup.get_by_role("button", name="Next")
        if next_button.is_disabled() or not next_button.is_visible():
            if radios.count():
                radios.last.check()
            break
        if radios.count():  # a first tap on a choice goes on by itself: one tap a question
            radios.last.check()
            taps += 1
            continue
        next_button.click()  # a question in one's own words (optional): Next
        taps += 1
    checkup.get_by_role("button", name="See my result").click()
    taps += 1
    # the tab, five safety answers and their result, then the check-up: 36 taps before one-tap answers
    assert 1 + nos.count() + 1 + taps <= 24, taps
    verdict = page.get_by_text(re.compile("go slowly|not a re-starter|take a long pause first")).first
    verdict.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(300)  # the page's script scrolls the result into view
    box = verdict.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"], box  # no scrolling by hand
    screenshot(page, "03-check-up-verdict")
    no_widget_errors(page)


def test_saving_a_mood_entry_updates_the_chart_and_the_download(page, app_server):
    server, journal = app_server
    open_app(page, server)
    page.get_by_role("tab", name="Mood log").click()
    chart = page.locator("img[alt]").first
    chart.wait_for(timeout=TIMEOUT)
    before = chart.get_attribute("src")
    page.get_by_role("button", name="4 good").click()
    page.get_by_label("Note").fill("browser test: a calm walk by the river")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text(re.compile(r"Saved entry \d+: mood 4")).wait_for(timeout=TIMEOUT)
    page.wait_for_function("(before) => { const img = document.querySelector('img[alt]');"
                           " return img && img.getAttribute('src') !== before; }", arg=before, timeout=TIMEOUT)
    screenshot(page, "04-mood-saved")
    with Journal(journal, create=False) as j:
        assert "browser test: a calm walk by the river" in set(j.entries()["note"])

    page.get_by_role("tab", name="Start").click()
    text = download(page, "Prepare CSV download", re.compile(r"Save rekindle-journal-.*\.csv"), timeout=TIMEOUT)
    assert text.startswith("timestamp,mood,readiness,stage,tags,note,source\n")
    assert "browser test: a calm walk by the river" in text
    screenshot(page, "05-download")
    no_widget_errors(page)


@pytest.mark.parametrize(("tab", "shows"), [("Stages", "You are in stage 5"),
                                           ("Wellbeing", "Wellbeing check-ins"),
                                           ("Import", "Choose file")])
def test_every_page_renders(page, app_server, tab, shows):
    server, _ = app_server
    open_app(page, server)
    page.get_by_role("tab", name=tab).click()
    page.locator(".widget-tab-contents").get_by_text(shows).first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    screenshot(page, f"06-page-{tab.lower()}")
    no_widget_errors(page)


# --------------------------------------------------------------------------
# Only the owner gets in; nothing is fetched from outside; leaving leaves no way back
# --------------------------------------------------------------------------


def test_the_printed_address_opens_the_app_and_nothing_else_does(page, browser, app_server):
    server, _ = app_server
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{48}", server.url)
    open_app(page, server)
    assert page.title() == "Notes"
    no_widget_errors(page)
    base = server.url.split("?", 1)[0]
    stranger = browser.new_context()  # another person at the same computer, without the address
    try:
        other = stranger.new_page()
        for address in (base, base + "?token=" + "0" * 48):
            other.goto(address, timeout=TIMEOUT)
            other.get_by_text("Password or token").wait_for(timeout=TIMEOUT)  # Voila's login form
            other.wait_for_timeout(1500)
            assert other.get_by_role("tab", name="Start").count() == 0
            assert "800-799-7233" not in other.content() and "journal" not in other.content().lower()
        screenshot(other, "07-no-token")
    finally:
        stranger.close()


def test_icons_come_from_this_server(page, app_server):
    server, _ = app_server
    open_app(page, server)
    page.wait_for_function("() => [...document.fonts].some(f => f.family.includes('Font Awesome 5 Free')"
                           " && f.status === 'loaded')", timeout=TIMEOUT)  # the icon font was drawn
    fonts = [u for u in page.requests if "fontawesome" in u]
    assert any(u.split("?")[0].endswith("/voila/templates/rekindle/static/fontawesome/css/all.min.css")
               for u in fonts), fonts
    assert any("/fontawesome/webfonts/fa-solid-900.woff2" in u for u in fonts), fonts
    icon = page.locator(".jupyter-button i.fa-life-ring").first  # "Need help now?" draws its icon
    assert icon.evaluate("i => getComputedStyle(i, '::before').fontFamily").startswith('"Font Awesome 5')
    assert [u for u in page.requests if "cdn" in u] == []
    no_widget_errors(page)


def test_leave_quickly_replaces_the_app_so_back_does_not_return(page, app_server, exit_page):
    server, _ = app_server
    open_app(page, server)
    locks = server.locks
    page.get_by_role("link", name="Leave this page quickly").first.click()
    page.wait_for_url(exit_page.url, timeout=TIMEOUT)
    server.wait_locked(locks)
    page.get_by_role("heading", name=ExitPage.TITLE).wait_for(timeout=TIMEOUT)
    screenshot(page, "08-after-exit")
    page.go_back(timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    assert not page.url.startswith(server.url.split("?")[0]), page.url  # the app is not in the history
    assert page.get_by_role("tab", name="Start").count() == 0
    assert off_computer(page.requests) == []


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["x"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] + box["width"] <= size["width"]


@pytest.mark.parametrize(("keys", "width", "half"), [(("Shift",) * 3, 1280, 0), (("Escape",) * 2, 390, 1)],
                         ids=["shift-x3-1280px", "escape-x2-390px"])
def test_the_keys_leave_from_every_page_and_the_exit_stays_in_view(browser, app_server, exit_page, keys, width,
                                                                    half):
    """Each page is left once by keys: alternate pages by Shift x3 at 1280 px and by Esc x2 at 390 px.

    (Every page opens a new kernel, so both ways on every page took two minutes. The exit link staying in
    view on every page at both widths is checked by test_browser_a11y.)
    """
    server, _ = app_server
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 900})
    try:
        for name in list(PAGES)[half::2]:
            page = context.new_page()
            from ..servers import record_requests

            page.requests = record_requests(context, page)
            open_app(page, server)
            page.get_by_role("tab", name=name).click()
            page.wait_for_timeout(1500)  # the page is built the first time it is opened
            page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_timeout(300)
            link = page.get_by_role("link", name="Leave this page quickly").first
            assert _in_view(page, link), f"{name}: the quick exit is out of view at {width}px"
            if name == list(PAGES)[half]:
                screenshot(page, f"09-exit-in-view-{width}px")
            locks = server.locks
            for key in keys:
                page.keyboard.press(key)
            page.wait_for_url(exit_page.url, timeout=TIMEOUT)
            server.wait_locked(locks)  # the next page opens with the new address
            page.go_back(timeout=TIMEOUT)
            page.wait_for_timeout(500)
            assert page.get_by_role("tab", name="Start").count() == 0, name
            assert off_computer(page.requests) == []
            page.close()
    finally:
        context.close()


def test_capitals_do_not_count_but_three_shifts_do(page, app_server, exit_page):
    server, _ = app_server
    open_app(page, server)
    page.get_by_role("tab", name="Mood log").click()
    note = page.get_by_label("Note")
    note.click()
    note.press_sequentially("Went To The Park With ANNA")  # Shift held for each capital: no exit
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(800)
    assert page.url == server.url.split("?")[0] and note.input_value() == "Went To The Park With ANNA"
    locks = server.locks
    page.keyboard.press("Shift")  # the third Shift on its own: gone
    page.wait_for_url(exit_page.url, timeout=TIMEOUT)
    server.wait_locked(locks)


def test_the_tab_title_is_neutral_and_can_be_changed(page, app_server):
    server, _ = app_server
    open_app(page, server)
    assert page.title() == "Notes"
    field = page.get_by_label("Tab title")
    field.fill("Recipes")
    page.wait_for_function("() => document.title === 'Recipes'", timeout=TIMEOUT)
    page.reload(timeout=TIMEOUT)
    page.get_by_text("Ways through the workbook").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.title === 'Recipes'", timeout=TIMEOUT)  # kept in this browser
    assert page.get_by_label("Tab title").input_value() == "Recipes"
    page.get_by_label("Tab title").fill("")
    page.wait_for_function("() => document.title === 'Notes'", timeout=TIMEOUT)
    page.get_by_text("Leaving no trail").wait_for()
    assert page.get_by_text("private (incognito) window").is_visible()
    no_widget_errors(page)
