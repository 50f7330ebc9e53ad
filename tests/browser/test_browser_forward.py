"""The Moving forward tab in a real browser: build a sentence and copy it, save a decision, at 1280 and 390 px."""

from __future__ import annotations

import pytest

from rekindle_widgets.journal import Journal

from ..a11y import cut_off, page_overflow
from ..servers import screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000


@pytest.mark.parametrize("width", [1280, 390])
def test_the_moving_forward_page_copies_a_sentence_and_saves_a_decision(browser, app_server, width):
    server, journal = app_server
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.split("/voila")[0]
                              .split("?")[0].rstrip("/"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(server.url, timeout=TIMEOUT)
        page.get_by_role("tab", name="Moving forward").wait_for(timeout=TIMEOUT)
        page.get_by_role("tab", name="Moving forward").click()
        page.get_by_text("Tips for moving forward").wait_for(timeout=TIMEOUT)
        feeling = page.get_by_label("I feel", exact=True)
        feeling.fill(f"left out {width}")
        page.get_by_label("when you", exact=True).fill("make plans <without> me")
        page.get_by_label("when you", exact=True).press("Tab")
        sentence = f"I feel left out {width} when you make plans <without> me."
        box = page.get_by_label("Your sentence", exact=True)
        page.wait_for_function("(s) => [...document.querySelectorAll('.rk-sentence textarea')]"
                               ".some(t => t.value === s)", arg=sentence, timeout=TIMEOUT)
        box.click()  # what a person does: into the box, select all, copy
        page.keyboard.press("Control+A")
        page.keyboard.press("Control+C")
        assert page.evaluate("navigator.clipboard.readText()") == sentence
        page.get_by_role("button", name="Save this sentence").click()
        page.get_by_text(f"Saved: {sentence}").wait_for(timeout=TIMEOUT)

        page.get_by_role("radio", name="Part for good").check()
        for question in ("Do I know the options", "Am I clear", "Do I have enough support", "Do I feel sure"):
            row = page.locator(".widget-vbox", has=page.get_by_text(question)).last
            row.get_by_role("button", name="No" if question == "Am I clear" else "Yes", exact=True).click()
        page.get_by_role("button", name="Save my decision").click()
        page.get_by_text("talking the decision through").wait_for(timeout=TIMEOUT)
        page.set_viewport_size({"width": width, "height": 7000})  # Voila scrolls inside the page: show it all
        page.wait_for_timeout(500)
        screenshot(page, f"forward-{width}")
        assert page_overflow(page) == 0, f"the page is {page_overflow(page)} px wider than a {width} px screen"
        assert cut_off(page) == []
        assert errors == []
        with Journal(journal) as j:
            assert sentence in [s.sentence for s in j.statements()]
            assert [d.option for d in j.decisions()][-1] == "part" and j.decisions()[-1].unsure == ("values",)
    finally:
        context.close()
