"""Our own export formats: CSV (for spreadsheets) and JSON (everything, lossless).

CSV columns are exactly ``timestamp,mood,readiness,stage,tags,note,source``:
ISO 8601 timestamps with their UTC offset, tags joined with ``|``, the derived
stage per entry. Cells a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``, which
our importer removes again, so the round trip is exact.

JSON holds the entries, the stage timeline with its notes, questionnaire
responses, therapy sessions (with notes and goal ratings), the agreements
and weekly check-ins of the red-flag watch (a check-in names each agreement it
rates by its ``number`` in the file), the moving forward records
(decisions with their reasons, I-statements, micro-dates, the person's own
ideas and the ideas tried), and measurement plans (``plans``: the plan id, client
id, questionnaires, how often, start and end): use it to move a journal between machines.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..journal import Agreement, CheckIn, Journal, Session

__all__ = ["CSV_COLUMNS", "JSON_FORMAT", "export_csv", "export_json", "neutralise", "restore"]

CSV_COLUMNS = ["timestamp", "mood", "readiness", "stage", "tags", "note", "source"]
JSON_FORMAT = "rekindle-journal"
JSON_VERSION = 1

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """Make a cell inert in spreadsheets; :func:`restore` undoes it exactly."""
    return "'" + cell if _FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    return cell[1:] if _ESCAPED.match(cell) else cell


def _whole_or_none(value: Any) -> int | None:
    import pandas as pd

    return None if pd.isna(value) else int(value)


def _records(journal: Journal, since: date | str | None, until: date | str | None) -> list[dict[str, Any]]:
    frame = journal.entries(since, until)
    return [
        {
            "timestamp": row.local_time,
            "mood": int(row.mood),
            "readiness": _whole_or_none(row.readiness),
            "stage": _whole_or_none(row.stage),
            "tags": list(row.tags),
            "note": row.note,
            "source": row.source,
        }
        for row in frame.astype({"readiness": object, "stage": object}).itertuples(index=False)
    ]


def export_csv(journal: Journal, since: date | str | None = None, until: date | str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in _records(journal, since, until):
        writer.writerow([
            r["timestamp"], r["mood"], "" if r["readiness"] is None else r["readiness"],
            "" if r["stage"] is None else r["stage"], neutralise("|".join(r["tags"])),
            neutralise(r["note"]), neutralise(r["source"]),
        ])
    return out.getvalue()


def _session_record(s: Session) -> dict[str, Any]:
    return {"date": s.day.isoformat(), "minutes": s.minutes, "stage": s.stage, "instruments": list(s.instruments),
            "template": s.template, "notes": dict(s.notes), "homework": s.homework,
            "goals": [{"goal": g.text, "rating": g.rating} for g in s.goals]}


def forward_records(journal: Journal) -> dict[str, list[Any]]:
    """The moving-forward records (journal/forward.py) as the JSON export's lists; the importer reads them back."""
    records = journal.forward_records()
    return {
        "decisions": [{"date": d.day.isoformat(), "option": d.option,
                       "reasons": [{"option": r.option, "text": r.text, "weight": r.weight} for r in d.reasons],
                       "answers": {q: ("yes" if v else "no") for q, v in d.answers.items()},
                       "involved": list(d.involved), "review": d.review.isoformat() if d.review else None,
                       "note": d.note} for d in records.decisions],
        "statements": [{"date": s.day.isoformat(), "feeling": s.feeling, "situation": s.situation, "wish": s.wish}
                       for s in records.statements],
        "dates": [{"idea": d.idea, "planned": d.planned.isoformat(),
                   "happened": d.happened.isoformat() if d.happened else None} for d in records.dates],
        "ideas": [{"kind": kind, "text": text} for kind, text in records.ideas],
        "tried": [{"idea": idea, "date": day.isoformat()} for idea, day in records.tried],
    }


def agreement_record(a: Agreement) -> dict[str, Any]:
    return {"number": a.id, "text": a.text, "since": a.since.isoformat(),
            "ended": a.ended.isoformat() if a.ended else None}


def checkin_record(c: CheckIn) -> dict[str, Any]:
    return {"date": c.day.isoformat(), "marks": [{"agreement": n, "kept": kept} for n, kept in c.marks],
            "past_raised": c.past_raised, "promises_visible": c.promises_visible, "feels": c.feels}


def _within(day: date, since: date | str | None, until: date | str | None) -> bool:
    from ..journal import parse_date

    return (since is None or day >= parse_date(since, what="--since date")) and \
        (until is None or day <= parse_date(until, what="--until date"))


Writer = Callable[["Journal", "date | str | None", "date | str | None"], list[Any]]


def _responses(journal: Journal, since: date | str | None, until: date | str | None) -> list[dict[str, Any]]:
    return [{"instrument": r.instrument, "timestamp": r.local_time, "answers": r.answers,
             "total": None if r.total is None or r.total != r.total else float(r.total), "band": r.band,
             "flags": list(r.flags), "context": r.context}
            for r in journal.responses().itertuples(index=False)]


def _plans(journal: Journal, since: date | str | None, until: date | str | None) -> list[dict[str, Any]]:
    return [{"plan": p.plan, "client": p.client, "role": p.role, "instruments": list(p.instruments),
             "every_days": p.every_days, "start": p.start.isoformat(),
             "ended": p.ended.isoformat() if p.ended else None}
            for p in journal.plans()]


def _forward(key: str) -> Writer:
    return lambda journal, since, until: forward_records(journal)[key]


#: One writer per kind of record in journal/tables.py, by its name (the export's list); the importer's
#: READERS (io/importers/native.py) read each back. A test checks both against the registry.
WRITERS: dict[str, Writer] = {
    "entries": _records,
    "stages": lambda journal, since, until: [{"stage": c.stage, "since": c.since.isoformat(), "note": c.note}
                                             for c in journal.stage_changes()],
    "responses": _responses,
    "sessions": lambda journal, since, until: [_session_record(s) for s in journal.sessions(since, until)],
    "agreements": lambda journal, since, until: [agreement_record(a) for a in journal.agreements()],
    "checkins": lambda journal, since, until: [checkin_record(c) for c in journal.checkins()
                                               if _within(c.day, since, until)],
    **{key: _forward(key) for key in ("decisions", "statements", "dates", "ideas", "tried")},
    "plans": _plans,
    "trackers": lambda journal, since, until: [
        {"name": t.name, "value": ("yes" if t.value else "no") if t.yesno else t.value,
         "timestamp": t.at.isoformat(), "source": t.source}
        for t in journal.tracked() if _within(t.at.date(), since, until)],
}


def export_json(journal: Journal, since: date | str | None = None, until: date | str | None = None) -> str:
    """Everything the journal holds, every kind of record the registry marks as exported (lossless)."""
    from ..journal.tables import KINDS

    document = {"format": JSON_FORMAT, "version": JSON_VERSION,
                **{k.name: WRITERS[k.name](journal, since, until) for k in KINDS if k.exported}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
