"""What a person on a phone, with a keyboard or with a screen reader meets, measured in the browser.

axe-core (from npm: `make test` installs it into ``.venv/node``) is injected
into the page and run there; the other checks read the laid-out page: an
element is cut off when ``scrollWidth > clientWidth``, the page is too wide
when ``documentElement.scrollWidth > innerWidth``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from .servers import ARTEFACTS

#: where `make test` installs axe-core (npm, into the venv, next to configurable-http-proxy)
AXE = Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def require_axe() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing at {AXE}: `make test` installs it with npm")
        pytest.skip(f"axe-core is not installed at {AXE} (make test installs it with npm)")
    return AXE.read_text(encoding="utf-8")


def axe(page, source: str) -> list[dict]:
    """axe-core's violations on the page as it is now: [{id, impact, nodes: [selector | message]}]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    return page.evaluate("""async () => {
        const result = await axe.run(document);
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ') + ' | ' + ((n.any[0] || n.all[0] || {}).message || ''))}));
    }""")


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def counts(violations: list[dict]) -> dict[str, int]:
    """{rule id (impact): number of elements} for a report line."""
    return {f"{v['id']} ({v['impact']})": len(v["nodes"]) for v in violations}


def cut_off(page) -> list[str]:
    """Visible tab labels, buttons and field labels whose text does not fit in their box (a label kept for
    screen readers only, clipped to nothing on purpose, is not shown and not counted)."""
    return page.evaluate("""() => [...document.querySelectorAll(
            '.lm-TabBar-tabLabel, button, .widget-label, label, .widget-html-content a')]
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
                     && getComputedStyle(e).clipPath !== 'inset(50%)')
        .map(e => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 40)}"`
                  + ` needs ${e.scrollWidth}px, has ${e.clientWidth}px`)""")


def too_narrow_fields(page, minimum: int = 160) -> list[str]:
    """Visible text fields narrower than ``minimum`` px (a Tags field cut to four letters)."""
    return page.evaluate("""(minimum) => [...document.querySelectorAll('input[type=text], textarea')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width < minimum)
        .map(e => `${e.tagName.toLowerCase()} ${e.placeholder || e.title || ''} is `
                  + `${Math.round(e.getBoundingClientRect().width)}px wide`)""", minimum)


def page_overflow(page) -> int:
    """How many px the page is wider than the screen (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - innerWidth)")


def scroll_to_end(page) -> None:
    """Scroll whatever scrolls (the window, Voila's #rendered_cells, a notebook) to its end."""
    page.evaluate("""() => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        for (const e of document.querySelectorAll('*')) {
            if (e.scrollHeight > e.clientHeight + 5 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
                e.scrollTop = e.scrollHeight;
        }
    }""")
    page.wait_for_timeout(200)


def in_view(locator) -> bool:
    """The element is inside the screen (not scrolled away, not covered at its centre)."""
    return locator.evaluate("""e => { const r = e.getBoundingClientRect();
        if (!(r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth))
            return false;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === e || e.contains(hit); }""")


def whole_page_screenshot(page, name: str) -> Path:
    """A screenshot of the whole page at the screen's width, however tall (Voila scrolls an inner box,
    which a full-page screenshot would cut at the screen's height)."""
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('*')].filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
            .map(e => e.scrollHeight + e.getBoundingClientRect().top))""")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 20, 12000)})
    page.wait_for_timeout(300)
    folder = ARTEFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    page.wait_for_timeout(200)
    return path


FOCUSED = """() => { const e = document.activeElement; if (!e) return '';
    const label = e.labels && e.labels.length ? e.labels[0].textContent : '';
    return (e.getAttribute('aria-label') || label || e.textContent || e.title || '').trim(); }"""


def tab_to(page, name: str | re.Pattern[str], *, back: bool = False, limit: int = 80) -> str:
    """Press Tab (Shift+Tab when ``back``) until the focused element's name matches; return the name."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(rf"^{re.escape(name)}$")
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUSED)
        if pattern.search(focused):
            return focused
        seen.append(focused[:30])
    raise AssertionError(f"the Tab key never reached {pattern.pattern!r}; it went through {seen}")


def focused_tag(page) -> str:
    return page.evaluate("() => document.activeElement.tagName.toLowerCase() + ':' + "
                         "(document.activeElement.type || '')")


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two CSS ``rgb()``/``rgba()`` colours (alpha blended on the background)."""
    def parse(colour: str) -> tuple[float, float, float, float]:
        parts = [float(x) for x in re.findall(r"[\d.]+", colour)]
        return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)  # type: ignore[return-value]

    def luminance(rgb: tuple[float, float, float]) -> float:
        def channel(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    fr, fg, fb, fa = parse(foreground)
    br, bg, bb, _ = parse(background)
    blended = (fr * fa + br * (1 - fa), fg * fa + bg * (1 - fa), fb * fa + bb * (1 - fa))
    light, dark = sorted((luminance(blended), luminance((br, bg, bb))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


#: text colour and the colour behind it, for each visible element with text of its own
TEXT_COLOURS = """(root) => {
    const behind = e => { for (let n = e; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) return c; }
        return getComputedStyle(document.body).backgroundColor; };
    const out = [];
    for (const e of document.querySelectorAll(root)) {
        for (const n of [e, ...e.querySelectorAll('*')]) {
            const own = [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim());
            if (!own || n.offsetParent === null) continue;
            out.push({text: n.textContent.trim().slice(0, 50), fg: getComputedStyle(n).color, bg: behind(n)});
        }
    }
    return out; }"""


def illegible(page, root: str, minimum: float = 4.5) -> list[str]:
    """Text under ``root`` (a CSS selector) whose colour is under ``minimum``:1 against what is behind it."""
    found = []
    for item in page.evaluate(TEXT_COLOURS, root):
        ratio = contrast(item["fg"], item["bg"])
        if ratio < minimum:
            found.append(f"{item['text']!r}: {item['fg']} on {item['bg']} is {ratio:.2f}:1")
    return found
