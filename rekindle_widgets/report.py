"""Reports: the journal as one self-contained HTML page or a PDF.

A report is built once as plain data (:func:`build_report` -> :class:`Report`,
a title and a list of :class:`Section` blocks) and rendered by
:func:`render_html` or :func:`render_pdf`, so both formats say the same thing::

    html = html_report(journal, since="2026-03-01")
    pdf = pdf_report(journal)
    write_report(journal, "report.pdf")          # .html, .htm or .pdf; written privately (0600)

What a report holds: the date range, days tracked, mood (lowest, mean,
highest), each chart with a description in words (its alt text), the stage
summary table, the latest result of each questionnaire with its band and item
answers, recent notes, and, if a safety flag was ever raised, the safety
services from the guide (never a danger score). Every page says it is
self-reported and not a diagnosis.

Other reports reuse this: pass ``title``/``subtitle``, ``extra_sections``
(your own :class:`Section` objects, placed after the overview), and
``anonymise=True`` to leave out every free-text note and free-text answer.

A therapist's report on one client (:func:`build_session_report`,
:func:`write_session_report`) is this report plus the client's sessions: a
summary with the goals chart after the overview, and each session's notes,
homework and goal ratings at the end.

All text from a person (notes, tags, answers) is escaped in HTML; the HTML
loads nothing from anywhere (charts are inlined PNG, a Content-Security-Policy
forbids the rest) and runs no script. The PDF embeds DejaVu Sans (shipped with
matplotlib), so any language prints.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import RekindleError
from .fonts import PLACEHOLDER, dejavu, fallback_font, missing_characters
from .instruments import find
from .scorer import raised_flag

if TYPE_CHECKING:
    import pandas as pd

    from .journal import Journal

__all__ = [
    "CHARTS",
    "DISCLAIMER",
    "Chart",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "build_report",
    "build_session_report",
    "html_report",
    "pdf_report",
    "render_html",
    "render_pdf",
    "write_report",
    "write_session_report",
]

DISCLAIMER = "Self-reported; not a diagnosis."
#: The charts a report shows, in order (kinds of :func:`rekindle_widgets.charts.figure`).
CHARTS = ("timeline", "pixels", "stages", "weekdays", "tags", "scores")
CHART_TITLES = {
    "timeline": "Mood and readiness over time",
    "pixels": "Every day at a glance",
    "stages": "By stage",
    "weekdays": "By day of the week",
    "tags": "Tags",
    "scores": "Questionnaire scores",
}
RECENT_NOTES = 15
FULL_WIDTH_IN = 11.0  # a chart this wide (inches) fills the page width
SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf"}


# --------------------------------------------------------------------------
# The document: plain data, rendered to HTML or PDF
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """Plain text (escaped when rendered). ``style``: "normal", "muted", "note" or "alert"."""

    text: str
    style: str = "normal"
    heading: str = ""  # a short bold lead-in, e.g. a date


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths (PDF); empty: equal


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes
    description: str  # shown under the chart and used as its alt text
    aspect: float  # height / width
    width_in: float = 11.0  # the figure's width: charts keep one scale, so their text is one size


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    """A heading and its blocks. Build your own for ``extra_sections``."""

    title: str
    blocks: tuple[Block, ...] = ()
    kind: str = "normal"  # "normal" or "safety" (drawn as a framed notice)


@dataclass
class Report:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section] = field(default_factory=list)
    generated: datetime = field(default_factory=lambda: datetime.now().astimezone())
    disclaimer: str = DISCLAIMER

    @property
    def footer(self) -> str:
        return f"{self.disclaimer} Made with Rekindle {__version__} on {self.generated:%d %b %Y}."


# --------------------------------------------------------------------------
# Building a report from a journal
# --------------------------------------------------------------------------


def _day(value: Any) -> str:
    import pandas as pd

    d = pd.Timestamp(value)
    return f"{d.day} {d:%b %Y}"


def _num(value: Any, digits: int = 1) -> str:
    import pandas as pd

    if value is None or pd.isna(value):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _safety_marks(responses: pd.DataFrame) -> list[tuple[Any, str, str, str]]:
    """(time, instrument title, flag label, kind) for every safety flag ever raised, oldest first."""
    marks = []
    for row in responses.itertuples(index=False):
        info = find(str(row.instrument))
        for flag_id in row.flags:
            flag = raised_flag(str(row.instrument), str(flag_id))
            if flag.is_safety:
                marks.append((row.timestamp, getattr(info, "title", row.instrument), flag.label, flag.kind))
    return marks


def _safety_section(marks: list[tuple[Any, str, str, str]], region: str | None) -> Section:
    from .content import guide

    safety = guide().safety
    kinds = [k for k in ("crisis", "abuse") if any(m[3] == k for m in marks)]
    times = "once" if len(marks) == 1 else f"{len(marks)} times"
    blocks: list[Block] = [
        Paragraph(f"Answers to a questionnaire raised a safety flag {times}, most recently on "
                  f"{_day(marks[-1][0])}. Rekindle never scores danger: the flags only say that the "
                  "services below may help.", "alert"),
        Table(("Date", "Questionnaire", "Flag"),
              tuple((_day(t), str(title), str(label)) for t, title, label, _ in marks[::-1][:10]),
              widths=(2, 3, 5)),
        Paragraph(safety.intro),
        Paragraph(safety.emergency, "alert"),
    ]
    regions = [safety.region(region)] if region else list(safety.regions)
    for reg in regions:
        services = sorted(reg.services, key=lambda s: kinds.index(s.kind) if s.kind in kinds else len(kinds))
        rows = []
        for s in services:
            how = ", ".join(x for x in (f"call {_dial(s)}" if s.phone else s.phone_label, s.text, s.hours) if x)
            rows.append((s.name, how, s.url))
        blocks.append(Table(("Service", "How to reach it", "Web"), tuple(rows),
                            caption=f"{reg.name} (emergencies: {reg.emergency})", widths=(3, 4, 3)))
    return Section("Safety notes", tuple(blocks), kind="safety")


def _dial(service: Any) -> str:
    """The number to dial, then its mnemonic (as the scorer shows it everywhere else)."""
    try:
        from .scorer import dial_text
    except ImportError:  # pragma: no cover
        return service.phone_label
    return dial_text(service)


def _answers_table(info: Any, answers: Sequence[Any], anonymise: bool) -> Table | None:
    items = getattr(info, "items", None)
    if not items:
        return None
    by_id: dict[str, Any] = {}
    rows = []
    for item, value in zip(items, answers):
        by_id[item.id] = value
        text = item.prompt(by_id) if hasattr(item, "prompt") else item.text
        if item.is_choice:
            shown = item.label_of(value)
        elif value in (None, ""):
            shown = "(no answer)"
        else:
            shown = "(free text left out)" if anonymise else str(value)
        rows.append((str(item.number), text, shown))
    return Table(("#", "Question", "Answer"), tuple(rows), widths=(0.5, 6, 3.5))


def _questionnaire_sections(responses: pd.DataFrame, anonymise: bool) -> list[Section]:
    if responses.empty:
        return []
    blocks: list[Block] = []
    latest = responses.sort_values("timestamp", kind="stable").groupby("instrument", sort=False).tail(1)
    summary_rows = []
    detail: list[Block] = []
    for row in latest.itertuples(index=False):
        info = find(str(row.instrument))
        if info is not None and getattr(info, "screen", False):
            continue  # the safety screen: never a score; its flags are in the safety notes
        title = getattr(info, "title", None) or str(row.instrument)
        top = getattr(info, "max_total", None) if info is not None and getattr(info, "has_total", True) else None
        total = "–" if row.total is None or row.total != row.total else f"{row.total:g}" + (f" of {top}" if top else "")
        band = row.band if isinstance(row.band, str) and row.band else "–"
        flags = ", ".join(raised_flag(str(row.instrument), str(f)).label for f in row.flags) or "–"
        summary_rows.append((title, _day(row.timestamp), total, band, flags))
        band_text = ""
        for b in getattr(info, "bands", ()) if info is not None else ():
            if b.label == band and b.text:
                band_text = b.text
        lead = f"{title}, {_day(row.timestamp)}: total {total}" + (f", {band}" if band != "–" else "")
        detail.append(Paragraph(band_text or "", "normal", heading=lead))
        table = _answers_table(info, row.answers, anonymise)
        if table is not None:
            detail.append(table)
    if not summary_rows:
        return []
    blocks.append(Table(("Questionnaire", "Latest", "Total", "Band", "Flags raised"), tuple(summary_rows),
                        widths=(3.2, 1.8, 1.3, 2, 2.6)))
    blocks.append(Paragraph("Each questionnaire's most recent answers follow. Bands come from the "
                            "questionnaire's published scoring; they describe the answers, not a person.", "muted"))
    return [Section("Questionnaires: latest results", tuple(blocks + detail))]


def _stage_table(summary: pd.DataFrame) -> Table:
    import pandas as pd

    rows = []
    for r in summary.itertuples(index=False):
        name = r.name if pd.isna(r.stage) else f"{int(r.stage)}. {r.name}"
        rows.append((name, f"{_day(r.start)} – {_day(r.end)}", f"{r.days_logged} of {r.days}", str(r.entries),
                     f"{_num(r.mood_mean)} ({_num(r.mood_min)}–{_num(r.mood_max)})",
                     f"{_num(r.readiness_mean)} ({_num(r.readiness_min)}–{_num(r.readiness_max)})",
                     r.trend if r.trend_per_week != r.trend_per_week else f"{r.trend} ({r.trend_per_week:+.2f}/wk)"))
    return Table(("Stage", "Dates", "Days logged", "Entries", "Mood mean (range)", "Readiness mean (range)",
                  "Mood trend"), tuple(rows), widths=(3.2, 3.2, 1.5, 1.3, 2, 2.2, 2.2))


def build_report(journal: Journal, since: date | str | None = None, until: date | str | None = None, *,
                 title: str = "Rekindle journal report", subtitle: str | None = None,
                 extra_sections: Iterable[Section] = (), anonymise: bool = False,
                 charts: Sequence[str] = CHARTS, region: str | None = None, dpi: int = 130,
                 source: str | None = None) -> Report:
    """The report's content from ``journal`` (entries from ``since`` to ``until``, inclusive).

    ``extra_sections`` go after the overview; ``anonymise`` leaves out notes
    and free-text answers; ``charts`` picks which charts (see :data:`CHARTS`);
    ``region`` (US, UK, OTHER) narrows the safety services to one region;
    ``source`` says who entered the data (default: the person themselves).
    """
    from . import charts as ch
    from .content import guide

    for kind in charts:
        ch.kinds.check(kind)  # an unknown kind: one error naming the kinds there are
    codes = [r.code for r in guide().safety.regions]
    if region is not None and str(region).strip().upper() not in codes:
        raise RekindleError(f"unknown region {region!r}; choose one of {', '.join(codes)}")
    data = journal.entries(since, until)
    stages = journal.stage_changes()
    responses = journal.responses()
    if since is not None or until is not None:
        import pandas as pd

        from .journal import parse_date

        local = responses["local_time"].str.slice(0, 10)
        keep = pd.Series(True, index=responses.index)
        if since is not None:
            keep &= local >= parse_date(since, what="--since date").isoformat()
        if until is not None:
            keep &= local <= parse_date(until, what="--until date").isoformat()
        all_responses, responses = responses, responses[keep]
    else:
        all_responses = responses

    if len(data):
        first, last = data["date"].min(), data["date"].max()
        span = (last - first).days + 1
        days = data["date"].dt.normalize().nunique()
        mood = data["mood"]
        ready = data["readiness"].dropna()
        facts = [
            ("Dates", f"{_day(first)} – {_day(last)}"),
            ("Days tracked", f"{days:,} of {span:,} ({days / span:.0%})"),
            ("Entries", f"{len(data):,}"),
            ("Mood (1-5)", f"lowest {int(mood.min())} · mean {mood.mean():.1f} · highest {int(mood.max())}"),
            ("Readiness (0-10)", f"lowest {int(ready.min())} · mean {ready.mean():.1f} · highest {int(ready.max())}"
             if len(ready) else "not recorded"),
        ]
        auto_subtitle = f"{_day(first)} – {_day(last)}"
    else:
        facts = [("Entries", "none yet")]
        auto_subtitle = "No entries yet"
    if stages:
        latest = stages[-1]
        facts.append(("Current stage", (f"{latest.stage}. {guide().stage(latest.stage).name} "
                                        f"(since {_day(latest.since)})")))
    report = Report(title=title, subtitle=subtitle if subtitle is not None else auto_subtitle, facts=facts)

    marks = _safety_marks(all_responses)  # ever raised: not limited to the date range
    if marks:
        report.sections.append(_safety_section(marks, region))
    overview = [Paragraph(ch.describe(data, stages))]
    overview.append(Paragraph((source or "Everything here was entered by the person themselves. ")
                              + guide().disclaimer,
                              "muted"))
    report.sections.append(Section("Overview", tuple(overview)))
    report.sections.extend(extra_sections)

    chart_blocks: list[Block] = []
    for kind in charts:
        if kind == "scores" and ch.scorable(responses).empty:
            continue
        if kind != "scores" and not len(data):
            continue
        fig = ch.figure(kind, data, stages=stages, responses=responses,
                        **({} if kind == "scores" else {"title": ""}))  # the report names each chart
        width, height = fig.get_size_inches()
        text = ch.describe(data, stages, kind=kind, responses=responses)
        chart_blocks.append(Chart(CHART_TITLES[kind], ch.render(fig, "png", dpi=dpi, description=text),
                                  text, float(height / width), float(width)))
        del fig
    if chart_blocks:
        report.sections.append(Section("Charts", tuple(chart_blocks)))
    elif not len(data):
        report.sections.append(Section("Charts", (Paragraph(
            "No entries yet: log a mood (rekindle log --mood 4) and the charts appear here.", "muted"),)))

    summary = ch.stage_summary(data, stages)
    if len(summary):
        report.sections.append(Section("Stage summary", (
            _stage_table(summary),
            Paragraph("Trend: the least-squares slope of daily mean mood, per week; under "
                      f"{ch.TREND_THRESHOLD:g} a week either way counts as flat.", "muted"))))
    report.sections.extend(_questionnaire_sections(responses, anonymise))
    if not anonymise and len(data):
        notes = data[data["note"].astype(str).str.strip() != ""].tail(RECENT_NOTES)
        if len(notes):
            blocks = tuple(Paragraph(str(r.note), "note", heading=f"{r.local_time[:10]} · mood {r.mood}"
                                     + (f" · {', '.join(r.tags)}" if r.tags else ""))
                           for r in notes.iloc[::-1].itertuples(index=False))
            report.sections.append(Section(f"Recent notes (latest {len(notes)})", blocks))
    return report


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

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
            return f'<div class="note">{lead}<div dir="auto">{_e(block.text)}</div></div>'  # a Hebrew note reads right to left
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
        body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
        layout = ' class="fixed"' if block.widths else ""
        return f"<table{layout}>{caption}{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Chart):
        data = base64.b64encode(block.png).decode("ascii")
        share = min(100.0, block.width_in / FULL_WIDTH_IN * 100)
        return (f'<figure><h3>{_e(block.title)}</h3><img src="data:image/png;base64,{data}" '
                f'style="width: {share:.0f}%" alt="{_e(block.description)}">'
                f'<figcaption>{_e(block.description)}</figcaption></figure>')
    raise TypeError(f"not a report block: {block!r}")


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


# --------------------------------------------------------------------------
# PDF (fpdf2, with a bundled Unicode font)
# --------------------------------------------------------------------------


def _map_text(report: Report, fn: Callable[[str], str]) -> Report:
    """The report with ``fn`` applied to every piece of text it prints (the footer is made from them)."""

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return replace(b, text=fn(b.text), heading=fn(b.heading))
        if isinstance(b, Table):
            return replace(b, caption=fn(b.caption), columns=tuple(map(fn, b.columns)),
                           rows=tuple(tuple(map(fn, row)) for row in b.rows))
        return replace(b, title=fn(b.title), description=fn(b.description))

    return replace(report, title=fn(report.title), subtitle=fn(report.subtitle), disclaimer=fn(report.disclaimer),
                   facts=[(fn(k), fn(v)) for k, v in report.facts],
                   sections=[replace(s, title=fn(s.title), blocks=tuple(map(block, s.blocks)))
                             for s in report.sections])


def _texts(report: Report) -> list[str]:
    """Every piece of text the report prints."""
    found: list[str] = [report.footer]
    _map_text(report, lambda text: found.append(text) or text)
    return found


def _missing_note(missing: frozenset[str]) -> str:
    return (f"{len(missing)} different character{'s' if len(missing) != 1 else ''} in this report (such as "
            "Chinese, Japanese or Korean writing, or emoji) have no font on this computer and print as "
            f"{PLACEHOLDER}. The HTML report (rekindle report -o report.html) shows every character.")


INK = (31, 41, 55)
MUTED = (107, 114, 128)
ALERT = (180, 83, 9)


def _height_guess(block: Block) -> float:
    """About how tall a block prints, in mm (to keep short sections together; generous)."""
    if isinstance(block, Paragraph):
        lines = sum(1 + len(line) // 95 for line in block.text.split("\n")) if block.text else 0
        return 5 * lines + (5.5 if block.heading else 0) + 2
    if isinstance(block, Table):
        return 10 + 8 * len(block.rows) + (6 if block.caption else 0)
    return 1000.0  # a chart: never "short"


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF (fpdf2), every page footed with the disclaimer and page number."""
    import io

    from fpdf import FPDF
    from fpdf.bidi import auto_detect_base_direction
    from fpdf.enums import TextDirection, XPos, YPos
    from fpdf.fonts import FontFace

    regular, bold = dejavu()
    missing = missing_characters(_texts(report), [regular])
    extra = fallback_font() if missing else None  # loading a CJK font costs a second: only when needed
    if extra:
        missing = missing_characters(missing, [extra[1]])
    if missing:
        table = dict.fromkeys(map(ord, missing), PLACEHOLDER)
        report = _map_text(report, lambda text: text.translate(table))

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(*MUTED)
            self.cell(0, 5, f"{report.footer}    Page {self.page_no()} of {{nb}}", align="C")

    pdf = _PDF(format="A4", unit="mm")
    pdf.set_margins(16, 16, 16)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    fallbacks = ["DejaVu"]  # bold DejaVu lacks some letters (Arabic, for one) that the regular face has
    if extra:
        pdf.add_font("Fallback", "", str(extra[1]))
        fallbacks.append("Fallback")
    pdf.set_fallback_fonts(fallbacks, exact_match=False)
    pdf.set_text_shaping(use_shaping_engine=True)  # joins Arabic letters, orders right-to-left text
    pdf.set_title(f"{report.title} · {report.subtitle}")
    pdf.set_creator(f"Rekindle {__version__}")
    pdf.set_creation_date(report.generated)
    pdf.set_lang("en")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    def text(value: str, size: float = 10, style: str = "", colour: tuple[int, int, int] = INK,
             gap: float = 1.5, line: float = 1.45) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        align = "R" if auto_detect_base_direction(value) == TextDirection.RTL else "L"  # e.g. a Hebrew note
        pdf.multi_cell(width, size * 0.3528 * line, value, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    def heading(value: str, colour: tuple[int, int, int] = INK) -> None:
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(3)
        text(value, 14, "B", colour, gap=0.5)
        pdf.set_draw_color(229, 231, 235)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(3)

    def table(block: Table) -> None:
        guess = 10 + 8 * len(block.rows) + (6 if block.caption else 0)  # mm, roughly
        if guess < pdf.eph / 2 and pdf.will_page_break(guess):
            pdf.add_page()  # a short table stays on one page
        if block.caption:
            text(block.caption, 9.5, "B", gap=0.5)
        pdf.set_font("DejaVu", "", 8.5)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(229, 231, 235)
        pdf.set_line_width(0.2)
        widths = block.widths or tuple(1.0 for _ in block.columns)
        with pdf.table(col_widths=widths, width=width, text_align="LEFT", line_height=4.2,
                       headings_style=FontFace(emphasis="BOLD", fill_color=(243, 244, 246)),
                       borders_layout="HORIZONTAL_LINES", padding=1.2, align="LEFT") as t:
            head = t.row()
            for c in block.columns:
                head.cell(c)
            for row in block.rows:
                r = t.row()
                for c in row:
                    r.cell(c)
        pdf.ln(2.5)

    def chart(block: Chart) -> None:
        w = min(width, width * block.width_in / FULL_WIDTH_IN)
        h = w * block.aspect
        if pdf.will_page_break(h + 22):
            pdf.add_page()
        text(block.title, 11, "B", gap=0.5)
        pdf.image(io.BytesIO(block.png), x=pdf.l_margin, w=w, h=h, alt_text=block.description)
        pdf.set_y(pdf.get_y() + 1.5)
        text(block.description, 8.5, colour=MUTED, gap=4)

    # title block
    text(report.title, 22, "B", gap=0.5, line=1.2)
    text(report.subtitle, 13, colour=MUTED, gap=2)
    pdf.set_fill_color(249, 250, 251)
    pdf.set_draw_color(209, 213, 219)
    pdf.set_font("DejaVu", "B", 9.5)
    pdf.set_text_color(*INK)
    pdf.cell(pdf.get_string_width(report.disclaimer) + 8, 7, report.disclaimer, border=1, fill=True,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="C")
    pdf.ln(4)
    for key, value in report.facts:
        pdf.set_font("DejaVu", "", 10)
        pdf.set_text_color(*MUTED)
        pdf.cell(38, 6, key)
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_text_color(*INK)
        pdf.multi_cell(width - 38, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    if missing:
        text(_missing_note(missing), 8.5, colour=MUTED, gap=2)

    for section in report.sections:
        safety = section.kind == "safety"
        first = section.blocks[0] if section.blocks else None
        if isinstance(first, Chart):  # a heading goes over with its first chart, never alone at a page's foot
            need = min(width, width * first.width_in / FULL_WIDTH_IN) * first.aspect + 45
            if need < pdf.eph and pdf.will_page_break(need):
                pdf.add_page()
        elif first is not None:  # a short section (a session, say) is kept on one page
            need = 16 + sum(_height_guess(b) for b in section.blocks)
            if need < pdf.eph / 2 and pdf.will_page_break(need):
                pdf.add_page()
        heading(section.title, ALERT if safety else INK)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                if block.heading:
                    text(block.heading, 10, "B", MUTED if block.style == "note" else INK, gap=0.3)
                if block.text:
                    colour = ALERT if block.style == "alert" else MUTED if block.style == "muted" else INK
                    size = 9 if block.style in ("muted", "note") else 10
                    text(block.text, size, "B" if block.style == "alert" else "", colour,
                         gap=3 if block.style == "note" else 1.5)
            elif isinstance(block, Table):
                table(block)
            elif isinstance(block, Chart):
                chart(block)
    return bytes(pdf.output())


# --------------------------------------------------------------------------
# The one-call API
# --------------------------------------------------------------------------


def html_report(journal: Journal, since: date | str | None = None, until: date | str | None = None,
                **options: Any) -> str:
    """The report as one self-contained HTML page (options: see :func:`build_report`)."""
    return render_html(build_report(journal, since, until, **options))


def pdf_report(journal: Journal, since: date | str | None = None, until: date | str | None = None,
               **options: Any) -> bytes:
    """The report as PDF bytes (options: see :func:`build_report`)."""
    return render_pdf(build_report(journal, since, until, **options))


def report_format(path: str | os.PathLike[str]) -> str:
    """"html" or "pdf" from the file name; anything else is a mistake the person can fix."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise RekindleError(f"cannot tell the report format from {str(path)!r}; "
                            "end the file name in .html or .pdf")
    return SUFFIXES[suffix]


def write_report(journal: Journal, path: str | os.PathLike[str], since: date | str | None = None,
                 until: date | str | None = None, **options: Any) -> Path:
    """Write the report to ``path`` (.html/.htm or .pdf), whole or not at all, readable by you only."""
    from .paths import write_private

    fmt = report_format(path)
    report = build_report(journal, since, until, **options)
    data: str | bytes = render_html(report) if fmt == "html" else render_pdf(report)
    return write_private(path, data)


# --------------------------------------------------------------------------
# Session reports: one client of a therapist's practice
# --------------------------------------------------------------------------

SESSION_TITLE = "Session report"
#: Who wrote what, in a session report (the journal report says the person entered everything).
SESSION_SOURCE = ("The journal entries and questionnaires were entered by the client (questionnaires given in a "
                  "session were filled in together with the therapist); session notes, homework and goal "
                  "ratings were recorded by the therapist. ")
ANONYMISED = ("Anonymised: the client is named by their id only, goals are numbered instead of quoted, and "
              "session notes, homework, journal notes, tags and free-text answers are left out.")


def client_label(client: Any, anonymise: bool = False) -> str:
    """How a report names a client: "alias (id)", or the id alone when anonymised."""
    if client is None:
        return "Client"
    return f"{client.id}" if anonymise else f"{client.alias} ({client.id})"


def goal_names(sessions: Sequence[Any], anonymise: bool = False) -> dict[str, str]:
    """Each goal's text -> how a report shows it: itself, or "Goal 1", "Goal 2"... (first seen first)."""
    texts = list(dict.fromkeys(g.text for s in sessions for g in s.goals))
    return {t: (f"Goal {i}" if anonymise else t) for i, t in enumerate(texts, start=1)}


def _span(days: Sequence[Any], since: Any, until: Any) -> str:
    from .journal import parse_date

    start = parse_date(since, what="--since date") if since is not None else (min(days) if days else None)
    end = parse_date(until, what="--until date") if until is not None else (max(days) if days else None)
    if start is None and end is None:
        return "nothing recorded yet"
    if start is None:
        return f"until {_day(end)}"
    if end is None:
        return f"from {_day(start)}"
    return _day(start) if start == end else f"{_day(start)} – {_day(end)}"


def _stage_text(stage: int | None) -> str:
    from .content import guide

    return "–" if stage is None else f"{stage}. {guide().stage(stage).name}"


def _instrument_titles(ids: Sequence[str]) -> str:
    return ", ".join(getattr(find(str(i)), "title", None) or i for i in ids) or "–"


def session_sections(journal: Journal, since: date | str | None = None, until: date | str | None = None, *,
                     anonymise: bool = False, dpi: int = 130) -> tuple[Section, list[Section]]:
    """The sessions of a client's journal as report sections: ``(summary, one section per session)``.

    The summary holds the goals chart, a goals table and a table of the
    sessions from ``since`` to ``until``; each session's own section holds its
    notes (template headings in order), homework, questionnaires given and goal
    ratings. ``anonymise`` numbers the goals and leaves out notes and homework.
    """
    import pandas as pd

    from . import charts as ch
    from .journal import NOTE_TEMPLATES

    everything = journal.sessions()
    numbers = {s.id: i for i, s in enumerate(everything, start=1)}  # the same number in every report
    names = goal_names(everything, anonymise)
    sessions = journal.sessions(since, until)
    if not sessions:
        text = "No sessions in this date range." if since is not None or until is not None else \
            "No sessions recorded yet: save one on the session page or with 'rekindle session add'."
        blocks: list[Block] = [Paragraph(text, "muted")]
        if anonymise:
            blocks.append(Paragraph(ANONYMISED, "muted"))
        return Section("Sessions", tuple(blocks)), []

    blocks = []
    if anonymise:
        blocks.append(Paragraph(ANONYMISED, "muted"))
    minutes = [s.minutes for s in sessions if s.minutes]
    total = f", {sum(minutes):,} minutes in all" if minutes else ""
    blocks.append(Paragraph(f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} from "
                            f"{_day(sessions[0].day)} to {_day(sessions[-1].day)}{total}."))
    blocks.append(Table(
        ("Session", "Date", "Minutes", "Stage discussed", "Questionnaires given", "Goals rated"),
        tuple((str(numbers[s.id]), _day(s.day), str(s.minutes) if s.minutes else "–", _stage_text(s.stage),
               _instrument_titles(s.instruments), str(len(s.goals)) if s.goals else "–") for s in sessions),
        widths=(1.2, 1.9, 1.3, 3.4, 3.2, 1.4)))

    progress = journal.goal_progress(since, until)
    if len(progress):
        progress = progress.assign(goal=[names[g] for g in progress["goal"]])
        fig = ch.figure("goals", pd.DataFrame(), progress=progress, title="")
        width, height = fig.get_size_inches()
        text = ch.describe_goals(progress)
        blocks.append(Chart("Goals: progress rated 0-10 in each session", ch.render(fig, "png", dpi=dpi,
                                                                                   description=text),
                            text, float(height / width), float(width)))
        del fig
        rows = []
        for goal, group in progress.groupby("goal", sort=False):
            group = group.sort_values(["date", "session_id"], kind="stable")
            first, last = group.iloc[0], group.iloc[-1]
            rows.append((str(goal), f"{int(first['rating'])} on {_day(first['date'])}",
                         f"{int(last['rating'])} on {_day(last['date'])}", str(len(group))))
        blocks.append(Table(("Goal", "First rating", "Latest rating", "Times rated"), tuple(rows),
                            widths=(5, 2.2, 2.2, 1.4)))

    details: list[Section] = []
    last_rating: dict[str, int] = {}
    in_range = {s.id for s in sessions}
    for s in everything:
        if s.id in in_range:
            parts = [f"{s.minutes} minutes" if s.minutes else "length not recorded",
                     f"stage discussed: {_stage_text(s.stage)}" if s.stage else "no stage discussed",
                     f"{s.template.upper()} notes"]
            if s.instruments:
                parts.append(f"questionnaires given: {_instrument_titles(s.instruments)}")
            session_blocks: list[Block] = [Paragraph(" · ".join(parts), "muted")]
            written = [(k, v) for k, v in s.notes.items() if v]
            if anonymise:
                if written or s.homework:
                    session_blocks.append(Paragraph("Notes and homework are left out of this anonymised report.",
                                                    "muted"))
            else:
                for section in NOTE_TEMPLATES.get(s.template, tuple(s.notes)):
                    if s.notes.get(section):
                        session_blocks.append(Paragraph(s.notes[section], "note", heading=section.capitalize()))
                if not written:
                    session_blocks.append(Paragraph("No notes were written for this session.", "muted"))
                if s.homework:
                    session_blocks.append(Paragraph(s.homework, "note", heading="Homework"))
            if s.goals:
                rows = []
                for g in s.goals:
                    before = last_rating.get(g.text)
                    change = "first rating" if before is None else f"{g.rating - before:+d} since last rated" \
                        if g.rating != before else "same as last rated"
                    rows.append((names[g.text], f"{g.rating} of 10", change))
                session_blocks.append(Table(("Goal", "Rating", "Change"), tuple(rows), widths=(5, 1.6, 2.6)))
            details.append(Section(f"Session {numbers[s.id]} · {s.day:%a} {_day(s.day)}", tuple(session_blocks)))
        for g in s.goals:
            last_rating[g.text] = g.rating
    return Section("Sessions and goals", tuple(blocks)), details


def build_session_report(journal: Journal, since: date | str | None = None, until: date | str | None = None, *,
                         client: Any = None, anonymise: bool = False, title: str = SESSION_TITLE,
                         **options: Any) -> Report:
    """A therapist's report on one client: :func:`build_report` plus the client's sessions and goals.

    ``client`` is the :class:`~rekindle_widgets.practice.Client` whose
    ``journal`` this is (named by alias and id, or by id alone when
    ``anonymise``). Sessions from ``since`` to ``until`` follow the overview
    (a summary, the goals chart) and close the report (one section each, with
    notes). Safety flags the client ever raised come first, as in every report.
    ``anonymise`` also leaves out the tags chart: tags are the client's own words.
    """
    summary, details = session_sections(journal, since, until, anonymise=anonymise,
                                        dpi=options.get("dpi", 130))
    if anonymise and "charts" not in options:
        options["charts"] = tuple(k for k in CHARTS if k != "tags")
    report = build_report(journal, since, until, title=title, extra_sections=[summary], anonymise=anonymise,
                          source=SESSION_SOURCE, **options)
    report.sections.extend(details)
    who = client_label(client, anonymise)
    sessions = journal.sessions(since, until)
    days = [s.day for s in sessions]
    data = journal.entries(since, until)
    if len(data):
        days += [data["date"].min().date(), data["date"].max().date()]
    report.subtitle = f"{who} · {_span(days, since, until)}"
    report.facts.insert(0, ("Client", who))
    if not sessions:
        held = "none in this range" if since is not None or until is not None else "none yet"
    elif len(sessions) == 1:
        held = f"1, on {_day(sessions[0].day)}"
    else:
        held = f"{len(sessions)}, {_day(sessions[0].day)} – {_day(sessions[-1].day)}"
    report.facts.append(("Sessions", held))
    return report


def write_session_report(journal: Journal, path: str | os.PathLike[str], since: date | str | None = None,
                         until: date | str | None = None, **options: Any) -> Path:
    """Write a client's session report to ``path`` (.html/.htm or .pdf), whole or not at all, privately."""
    from .paths import write_private

    fmt = report_format(path)
    report = build_session_report(journal, since, until, **options)
    return write_private(path, render_html(report) if fmt == "html" else render_pdf(report))
