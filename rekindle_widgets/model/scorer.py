"""The one scorer: answers to any instrument in, a :class:`Result` out.

Every questionnaire is data (:mod:`rekindle_widgets.content.instruments`); this module
is the only place that decides what answers mean: the total and its
percentage, subscales, the flags raised and the answers behind each, the band
(or verdict) and the next steps. Safety comes first: a result with a flag of
kind ``crisis`` or ``abuse`` has ``result.safety`` set, and every view shows
:func:`resources` for the person's region before anything else. A safety
screen is never scored: it has no total and no band, only its flag.

Public API::

    score(instrument, answers) -> Result              # answers: one per item, or {item id: answer}
    parse_answers(instrument, "0,1,2,...") -> list    # a paper form's answers, one per choice item
    resources(kinds, region=None) -> Resources        # safety services, the right kind first
    quick_exit_url() -> str                           # where "Leave this page quickly" goes
    save(journal, result, context="self", at=None) -> int   # into the journal, with a timestamp
    stored_responses(journal, instrument=None) -> list[Stored]
    rescore(stored) -> Result                         # an earlier response, scored again
    raised_flag(instrument, flag) -> RaisedFlag       # the one rule: is a stored flag a safety flag?
    safety_flags_ever(journal) -> list[SafetyMark]    # "a safety flag was raised" (never a score)
    latest_responses(responses, scored=False)         # the one "latest result per questionnaire"
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..content.instruments import (
    MAX_TEXT_ANSWER,
    SAFETY_KINDS,
    Band,
    Condition,
    Flag,
    Instrument,
    Item,
    find,
    instrument,
)
from ..errors import RekindleError

if TYPE_CHECKING:
    import pandas as pd

    from ..content import Region, Service
    from ..journal import JournalLike

__all__ = [
    "RaisedFlag",
    "Reason",
    "Resources",
    "Result",
    "SafetyMark",
    "Stored",
    "dial_text",
    "latest_responses",
    "parse_answers",
    "quick_exit_url",
    "raised_flag",
    "rescore",
    "resources",
    "safety_flags_ever",
    "save",
    "score",
    "stored_responses",
]

# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """A raised flag and, in words, the answers (or score) that raised it."""

    flag: Flag
    because: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.flag.label

    @property
    def text(self) -> str:
        return self.flag.text


@dataclass(frozen=True)
class Resources:
    """Safety services for one region, the ones for the person's situation first."""

    region: Region
    services: tuple[Service, ...]
    intro: str
    emergency_text: str
    quick_exit_url: str

    @property
    def emergency(self) -> str:
        """The region's emergency number (or 'your local emergency number')."""
        return self.region.emergency

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region.code,
            "emergency": self.region.emergency,
            "services": [
                {"name": s.name, "kind": s.kind, "phone": s.phone, "call": dial_text(s), "text": s.text,
                 "hours": s.hours, "url": s.url, "source": s.source_url, "checked": s.checked.isoformat()}
                for s in self.services
            ],
        }


def dial_text(service: Service) -> str:
    """What to call, as shown: the number to dial, then its mnemonic if it has one.

    ``800-799-7233 (800-799-SAFE)``, ``116 123``, or the label alone when there
    is no number (``your local emergency number``).
    """
    import re

    if not service.phone:
        return service.phone_label
    mnemonic = re.sub(r"\s*\(\d+\)$", "", service.phone_label).strip()
    if not mnemonic or mnemonic == service.phone:
        return service.phone
    return f"{service.phone} ({mnemonic})"


@dataclass(frozen=True)
class Result:
    """What a set of answers means. Build with :func:`score`."""

    instrument: Instrument
    answers: tuple[Any, ...]  # one per item, normalised: option values, text, or None
    total: int | float | None
    percentage: int | float | None
    subscales: tuple[tuple[str, str, int, int], ...]  # (id, label, value, highest possible)
    band: Band | None
    reasons: tuple[Reason, ...]  # every raised flag, in the file's order
    band_reasons: tuple[Reason, ...]  # the raised flags that decided the band (the verdict's reasons)
    next_steps: tuple[str, ...]

    @property
    def flags(self) -> tuple[str, ...]:
        """Ids of the raised flags (what the journal stores)."""
        return tuple(r.flag.id for r in self.reasons)

    @property
    def safety_kinds(self) -> tuple[str, ...]:
        """Kinds of safety flags raised, most urgent first: ``("crisis", "abuse")`` order."""
        raised = {r.flag.kind for r in self.reasons}
        return tuple(k for k in SAFETY_KINDS if k in raised)

    @property
    def safety(self) -> bool:
        """True when safety resources must be shown before anything else."""
        return bool(self.safety_kinds)

    @property
    def safety_reasons(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.flag.is_safety)

    @property
    def stops_flow(self) -> bool:
        """A safety screen that raised a flag: stop here, withhold what would follow (the check-up)."""
        return self.instrument.screen and self.safety

    @property
    def max_total(self) -> int | None:
        return self.instrument.max_total if self.instrument.has_total else None

    def answer_label(self, item: Item) -> str:
        return item.label_of(self.answers[item.number - 1])

    def resources(self, region: str | None = None) -> Resources:
        """Safety services for ``region`` (default: the person's, content.default_region), its kinds first."""
        return resources(self.safety_kinds or ("abuse",), region)

    def to_dict(self, region: str | None = None) -> dict[str, Any]:
        """Plain data (for ``--json``); safety resources come first when they apply."""
        out: dict[str, Any] = {"safety": self.safety}
        if self.safety:
            out["resources"] = self.resources(region).to_dict()
        out["instrument"] = self.instrument.id
        out["title"] = self.instrument.title
        if self.instrument.has_total:
            out["total"] = self.total
            out["max"] = self.max_total
        if self.percentage is not None:
            out["percentage"] = self.percentage
        if self.subscales:
            out["subscales"] = {sid: value for sid, _, value, _ in self.subscales}
        if self.band is not None:
            out["band"] = self.band.label
            out["band_title"] = self.instrument.band_title
        out["flags"] = [
            {"id": r.flag.id, "label": r.flag.label, "kind": r.flag.kind, "because": list(r.because),
             "text": r.flag.text} for r in self.reasons
        ]
        out["next_steps"] = list(self.next_steps)
        out["answers"] = list(self.answers)
        return out


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def _normalise(inst: Instrument, item: Item, value: Any) -> Any:
    where = f"{inst.short_title}, question {item.number}"  # as the person sees it, never an id
    if item.is_choice:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        option = item.option(value)
        digits = value.strip().removeprefix("-") if isinstance(value, str) else ""
        if option is None and digits.isdecimal() and len(digits) <= 30:  # not "²" or "--1", which int() refuses
            option = item.option(int(value.strip()))
        if option is None and isinstance(value, float) and value.is_integer():
            option = item.option(int(value))
        if option is None:
            allowed = ", ".join(map(str, item.values))
            raise RekindleError(f"{where}: {value!r} is not one of its answers ({allowed})")
        return option.value
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RekindleError(f"{where} takes text, not {type(value).__name__}")
    if "\x00" in value:
        raise RekindleError(f"{where}: the text contains a NUL character; remove it and try again")
    if len(value) > MAX_TEXT_ANSWER:
        raise RekindleError(f"{where}: the text is {len(value):,} characters; the limit is {MAX_TEXT_ANSWER:,}")
    return value.replace("\r\n", "\n").strip()


def _answers(inst: Instrument, answers: Sequence[Any] | Mapping[str, Any]) -> tuple[Any, ...]:
    if isinstance(answers, Mapping):
        unknown = [k for k in answers if k not in {i.id for i in inst.items}]
        if unknown:
            raise RekindleError(f"{inst.id} has no question {unknown[0]!r}")
        raw = [answers.get(item.id) for item in inst.items]
    elif isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise RekindleError("answers must be a list with one answer per question")
    else:
        raw = list(answers)
        if len(raw) != len(inst.items):
            raise RekindleError(f"{inst.id} has {len(inst.items)} questions, but {len(raw)} answers were given")
    values = tuple(_normalise(inst, item, value) for item, value in zip(inst.items, raw, strict=True))
    for item, value in zip(inst.items, values, strict=True):
        if item.required and value is None:
            raise RekindleError(f"{inst.short_title}, question {item.number} needs an answer: {_short(item.text)}")
    return values


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _scored_value(item: Item, value: int) -> int:
    return (min(item.numbers) + max(item.numbers) - value) if item.reverse else value


def _check(cond: Condition, inst: Instrument, by_id: dict[str, Any], scores: dict[str, Any],
           raised: dict[str, Reason]) -> tuple[bool, tuple[str, ...]]:
    """Does ``cond`` hold, and what (in words) made it hold?"""
    if cond.subject == "flags":
        reasons = [raised[name] for name in cond.names if name in raised]
        return bool(reasons), tuple(r.flag.label for r in reasons)
    if cond.subject == "score":
        name = cond.names[0]
        value = scores.get(name)
        if value is None or not cond.holds(value):
            return False, ()
        what = {"total": "total", "percentage": "percentage"}.get(name, name)
        return True, (f"{what} {_num(value)} {cond.describe()}",)
    hits: list[str] = []
    for name in cond.names:
        item = inst.item(name)
        if cond.holds(by_id[name]):
            hits.append(f"{item.number}. {item.text} — {item.label_of(by_id[name])}")
    ok = len(hits) == len(cond.names) if cond.match == "all" else bool(hits)
    return ok, tuple(hits) if ok else ()


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def score(inst: Instrument | str, answers: Sequence[Any] | Mapping[str, Any]) -> Result:
    """Score ``answers`` (one per item in order, or ``{item id: answer}``) for an instrument.

    Choice answers are option values (``2``, ``"2"`` or ``"yes"``); free-text
    answers are strings; ``None`` leaves an optional question blank. A missing
    required answer or a value that is not an option raises RekindleError.
    """
    inst = instrument(inst)
    values = _answers(inst, answers)
    by_id = {item.id: value for item, value in zip(inst.items, values, strict=True)}

    total = percentage = None
    scores: dict[str, Any] = {}
    if inst.has_total:
        total = sum(_scored_value(i, by_id[i.id]) for i in inst.scored_items if by_id[i.id] is not None)
        scores["total"] = total
        if inst.percentage_factor is not None:
            percentage = total * inst.percentage_factor
            percentage = int(percentage) if float(percentage).is_integer() else round(percentage, 1)
            scores["percentage"] = percentage
    subscales = []
    for sub in inst.subscales:
        parts = [by_id[name] for name in sub.items if by_id[name] is not None]
        value = sum(_scored_value(inst.item(n), by_id[n]) for n in sub.items if by_id[n] is not None) \
            if parts else None
        scores[sub.id] = value
        if value is not None:
            subscales.append((sub.id, sub.label, value, sum(max(inst.item(n).numbers) for n in sub.items)))

    raised: dict[str, Reason] = {}
    for flag in inst.flags:  # in file order: a flag may build on flags above it
        ok, because = _check(flag.when, inst, by_id, scores, raised)
        if ok:
            raised[flag.id] = Reason(flag, because)

    band: Band | None = None
    band_reasons: tuple[Reason, ...] = ()
    if not inst.screen:
        for candidate in inst.bands:
            if candidate.min is not None and candidate.max is not None:  # a score range (is_range)
                ok = total is not None and candidate.min <= total <= candidate.max
                names: tuple[str, ...] = ()
            elif candidate.when is not None:
                ok, _ = _check(candidate.when, inst, by_id, scores, raised)
                names = candidate.when.names if candidate.when.subject == "flags" else ()
            else:
                ok, names = True, ()
            if ok:
                band = candidate
                band_reasons = tuple(raised[n] for n in names if n in raised)
                break

    steps: list[str] = []
    for step in [*(band.next_steps if band else ()), *(s for r in raised.values() for s in r.flag.next_steps),
                 *inst.next_steps]:
        if step not in steps:
            steps.append(step)
    return Result(inst, values, total, percentage, tuple(subscales), band, tuple(raised.values()),
                  band_reasons, tuple(steps))


def parse_answers(inst: Instrument | str, text: str | Sequence[str]) -> list[Any]:
    """A paper form's answers (``"0,1,2"``: one per question with options, in order) as a full list.

    Free-text questions are left out of ``text`` and come back empty; trailing
    optional questions may be left out too, and an optional one left empty
    (``"1,,2"``). Raises RekindleError on a wrong count or a value that is not
    an answer, naming the question.
    """
    inst = instrument(inst)
    tokens = [t.strip() for t in text.split(",")] if isinstance(text, str) else [str(t).strip() for t in text]
    if tokens == [""]:
        tokens = []
    low, high = inst.answers_needed
    if not low <= len(tokens) <= high:
        raise RekindleError(f"{inst.id} takes {inst.answer_help()}; {len(tokens)} were given")
    choice = iter(tokens)
    full: list[Any] = []
    for item in inst.items:
        if item.is_choice:
            token = next(choice, "")
            full.append(token or None)
        else:
            full.append("")
    score(inst, full)  # validates: raises for an out-of-range or missing answer
    return full


# --------------------------------------------------------------------------
# Safety resources: one place, from content/guide.toml
# --------------------------------------------------------------------------


def resources(kinds: Sequence[str] = ("abuse",), region: str | None = None) -> Resources:
    """The safety services for ``region`` (a code from the guide; default :func:`content.default_region`).

    Services of the given kinds come first, in the order of ``kinds`` (e.g.
    ``("crisis",)`` for thoughts of self-harm puts the crisis line first); the
    others follow, so the emergency number and every line stay in view. An
    unknown region code raises RekindleError.
    """
    from ..content import guide

    safety = guide().safety
    codes = [r.code for r in safety.regions]
    if region is not None and str(region).strip().upper() not in codes:
        raise RekindleError(f"unknown region {region!r}; choose one of {', '.join(codes)}")
    chosen = safety.region(region)
    order = {kind: n for n, kind in enumerate(kinds)}
    services = sorted(chosen.services, key=lambda s: order.get(s.kind, len(order)))
    return Resources(chosen, tuple(services), safety.intro, safety.emergency, quick_exit_url())


def quick_exit_url() -> str:
    """Where "Leave this page quickly" goes: ``$REKINDLE_EXIT_URL``, else the guide's neutral page.

    The address must be a plain ``http(s)://`` URL (it becomes a link and the
    page the browser is sent to); anything else raises RekindleError naming
    the variable.
    """
    from urllib.parse import urlsplit

    from ..content import guide

    value = os.environ.get("REKINDLE_EXIT_URL", "").strip()
    if not value:
        return guide().safety.quick_exit_url
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() or ord(c) < 32 for c in value):
        raise RekindleError(f"REKINDLE_EXIT_URL must be an http:// or https:// address, like "
                            f"https://www.bbc.co.uk/weather, not {value!r}")
    return value


# --------------------------------------------------------------------------
# The journal
# --------------------------------------------------------------------------


def save(journal: JournalLike, result: Result, *, context: str = "self",
         at: str | datetime | None = None) -> int:
    """Save a scored result to the journal (a Journal, a path, or None for the default); returns its id.

    ``context`` is ``"self"`` (filled in alone) or ``"session"`` (with a
    therapist); ``at`` defaults to now. The answers, total, band and flag ids
    are stored; a safety screen stores no total and no band.
    """
    from ..journal import opened

    with opened(journal) as j:
        return j.add_response(result.instrument.id, list(result.answers), total=result.total,
                              band=result.band.label if result.band else None, flags=result.flags,
                              at=at, context=context)


@dataclass(frozen=True)
class Stored:
    """A response as saved in the journal."""

    id: int
    instrument: str
    at: str  # local ISO time, as recorded
    context: str
    answers: tuple[Any, ...]
    total: float | None
    band: str | None
    flags: tuple[str, ...]


def stored_responses(journal: JournalLike, instrument_id: str | None = None) -> list[Stored]:
    """Saved responses, oldest first (all instruments, or one). A journal that does not exist has none."""
    from ..journal import Journal, opened, path_of

    if not isinstance(journal, Journal) and not path_of(journal).exists():
        return []
    with opened(journal, create=False) as j:
        frame = j.responses(instrument_id)
    out = []
    for row in frame.itertuples(index=False):
        total = None if row.total is None or row.total != row.total else float(row.total)
        band = row.band if isinstance(row.band, str) else None
        out.append(Stored(int(row.id), row.instrument, row.local_time, row.context, tuple(row.answers),
                          total, band, tuple(row.flags)))
    return out


def rescore(stored: Stored) -> Result:
    """Score an earlier response again with the current instrument file (to reopen it)."""
    return score(stored.instrument, list(stored.answers))


@dataclass(frozen=True)
class RaisedFlag:
    """What a flag stored with a response means: the one rule every view asks."""

    id: str
    kind: str  # "crisis", "abuse", "warning" or "note"; an unknown flag is "crisis" or "abuse"
    label: str
    known: bool

    @property
    def is_safety(self) -> bool:
        return self.kind in SAFETY_KINDS


_CRISIS_WORDS = ("crisis", "harm", "suicid", "self")


def raised_flag(instrument_id: str, flag_id: str) -> RaisedFlag:
    """The meaning of ``flag_id`` stored with a response to ``instrument_id``.

    The one rule for what counts as a safety flag, used by the report, the
    session page, the CLI, the charts and the app. A flag this version's
    instrument file defines keeps its own kind. A flag it does not know (from a
    newer version, another tool, or an instrument this version lacks) errs
    towards safety: it counts as a safety flag, of kind ``crisis`` when its id
    speaks of harm or crisis and ``abuse`` otherwise, so the resources are
    shown rather than silently skipped.
    """
    flag_id = str(flag_id)
    inst = find(str(instrument_id))
    if inst is not None:
        for flag in inst.flags:
            if flag.id == flag_id:
                return RaisedFlag(flag.id, flag.kind, flag.label, True)
    lowered = flag_id.lower()
    kind = "crisis" if any(word in lowered for word in _CRISIS_WORDS) else "abuse"
    return RaisedFlag(flag_id, kind, flag_id.replace("_", " ").replace("-", " "), False)


@dataclass(frozen=True)
class SafetyMark:
    """That a safety flag was raised, when and by what; never a score."""

    response_id: int
    instrument: str
    at: str
    flag: str
    kind: str  # "crisis" or "abuse"
    label: str


def safety_flags_ever(journal: Any) -> list[SafetyMark]:
    """Every safety flag ever raised in the journal, oldest first.

    For charts, reports and therapist pages that must say "a safety flag was
    raised" (and show the resources) without ever showing a danger score.
    What counts is :func:`raised_flag`'s rule: unknown flags count too.
    """
    marks = []
    for stored in stored_responses(journal):
        for flag_id in stored.flags:
            flag = raised_flag(stored.instrument, flag_id)
            if flag.is_safety:
                marks.append(SafetyMark(stored.id, stored.instrument, stored.at, flag.id, flag.kind,
                                        flag.label))
    return marks


def latest_responses(responses: pd.DataFrame, *, scored: bool = False) -> pd.DataFrame:
    """Each questionnaire's latest response: the one definition of "latest result per questionnaire".

    ``responses`` is a :meth:`~rekindle_widgets.journal.Journal.responses`
    frame, or rows of one (a date range, say). A questionnaire's latest
    response is the one with the latest ``timestamp`` (the moment, in UTC, so a
    change of time zone cannot reorder them); between two at the same moment,
    the one saved later (the higher ``id``). The result has one row per
    instrument id, oldest first, as the journal orders rows (reverse it for
    "most recent first").

    A screen (the safety screen) never has a latest result: it has no score,
    and what it raised is shown as safety flags (:func:`safety_flags_ever`).
    With ``scored=True`` only responses that have a total count, and only for
    questionnaires this version knows and totals: the "latest scores" a
    therapist sees. Otherwise a response to an instrument this version does
    not know is kept, so the report can still show it by its id.

    The report's questionnaire section and the session page's "latest
    scores" (:func:`rekindle_widgets.model.sessions.latest_scores`) both use this.
    """
    keep = []
    for inst, total in zip(responses["instrument"], responses["total"], strict=True):
        info = find(str(inst))
        if info is not None and info.screen:
            keep.append(False)
        elif scored:
            keep.append(info is not None and info.has_total and total is not None and total == total)
        else:
            keep.append(True)
    frame = responses[keep] if len(responses) else responses
    order = [c for c in ("timestamp", "id") if c in frame.columns]
    return frame.sort_values(order, kind="stable").groupby("instrument", sort=False).tail(1)
