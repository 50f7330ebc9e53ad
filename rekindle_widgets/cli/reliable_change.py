"""``rekindle change``: is the change between two questionnaire totals reliable? (for paper forms)."""

from __future__ import annotations

import argparse
import json
import textwrap

HELP = ("classify the change between two totals of a questionnaire (e.g. from paper forms) as reliable "
        "improvement, reliable deterioration or no reliable change, and recovery; self-reported scores, "
        "not a diagnosis")


def cmd_change(args: argparse.Namespace) -> None:
    from ..content.instruments import find, instruments
    from ..errors import RekindleError
    from ..model.reliable_change import NOT_A_DIAGNOSIS, classify, parse_total, rule_text

    inst = find(args.instrument)
    if inst is None or inst.change is None:
        known = ", ".join(i.id for i in instruments() if i.change is not None)
        what = "unknown instrument" if inst is None else "no reliable-change constants for"
        raise RekindleError(f"{what} {args.instrument!r}; 'rekindle change' knows {known}")
    first = parse_total(inst, args.first, "FIRST")
    latest = parse_total(inst, args.latest, "LATEST")
    change = classify(inst, first, latest)
    rule = inst.change
    assert rule is not None  # classify refuses an instrument without change constants
    if args.json:
        data = change.to_dict()
        data["rule"] = rule_text(inst)
        data["source"] = rule.source
        data["url"] = rule.url
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [
        change.describe(),
        f"change: {change.points_text()}",
        f"rule: {rule_text(inst)}",
        textwrap.fill(f"source: {' '.join(rule.source.split())} {rule.url}", width=100,
                      subsequent_indent="  ", break_on_hyphens=False, break_long_words=False),
        NOT_A_DIAGNOSIS,
    ]
    print("\n".join(lines))


def register(command) -> None:
    p = command("change", cmd_change, HELP)
    p.epilog = ("FIRST and LATEST are totals as 'rekindle score' prints them (WHO-5: the raw total, e.g. 12, "
                "or its percentage, e.g. 48%). A change at exactly the threshold counts as reliable. These are "
                "self-reported questionnaire scores, not a diagnosis.")
    p.add_argument("instrument", metavar="INSTRUMENT", help="which questionnaire: phq9, gad7 or who5")
    p.add_argument("first", metavar="FIRST", help="the first (baseline) total")
    p.add_argument("latest", metavar="LATEST", help="the latest total")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
