"""The practice overview: every client at a glance, and the practice's outcomes, anonymised.

:func:`practice_overview` opens each client's journal in turn (one at a time,
closed before the next: see :mod:`rekindle_widgets.model.practice`) and keeps, per
client, their latest scores, the change of each scale from its first score
(:func:`rekindle_widgets.model.reliable_change.changes`), what their plan has due
(:func:`rekindle_widgets.model.plans.due`) and their alerts
(:func:`rekindle_widgets.model.alerts.alerts`). Across the practice it counts, per
scale, the clients with two or more scores and the share of them whose latest
score is a reliable improvement or a reliable deterioration from their first;
recovery is counted among those who were at or past the scale's cut-off at
first (only they can recover), as NHS Talking Therapies reports it. The
practice rows name no client.

The same :class:`Overview` is written as a table for the terminal
(:func:`overview_text`), and, in :mod:`rekindle_widgets.report.overview`, as CSV
(``overview_csv``) and an HTML page through the report writer (``overview_report``,
escaped, nothing loaded from elsewhere)
and the app's Therapist page (:mod:`rekindle_widgets.widgets.overview`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..errors import RekindleError

if TYPE_CHECKING:
    from .alerts import Alert
    from .plans import Due
    from .practice import Practice
    from .reliable_change import Change
    from .sessions import LatestScore

__all__ = ["ClientRow", "Overview", "ScaleOutcome", "overview_text",
           "practice_overview"]


@dataclass(frozen=True)
class ClientRow:
    """One client's line of the overview (``error``: their journal could not be read)."""

    id: str
    alias: str
    latest: tuple[LatestScore, ...] = ()
    changes: tuple[Change, ...] = ()
    due: tuple[Due, ...] = ()
    alerts: tuple[Alert, ...] = ()
    error: str | None = None

    def latest_text(self) -> str:
        return "; ".join(f"{s.title.split(' (')[0]} {s.total:g} ({s.day})" for s in self.latest) or "no scores yet"

    def change_text(self) -> str:
        return "; ".join(c.describe() for c in self.changes) or "-"

    def due_text(self, today: date) -> str:
        return ", ".join(d.text(today) for d in self.due if d.pending) or "-"

    def alerts_text(self) -> str:
        """``"Reliable deterioration; Questionnaire overdue (2)"``."""
        counts: dict[str, int] = {}
        for a in self.alerts:
            counts[a.title] = counts.get(a.title, 0) + 1
        return "; ".join(t if n == 1 else f"{t} ({n})" for t, n in counts.items()) or "-"


@dataclass
class ScaleOutcome:
    """One scale across the practice: how many clients, and how their first and latest scores compare."""

    instrument: str
    title: str
    with_two: int = 0  # clients with two or more scores
    improved: int = 0  # reliable improvement, first to latest
    deteriorated: int = 0  # reliable deterioration
    cases_at_first: int = 0  # at or past the cut-off at first
    recovered: int = 0  # of those: below the cut-off at latest
    reliable_recovery: int = 0  # of those: recovered with a reliable improvement

    @staticmethod
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.0%} ({part} of {whole})" if whole else "-"

    def cells(self) -> tuple[str, ...]:
        return (self.title, str(self.with_two), self.share(self.improved, self.with_two),
                self.share(self.deteriorated, self.with_two), self.share(self.recovered, self.cases_at_first),
                self.share(self.reliable_recovery, self.cases_at_first))


OUTCOME_COLUMNS = ("scale", "clients with 2+ scores", "reliable improvement", "reliable deterioration",
                   "recovered (of cases at first)", "reliable recovery (of cases at first)")
_SHORT_COLUMNS = ("scale", "2+ scores", "reliable improvement", "reliable deterioration", "recovered*",
                  "reliable recovery*")
CLIENT_COLUMNS = ("client", "alias", "latest scores", "change", "due", "alerts")


@dataclass
class Overview:
    day: date
    practice: str
    rows: list[ClientRow] = field(default_factory=list)
    outcomes: list[ScaleOutcome] = field(default_factory=list)

    @property
    def alerts(self) -> int:
        return sum(len(r.alerts) for r in self.rows)


def practice_overview(practice: Practice, today: date | None = None, *, include_archived: bool = False) -> Overview:
    """The overview of ``practice`` on ``today`` (default today): one row per client, oldest client first."""
    from ..content.instruments import instruments
    from . import reliable_change as change
    from .alerts import alerts
    from .plans import due
    from .sessions import latest_scores

    today = today or date.today()
    overview = Overview(today, str(practice.path))
    outcomes = {i.id: ScaleOutcome(i.id, change.short_title(i)) for i in instruments() if i.change is not None}
    for client in practice.list(include_archived=include_archived):
        if not client.journal_path.exists():
            overview.rows.append(ClientRow(client.id, client.alias))
            continue
        try:
            with client.open_journal(create=False) as journal:
                responses = journal.responses()
                found = change.changes(responses)
                rows = due(journal, today)
                row = ClientRow(client.id, client.alias, tuple(latest_scores(journal)), tuple(found), tuple(rows),
                                tuple(alerts(journal, today, responses=responses, changes=found, due_rows=rows)))
        except RekindleError as exc:
            overview.rows.append(ClientRow(client.id, client.alias, error=str(exc)))
            continue
        overview.rows.append(row)
        for c in found:
            scale = outcomes[c.instrument]
            scale.with_two += 1
            scale.improved += c.status == change.IMPROVEMENT
            scale.deteriorated += c.status == change.DETERIORATION
            scale.cases_at_first += c.case_first
            scale.recovered += c.recovered
            scale.reliable_recovery += c.reliable_recovery
    overview.outcomes = list(outcomes.values())
    return overview


def _client_cells(row: ClientRow, today: date) -> tuple[str, ...]:
    if row.error:
        return (row.id, row.alias, f"unreadable journal: {row.error}", "-", "-", "-")
    return (row.id, row.alias, row.latest_text(), row.change_text(), row.due_text(today), row.alerts_text())


def overview_text(overview: Overview) -> str:
    """The overview as plain text for a terminal: one block per client, then the practice's outcomes."""
    from .reliable_change import NOT_A_DIAGNOSIS

    lines = [f"Practice overview, {overview.day.isoformat()}: {len(overview.rows)} client"
             f"{'s' if len(overview.rows) != 1 else ''}, {overview.alerts} alert{'s' if overview.alerts != 1 else ''}"]
    if not overview.rows:
        lines.append("no clients yet; add one with 'rekindle client add ALIAS'")
    for row in overview.rows:
        cells = _client_cells(row, overview.day)
        lines.append("")
        lines.append(f"{cells[0]} ({cells[1]})")
        for name, cell in zip(CLIENT_COLUMNS[2:], cells[2:], strict=True):
            lines.append(f"  {name + ':':<15}{cell}")
    lines += ["", "Across the practice (anonymised; * of the clients at or past the cut-off at first):"]
    table = [_SHORT_COLUMNS] + [o.cells() for o in overview.outcomes]
    widths = [max(len(r[i]) for r in table) for i in range(len(OUTCOME_COLUMNS))]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    lines += ["", NOT_A_DIAGNOSIS]
    return "\n".join(lines) + "\n"


