"""A report as one self-contained HTML page: no scripts, nothing loaded from elsewhere, print-ready.

Every piece of text is escaped; charts are inlined PNG and a
Content-Security-Policy forbids anything else.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from typing import Any

from .. import __version__
from .model import FULL_WIDTH_IN, Block, Chart, Paragraph, Report, Section, Table

__all__ = ["PART_CSS", "render_html", "sections_html"]

_CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --soft: #f9fafb; --alert: #b45309; }
* { box-sizing: border-box; }
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); margin: 0; background: #f3f4f6; }
main { max-width: 960px; margin: 24px auto; background: white; padding: 40px 48px;
       border-radius: 10px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
header h1 { margin: 0 0 4px; font-size: 28px; letter-spacing: -0.01em; }
header .subtitle { color: var(--muted); font-size: 17px; margin: 0 0 14px; }
.disclaimer { display: inline-block; border: 1px solid var(--line); background: var(--soft);
              padding: 4px 10px; border-radius: 999px; font-size: 13px; color: var(--ink); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 20px 0 8px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; font-weight: 600; }
h2 { font-size: 20px; margin: 34px 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 6px; }
p { margin: 8px 0; } p.muted { color: var(--muted); font-size: 13.5px; }
p.alert { color: var(--alert); font-weight: 600; }
.lead { font-weight: 600; display: block; }
.note { background: var(--soft); border-left: 3px solid #9ca3af; padding: 8px 12px; margin: 8px 0;
        white-space: pre-wrap; overflow-wrap: anywhere; }
.note .lead { font-weight: 600; color: var(--muted); font-size: 13px; white-space: normal; }
figure { margin: 16px 0 26px; } figure img { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13.5px; margin-top: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line);
         overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; }
section.safety { border: 2px solid var(--alert); border-radius: 8px; padding: 4px 18px 10px; margin-top: 26px;
                 background: #fffbeb; }
section.safety h2 { border: 0; color: var(--alert); margin-top: 14px; }
table.fixed { table-layout: fixed; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted);
         font-size: 13px; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { background: white; font-size: 11pt; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  h2 { break-after: avoid; } figure, table, .note, section.safety { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        if not block.text and not block.heading:
            return ""
        lead = f'<span class="lead">{_e(block.heading)}</span>' if block.heading else ""
        if block.style == "note":
            # dir="auto": a Hebrew note reads right to left
            return f'<div class="note">{lead}<div dir="auto">{_e(block.text)}</div></div>'
        css = f' class="{block.style}"' if block.style in ("muted", "alert") else ""
        return f"<p{css}>{lead}{_e(block.text)}</p>"
    if isinstance(block, Table):
        caption = f"<caption>{_e(block.caption)}</caption>" if block.caption else ""
        cols = ""
        if block.widths:
            total = sum(block.widths)
            cols = "<colgroup>" + "".join(f'<col style="width: {w / total:.1%}">' for w in block.widths) + \
                "</colgroup>"
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c in block.columns)
        # data-label: a narrow page shows each row as a card, each cell named by its column (widgets/style.py)
        body = "".join("<tr>" + "".join(f'<td data-label="{_e(col)}">{_e(c)}</td>'
                                        for col, c in zip(block.columns, row, strict=False)) + "</tr>"
                       for row in block.rows)
        layout = ' class="fixed"' if block.widths else ""
        return f"<table{layout}>{caption}{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Chart):
        data = base64.b64encode(block.png).decode("ascii")
        share = min(100.0, block.width_in / FULL_WIDTH_IN * 100)
        return (f'<figure><h3>{_e(block.title)}</h3><img src="data:image/png;base64,{data}" '
                f'style="width: {share:.0f}%" alt="{_e(block.description)}">'
                f'<figcaption>{_e(block.description)}</figcaption></figure>')
    raise TypeError(f"not a report block: {block!r}")


#: The report's look for its blocks when a page shows them (the session page, Moving forward), scoped to
#: ``.rk-report-part`` so that it styles nothing else, and in the theme's colours (light and dark): part of the
#: pages' one stylesheet (widgets/style.py).
PART_CSS = """
.rk-report-part { max-width: 60em; }
.rk-report-part h4 { margin: 12px 0 4px; font-size: 1.05em; }
.rk-report-part p { margin: 4px 0; } .rk-report-part .lead { font-weight: 600; display: block; }
.rk-report-part p.muted { color: var(--jp-ui-font-color2, #6b7280); font-size: 0.92em; }
.rk-report-part p.alert { color: #b45309; font-weight: 600; }
.rk-report-part .note { border-left: 3px solid #9ca3af; padding: 4px 10px; white-space: pre-wrap; }
.rk-report-part table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 4px 0 10px; }
.rk-report-part caption { text-align: left; font-weight: 600; padding: 2px 0; }
.rk-report-part th, .rk-report-part td { text-align: left; vertical-align: top; padding: 4px 6px;
  border-bottom: 1px solid var(--jp-border-color2, #e5e7eb); overflow-wrap: anywhere; }
.rk-report-part table.fixed { table-layout: fixed; }
"""


def sections_html(sections: Sequence[Section]) -> str:
    """Report sections as a part of a page (an ipywidgets HTML value): the same blocks, escaped the same way,
    as the report file shows, so a page and the report never tell the same thing two ways; styled by
    :data:`PART_CSS` in the page's stylesheet. "" for none."""
    if not sections:
        return ""
    body = "".join(f"<h4>{_e(s.title)}</h4>" + "".join(_html_block(b) for b in s.blocks) for s in sections)
    return f'<div class="rk-report-part">{body}</div>'


def render_html(report: Report) -> str:
    """One self-contained HTML page: no scripts, nothing loaded from elsewhere, print-ready."""
    facts = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in report.facts)
    sections = []
    for section in report.sections:
        css = ' class="safety"' if section.kind == "safety" else ""
        body = "".join(_html_block(b) for b in section.blocks)
        sections.append(f"<section{css}><h2>{_e(section.title)}</h2>{body}</section>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="Rekindle {_e(__version__)}">
<title>{_e(report.title)} · {_e(report.subtitle)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header>
<h1>{_e(report.title)}</h1>
<p class="subtitle">{_e(report.subtitle)}</p>
<span class="disclaimer">{_e(report.disclaimer)}</span>
<dl class="facts">{facts}</dl>
</header>
{''.join(sections)}
<footer>{_e(report.footer)}</footer>
</main>
</body>
</html>
"""
