"""Therapy sessions as text: the notes file, goal specs, and notes shown back.

A session is stored in the client's journal (:meth:`Journal.add_session`,
:class:`~rekindle_widgets.journal.Session`); this module reads and writes the
plain-text forms a therapist types.

The notes file is plain UTF-8 text divided by headings, one per section of the
template, in any order::

    ## Subjective
    Slept badly after the last call; wants to "stop checking their page".

    ## Plan
    Try the 24-hour pause before replying.

A heading is a line starting with one to six ``#`` and a space, then the
section's name or its initial, any case, an optional colon: ``# Subjective``,
``## S``, ``### plan:``. SOAP has Subjective, Objective, Assessment, Plan; DAP
has Data, Assessment, Plan. Sections may be left out; a heading the template
does not have, a section given twice, or text before the first heading is an
error naming the line. A ``#`` without a space after it (``#3``, ``#tag``) is
ordinary text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import RekindleError
from ..journal import NOTE_TEMPLATES, Goal, Journal, Session

__all__ = ["MAX_NOTES_FILE", "LatestScore", "agenda", "check_instruments", "format_notes", "headings",
           "last_goals", "latest_scores", "parse_goal", "parse_notes", "read_notes"]

MAX_NOTES_FILE = 1_000_000  # bytes
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<name>.*?)[ \t]*:?[ \t]*$")


def _template(template: Any) -> str:
    name = template.strip().lower() if isinstance(template, str) else template
    if not isinstance(name, str) or name not in NOTE_TEMPLATES:
        raise RekindleError(f"template must be {' or '.join(NOTE_TEMPLATES)}, not {template!r}")
    return name


def headings(template: str) -> dict[str, str]:
    """What a heading may say (lower case) -> the section it starts: names and initials."""
    sections = NOTE_TEMPLATES[_template(template)]
    names = {s: s for s in sections}
    names.update({s[0]: s for s in sections})
    return names


def _allowed(template: str) -> str:
    sections = NOTE_TEMPLATES[template]
    return (", ".join(f"'## {s.capitalize()}'" for s in sections)
            + f" (or {', '.join(f'## {s[0].upper()}' for s in sections)})")


def parse_notes(text: str, template: str = "soap", name: str = "notes") -> dict[str, str]:
    """The sections of a notes text, validated against ``template``; see the module doc for the format."""
    template = _template(template)
    names = headings(template)
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        match = _HEADING.match(line)
        if match:
            said = match.group("name")
            section = names.get(said.casefold())
            if section is None:
                raise RekindleError(
                    f"{name} line {number}: unknown heading {line.strip()!r} for the {template.upper()} "
                    f"template; use {_allowed(template)}"
                )
            if section in found:
                raise RekindleError(f"{name} line {number}: section {section!r} appears twice; merge the two")
            current = found[section] = []
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise RekindleError(
                f"{name} line {number}: text before the first heading; start each section with a "
                f"heading such as '## {NOTE_TEMPLATES[template][0].capitalize()}'"
            )
    if not found:
        raise RekindleError(f"{name} has no section headings; use {_allowed(template)}")
    # Session.make checks each section (length, NUL) and puts them in template order
    return dict(Session.make(template=template, notes={k: "\n".join(v) for k, v in found.items()}).notes)


def read_notes(path: str | os.PathLike[str], template: str = "soap") -> dict[str, str]:
    """A notes file (UTF-8 text, see the module doc) -> its sections."""
    template = _template(template)
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_NOTES_FILE:
            raise RekindleError(f"notes file {path} is {size:,} bytes; the limit is {MAX_NOTES_FILE:,}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RekindleError(f"notes file {path} does not exist; check the name") from None
    except IsADirectoryError:
        raise RekindleError(f"notes file {path} is a folder; give a text file") from None
    except OSError as exc:
        raise RekindleError(f"cannot read notes file {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RekindleError(f"notes file {path} line {line} is not UTF-8 text; save it as UTF-8") from None
    return parse_notes(text, template, str(path))


def format_notes(notes: Mapping[str, str], template: str = "soap") -> str:
    """Notes as the text of a notes file (``parse_notes`` reads it back to the same sections)."""
    template = _template(template)
    parts = [f"## {section.capitalize()}\n{notes.get(section, '')}".rstrip()
             for section in NOTE_TEMPLATES[template] if notes.get(section)]
    return "\n\n".join(parts) + "\n" if parts else ""


def parse_goal(spec: str) -> tuple[str, str]:
    """``"sleep before midnight=6"`` -> ``("sleep before midnight", "6")``; the rating is checked later."""
    text, sep, rating = spec.rpartition("=")
    if not sep or not text.strip():
        raise RekindleError(
            f"goal {spec!r} needs a rating: write it as \"TEXT=RATING\" with a rating from 0 to 10, "
            f"e.g. \"sleep before midnight=6\""
        )
    return text, rating.strip()


def check_instruments(ids: Iterable[str]) -> tuple[str, ...]:
    """Instrument ids given in a session, each one Rekindle offers (see ``rekindle_widgets.content.instruments``)."""
    from ..content.instruments import instrument_ids

    known = instrument_ids()
    checked = Session.make(instruments=list(ids)).instruments
    for name in checked:
        if name not in known:
            raise RekindleError(f"instrument {name!r} is not one Rekindle offers; choose from {', '.join(known)}")
    return checked


# --------------------------------------------------------------------------
# What a therapist sees before a session (the session page and notebook)
# --------------------------------------------------------------------------


class LatestScore(NamedTuple):
    """A questionnaire's most recent scored response: what the session page lists under "latest scores"."""

    instrument: str
    title: str
    day: str  # the local day it was filled in, YYYY-MM-DD
    total: float
    max_total: int | None
    band: str | None
    context: str  # "self" or "session"

    @property
    def text(self) -> str:
        """``"WHO-5 Well-Being Index: 15 of 25 on 2026-07-01 (in session)"``; never a screen's score."""
        top = f" of {self.max_total}" if self.max_total else ""
        band = f", {self.band}" if self.band else ""
        where = " (in session)" if self.context == "session" else ""
        return f"{self.title}: {self.total:g}{top}{band} on {self.day}{where}"


def latest_scores(journal: Journal) -> list[LatestScore]:
    """Each scored questionnaire's latest response, most recent first.

    "Latest" is :func:`rekindle_widgets.model.scorer.latest_responses` (``scored=True``),
    the definition the report uses too. Screens (the safety screen) have no
    score and are never listed: their flags are shown through
    :func:`rekindle_widgets.model.scorer.safety_flags_ever`.
    """
    from ..content.instruments import instrument
    from .scorer import latest_responses

    rows = []
    for row in latest_responses(journal.responses(), scored=True).iloc[::-1].itertuples(index=False):
        inst = instrument(str(row.instrument))
        rows.append(LatestScore(inst.id, inst.title, str(row.local_time)[:10], float(row.total),
                                inst.max_total or None, row.band if isinstance(row.band, str) else None,
                                str(row.context)))
    return rows


def agenda(journal: Journal) -> tuple[int | None, tuple[str, ...]]:
    """``(current stage or None, the prompts to talk through)``: stage 1's prompts before any stage."""
    from ..content import guide

    stage = journal.current_stage()
    return stage, guide().stage(stage or 1).prompts


def last_goals(journal: Journal) -> tuple[Goal, ...]:
    """The goals of the client's latest session (to carry into the next one), or none."""
    sessions = journal.sessions()
    return sessions[-1].goals if sessions else ()
