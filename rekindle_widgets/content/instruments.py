"""Questionnaires as data: load and validate ``content/instruments/*.toml``.

Every questionnaire Rekindle offers (the check-up, the safety screen, WHO-5,
PHQ-9, GAD-7, the readiness ruler and the seven stage reflections) is a data
file read by this module and scored by :mod:`rekindle_widgets.model.scorer`; no
instrument has code of its own. A broken file fails with a
:class:`~rekindle_widgets.content.toml.ContentError` naming the file and the key,
e.g. ``phq9.toml: items[8].choices: 'often' is not a choice set (known: frequency)``.

The shape of a file::

    [instrument]
    id = "phq9"                 # equals the file name
    title = "PHQ-9"
    order = 30                  # position in lists
    intro = "..."               # instructions shown above the questions
    source = "..."              # where the wording comes from
    licence = "..."             # may we reproduce it, and on what terms
    layout = "paged"            # "paged" (one question at a time) or "page"; default by length
    band_title = "Severity"     # what the band is called when shown
    screen = false              # true: a safety screen, never scored (no total, no bands)
    next_steps = ["..."]        # shown with every result (optional)

    [scoring]
    method = "sum"              # "sum" of the scored items, or "none"
    percentage_factor = 4       # optional: percentage = total x factor, 100 at the maximum

    [[choices.frequency]]       # a named set of answers that items share
    label = "Not at all"
    value = 0                   # a whole number (scored) or a short key such as "yes"

    [[items]]
    id = "q9"
    text = "..."                # or text_from = "pause_signs[0]" (a text in content/guide.toml)
    type = "choice"             # or "text" (free text, never scored)
    choices = "frequency"       # or options = [{label = "...", value = ...}, ...]
    required = true             # default: true for choices, false for text
    reverse = false             # reverse-keyed: scored as (lowest + highest) - value
    scored = true               # counts towards the total (default: numeric choices, when method = "sum")
    section = "..."             # optional heading shown before this item
    follows = "importance"      # text items: a follow-up; "{value}" in text becomes that item's answer

    [[subscales]]               # optional sums over some items
    id = "importance"; label = "Importance"; items = ["importance"]

    [[flags]]                   # raised when their condition holds
    id = "crisis"; label = "..."; kind = "crisis"   # crisis | abuse | warning | note
    text = "..."                # why it matters (or text_from)
    when = { item = "q9", above = 0 }

    [[bands]]                   # the first that matches is the result's band (or verdict)
    label = "mild"; min = 5; max = 9           # a score range, or
    when = { flags = ["unfaithful"] }          # a condition, or neither: the default (last)
    text = "..."; next_steps = ["..."]

    [change]                    # optional: reliable and clinically significant change constants
    worse = "higher"; reliable_change = 6; caseness = { at_least = 10 }   # see content/reliable_change.py
    source = "..."; url = "https://..."

A condition (``when``) names one subject and one test. Subjects: ``item``,
``items`` (with ``match = "any"`` or ``"all"``), ``score`` (``"total"``,
``"percentage"`` or a subscale id) or ``flags`` (any of these raised). Tests:
``equals``, ``in``, ``above``, ``below``, ``at_least``, ``at_most``.

``stages.toml`` is a template: it yields one instrument per stage of the guide
(``stage1`` ... ``stage7``), its prompts as free-text items and its readiness
checklist as yes / not yet items, so the stage texts live only in guide.toml.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .guide import guide
from .reliable_change import ChangeRule, read_change
from .toml import ContentError, Reader, content_path, load_toml

__all__ = [
    "FLAG_KINDS",
    "MAX_TEXT_ANSWER",
    "PAGE_LIMIT",
    "SAFETY_KINDS",
    "STAGE_TEMPLATE",
    "Band",
    "Condition",
    "Flag",
    "Instrument",
    "Item",
    "Option",
    "Subscale",
    "find",
    "instrument",
    "instrument_ids",
    "instruments",
    "instruments_dir",
    "load_instrument",
]

#: Flags of these kinds put safety resources before anything else.
SAFETY_KINDS = ("crisis", "abuse")
FLAG_KINDS = (*SAFETY_KINDS, "warning", "note")
_TESTS = ("equals", "in", "above", "below", "at_least", "at_most")
_NUMERIC_TESTS = ("above", "below", "at_least", "at_most")
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
#: Instruments with this many scored questions or fewer fit on one page.
PAGE_LIMIT = 7
#: Texts in content/guide.toml an item or flag may reuse with ``text_from``.
_GUIDE_TEXTS = ("checkup_questions", "pause_signs", "red_flags")
MAX_TEXT_ANSWER = 20_000


@dataclass(frozen=True)
class Option:
    label: str
    value: int | str


@dataclass(frozen=True)
class Item:
    id: str
    number: int  # 1-based position in the instrument
    text: str
    type: str  # "choice" or "text"
    options: tuple[Option, ...] = ()
    required: bool = True
    reverse: bool = False
    scored: bool = False
    section: str = ""
    follows: str = ""

    @property
    def is_choice(self) -> bool:
        return self.type == "choice"

    def option(self, value: Any) -> Option | None:
        """The option with this value (string values match case-insensitively)."""
        for option in self.options:
            if option.value == value and type(option.value) is type(value):
                return option
            if isinstance(value, str) and isinstance(option.value, str) and \
                    option.value.lower() == value.strip().lower():
                return option
        return None

    def label_of(self, value: Any) -> str:
        """How an answer reads back to a person ("Several days", or the text itself)."""
        option = self.option(value) if self.is_choice else None
        if option is not None:
            return option.label
        return "(no answer)" if value in (None, "") else str(value)

    def prompt(self, answers: dict[str, Any] | None = None) -> str:
        """The question text; a follow-up names the answer it follows (``{value}``)."""
        if not self.follows:
            return self.text
        value = (answers or {}).get(self.follows)
        return self.text.replace("{value}", str(value) if value not in (None, "") else "your number")

    @property
    def values(self) -> tuple[int | str, ...]:
        return tuple(o.value for o in self.options)

    @property
    def numbers(self) -> tuple[int, ...]:
        """The whole-number answer values: all of them for a scored or numeric item (see ``_numeric``)."""
        return tuple(v for v in self.values if isinstance(v, int))


@dataclass(frozen=True)
class Condition:
    """``when``: one subject (items, a score, or flags) and one test."""

    subject: str  # "items", "score" or "flags"
    names: tuple[str, ...]
    match: str = "any"  # for items: "any" or "all"
    test: str = "in"
    operand: Any = None

    def holds(self, value: Any) -> bool:
        """Does one value (an answer or a score) pass the test?"""
        if value is None or value == "":
            return False
        if self.test == "equals":
            return _same(value, self.operand)
        if self.test == "in":
            return any(_same(value, v) for v in self.operand)
        if isinstance(value, (str, bool)):
            return False
        return {
            "above": value > self.operand,
            "below": value < self.operand,
            "at_least": value >= self.operand,
            "at_most": value <= self.operand,
        }[self.test]

    def describe(self) -> str:
        words = {"equals": "is", "in": "is one of", "above": "is above", "below": "is below",
                 "at_least": "is at least", "at_most": "is at most"}
        operand = ", ".join(map(str, self.operand)) if self.test == "in" else self.operand
        return f"{words[self.test]} {operand}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().lower() == b.strip().lower()
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


@dataclass(frozen=True)
class Flag:
    id: str
    label: str
    kind: str  # "crisis", "abuse", "warning" or "note"
    text: str
    when: Condition
    next_steps: tuple[str, ...] = ()

    @property
    def is_safety(self) -> bool:
        return self.kind in SAFETY_KINDS


@dataclass(frozen=True)
class Band:
    label: str
    text: str = ""
    min: float | None = None
    max: float | None = None
    when: Condition | None = None
    next_steps: tuple[str, ...] = ()

    @property
    def is_range(self) -> bool:
        return self.min is not None


@dataclass(frozen=True)
class Subscale:
    id: str
    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    """One questionnaire, validated. Score it with :func:`rekindle_widgets.model.scorer.score`."""

    id: str
    title: str
    order: int
    intro: str
    source: str
    licence: str
    items: tuple[Item, ...]
    method: str = "sum"  # "sum" or "none"
    percentage_factor: float | None = None
    layout: str = "page"  # "page" or "paged"
    band_title: str = "Band"
    screen: bool = False
    subscales: tuple[Subscale, ...] = ()
    flags: tuple[Flag, ...] = ()
    bands: tuple[Band, ...] = ()
    next_steps: tuple[str, ...] = ()
    file: str = field(default="", compare=False)
    change: ChangeRule | None = None  # reliable and clinically significant change (content/reliable_change.py)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def short_title(self) -> str:
        """``"PHQ-9"`` from ``"PHQ-9 (low mood)"``: the name a line about its scores starts with."""
        return self.title.split(" (")[0].strip()

    @property
    def choice_items(self) -> tuple[Item, ...]:
        """The questions with answer options: the ones a paper form's ``--answers`` lists."""
        return tuple(i for i in self.items if i.is_choice)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.scored)

    @property
    def has_total(self) -> bool:
        return self.method == "sum"

    @property
    def min_total(self) -> int:
        return sum(min(i.numbers) for i in self.scored_items)

    @property
    def max_total(self) -> int:
        return sum(max(i.numbers) for i in self.scored_items)

    def flag(self, flag_id: str) -> Flag:
        for flag in self.flags:
            if flag.id == flag_id:
                return flag
        raise KeyError(flag_id)

    @property
    def answers_needed(self) -> tuple[int, int]:
        """How many ``--answers`` a paper form gives: (fewest, most). Trailing optional ones may go."""
        choice = self.choice_items
        required = [n for n, item in enumerate(choice, start=1) if item.required]
        return (required[-1] if required else 0), len(choice)

    def answer_sets(self) -> list[str]:
        """The distinct ways an answer is written, e.g. ``["0-3"]`` or ``["yes/no/prefer-not"]``."""
        sets: list[str] = []
        for item in self.choice_items:
            text = _values_text(item.values)
            if text not in sets:
                sets.append(text)
        return sets

    def answer_help(self) -> str:
        """How to write this instrument's answers on one line (for ``rekindle score --answers``)."""
        low, high = self.answers_needed
        count = f"{low} answers"
        if high > low:
            count += f", or {high} with the optional last {'one' if high - low == 1 else high - low}"
        sets = self.answer_sets()
        text = f"{count}, each {sets[0]}" if len(sets) == 1 else \
            f"{count} (values per question: 'rekindle instruments {self.id}')"
        skipped = len(self.items) - len(self.choice_items)
        if skipped:
            text += f"; leave out the {skipped} free-text questions"
        return text


def _values_text(values: tuple[Any, ...]) -> str:
    if _is_range(values):
        return f"{min(values)}-{max(values)}"
    return "/".join(map(str, values))


def _is_range(values: tuple[Any, ...]) -> bool:
    return len(values) > 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in values) and \
        sorted(values) == list(range(min(values), min(values) + len(values)))


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _text(r: Reader, name: str = "text") -> str:
    """``text``, or ``text_from`` naming a text in content/guide.toml."""
    if r.has(f"{name}_from"):
        ref = r.str(f"{name}_from")
        found = re.fullmatch(r"(\w+)\[(\d+)\]", ref)
        texts = getattr(guide(), found.group(1), None) if found and found.group(1) in _GUIDE_TEXTS else None
        if found is None or texts is None or int(found.group(2)) >= len(texts):
            raise r.fail(f"{name}_from", f"{ref!r} is not a guide text; use e.g. pause_signs[0] "
                                         f"({', '.join(_GUIDE_TEXTS)})")
        return texts[int(found.group(2))]
    return r.str(name)


def _ident(r: Reader, name: str = "id") -> str:
    value = r.str(name)
    if not _ID.fullmatch(value):  # fullmatch: "$" alone would let a trailing newline through
        raise r.fail(name, f"{value!r} is not an id: use lower-case letters, digits, '-' and '_'")
    return value


def _options(r: Reader, name: str) -> tuple[Option, ...]:
    options = []
    for o in r.tables(name):
        o.check_keys({"label", "value"})
        value = o.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
            raise o.fail("value", "expected a whole number or a short text key such as 'yes'")
        if isinstance(value, str) and (not _ID.fullmatch(value.lower()) or "," in value):
            raise o.fail("value", f"{value!r}: text values are short keys (letters, digits, '-', '_')")
        options.append(Option(o.str("label"), value))
    values = [o.value for o in options]
    keys = [v.lower() if isinstance(v, str) else v for v in values]
    if len(set(keys)) != len(keys):
        raise r.fail(name, f"answer values repeat: {values}")
    return tuple(options)


def _condition(r: Reader, name: str = "when") -> Condition:
    w = r.table(name)
    subjects = [k for k in ("item", "items", "score", "flags") if w.has(k)]
    tests = [k for k in _TESTS if w.has(k)]
    w.check_keys({"item", "items", "score", "flags", "match", *_TESTS})
    if len(subjects) != 1:
        raise r.fail(name, "name exactly one of item, items, score or flags")
    subject = subjects[0]
    names: tuple[str, ...]
    if subject == "item":
        names, subject = (w.str("item"),), "items"
    elif subject in ("items", "flags"):
        names = w.strings(subject)
    else:
        names = (w.str("score"),)
    match = w.opt_str("match", "any")
    if match not in ("any", "all") or (match == "all" and subject != "items"):
        raise w.fail("match", "expected 'any' or 'all' (and 'all' only with items)")
    if subject == "flags":
        if tests:
            raise w.fail(tests[0], "a flags condition has no test: it holds when any of them is raised")
        return Condition("flags", names)
    if len(tests) != 1:
        raise r.fail(name, f"name exactly one test: {', '.join(_TESTS)}")
    test = tests[0]
    operand = w.get(test)
    if test == "in":
        if not (isinstance(operand, list) and operand):
            raise w.fail("in", "expected a non-empty list of answer values")
        operand = tuple(operand)
    elif test in _NUMERIC_TESTS and (isinstance(operand, bool) or not isinstance(operand, (int, float))):
        raise w.fail(test, "expected a number")
    return Condition(subject, names, match, test, operand)


def _item(r: Reader, number: int, choice_sets: dict[str, tuple[Option, ...]], method: str) -> Item:
    r.check_keys({"id", "text", "text_from", "type", "choices", "options", "required", "reverse",
                  "scored", "section", "follows"})
    kind = r.opt_str("type", "choice")
    if kind not in ("choice", "text"):
        raise r.fail("type", f"expected 'choice' or 'text', not {kind!r}")
    options: tuple[Option, ...] = ()
    if kind == "choice":
        if r.has("choices") == r.has("options"):
            raise r.fail("choices", "a choice item names a choice set (choices = ...) or lists options")
        if r.has("choices"):
            name = r.str("choices")
            if name not in choice_sets:
                known = ", ".join(choice_sets) or "none"
                raise r.fail("choices", f"{name!r} is not a choice set (known: {known})")
            options = choice_sets[name]
        else:
            options = _options(r, "options")
        if len(options) < 2:
            raise r.fail("options", "a choice item needs at least two answers")
    elif r.has("choices") or r.has("options"):
        raise r.fail("choices", "a text item has no answer options")
    numeric = all(isinstance(o.value, int) for o in options) and kind == "choice"
    scored = r.opt_bool("scored", numeric and method == "sum")
    if scored and not numeric:
        raise r.fail("scored", "only items whose answers are all whole numbers can be scored")
    reverse = r.opt_bool("reverse", False)
    if reverse and not scored:
        raise r.fail("reverse", "only scored items can be reverse-keyed")
    return Item(
        id=_ident(r), number=number, text=_text(r), type=kind, options=options,
        required=r.opt_bool("required", kind == "choice"), reverse=reverse, scored=scored,
        section=r.opt_str("section"), follows=r.opt_str("follows"),
    )


def _parse(top: Reader, expected_id: str | None = None) -> Instrument:
    top.check_keys({"instrument", "scoring", "choices", "items", "subscales", "flags", "bands", "change"})
    meta = top.table("instrument")
    meta.check_keys({"id", "title", "order", "intro", "source", "licence", "layout", "band_title",
                     "screen", "next_steps"})
    inst_id = _ident(meta)
    if expected_id is not None and inst_id != expected_id:
        raise meta.fail("id", f"{inst_id!r} must match the file name ({expected_id!r})")
    scoring = top.table("scoring") if top.has("scoring") else Reader(top.file, {}, "scoring")
    scoring.check_keys({"method", "percentage_factor"})
    method = scoring.opt_str("method", "sum")
    if method not in ("sum", "none"):
        raise scoring.fail("method", f"expected 'sum' or 'none', not {method!r}")
    screen = meta.opt_bool("screen", False)
    if screen and method != "none":
        raise scoring.fail("method", "a safety screen is never scored: set method = \"none\"")

    choice_sets: dict[str, tuple[Option, ...]] = {}
    if top.has("choices"):
        sets = top.table("choices")
        for name in sets.data:
            choice_sets[name] = _options(sets, name)
    items = tuple(_item(r, n, choice_sets, method) for n, r in enumerate(top.tables("items"), start=1))
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise top.fail("items", f"item ids repeat: {next(i for i in ids if ids.count(i) > 1)!r}")
    for n, item in enumerate(items):
        if item.follows and (item.follows not in ids[:n] or item.type != "text"):
            raise top.tables("items")[n].fail("follows", f"{item.follows!r} must be an earlier item, "
                                                       "and this a text item")
    scored = [i for i in items if i.scored]
    if method == "sum" and not scored:
        raise scoring.fail("method", "'sum' needs at least one scored item; use method = \"none\"")

    subscales = []
    for r in (top.tables("subscales") if top.has("subscales") else []):
        r.check_keys({"id", "label", "items"})
        sub = Subscale(_ident(r), r.str("label"), r.strings("items"))
        for name in sub.items:
            if name not in ids or (not _item_of(items, name).scored and not _numeric(_item_of(items, name))):
                raise r.fail("items", f"{name!r} is not a numeric item of this instrument")
        subscales.append(sub)
    scores = {"total", "percentage", *(s.id for s in subscales)}

    flags: list[Flag] = []
    for r in (top.tables("flags") if top.has("flags") else []):
        r.check_keys({"id", "label", "kind", "text", "text_from", "when", "next_steps"})
        kind = r.str("kind")
        if kind not in FLAG_KINDS:
            raise r.fail("kind", f"expected one of {', '.join(FLAG_KINDS)}, not {kind!r}")
        flag = Flag(_ident(r), r.str("label"), kind, _text(r), _condition(r), r.opt_strings("next_steps"))
        _check_condition(r, flag.when, items, scores, [f.id for f in flags], method)
        flags.append(flag)
    flag_ids = [f.id for f in flags]
    if len(set(flag_ids)) != len(flag_ids):
        raise top.fail("flags", f"flag ids repeat: {flag_ids}")

    bands: list[Band] = []
    band_readers = top.tables("bands") if top.has("bands") else []
    if screen and band_readers:
        raise top.fail("bands", "a safety screen has no bands: never grade danger")
    for n, r in enumerate(band_readers):
        r.check_keys({"label", "text", "min", "max", "when", "next_steps"})
        band = Band(label=r.str("label"), text=r.opt_str("text"), next_steps=r.opt_strings("next_steps"))
        if r.has("min") or r.has("max"):
            if not (method == "sum"):
                raise r.fail("min", "score ranges need method = \"sum\"")
            low, high = r.number("min"), r.number("max")
            band = Band(band.label, band.text, low, high, None, band.next_steps)
            if low > high:
                raise r.fail("min", f"min {low} is above max {high}")
        elif r.has("when"):
            when = _condition(r)
            band = Band(band.label, band.text, when=when, next_steps=band.next_steps)
            _check_condition(r, when, items, scores, flag_ids, method)
        elif n != len(band_readers) - 1:
            raise r.fail("when", "only the last band may be the default (no min/max and no when)")
        bands.append(band)
    # (a band has min and max together or neither: both are read above, so is_range means both are set)
    ranges = [(b.label, b.min, b.max) for b in bands if b.min is not None and b.max is not None]
    if ranges:
        _check_ranges(top, ranges, sum(min(i.numbers) for i in scored), sum(max(i.numbers) for i in scored))

    factor = None
    if scoring.has("percentage_factor"):
        factor = scoring.number("percentage_factor")
        top_score = sum(max(i.numbers) for i in scored) * factor
        if abs(top_score - 100) > 1e-9:
            raise scoring.fail("percentage_factor", f"the highest total times {factor} is {top_score}, not 100")

    change = read_change(top, has_total=method == "sum", has_percentage=factor is not None,
                         low=sum(min(i.numbers) for i in scored), high=sum(max(i.numbers) for i in scored),
                         factor=factor)
    layout = meta.opt_str("layout", "paged" if len(items) > PAGE_LIMIT else "page")
    if layout not in ("page", "paged"):
        raise meta.fail("layout", f"expected 'page' or 'paged', not {layout!r}")
    return Instrument(
        id=inst_id, title=meta.str("title"), order=meta.int("order"), intro=meta.str("intro"),
        source=meta.str("source"), licence=meta.str("licence"), items=items, method=method,
        percentage_factor=factor, layout=layout, band_title=meta.opt_str("band_title", "Band"),
        screen=screen, subscales=tuple(subscales), flags=tuple(flags), bands=tuple(bands),
        next_steps=meta.opt_strings("next_steps"), file=top.file, change=change,
    )


def _item_of(items: tuple[Item, ...], item_id: str) -> Item:
    return next(i for i in items if i.id == item_id)


def _numeric(item: Item) -> bool:
    return item.is_choice and all(isinstance(v, int) for v in item.values)


def _check_condition(r: Reader, cond: Condition, items: tuple[Item, ...], scores: set[str],
                     earlier_flags: list[str], method: str) -> None:
    ids = [i.id for i in items]
    if cond.subject == "flags":
        for name in cond.names:
            if name not in earlier_flags:
                raise r.fail("when", f"flag {name!r} is not defined above this point")
        return
    if cond.subject == "score":
        name = cond.names[0]
        if name not in scores or (name in ("total", "percentage") and method != "sum"):
            raise r.fail("when", f"score {name!r} is not computed here (known: {', '.join(sorted(scores))})")
        if cond.test not in _NUMERIC_TESTS:
            raise r.fail("when", "a score condition uses above, below, at_least or at_most")
        return
    named: list[Item] = []
    for name in cond.names:
        if name not in ids:
            raise r.fail("when", f"item {name!r} is not an item of this instrument")
        item = _item_of(items, name)
        if not item.is_choice:
            raise r.fail("when", f"item {name!r} is free text; conditions test answers with options")
        if cond.test in _NUMERIC_TESTS and not _numeric(item):
            raise r.fail("when", f"item {name!r} has text answers; use equals or in")
        named.append(item)
    if cond.test in ("in", "equals"):
        wanted = cond.operand if cond.test == "in" else (cond.operand,)
        for value in wanted:  # a typo in a value would make the condition silently never hold
            if not any(item.option(value) is not None for item in named):
                answers = sorted({str(v) for item in named for v in item.values})
                raise r.fail("when", f"{value!r} is not an answer of {', '.join(cond.names)} "
                                     f"(answers: {', '.join(answers)})")
        for item in named:
            if not any(item.option(value) is not None for value in wanted):
                raise r.fail("when", f"none of {', '.join(map(str, wanted))} is an answer of item {item.id!r}")


def _check_ranges(top: Reader, bands: list[tuple[str, float, float]], low: int, high: int) -> None:
    """Score bands (label, min, max) must cover the whole range once: no gaps, no overlaps."""
    ordered = sorted(bands, key=lambda b: b[1])
    expected: float = low
    for label, band_min, band_max in ordered:
        if band_min != expected:
            raise top.fail("bands", f"band {label!r} starts at {band_min:g}, expected {expected:g} "
                                    f"(bands must cover {low}-{high} without gaps or overlaps)")
        expected = band_max + 1
    if expected - 1 != high:
        raise top.fail("bands", f"the bands end at {expected - 1:g}, but the highest total is {high}")


# --------------------------------------------------------------------------
# Stage instruments, made from guide.toml by the stages.toml template
# --------------------------------------------------------------------------

STAGE_TEMPLATE = "stages.toml"


def _fill(value: Any, fields: dict[str, Any], checklist_ids: list[str]) -> Any:
    """The template with one stage's fields filled in; ``["@checklist"]`` becomes its checklist ids."""
    if isinstance(value, str):
        return value.format(**fields) if "{" in value else value
    if isinstance(value, list):
        if value == ["@checklist"]:
            return list(checklist_ids)
        return [_fill(v, fields, checklist_ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, fields, checklist_ids) for k, v in value.items()}
    return value


def _stage_instruments(path: Path) -> list[Instrument]:
    template = Reader(path.name, load_toml(path))
    template.check_keys({"instrument", "scoring", "choices", "flags", "bands", "template"})
    t = template.table("template")
    t.check_keys({"prompt_section", "checklist_section", "checklist_choices", "prompt_id", "checklist_id"})
    template.table("instrument").int("order")  # checked here: each stage adds its number to it
    made = []
    for stage in guide().stages:
        fields = {"number": stage.number, "name": stage.name, "summary": stage.summary}
        checklist_ids = [f"{t.str('checklist_id')}{n}" for n in range(1, len(stage.checklist) + 1)]

        try:
            data = _fill({k: v for k, v in template.data.items() if k != "template"}, fields, checklist_ids)
        except (KeyError, IndexError, ValueError) as exc:
            raise ContentError(f"{path.name}: a text uses an unknown placeholder ({exc}); "
                               f"use {{number}}, {{name}} or {{summary}}") from None
        data["instrument"]["id"] = f"stage{stage.number}"
        data["instrument"]["order"] = data["instrument"]["order"] + stage.number
        data["items"] = [
            {"id": f"{t.str('prompt_id')}{n}", "type": "text", "text": prompt,
             "section": t.str("prompt_section") if n == 1 else ""}
            for n, prompt in enumerate(stage.prompts, start=1)
        ] + [
            {"id": cid, "text": text, "choices": t.str("checklist_choices"),
             "section": t.str("checklist_section") if n == 0 else ""}
            for n, (cid, text) in enumerate(zip(checklist_ids, stage.checklist, strict=True))
        ]
        for entry in data["items"]:
            if not entry["section"]:
                del entry["section"]
        made.append(_parse(Reader(path.name, data)))
    return made


# --------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------


def instruments_dir() -> Path:
    return content_path("instruments")


def load_instrument(path: str | Path) -> Instrument | list[Instrument]:
    """Read and validate one instrument file (the stage template gives a list)."""
    path = Path(path)
    if path.name == STAGE_TEMPLATE:
        return _stage_instruments(path)
    return _parse(Reader(path.name, load_toml(path)), expected_id=path.stem)


@cache
def _bundled() -> dict[str, Instrument]:
    found: list[Instrument] = []
    for path in sorted(instruments_dir().glob("*.toml")):
        loaded = load_instrument(path)
        found.extend(loaded if isinstance(loaded, list) else [loaded])
    found.sort(key=lambda i: (i.order, i.id))
    ids = [i.id for i in found]
    if len(set(ids)) != len(ids):
        raise ContentError(f"instruments: ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    return {i.id: i for i in found}


# --------------------------------------------------------------------------
# A practice's own questionnaires (issue 26): <practice>/instruments/*.toml, and on the client's side the ones
# that came with a plan: <data folder>/instruments/*.toml
# --------------------------------------------------------------------------

#: the folder, inside the practice folder, of the questionnaires a therapist adds (one TOML file each, the same
#: schema as the bundled ones); they are offered in plans, scored, charted and reported like any other. A plan
#: that asks for one carries its text, and a client who opens the plan keeps it in the same folder of their
#: own data folder (:func:`receive_instrument`), so it is filled in and scored there too.
PRACTICE_FOLDER = "instruments"
#: the largest such file read (a questionnaire is a few kilobytes)
MAX_PRACTICE_FILE = 64 * 1024
#: how long the folders' listing is trusted before it is looked at again (a file added shows within this)
_RECHECK_SECONDS = 2.0

Listing = tuple[tuple[Path, tuple[tuple[str, int, int], ...]], ...]

_practice: Path | None = None  # the practice in use (use_practice); else the default one
#: when the folders were last listed, for which practice and data folder settings, and what they held
_checked: tuple[float, tuple[Path | None, str | None, str | None], Listing] | None = None


def use_practice(root: Path | None) -> None:
    """The practice whose own questionnaires are offered (a :class:`~rekindle_widgets.model.practice.Practice`
    sets it when opened; None: the default practice folder)."""
    global _practice, _checked
    _practice, _checked = root, None


def practice_instruments_dir() -> Path:
    """Where the practice in use keeps questionnaires of its own."""
    from ..paths import practice_home

    return (_practice if _practice is not None else practice_home()) / PRACTICE_FOLDER


def received_instruments_dir() -> Path:
    """Where a person keeps the questionnaires their therapist's plans brought (in their data folder)."""
    from ..paths import home

    return home() / PRACTICE_FOLDER


def _listing() -> Listing:
    """Each folder of questionnaires of one's own, with its files' times and sizes (to notice a change); looked
    at again at most every :data:`_RECHECK_SECONDS`."""
    import time

    from ..paths import HOME_ENV, PRACTICE_ENV

    global _checked
    now = time.monotonic()
    # the folders follow from these alone: compared as they are, every lookup (find) stays a dict lookup
    settings = (_practice, os.environ.get(HOME_ENV), os.environ.get(PRACTICE_ENV))
    if _checked is not None and now - _checked[0] < _RECHECK_SECONDS and _checked[1] == settings:
        return _checked[2]
    folders = tuple(dict.fromkeys((practice_instruments_dir(), received_instruments_dir())))
    listing = []
    for folder in folders:
        files: list[tuple[str, int, int]] = []
        try:
            for path in sorted(folder.glob("*.toml")):
                stat = path.stat()
                files.append((path.name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            files = []
        listing.append((folder, tuple(files)))
    _checked = (now, settings, tuple(listing))
    return _checked[2]


@lru_cache(maxsize=4)
def _own_catalogue(listing: Listing) -> tuple[tuple[Instrument, ...], tuple[str, ...]]:
    """The questionnaires of one's own that read, and one line for each file that does not (naming the file
    and the key, as a bundled file's error does); a file that does not read is left out, never half-read."""
    found: dict[str, Instrument] = {}
    problems: list[str] = []
    for folder, files in listing:
        for name, _, _ in files:
            path = folder / name
            try:
                inst = _read_own(path.stem, _read_own_file(path), name)
                if inst.id in found:
                    raise ContentError(f"{name}: instrument.id: {inst.id!r} is offered already, by "
                                       f"{found[inst.id].file}")
                found[inst.id] = replace(inst, file=str(path))
            except ContentError as exc:
                problems.append(f"{folder / name}: {str(exc).removeprefix(name + ': ')}")
            except OSError as exc:
                problems.append(f"{folder / name}: cannot be read ({exc.strerror or exc})")
    return tuple(found.values()), tuple(problems)


def _read_own(expected_id: str, text: str, name: str) -> Instrument:
    """A questionnaire of one's own from its TOML text, checked as a bundled one is, and more: its id is the
    file's name and not one Rekindle comes with."""
    import tomllib

    if len(text.encode("utf-8")) > MAX_PRACTICE_FILE:
        raise ContentError(f"{name}: over {MAX_PRACTICE_FILE // 1024} KB; a questionnaire file is a few KB")
    if name == STAGE_TEMPLATE:
        raise ContentError(f"{name}: this name is the stage reflections' template; name the file after its "
                           "questionnaire's id")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{name}: not valid TOML ({exc})") from None
    inst = _parse(Reader(name, data), expected_id=expected_id)
    if inst.id in _bundled():
        raise ContentError(f"{name}: instrument.id: {inst.id!r} is a questionnaire Rekindle comes with; give "
                           "yours another id (and file name)")
    return inst


def _read_own_file(path: Path) -> str:
    """A questionnaire file of one's own: a regular file of at most :data:`MAX_PRACTICE_FILE` bytes, counted
    as read (a device or a pipe is refused, never waited on), in UTF-8."""
    if not path.is_file():
        raise ContentError(f"{path.name}: not a regular file")
    with open(path, "rb") as fh:
        data = fh.read(MAX_PRACTICE_FILE + 1)
    if len(data) > MAX_PRACTICE_FILE:
        raise ContentError(f"{path.name}: over {MAX_PRACTICE_FILE // 1024} KB; a questionnaire file is a few KB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(f"{path.name}: not UTF-8 text; save it as UTF-8") from None


def own_instruments() -> tuple[Instrument, ...]:
    """The questionnaires of one's own offered now (the practice's, and those plans brought), in order."""
    bundled = _bundled()
    return tuple(i for i in _catalogue().values() if i.id not in bundled)


def practice_problems() -> tuple[str, ...]:
    """One line for each questionnaire file of one's own that cannot be used, naming the file and the key."""
    return _own_catalogue(_listing())[1]


def own_text(instrument_id: str) -> str | None:
    """The TOML text of a questionnaire of one's own (a plan that asks for it carries it); None for a bundled
    one, or one not offered."""
    inst = find(instrument_id)
    if inst is None or inst.id in _bundled():
        return None
    return _read_own_file(Path(inst.file))


def check_received(instrument_id: str, text: str) -> Instrument:
    """A questionnaire a plan file brought, checked as one of one's own is (nothing written)."""
    return _read_own(instrument_id, text, f"{instrument_id}.toml")


def receive_instrument(instrument_id: str, text: str) -> Path:
    """Keep a questionnaire a plan brought in :func:`received_instruments_dir` (checked first; private)."""
    from ..paths import private_dir, write_private

    check_received(instrument_id, text)
    global _checked
    _checked = None
    return write_private(private_dir(received_instruments_dir()) / f"{instrument_id}.toml", text)


def _catalogue() -> dict[str, Instrument]:
    """Every questionnaire offered: the bundled ones, then one's own (:data:`PRACTICE_FOLDER`)."""
    bundled = _bundled()
    own, _ = _own_catalogue(_listing())
    if not own:
        return bundled
    return {**bundled, **{i.id: i for i in sorted(own, key=lambda i: (i.order, i.id))}}


def instruments() -> tuple[Instrument, ...]:
    """Every instrument offered, in display order: the packaged ones (loaded and validated once), then the
    practice's own (:func:`practice_problems` says which of its files cannot be used, and why)."""
    return tuple(_catalogue().values())


def instrument_ids() -> tuple[str, ...]:
    return tuple(_catalogue())


def find(instrument_id: str | Instrument) -> Instrument | None:
    """The packaged instrument with this id, or None for one this version does not know.

    The one lookup: :func:`instrument` (which refuses an unknown id) and every
    view that must cope with a response from a newer version use it.
    """
    if isinstance(instrument_id, Instrument):
        return instrument_id
    return _catalogue().get(str(instrument_id).strip().lower())


def instrument(instrument_id: str | Instrument) -> Instrument:
    """The packaged instrument with this id, e.g. ``instrument("phq9")``."""
    found = find(instrument_id)
    if found is None:
        from ..errors import RekindleError

        raise RekindleError(f"unknown instrument {instrument_id!r}; choose one of {', '.join(_catalogue())}")
    return found
