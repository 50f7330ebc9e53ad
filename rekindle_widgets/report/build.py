"""Building a report from a journal: what it says, as :class:`~.model.Report` data.

:func:`build_report` is the person's own report: the date range, days
tracked, mood (lowest, mean, highest), each chart with a description in words
(its alt text), the stage summary table, the latest result of each
questionnaire with its band and item answers, recent notes, and, if a safety
flag was ever raised, the safety services from the guide (never a danger
score). Which flags count is :func:`rekindle_widgets.model.scorer.raised_flag`'s
rule; which response is a questionnaire's latest is
:func:`rekindle_widgets.model.scorer.latest_responses`'s.

:func:`build_session_report` is a therapist's report on one client: this
report plus the client's sessions (:func:`session_sections`): a summary with
the goals chart after the overview, and each session's notes, homework and
goal ratings at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..charts.kinds import REGISTRY as CHART_KINDS
from ..content.instruments import find
from ..errors import RekindleError
from ..model.scorer import dial_text, latest_responses, raised_flag
from .model import Block, Chart, Paragraph, Report, Section, Table

if TYPE_CHECKING:
    import pandas as pd

    from ..journal import Journal

__all__ = [
    "ANONYMISED",
    "CHARTS",
    "CHART_TITLES",
    "RECENT_NOTES",
    "SESSION_SOURCE",
    "SESSION_TITLE",
    "build_report",
    "build_session_report",
    "change_sections",
    "client_label",
    "goal_names",
    "session_sections",
    "together_sections",
]

#: The charts a report shows, in order, and their headings: every kind the chart registry marks for the
#: report (charts/kinds.py), so a new kind reaches the report by its declaration alone.
CHARTS = tuple(k.name for k in CHART_KINDS.values() if k.in_report)
CHART_TITLES = {name: CHART_KINDS[name].heading for name in CHARTS}
RECENT_NOTES = 15


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
    from ..content import guide

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
    from ..content import default_region

    # the person's region (given, else the one rule's choice), then "anywhere else"; the others would fill pages
    shown = [region.strip().upper() if region else default_region()]
    shown += [code for code in ("OTHER",) if code not in shown]
    regions = [safety.region(code) for code in shown]
    if not region:
        others = [r.code for r in safety.regions if r.code not in shown]
        blocks.append(Paragraph(f"Services for other countries ({', '.join(others)}): "
                                "rekindle report --region CODE.", "muted"))
    for reg in regions:
        services = sorted(reg.services, key=lambda s: kinds.index(s.kind) if s.kind in kinds else len(kinds))
        rows = []
        for s in services:
            how = ", ".join(x for x in (f"call {dial_text(s)}" if s.phone else s.phone_label, s.text, s.hours) if x)
            rows.append((s.name, how, s.url))
        blocks.append(Table(("Service", "How to reach it", "Web"), tuple(rows),
                            caption=f"{reg.name} (emergencies: {reg.emergency})", widths=(3, 4, 3)))
    return Section("Safety notes", tuple(blocks), kind="safety")


def _answers_table(info: Any, answers: Sequence[Any], anonymise: bool) -> Table | None:
    items = getattr(info, "items", None)
    if not items:
        return None
    by_id: dict[str, Any] = {}
    rows = []
    for item, value in zip(items, answers, strict=False):  # a newer version may have saved more or fewer
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


def _alerts_section(journal: Journal) -> list[Section]:
    """Reliable deterioration and overdue questionnaires (:func:`rekindle_widgets.model.alerts.alerts`); a safety flag
    has its own section, with the services, before this one."""
    from ..model.alerts import alerts

    found = [a for a in alerts(journal) if a.kind != "safety"]
    if not found:
        return []
    return [Section("Alerts", tuple(Paragraph(a.text, "alert", heading=a.title) for a in found))]


def _questionnaire_sections(responses: pd.DataFrame, anonymise: bool) -> list[Section]:
    if responses.empty:
        return []
    blocks: list[Block] = []
    latest = latest_responses(responses)  # never a screen: its flags are in the safety notes
    summary_rows = []
    detail: list[Block] = []
    for row in latest.itertuples(index=False):
        info = find(str(row.instrument))
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


def change_sections(responses: pd.DataFrame, ranged: bool = False) -> list[Section]:
    """"Change since the first score": each questionnaire with change constants and two or more scores,
    every later score classified against the first (:mod:`rekindle_widgets.model.reliable_change`)."""
    from ..errors import RekindleError
    from ..model.reliable_change import NOT_A_DIAGNOSIS, changes, rule_text, series

    try:
        found = changes(responses)
    except RekindleError:  # a total this version cannot classify (a newer version's scale): leave it out
        return []
    if not found:
        return []
    blocks: list[Block] = [
        Paragraph(f"{NOT_A_DIAGNOSIS} Each later score is compared with the first"
                  + (" in this report's dates" if ranged else "") + ": a change of at least the "
                  "questionnaire's reliable-change threshold is more than the questionnaire's own measurement "
                  "error; recovery is moving from at or past the clinical cut-off at first to the other side "
                  "of it.", "muted"),
        Table(("Questionnaire", "First", "Latest", "Change", "Classification"),
              tuple((c.title, f"{c.first:g}", f"{c.latest:g}", c.points_text(), c.label) for c in found),
              widths=(2.6, 1, 1, 2.4, 4)),
    ]
    for c in found:
        rows = []
        for step in series(responses, c.instrument):
            if step.change is None:
                rows.append((_day(step.timestamp), f"{step.total:g}", "–", "first score"))
            else:
                rows.append((_day(step.timestamp), f"{step.total:g}", step.change.points_text(), step.change.label))
        blocks.append(Table(("Date", "Total", "Change from the first", "Classification"), tuple(rows),
                            caption=c.describe(), widths=(2, 1, 2.6, 4.4)))
    for c in found:
        info = find(c.instrument)
        rule = getattr(info, "change", None)
        if rule is not None:
            blocks.append(Paragraph(f"{rule_text(c.instrument)} Source: {' '.join(rule.source.split())} "
                                    f"{rule.url}", "muted"))
    return [Section("Change since the first score", tuple(blocks))]


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
    from .. import charts as ch
    from ..content import guide

    for kind in charts:
        ch.kinds.check(kind)  # an unknown kind: one error naming the kinds there are
    if anonymise:  # a chart of the person's own words (tags) is left out, as its Kind says
        charts = tuple(k for k in charts if not ch.kinds.REGISTRY[k].own_words)
    codes = [r.code for r in guide().safety.regions]
    if region is not None and str(region).strip().upper() not in codes:
        raise RekindleError(f"unknown region {region!r}; choose one of {', '.join(codes)}")
    data = journal.entries(since, until)
    stages = journal.stage_changes()
    responses = journal.responses()
    flags = _flags_within(journal, since, until)
    if since is not None or until is not None:
        import pandas as pd

        from ..journal import parse_date

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
    report.sections.extend(_alerts_section(journal))  # after the safety notes: the services come first
    overview = [Paragraph(ch.describe(data, stages))]
    unreadable = len(journal.unreadable_entries())
    if unreadable:  # rows an older version or a damaged file let in: left out of everything shown here
        overview.append(Paragraph(f"{unreadable} entr{'y' if unreadable == 1 else 'ies'} in this journal could "
                                  f"not be read and {'is' if unreadable == 1 else 'are'} left out of this report; "
                                  f"'rekindle check' lists {'it' if unreadable == 1 else 'them'}.", "alert"))
    overview.append(Paragraph((source or "Everything here was entered by the person themselves. ")
                              + guide().disclaimer,
                              "muted"))
    report.sections.append(Section("Overview", tuple(overview)))
    report.sections.extend(extra_sections)

    chart_blocks: list[Block] = []
    for kind in charts:
        spec = CHART_KINDS[kind]
        if spec.data == "responses" and ch.scorable(responses).empty:
            continue
        if spec.data == "entries" and not len(data):
            continue
        fig = ch.figure(kind, data, stages=stages, responses=responses,
                        **({} if spec.data == "responses" else {"title": ""}),  # the report names each chart
                        **({"flags": flags} if kind == "timeline" and flags else {}),
                        **({"moments": journal.timeline_moments()} if kind == "timeline" else {}))
        width, height = fig.get_size_inches()
        text = ch.describe(data, stages, kind=kind, responses=responses,
                           moments=journal.timeline_moments() if kind == "timeline" else None)
        if kind == "timeline" and flags:
            text += " " + ch.describe_flags(flags)
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
    from .insights import insight_sections  # what goes with better days, how much mood moves (issue 27)

    report.sections.extend(insight_sections(data, anonymise=anonymise, trackers=journal.trackers()))
    report.sections.extend(change_sections(responses, since is not None or until is not None))  # what changed
    report.sections.extend(_questionnaire_sections(responses, anonymise))
    report.sections.extend(together_sections(journal, since, until, anonymise=anonymise))
    from .forward import forward_sections  # Decisions, Moving forward (issue 17)

    report.sections.extend(forward_sections(journal, anonymise))
    if not anonymise and len(data):
        notes = data[data["note"].astype(str).str.strip() != ""].tail(RECENT_NOTES)
        if len(notes):
            blocks = tuple(Paragraph(str(r.note), "note", heading=f"{r.local_time[:10]} · mood {r.mood}"
                                     + (f" · {', '.join(r.tags)}" if r.tags else ""))
                           for r in notes.iloc[::-1].itertuples(index=False))
            report.sections.append(Section(f"Recent notes (latest {len(notes)})", blocks))
    return report



# --------------------------------------------------------------------------
# Agreements, check-ins and red flags (issue 17)
# --------------------------------------------------------------------------

#: At most this many check-ins are listed one by one (the latest); the tallies count them all.
CHECKINS_SHOWN = 26


def _flags_within(journal: Journal, since: date | str | None, until: date | str | None) -> list[Any]:
    """Every red-flag episode (:func:`rekindle_widgets.model.watch.flag_history`) with a week in the range."""
    from ..model.watch import journal_flags

    return journal_flags(journal, history=True, since=since, until=until)


def together_sections(journal: Journal, since: date | str | None = None, until: date | str | None = None, *,
                      anonymise: bool = False) -> list[Section]:
    """"Agreements and check-ins" (how each agreement was kept, week by week) and "Red flags raised".

    Nothing when the journal has no agreement and no check-in. Check-ins are
    those from ``since`` to ``until``; agreements are all listed. The flags
    are the watch's (:mod:`rekindle_widgets.model.watch`), now and earlier; the
    report counts weeks but, like the watch, gives no score. ``anonymise``
    numbers the agreements instead of quoting them.
    """
    from ..journal import KEPT, KEPT_LABELS, parse_date
    from ..journal.watch import FEELS_LABELS, QUESTION_LABELS

    agreements = journal.agreements()
    start = parse_date(since, what="--since date") if since is not None else None
    end = parse_date(until, what="--until date") if until is not None else None
    checkins = [c for c in journal.checkins()
                if (start is None or c.day >= start) and (end is None or c.day <= end)]
    if not agreements and not checkins:
        return []
    name = {a.id: (f"Agreement {a.id}" if anonymise else f"{a.id}. {a.text}") for a in agreements}
    rows = []
    for a in agreements:
        marks = [(c.day, kept) for c in checkins if (kept := c.mark(a.id or 0)) is not None]
        tally = " · ".join(f"{KEPT_LABELS[k]} {sum(1 for _, m in marks if m == k)}" for k in KEPT)
        latest = f"{KEPT_LABELS[marks[-1][1]]} ({_day(marks[-1][0])})" if marks else "not rated yet"
        since_text = _day(a.since) + (f" – {_day(a.ended)}" if a.ended else "")
        rows.append((name[a.id], since_text, str(len(marks)), tally if marks else "–", latest))
    blocks: list[Block] = []
    if rows:
        blocks.append(Table(("Agreement", "Agreed", "Rated", "How it went", "Latest"), tuple(rows),
                            widths=(4, 2.3, 1.2, 3.8, 2.6)))
    else:
        blocks.append(Paragraph("No agreements recorded; the check-ins answered the questions only.", "muted"))
    if checkins:
        yes_no = {True: "yes", False: "no", None: "–"}
        shown = checkins[-CHECKINS_SHOWN:]
        weekly = tuple(
            (_day(c.day),
             "; ".join(f"{a.id}: {KEPT_LABELS[kept]}" for a in agreements if (kept := c.mark(a.id or 0))) or "–",
             yes_no[c.past_raised], yes_no[c.promises_visible], FEELS_LABELS.get(c.feels or "", "–"))
            for c in shown)
        caption = (f"The latest {len(shown)} of {len(checkins)} check-ins." if len(shown) < len(checkins) else
                   f"{len(checkins)} check-in{'s' if len(checkins) != 1 else ''}.")
        blocks.append(Table(("Week of", "Agreements (by number)",
                             *(label.capitalize() for label in QUESTION_LABELS.values()), "Feels like"),
                            weekly, caption=caption, widths=(2, 4, 2.2, 2.2, 2.4)))
    else:
        blocks.append(Paragraph("No weekly check-ins yet.", "muted"))
    sections = [Section("Agreements and check-ins", tuple(blocks))]

    flags = _flags_within(journal, since, until)
    if flags:
        flag_blocks: list[Block] = []
        for f in sorted(flags, key=lambda f: (not f.current, f.first)):
            when = ", ".join(_day(d) for d in f.weeks)
            lead = f"{f.title} · {'raised now' if f.current else 'raised earlier'}"
            says = f.says if not anonymise or f.agreement is None else \
                f"Agreement {f.agreement.id} was not kept in two of the last three check-ins that rated it."
            flag_blocks.append(Paragraph(f"{says} The guide's red flag: \u201c{f.sign.red_flag}\u201d Weeks: {when}. "
                                         f"Next: {f.sign.next}", heading=lead))
        flag_blocks.append(Paragraph("A red flag is raised when the same sign shows in two of the last three weekly "
                                     "check-ins (for an agreement, those that rated it; 'partly kept' counts half). "
                                     "It is a pattern to talk about, not a score.", "muted"))
        sections.append(Section("Red flags raised", tuple(flag_blocks)))
    elif checkins:
        sections.append(Section("Red flags raised", (Paragraph(
            f"None: no sign showed in two of the last three check-ins, in {len(checkins)} check-in"
            f"{'s' if len(checkins) != 1 else ''}.", "muted"),)))
    return sections


# --------------------------------------------------------------------------
# Session reports: one client of a therapist's practice
# --------------------------------------------------------------------------

SESSION_TITLE = "Session report"
#: Who wrote what, in a session report (the journal report says the person entered everything).
SESSION_SOURCE = ("The journal entries and questionnaires were entered by the client (questionnaires given in a "
                  "session were filled in together with the therapist); session notes, homework and goal "
                  "ratings were recorded by the therapist. ")
ANONYMISED = ("Anonymised: the client is named by their id only, goals and agreements are numbered instead of "
              "quoted, and "
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
    from ..journal import parse_date

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
    from ..content import guide

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

    from .. import charts as ch
    from ..journal import NOTE_TEMPLATES

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
                ratings: list[tuple[str, str, str]] = []
                for g in s.goals:
                    before = last_rating.get(g.text)
                    change = "first rating" if before is None else f"{g.rating - before:+d} since last rated" \
                        if g.rating != before else "same as last rated"
                    ratings.append((names[g.text], f"{g.rating} of 10", change))
                session_blocks.append(Table(("Goal", "Rating", "Change"), tuple(ratings), widths=(5, 1.6, 2.6)))
            details.append(Section(f"Session {numbers[s.id]} · {s.day:%a} {_day(s.day)}", tuple(session_blocks)))
        for g in s.goals:
            last_rating[g.text] = g.rating
    return Section("Sessions and goals", tuple(blocks)), details


def build_session_report(journal: Journal, since: date | str | None = None, until: date | str | None = None, *,
                         client: Any = None, anonymise: bool = False, title: str = SESSION_TITLE,
                         **options: Any) -> Report:
    """A therapist's report on one client: :func:`build_report` plus the client's sessions and goals.

    ``client`` is the :class:`~rekindle_widgets.model.practice.Client` whose
    ``journal`` this is (named by alias and id, or by id alone when
    ``anonymise``). Sessions from ``since`` to ``until`` follow the overview
    (a summary, the goals chart) and close the report (one section each, with
    notes). Safety flags the client ever raised come first, as in every report.
    ``anonymise`` also leaves out the tags chart: tags are the client's own words.
    """
    summary, details = session_sections(journal, since, until, anonymise=anonymise,
                                        dpi=options.get("dpi", 130))
    if anonymise and "charts" not in options:
        options["charts"] = tuple(k for k in CHARTS if not CHART_KINDS[k].own_words)
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

