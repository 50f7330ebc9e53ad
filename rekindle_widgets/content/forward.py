"""Moving forward and the decision point, as data: ``content/forward.toml``.

:func:`forward` loads and validates the file once per process (through the one
TOML reader, :mod:`.toml`): the feeling words of the "I feel ... when you ..."
builder, the micro-date and keep-it-fresh ideas, and the decision point's
options, its four "how sure am I" questions and the sources of its structure.
The option and question ids are :data:`OPTIONS` and :data:`SURE_QUESTIONS`, defined here
once (the journal stores them): a file that names others fails here, in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .toml import Reader, content_path, load_toml

__all__ = ["OPTIONS", "SURE_QUESTIONS", "Choice", "DecisionText", "Forward", "forward", "load_forward"]

#: The decision point's three options, in the order they are shown (their words are in forward.toml).
OPTIONS = ("carry-on", "part", "all-in")
#: The four "how sure am I" questions, after the SURE test (forward.toml has the words).
SURE_QUESTIONS = ("know", "values", "support", "sure")


@dataclass(frozen=True)
class Choice:
    """An option or a question of the decision point: its id (as the journal stores it) and its words."""

    id: str
    label: str
    text: str = ""
    short: str = ""  # a question's few words, for tables and comparisons ("values clear")


@dataclass(frozen=True)
class DecisionText:
    title: str
    intro: str
    stage6_intro: str
    checkup_link: str
    reasons_help: str
    involved_help: str
    review_help: str
    unsure_text: str
    sure_text: str
    weights_note: str
    options: tuple[Choice, ...]
    questions: tuple[Choice, ...]
    sources: str
    source_urls: tuple[str, ...]
    checked: date

    def option(self, option_id: str) -> Choice:
        for choice in self.options:
            if choice.id == option_id:
                return choice
        raise KeyError(option_id)

    def question(self, question_id: str) -> Choice:
        for choice in self.questions:
            if choice.id == question_id:
                return choice
        raise KeyError(question_id)


@dataclass(frozen=True)
class Forward:
    statements_intro: str
    feelings: tuple[str, ...]
    dates_intro: str
    calendar_summary: str
    date_ideas: tuple[str, ...]
    fresh_intro: str
    fresh_ideas: tuple[str, ...]
    decision: DecisionText


def _choices(r: Reader, name: str, expected: tuple[str, ...], *, text: bool) -> tuple[Choice, ...]:
    choices = []
    for t in r.tables(name):
        t.check_keys({"id", "label", "text"} if text else {"id", "short", "text"})
        choices.append(Choice(id=t.str("id"), label=t.str("label") if text else t.str("text"),
                              text=t.str("text"), short="" if text else t.str("short")))
    ids = tuple(c.id for c in choices)
    if ids != expected:
        raise r.fail(name, f"expected the ids {', '.join(expected)} in this order, found {', '.join(ids)}")
    return tuple(choices)


def load_forward(path: Path | None = None) -> Forward:
    """Read and check ``forward.toml`` (or the file at ``path``)."""
    path = path or content_path("forward.toml")
    top = Reader(path.name, load_toml(path))
    statements, dates, fresh, decision = (top.table(n) for n in ("statements", "dates", "fresh", "decision"))
    sources = decision.table("sources")
    checked = sources.date("checked", what="the date the sources were read")
    urls = sources.strings("urls")
    for i, _ in enumerate(urls):  # each a web address, checked as the guide's are
        Reader(sources.file, {"url": urls[i]}, f"{sources.key}.urls[{i}]").url("url")
    return Forward(
        statements_intro=statements.str("intro"),
        feelings=statements.strings("feelings"),
        dates_intro=dates.str("intro"),
        calendar_summary=dates.str("calendar_summary"),
        date_ideas=dates.strings("ideas"),
        fresh_intro=fresh.str("intro"),
        fresh_ideas=fresh.strings("ideas"),
        decision=DecisionText(
            title=decision.str("title"), intro=decision.str("intro"), stage6_intro=decision.str("stage6_intro"),
            checkup_link=decision.str("checkup_link"), reasons_help=decision.str("reasons_help"),
            involved_help=decision.str("involved_help"), review_help=decision.str("review_help"),
            unsure_text=decision.str("unsure_text"), sure_text=decision.str("sure_text"),
            weights_note=decision.str("weights_note"),
            options=_choices(decision, "options", OPTIONS, text=True),
            questions=_choices(decision, "questions", SURE_QUESTIONS, text=False),
            sources=sources.str("text"), source_urls=urls, checked=checked),
    )


@cache
def forward() -> Forward:
    """The packaged ``forward.toml``, loaded and validated once per process."""
    return load_forward()
