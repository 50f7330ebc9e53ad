"""A deterministic demo journal: about six months through stages 1 to 5.

Made up, not anyone's data: it exists so that the charts, the app and the
notebooks have something to show on a first launch (and on Binder). The same
arguments always give the same entries, so tests and notebooks can check it.
From the reboot date on it also holds what the Moving forward page keeps: a
decision, two micro-dates that happened, an "I feel ... when you ..." sentence,
two agreements and the weekly check-ins on them, in which the first agreement
is not kept in two of the last three weeks, so the red-flag watch has
something to show.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from ..errors import RekindleError
from ..journal import (
    DEMO_SOURCE,
    Agreement,
    CheckIn,
    Decision,
    Entry,
    ForwardRecords,
    ImportResult,
    Journal,
    MicroDate,
    StageChange,
    Statement,
)

__all__ = ["DEMO_CLIENT", "DEMO_END", "DEMO_SOURCE", "demo_client", "demo_entries", "write_demo"]

DEMO_END = date(2026, 8, 28)  # a fixed last day keeps the demo the same on every machine
SEED = 20260302

# (stage, share of the days, typical mood, mood spread)
_PLAN = [(1, 0.18, 2.2, 0.8), (2, 0.24, 2.9, 0.7), (3, 0.2, 3.2, 0.8), (4, 0.16, 3.6, 0.7),
         (5, 0.22, 3.9, 0.6)]
_NOTES = {
    1: ["Hard evening. Put the phone in another room.", "Long walk with Sam, talked it all through.",
        "Made the breakup playlist. Cried, then felt lighter.", "Deleted the chat shortcut."],
    2: ["Signed up for the pottery class I always put off.", "Realised I like quiet Sunday mornings.",
        "Wrote down what actually went wrong - not fun, but useful.", "Missed them today, and that's ok."],
    3: ["Sent a short 'hope you're well' message.", "We talked for ten minutes, friendly, no drama.",
        "Felt a bit jealous hearing about their trip - noted.", "Kept it light. Good boundary day."],
    4: ["Reboot date: coffee, then a walk. Nervous, then fine.", "Took it slow. Proud of that.",
        "Ten minutes of meditation before meeting up.", "Not sure yet - and that's allowed."],
    5: ["Talked about what we each need this time.", "A calm week, nothing dramatic. Nice.",
        "Kept my Thursday class even though we had plans.", "Agreed: no bringing up the old fights."],
}


def _stage_starts(days: int) -> list[tuple[int, int]]:
    """(stage, first day index) for each planned stage that fits in ``days``."""
    starts, offset = [], 0
    for stage, share, *_ in _PLAN:
        if offset >= days:
            break
        starts.append((stage, offset))
        offset += max(1, round(days * share))
    return starts


def demo_entries(days: int = 180, end: date = DEMO_END) -> tuple[list[Entry], list[StageChange]]:
    """The demo's entries and stage timeline; the same arguments give the same data."""
    if not isinstance(days, int) or not 1 <= days <= 3650:
        raise RekindleError(f"--days must be a whole number from 1 to 3650, not {days!r}")
    start = end - timedelta(days=days - 1)
    rng = random.Random(SEED)
    starts = _stage_starts(days)
    changes = [StageChange(stage, start + timedelta(days=first), f"Demo: entering stage {stage}.")
               for stage, first in starts]
    entries: list[Entry] = []
    stage_index = 0
    for i in range(days):
        while stage_index + 1 < len(starts) and i >= starts[stage_index + 1][1]:
            stage_index += 1
        stage = starts[stage_index][0]
        _, _, typical, spread = _PLAN[stage - 1]
        day = start + timedelta(days=i)
        is_stage_start = i == starts[stage_index][1]
        if not is_stage_start and rng.random() < 0.08:
            continue  # everyone misses a day now and then
        progress = i / max(days - 1, 1)
        for slot, hour in enumerate(rng.sample([8, 13, 21], k=rng.choice([1, 1, 2, 2, 3]))):
            mood = typical + rng.gauss(0, spread) + (0.3 if day.weekday() >= 5 else 0)
            tags = []
            if stage <= 3 and day.weekday() == 2 and hour == 21:
                tags.append("therapy")
                mood += 0.3
            if stage >= 2 and rng.random() < 0.3:
                tags.append("meditation")
            if rng.random() < 0.25:
                tags.append("friends")
            if stage >= 3 and rng.random() < 0.2:
                tags.append("contact")
                mood += rng.choice([-0.6, 0.5])
            if stage >= 4 and day.weekday() == 5 and slot == 0:
                tags.append("date")
            readiness = None
            if hour == 21 or rng.random() < 0.3:
                readiness = max(0, min(10, round(1.5 + 6.5 * progress + rng.gauss(0, 1))))
            note = rng.choice(_NOTES[stage]) if rng.random() < 0.35 else ""
            entries.append(Entry(
                at=datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=UTC),
                mood=max(1, min(5, round(mood))),
                readiness=readiness,
                tags=tuple(tags),
                note=note,
                source=DEMO_SOURCE,
            ))
    return entries, changes


def write_demo(journal: Journal, days: int = 180) -> ImportResult:
    """Fill ``journal`` with the demo. Refuses a journal that holds anyone's real entries."""
    real = journal.count(excluding_source=DEMO_SOURCE)
    if real:
        raise RekindleError(
            f"{journal.path} already holds {real} entries of your own; the demo only goes into a new "
            f"journal: give one with --journal, e.g. --journal demo.sqlite"
        )
    entries, changes = demo_entries(days)
    has_stages = bool(journal.stage_changes())
    agreements, checkins, forward = demo_together(changes)
    return journal.add_entries(entries, stages=() if has_stages else changes, source=DEMO_SOURCE,
                               records={"agreements": agreements, "checkins": checkins, **forward.as_records()})


def demo_together(changes: list[StageChange], end: date = DEMO_END
                  ) -> tuple[list[Agreement], list[CheckIn], ForwardRecords]:
    """The demo's records of being back together, dated by its stages (none before the reboot date)."""
    starts = {c.stage: c.since for c in changes}
    if 4 not in starts:
        return [], [], ForwardRecords()
    reboot = starts[4]
    forward = ForwardRecords(
        decisions=[Decision.make(
            option="all-in", day=reboot - timedelta(days=2), review=reboot + timedelta(days=90),
            reasons=[("all-in", "We both want to try, and we have talked about what went wrong", 4),
                     ("carry-on", "No rush: I like how things are going", 3),
                     ("part", "The old fights could come back", 2)],
            answers={"know": True, "values": True, "support": True, "sure": False},
            involved=["my sister", "a counsellor, maybe"])],
        dates=[MicroDate.make("A twenty-minute coffee", reboot, reboot)])
    if 5 not in starts:
        return [], [], forward
    together = starts[5]
    walk = together + timedelta(days=10)
    forward.dates.append(MicroDate.make("A walk after work", walk, walk))
    forward.statements.append(Statement.make(
        "unheard", "make plans for both of us without asking", "check with me first", together + timedelta(days=18)))
    agreements = [replace(Agreement.make("We check with each other before making plans for both of us", together),
                          id=1),
                  replace(Agreement.make("No bringing up the old fights", together), id=2)]
    first = ["kept", "partly", "not-kept", "kept", "not-kept"]  # not kept in two of the last three
    checkins = []
    for week, kept in enumerate(first, start=1):
        day = together + timedelta(days=7 * week - 1)
        if day > end:
            break
        checkins.append(CheckIn.make(day, {1: kept, 2: "kept"}, past_raised=week == 4, promises_visible=True,
                                     feels="new"))
    return agreements, checkins, forward


# --------------------------------------------------------------------------
# A demo client for the therapist's notebook and page
# --------------------------------------------------------------------------

DEMO_CLIENT = "Demo client"
#: (day, minutes, stage discussed, template, notes, homework, goals): made up, like the journal above.
DEMO_SESSIONS = [
    ("2026-04-07", 50, 2, "soap",
     {"subjective": "Feels steadier than a month ago; still checks the ex's profile most evenings.",
      "objective": "Relaxed, made eye contact, laughed twice.",
      "assessment": "Settling into stage 2. Evening checking is the main pull back.",
      "plan": "Move the phone out of the bedroom; notice what the evenings feel like without it."},
     "Phone stays in the kitchen after 10 pm.",
     {"Sleep before midnight": 3, "Evenings without checking their profile": 2}),
    ("2026-05-19", 50, 3, "soap",
     {"subjective": "Sent one short friendly message; the reply was warm and brief.",
      "assessment": "Entered stage 3 on their own terms; boundaries were clear.",
      "plan": "Write down the three boundaries to keep while in touch."},
     "List three boundaries and one sign that one is slipping.",
     {"Sleep before midnight": 5, "Evenings without checking their profile": 4, "Keep the Thursday class": 6}),
    ("2026-06-30", 45, 4, "dap",
     {"data": "The reboot date went well: coffee, then a walk. Nervous beforehand, calm after.",
      "assessment": "Chose a slow pace; not swept along.",
      "plan": "Talk through what each of them needs before a second date."},
     "Note one thing you want to say out loud next time.",
     {"Sleep before midnight": 6, "Evenings without checking their profile": 7, "Keep the Thursday class": 7}),
    ("2026-08-11", 50, 5, "dap",
     {"data": "Calm few weeks; they kept the class even when plans clashed.",
      "assessment": "Stage 5 holding well. Old arguments have not come back.",
      "plan": "Keep the weekly check-in; review the goals in a month."},
     "",
     {"Sleep before midnight": 7, "Evenings without checking their profile": 8, "Keep the Thursday class": 8}),
]


def demo_client(practice=None, alias: str = DEMO_CLIENT):
    """A made-up client in ``practice`` (default: the default practice) with the demo journal and 4 sessions.

    Calling it again returns the same client unchanged (nothing is added twice).
    """
    from ..model.practice import Practice

    if practice is None or not isinstance(practice, Practice):
        practice = Practice(practice)
    try:
        client = practice.get(alias)
    except RekindleError:
        client = practice.add(alias)
    with client.open_journal() as journal:
        write_demo(journal)
        for day, minutes, stage, template, notes, homework, goals in DEMO_SESSIONS:
            journal.add_session(day=day, minutes=minutes, stage=stage, template=template, notes=notes,
                                homework=homework, goals=goals, instruments=["who5"] if stage == 3 else ())
    return client
