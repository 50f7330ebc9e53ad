"""MoodSnap's JSON backup.

Read from the app's own data structures (``MoodSnap/Base/DataStructures.swift`` and ``Constants.swift``,
drpeterrohde/MoodSnap), which its backup writes with Swift's ``JSONEncoder``: ``{"moodSnaps": [{"timestamp":
722000000.0, "snapType": 1, "elevation": 0, "depression": 2, "anxiety": 1, "irritability": 0, "symptoms":
[false, ...], "activities": [...], "social": [...], "event": "", "notes": "..."}], "healthSnaps": [...],
"settings": {...}}``. A timestamp is a number of seconds since 2001-01-01 UTC (Swift's default for dates), or
ISO 8601 text when a backup was written with that strategy.

MoodSnap has no single mood: it rates four dimensions from 0 (none) to 4 (severe), as a bipolar mood tracker
does. **The journal's mood is the bipolar axis**, elevation minus depression (-4 to 4), rescaled to 1-5 as
``--mood-scale -4..4`` does: depression 4 is 1 (awful), depression 2 is 2, neither is 3, elevation 2 is 4,
elevation 4 is 5. **All four levels are also kept as trackers** (``Elevation``, ``Depression``, ``Anxiety``,
``Irritability``, 0-4) at the snap's moment, so an anxious morning without depression is 3 with ``Anxiety``
4, not a good day; the import's account says what became what. The ticked symptoms, activities and social
boxes become tags, named from the app's lists; the event and the notes become the note. Snaps of the other
kinds (notes, events, media, quotes) hold no mood: they are counted, not imported. Health snaps (Apple
Health's numbers) are left to Apple Health.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

from ...errors import RekindleError
from ...journal import Entry, Tracked
from .base import Format, Parsed, RowProblems, load_json, moment
from .generic import rescale
from .options import Options

__all__ = ["looks_like_moodsnap", "parse_moodsnap"]

SOURCE = "import:moodsnap"
#: where Swift counts dates from
_SWIFT_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)
#: the app's lists, in its order (Constants.swift): a snap's booleans tick them by position
SYMPTOMS = ["Anhedonia", "Increased apetite", "Reduced apetite", "Compulsions", "Dissociation", "Euphoria",
            "Fatigue", "Flashbacks", "Headaches", "Hypersomnia", "Hypomania", "Insomnia", "Mania", "Mixed state",
            "Nightmares", "Panic attacks", "Paranoia", "Physical", "Psychosis", "Restless", "Rumination",
            "Self harm", "Stimming", "Suicidal thoughts"]
ACTIVITIES = ["Alcohol", "Caffeine", "Excercise", "Meditation", "Missed medication", "Sexual activity",
              "Substance use", "Therapy"]
SOCIAL = ["Conflict", "Intimacy", "Isolation", "Positive socialising", "Negative socialising",
          "No in-person contact"]
#: MoodSnap's boxes for thoughts of harming oneself: a snap with one ticked shows help first (issue 25; the
#: brief: any answer that suggests self-harm shows help before anything else)
CRISIS = frozenset({"Self harm", "Suicidal thoughts"})
#: snapType numbers (Enumerations.swift) -> what a snap of that kind is, for the account
KINDS = {0: "snap of no kind", 2: "note snap, without a mood", 3: "event snap, without a mood",
         4: "media snap, without a mood", 5: "quote snap, without a mood", 6: "custom snap, without a mood"}
#: the dimensions, each kept as a tracker
TRACKED = ("elevation", "depression", "anxiety", "irritability")


def looks_like_moodsnap(text: str) -> bool:
    head = text.lstrip("\ufeff \t\n")[:4000]
    return head.startswith("{") and '"moodSnaps"' in text[:200_000]


def _when(value: Any, options: Options) -> datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not -1e10 < value < 1e10:
            raise RekindleError(f"timestamp {value!r} is not a time")
        return _SWIFT_EPOCH + timedelta(seconds=value)
    return moment(value, options, "timestamp")


def _level(snap: dict[str, Any], key: str) -> int:
    value = snap.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value not in (0, 1, 2, 3, 4):
        raise RekindleError(f"{key} {value!r} is not a level from 0 to 4")
    return int(value)


def _ticked(snap: dict[str, Any], key: str, names: list[str]) -> list[str]:
    boxes = snap.get(key)
    if boxes is None:
        return []
    if not isinstance(boxes, list):
        raise RekindleError(f"'{key}' must be a list of true and false")
    # a later version may add boxes at the end: those are named by their number rather than dropped
    return [names[i] if i < len(names) else f"{key} {i + 1}" for i, ticked in enumerate(boxes) if ticked is True]


def parse_moodsnap(text: str, name: str, options: Options) -> Parsed:
    document = load_json(text, name, "a MoodSnap backup")
    if not isinstance(document, dict) or not isinstance(document.get("moodSnaps"), list):
        raise RekindleError(f"{name}: not a MoodSnap backup (no \"moodSnaps\" list)")
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed(unit="snaps")
    tracked: list[Tracked] = []
    for i, snap in enumerate(document["moodSnaps"]):
        try:
            if not isinstance(snap, dict):
                raise RekindleError("expected an object with a timestamp and levels")
            kind = snap.get("snapType", 1)
            if kind != 1:
                parsed.not_entry(KINDS.get(kind, "snap of an unknown kind") if isinstance(kind, int) else
                                 "snap of an unknown kind")
                continue
            at = _when(snap.get("timestamp"), options)
            levels = {key: _level(snap, key) for key in TRACKED}
            notes = snap.get("notes") or ""
            event = snap.get("event") or ""
            if not isinstance(notes, str) or not isinstance(event, str):
                raise RekindleError("'notes' and 'event' must be text")
            tags = [*_ticked(snap, "symptoms", SYMPTOMS), *_ticked(snap, "activities", ACTIVITIES),
                    *_ticked(snap, "social", SOCIAL)]
            if CRISIS.intersection(tags):
                parsed.concerns.append(at.astimezone(options.tz).date())  # the day where the person is
            parsed.entries.append(Entry.make(at=at, mood=rescale(Fraction(levels["elevation"] - levels["depression"]),
                                                                 Fraction(-4), Fraction(4)), tags=tags,
                                             note="\n".join(p for p in (event.strip(), notes.strip()) if p),
                                             source=SOURCE))
            tracked += [Tracked.make(key.capitalize(), float(value), at, source=SOURCE)
                        for key, value in levels.items()]
        except RekindleError as exc:
            problems.add(f"snap [{i}]", str(exc))
    if parsed.entries:
        parsed.records["trackers"] = tracked
        parsed.warnings.append("MoodSnap's elevation minus depression became the mood (depression 4 is 1, neither "
                               "is 3, elevation 4 is 5); all four levels also became trackers: Elevation, "
                               "Depression, Anxiety and Irritability (0-4)")
    return problems.finish(parsed)


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("moodsnap", "MoodSnap JSON backup", lambda s: looks_like_moodsnap(s.text),
                  lambda s, o: parse_moodsnap(s.text, s.name, o), frozenset({"tz", "skip_invalid"})),)
