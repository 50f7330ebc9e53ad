"""The report's "Decisions" and "Moving forward" sections (issue 17), from the journal's forward records.

Plain :mod:`.model` blocks, so the HTML and PDF writers draw (and escape) them
like every other section. ``anonymise`` leaves out everything written in the
person's own words: reasons, who is involved, sentences and their own ideas.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from .model import Block, Paragraph, Section, Table

if TYPE_CHECKING:
    from ..journal import Decision, Journal

__all__ = ["comparison_block", "decision_blocks", "forward_sections"]


def _day(value) -> str:
    return f"{value.day} {value:%b %Y}"


def decision_blocks(d: Decision, anonymise: bool = False) -> list[Block]:
    """One decision: the choice and how sure (with the date and review as its lead), its reasons by weight,
    who is involved and its note; ``anonymise`` counts the reasons instead of quoting them and leaves out
    the people and the note."""
    from ..content.forward import forward
    from ..model.forward import answers_text, option_label, unsure_advice

    head = f"{_day(d.day)} · {option_label(d.option)}" + (f" · review {_day(d.review)}" if d.review else "")
    blocks: list[Block] = [Paragraph(f"How sure: {answers_text(d)}. {unsure_advice(d)}", "normal", heading=head)]
    if d.reasons and not anonymise:
        blocks.append(Table(("Option", "Reason", "Matters (0-5)"),
                            tuple((option_label(r.option), r.text, str(r.weight))
                                  for r in sorted(d.reasons, key=lambda r: (-r.weight, r.option))),
                            widths=(2.2, 5, 1.3)))
    elif d.reasons:
        counts = {o.id: len(d.reasons_for(o.id)) for o in forward().decision.options}
        blocks.append(Paragraph("Reasons (not quoted): " + ", ".join(
            f"{n} for {option_label(o)}" for o, n in counts.items() if n), "muted"))
    if d.involved and not anonymise:
        blocks.append(Paragraph("Involved: " + ", ".join(d.involved), "muted"))
    if d.note and not anonymise:
        blocks.append(Paragraph(d.note, "note", heading="Note"))
    return blocks


def comparison_block(before: Decision, after: Decision, anonymise: bool = False) -> Paragraph:
    """What changed from one decision to the next, as one paragraph headed by the two dates; ``anonymise``
    keeps each change's kind and leaves out the words (reasons, people)."""
    from ..model.forward import comparison_lines

    lines = comparison_lines(before, after)
    if anonymise:
        lines = [line.split(":", 1)[0] if line.startswith(("reason", "weight", "now involved",
                                                           "no longer involved")) else line
                 for line in lines]
    return Paragraph("; ".join(lines) + ".", "muted",
                     heading=f"Changes from {_day(before.day)} to {_day(after.day)}")


def forward_sections(journal: Journal, anonymise: bool = False) -> list[Section]:
    """"Decisions" (each decision, its reasons by weight, the four answers, and what changed since the one
    before) and "Moving forward" (sentences, micro-dates, ideas tried); none for a journal without them."""
    from ..content.forward import forward

    text = forward().decision
    records = journal.forward_records()
    sections = []
    if records.decisions:
        blocks: list[Block] = [Paragraph(text.weights_note, "muted")]
        for d in reversed(records.decisions):  # newest first, as the notes are
            blocks.extend(decision_blocks(d, anonymise))
        blocks.extend(comparison_block(before, after, anonymise) for before, after in pairwise(records.decisions))
        sections.append(Section("Decisions", tuple(blocks)))
    forward_blocks: list = []
    if records.statements and not anonymise:
        forward_blocks.append(Table(("Date", "I-statement"),
                                    tuple((s.day.isoformat(), s.sentence) for s in reversed(records.statements)),
                                    caption="\u201cI feel \u2026 when you \u2026\u201d sentences", widths=(1.3, 7)))
    elif records.statements:
        forward_blocks.append(Paragraph(f"{len(records.statements)} \u201cI feel \u2026 when you \u2026\u201d "
                                        "sentences (not quoted).", "muted"))
    if records.dates:
        happened = sum(1 for d in records.dates if d.happened)
        rows = tuple((d.planned.isoformat(), "(not quoted)" if anonymise else d.idea,
                      d.happened.isoformat() if d.happened else "not yet") for d in reversed(records.dates))
        forward_blocks.append(Table(("Planned", "Micro-date", "Happened"), rows,
                                    caption=f"Micro-dates: {len(records.dates)} planned, {happened} happened",
                                    widths=(1.3, 5, 1.5)))
    if records.tried:
        own = {t for _, t in records.ideas}
        tried = [("(an idea of their own)" if anonymise and idea in own else idea, day.isoformat())
                 for idea, day in records.tried]
        forward_blocks.append(Table(("Keep it fresh: tried", "On"), tuple(tried), widths=(6, 1.3)))
    if forward_blocks:
        sections.append(Section("Moving forward", tuple(forward_blocks)))
    return sections
