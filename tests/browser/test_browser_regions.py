"""Help in the person's country, in a real browser on a phone-sized screen.

The app is started with no REKINDLE_REGION and an Australian locale, as on a
computer set up in Australia: every safety panel starts with the Australian
services, and the region selector on the panel changes them.
"""

from __future__ import annotations

import pytest

from ..servers import demo_app, screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000


@pytest.fixture
def australian_app(tmp_path_factory):  # one per test: a region chosen in one is kept in its journal
    server, _ = demo_app(tmp_path_factory.mktemp("app-au"), REKINDLE_REGION="", LANG="en_AU.UTF-8",
                         LC_ALL="", LC_MESSAGES="")
    yield server
    server.stop()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def _fits(page, selector: str) -> dict:
    return page.evaluate(
        """(sel) => { const el = document.querySelector(sel); const box = el.getBoundingClientRect();
                      return {right: box.right, width: innerWidth, cut: el.scrollWidth > el.clientWidth}; }""",
        selector)


def test_safety_panel_starts_in_the_locale_region_and_the_selector_changes_it(phone, australian_app):
    phone.goto(australian_app.url, timeout=TIMEOUT)
    panel = phone.locator(".rk-safety-panel").first
    panel.get_by_text("1800 737 732").first.wait_for(timeout=TIMEOUT)
    assert panel.get_by_text("Call 000 now").is_visible()
    assert panel.get_by_text("800-799-7233").count() == 0  # not the US line by default any more
    screenshot(phone, "regions-390-au")

    select = panel.locator("select").first
    assert _fits(phone, ".rk-safety-panel select")["right"] <= 390
    select.select_option(label="New Zealand")
    panel.get_by_text("0800 733 843").first.wait_for(timeout=TIMEOUT)
    assert panel.get_by_text("Call 111 now").is_visible() and panel.get_by_text("1800 737 732").count() == 0
    fits = _fits(phone, ".rk-safety-panel")
    assert fits["right"] <= fits["width"] and not fits["cut"]  # nothing runs off a 390 px screen
    screenshot(phone, "regions-390-nz")

    # the choice is kept in the journal: the next visit (a new page, a new kernel) opens on it
    phone.goto(australian_app.url.split("?", 1)[0], timeout=TIMEOUT)
    again = phone.locator(".rk-safety-panel").first
    again.get_by_text("0800 733 843").first.wait_for(timeout=TIMEOUT)
    assert again.get_by_text("1800 737 732").count() == 0


def test_need_help_now_starts_in_the_locale_region_too(phone, australian_app):
    phone.goto(australian_app.url, timeout=TIMEOUT)
    phone.locator(".rk-safety-panel").first.get_by_text("1800 737 732").first.wait_for(timeout=TIMEOUT)
    phone.get_by_role("button", name="Need help now?").click()
    phone.locator(".rk-safety-panel").nth(1).wait_for(timeout=TIMEOUT)  # the help box has opened
    help_panel = phone.locator(".rk-safety-panel").first  # it comes before the pages
    help_panel.get_by_text("Lifeline Australia").first.wait_for(timeout=TIMEOUT)
    assert "Showing services for Australia" in help_panel.inner_text()
    screenshot(phone, "regions-390-need-help")
