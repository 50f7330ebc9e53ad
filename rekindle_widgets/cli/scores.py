"""Questionnaire commands: score a filled-in paper form, list the instruments.

``rekindle score phq9 --answers 0,1,2,...`` prints the total, band and flags;
when a safety or crisis flag is raised, the help lines for the region come
before anything else, in text and in ``--json`` alike.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from .common import open_journal


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


def _safety_lines(result, region: str | None) -> list[str]:
    lines = []
    for reason in result.safety_reasons:
        lines.append(_wrap(reason.text))
        lines += [f"    ({b})" for b in reason.because]
    return safety_lines(result.resources(region), " and ".join(result.safety_kinds), lines)


def safety_lines(res, kinds: str, why: list[str]) -> list[str]:
    """Help first, as lines of text: the heading, why it is shown, then ``res``' services (a
    :class:`~rekindle_widgets.model.scorer.Resources`) and the emergency number."""
    from ..model.scorer import dial_text

    lines = [f"SAFETY FIRST ({kinds}): please read this before anything else.", *why]
    lines.append(f"  Help now, {res.region.name}:")
    for s in res.services:
        how = [f"call {dial_text(s)}"] if s.phone_label else []
        if s.text:
            how.append(s.text[0].lower() + s.text[1:])
        line = f"    - {s.name}: {', or '.join(how)}"
        line += f" ({s.hours})" if s.hours else ""
        line += f" {s.url}" if s.url else ""
        lines.append(line)
    lines.append(f"  In immediate danger? Call {res.emergency} now.")
    return lines


def _result_lines(result) -> list[str]:
    inst = result.instrument
    lines = [inst.title]
    if result.total is not None:
        text = f"total: {result.total:g} of {result.max_total}"
        if result.percentage is not None:
            text += f" (raw {result.total:g}; {result.percentage:g} out of 100)"
        lines.append(text)
    for _, label, value, top in result.subscales:
        lines.append(f"{label.lower()}: {value:g} of {top:g}")
    if result.band is not None:
        lines.append(f"{inst.band_title.lower()}: {result.band.label}")
        if result.band.text:
            lines.append(_wrap(result.band.text))
    elif inst.screen:
        lines.append("never scored: a safety screen has no total and no band")
    if result.reasons:
        lines.append("flags: " + "; ".join(f"{r.flag.label} ({r.flag.kind})" for r in result.reasons))
    else:
        lines.append("flags: none")
    decided = [r for r in result.band_reasons if not r.flag.is_safety]
    others = [r for r in result.reasons if not r.flag.is_safety and r not in decided]
    for heading, reasons in (("why", decided), ("also worth noticing" if decided else "why", others)):
        if reasons:
            lines.append(f"{heading}:")
        for reason in reasons:
            lines.append(f"  {reason.flag.label}:")
            lines += [f"    - {b}" for b in reason.because]
    if result.next_steps:
        lines.append("next steps:")
        lines += [_wrap(s, "  - ").replace("\n  - ", "\n    ") for s in result.next_steps]
    return lines


def cmd_score(args: argparse.Namespace) -> None:
    from ..model.scorer import parse_answers, resources, save, score

    if args.region is not None:
        resources((), args.region)  # an unknown region is a mistake even when no flag is raised
    result = score(args.instrument, parse_answers(args.instrument, args.answers))
    saved = None
    if args.save:
        if args.at is not None:
            from ..journal import parse_datetime

            parse_datetime(args.at)  # a wrong --at is refused before a journal file is created
        with open_journal(args) as journal:
            saved = (save(journal, result, context=args.context, at=args.at), journal.path)
    if args.json:
        data = result.to_dict(args.region)
        if saved:
            data["saved"] = {"id": saved[0], "journal": str(saved[1])}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [*_safety_lines(result, args.region), ""] if result.safety else []
    lines += _result_lines(result)
    if saved:
        lines.append(f"saved as response {saved[0]} in {saved[1]}")
    print("\n".join(lines))


def _detail(inst) -> list[str]:
    lines = [f"{inst.id}: {inst.title}", _wrap(inst.intro, ""), "", f"--answers: {inst.answer_help()}"]
    choice = 0
    for item in inst.items:
        if item.is_choice:
            choice += 1
            values = ", ".join(f"{o.value}={o.label}" for o in item.options)
            optional = "" if item.required else " (optional)"
            lines.append(f"  answer {choice}{optional}: {item.text}")
            lines.append(f"      {values}")
            if item.reverse:
                lines.append("      (reverse-keyed)")
        else:
            lines.append(f"  (free text, not in --answers): {item.prompt()}")
    if inst.screen:
        lines.append("never scored: no total and no band; any flag shows the safety resources first")
    for band in inst.bands:
        if band.is_range:
            lines.append(f"  {inst.band_title.lower()} {band.label}: total {band.min:g}-{band.max:g}")
        elif band.when is not None:
            lines.append(f"  {inst.band_title.lower()} {band.label}: when any of these flags is raised: "
                         f"{', '.join(band.when.names)}")
        else:
            lines.append(f"  {inst.band_title.lower()} {band.label}: otherwise")
    for flag in inst.flags:
        lines.append(f"  flag {flag.id} ({flag.kind}): {flag.label}")
    if inst.change is not None:  # reliable change (rekindle change): the rule, its source after the licence
        from ..model.reliable_change import rule_text

        lines.append(f"  reliable change: {rule_text(inst)}")
    lines += ["", _wrap(f"Source: {inst.source}", ""), _wrap(f"Licence: {inst.licence}", "")]
    if inst.change is not None:
        lines.append(_wrap(f"Reliable change: {' '.join(inst.change.source.split())} {inst.change.url}", ""))
    return lines


def cmd_instruments(args: argparse.Namespace) -> None:
    from ..content.instruments import instrument, instruments, practice_instruments_dir, practice_problems

    for problem in practice_problems():  # a file of the practice's own that cannot be used: said, never hidden
        print(f"rekindle: warning: {problem}; it is left out until fixed", file=sys.stderr)
    if args.instrument:
        print("\n".join(_detail(instrument(args.instrument))))
        return
    own = str(practice_instruments_dir())
    rows = [(i.id, i.title + (" (practice)" if i.file.startswith(own) else ""), i.answer_help())
            for i in instruments()]
    width = max(len(r[0]) for r in rows)
    title_width = max(len(r[1]) for r in rows)
    for inst_id, title, answers in rows:
        print(f"{inst_id:<{width}}  {title:<{title_width}}  {answers}")


def register(command) -> None:
    p = command("score", cmd_score,
                "score a filled-in questionnaire (e.g. a paper form); safety help prints first")
    p.add_argument("instrument", help="which questionnaire: see 'rekindle instruments'")
    p.add_argument("--answers", required=True, metavar="A,B,C",
                   help="one answer per question that has options, in order, comma-separated: the option "
                        "value, e.g. 0-3 for PHQ-9, or yes/no/prefer-not for the safety screen; free-text "
                        "questions are left out ('rekindle instruments ID' lists the values)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    from ..content import guide

    codes = [r.code for r in guide().safety.regions]
    p.add_argument("--region", type=str.upper, metavar="|".join(codes),
                   help="where the person is, for the safety services (default: $REKINDLE_REGION, else the "
                        "computer's locale, else OTHER)")
    p.add_argument("--save", action="store_true", help="also save the response to the journal")
    p.add_argument("--context", choices=["self", "session"], default="session",
                   help="with --save: filled in alone (self) or in a session (default session)")
    p.add_argument("--at", help="with --save: when it was filled in, ISO 8601 (default now)")

    p = command("instruments", cmd_instruments,
                "list the questionnaires (the practice's own too: DIR/instruments/*.toml), or show one's "
                "questions and answer values")
    p.add_argument("instrument", nargs="?", help="an instrument id, e.g. phq9")
