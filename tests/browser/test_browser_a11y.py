"""The app on a phone, with the keyboard alone, and under axe-core, in a real browser.

Every page of the app (each tab) is opened at 390x844 (a phone) and at 1280 px,
checked and saved as a screenshot under artefacts/screenshots/ (``a11y-*``).
The keyboard tests press only Tab, Shift+Tab, the arrow keys, Space and Enter,
and check axe-core again on what they reach: an error shown, a result shown.
"""

from __future__ import annotations

import json
import re

import pytest

from rekindle_widgets.journal import Journal

from ..a11y import (
    DESKTOP,
    PHONE,
    axe,
    counts,
    cut_off,
    in_view,
    page_overflow,
    require_axe,
    scroll_to_end,
    serious,
    tab_to,
    too_narrow_fields,
    whole_page_screenshot,
)
from ..servers import ARTEFACTS

pytestmark = pytest.mark.slow
TIMEOUT = 60_000
#: each tab of the app, and text that shows once its page is drawn
PAGES = {"Start": "Ways through the workbook", "Check-up": "Has your ex ever hit", "Stages": "You are in stage 5",
         "Mood log": "Your journal so far", "Wellbeing": "Wellbeing check-ins",
         "Moving forward": "Tips for moving forward", "Import": "Choose file",
         "Therapist": "Therapist: a session with a client"}


@pytest.fixture(scope="module")
def axe_source():
    return require_axe()


def open_app(page, server, viewport) -> None:
    page.set_viewport_size(viewport)
    page.goto(server.url, timeout=TIMEOUT)
    page.get_by_role("tab", name="Start").wait_for(timeout=TIMEOUT)
    page.get_by_text(PAGES["Start"]).wait_for(timeout=TIMEOUT)


def no_serious(page, source: str, where: str) -> list[dict]:
    found = axe(page, source)
    assert not serious(found), f"{where}: {json.dumps(serious(found), indent=1)}"
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_every_page_fits_the_screen_keeps_help_in_view_and_passes_axe(page, app_server, axe_source, viewport):
    server, _ = app_server
    open_app(page, server, viewport)
    problems, found = [], {}
    for number, (tab, shows) in enumerate(PAGES.items(), start=1):
        page.get_by_role("tab", name=tab).click()
        page.locator(".widget-tab-contents").get_by_text(shows).first.wait_for(timeout=TIMEOUT)
        page.wait_for_timeout(700)
        where = f"{tab} at {viewport['width']} px"
        violations = axe(page, axe_source)
        found[tab] = counts(violations)
        problems += [f"{where}: axe {v['id']} ({v['impact']}) on {v['nodes'][:3]}" for v in serious(violations)]
        problems += [f"{where}: cut off: {c}" for c in cut_off(page)]
        problems += [f"{where}: too narrow: {c}" for c in too_narrow_fields(page)]
        if page_overflow(page):
            problems.append(f"{where}: the page is {page_overflow(page)} px wider than the screen")
        whole_page_screenshot(page, f"a11y-{viewport['width']}-{number}-{tab.lower().replace(' ', '-')}")
        scroll_to_end(page)
        for name, control in [("Need help now?", page.get_by_role("button", name="Need help now?")),
                              ("Leave this page quickly", page.locator(".rk-top-bar .rk-quick-exit"))]:
            if not in_view(control):
                problems.append(f"{where}: {name!r} is out of view at the end of the page")
    (ARTEFACTS / f"axe-{viewport['width']}.json").write_text(json.dumps(found, indent=1))
    assert not problems, "\n".join(problems)


def test_phone_tab_bar_wraps_into_buttons_a_thumb_can_hit(page, app_server):
    server, _ = app_server
    open_app(page, server, PHONE)
    tabs = page.get_by_role("tab")
    assert tabs.count() == len(PAGES)
    boxes = [tabs.nth(i).bounding_box() for i in range(tabs.count())]
    assert all(b["height"] >= 44 and b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] for b in boxes), boxes
    assert len({round(b["y"]) for b in boxes}) >= 2  # wrapped onto rows, not squeezed into one
    page.get_by_role("tab", name="Therapist").click()  # the last tab, reached without scrolling sideways
    page.get_by_text(PAGES["Therapist"]).wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Need help now?").click()
    panel = page.locator(".rk-top .rk-safety")
    panel.wait_for(timeout=TIMEOUT)
    assert in_view(page.locator(".rk-top-bar .rk-quick-exit"))  # the open panel does not push the exit away
    scroll_to_end(page)
    assert in_view(page.get_by_role("button", name="Need help now?"))


def _open_tab_with_keyboard(page, name: str) -> None:
    tab_to(page, "Start")
    for _ in range(list(PAGES).index(name)):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.locator(".widget-tab-contents").get_by_text(PAGES[name]).first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)


def _checked_label(page) -> str:
    return page.evaluate("() => document.activeElement.checked ? document.activeElement.parentElement.textContent"
                         ".trim() : ''")


def test_mood_entry_with_the_keyboard_alone(page, app_server, axe_source):
    server, journal = app_server
    open_app(page, server, DESKTOP)
    _open_tab_with_keyboard(page, "Mood log")
    tab_to(page, "Save entry")
    page.keyboard.press("Enter")  # no mood chosen: an error, which axe checks too
    page.get_by_text("Choose a mood from 1 (awful) to 5 (rad) first.").wait_for(timeout=TIMEOUT)
    no_serious(page, axe_source, "mood log, error shown")
    tab_to(page, re.compile("^4 good"), back=True)
    page.keyboard.press("Space")
    tab_to(page, "Readiness 0-10")
    page.keyboard.press("ArrowDown")  # readiness 0
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")  # readiness 1
    page.keyboard.press("Tab")
    page.keyboard.type("walk, friends")
    page.keyboard.press("Tab")
    page.keyboard.type("typed with the keyboard alone")
    tab_to(page, "Save entry")
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"Saved entry \d+: mood 4")).wait_for(timeout=TIMEOUT)
    no_serious(page, axe_source, "mood log, entry saved")
    with Journal(journal, create=False) as j:
        saved = j.entries().iloc[-1]
    assert (saved["note"], saved["mood"], saved["readiness"]) == ("typed with the keyboard alone", 4, 1)
    assert list(saved["tags"]) == ["walk", "friends"]


#: the text of the questions now shown in a questionnaire (the paged ones hide the others)
_SHOWN_ITEMS = ("(s) => [...document.querySelector(s).querySelectorAll('.rk-item')]"
                ".filter(e => e.offsetParent !== null).map(e => e.textContent).join('|')")


def _answer_all(page, scope: str, *, want: str | None = None) -> int:
    """Answer every question in ``scope`` with the keyboard, going on by answering (a choice) or with Next
    (a question in one's own words), until "See my result" has focus. ipywidgets' radio buttons carry no ``name``, so each choice is its own stop for the Tab
    key and Space picks it (the arrow keys do not move between them): the first choice, or ``want``."""
    answered, trace = 0, []
    for _ in range(800):
        page.keyboard.press("Tab")
        info = page.evaluate("""(scope) => { const e = document.activeElement;
            const box = e.closest('.widget-radio-box');
            return {inside: !!e.closest(scope), item: !!e.closest('.rk-item'), tag: e.tagName.toLowerCase(), type: e.type || '',
                    text: e.textContent.trim(), label: e.parentElement ? e.parentElement.textContent.trim() : '',
                    open: !!box && ![...box.querySelectorAll('input')].some(r => r.checked),
                    unset: e.tagName === 'SELECT' && e.selectedIndex < 0}; }""", scope)
        trace.append(f"{info['tag']}:{info['type']}:{(info['text'] or info['label'])[:20]}:{int(info['inside'])}")
        if not info["inside"]:
            continue
        if info["type"] == "radio" and info["open"] and want in (None, info["label"]):
            progress = page.locator(scope).locator(".rk-progress").first.inner_text()
            page.keyboard.press("Space")
            answered += 1
            if "Question" in progress and not page.locator(scope).get_by_role("button", name="Next").is_disabled():
                # one question a screen: the answer goes on to the next question, and the focus goes with it
                page.wait_for_function("([s, before]) => document.querySelector(s).querySelector('.rk-progress')"
                                       ".textContent !== before", arg=[scope, progress], timeout=TIMEOUT)
                page.wait_for_function("(s) => { const e = document.activeElement;"
                                       " return !!(e && e.closest(s + ' .rk-item') && e.getClientRects().length); }",
                                       arg=scope, timeout=TIMEOUT)
                page.keyboard.press("Shift+Tab")  # the loop's Tab lands on the new question's first choice
        elif info["tag"] == "select" and info["unset"] and info["item"]:
            page.keyboard.press("ArrowDown")
            answered += 1
        elif info["tag"] == "button" and info["text"] == "Next":
            progress = page.locator(scope).locator(".rk-progress").first.inner_text()
            shown = page.evaluate(_SHOWN_ITEMS, scope)
            page.keyboard.press("Enter")
            page.wait_for_function("([s, before]) => document.querySelector(s).querySelector('.rk-progress')"
                                   ".textContent !== before", arg=[scope, progress], timeout=TIMEOUT)
            # the progress line and the page's questions are separate widget updates: on a busy machine the
            # new questions can show after the new progress line, so wait for them before tabbing back
            page.wait_for_function(f"([s, before]) => ({_SHOWN_ITEMS})(s) !== before", arg=[scope, shown],
                                   timeout=TIMEOUT)
            for _ in range(12):  # back to the new question, which stands just before Back and Next
                page.keyboard.press("Shift+Tab")
                if not page.evaluate("(s) => !!document.activeElement.closest(s + ' .rk-item')", scope):
                    continue
                if page.evaluate("() => !!document.activeElement.closest('.widget-radio-box')"):
                    while page.evaluate("() => { const e = document.activeElement.closest('label');"
                                        " return !!(e && e.previousElementSibling); }"):
                        page.keyboard.press("Shift+Tab")  # to the question's first choice
                page.keyboard.press("Shift+Tab")  # one more: the loop's Tab lands on it
                break
        elif info["tag"] == "button" and info["text"] == "See my result":
            assert answered, trace[-60:]
            return answered
    raise AssertionError(f"never reached 'See my result' in {scope}: {trace[-40:]}")


def test_questionnaire_with_the_keyboard_alone(page, app_server, axe_source):
    server, _ = app_server
    open_app(page, server, DESKTOP)
    _open_tab_with_keyboard(page, "Wellbeing")
    scope = ".widget-tab-contents .rk-questionnaire"
    tab_to(page, "See my result")
    page.keyboard.press("Enter")  # nothing answered: the error names the first question
    page.locator(scope).get_by_role("alert").first.wait_for(timeout=TIMEOUT)
    no_serious(page, axe_source, "WHO-5, error shown")
    assert _answer_all(page, scope) >= 5  # on round the page with Tab, back to the questions
    page.keyboard.press("Enter")
    page.locator(scope).locator(".rk-result").wait_for(timeout=TIMEOUT)
    no_serious(page, axe_source, "WHO-5, result shown")


def test_check_up_with_the_keyboard_alone(page, app_server, axe_source):
    server, _ = app_server
    open_app(page, server, DESKTOP)
    _open_tab_with_keyboard(page, "Check-up")
    assert _answer_all(page, ".rk-checkup .rk-safety-screen", want="No") == 5
    page.keyboard.press("Enter")
    page.get_by_text("Thank you. The check-up follows below.").wait_for(timeout=TIMEOUT)
    assert _answer_all(page, ".rk-checkup .rk-checkup-questions") >= 10
    page.keyboard.press("Enter")
    verdict = page.get_by_text(re.compile("go slowly|not a re-starter|take a long pause first")).first
    try:
        verdict.wait_for(timeout=TIMEOUT)
    finally:
        whole_page_screenshot(page, "a11y-keyboard-check-up-verdict")
    no_serious(page, axe_source, "check-up, verdict shown")
