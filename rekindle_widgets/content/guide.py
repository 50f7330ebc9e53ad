"""The guide as data: load and validate ``content/guide.toml`` once.

Everything a person reads about the stages, the check-up themes and the safety
services comes from ``content/guide.toml``. This module turns it into frozen
dataclasses and checks its shape; a broken file fails with a
:class:`~rekindle_widgets.content.toml.ContentError` naming the file and the
key, e.g. ``guide.toml: stages[2].prompts: expected a non-empty list of strings``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ..errors import RekindleError
from .toml import Reader, content_path, load_toml

__all__ = [
    "STAGE_COUNT",
    "Guide",
    "Region",
    "Safety",
    "Service",
    "Stage",
    "Tip",
    "default_region",
    "guide",
    "load_guide",
    "locale_region",
    "region_from_browser",
    "region_setting",
]

STAGE_COUNT = 7


@dataclass(frozen=True)
class Stage:
    number: int
    key: str
    name: str
    summary: str
    prompts: tuple[str, ...]
    checklist: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.number}. {self.name}"


@dataclass(frozen=True)
class Tip:
    title: str
    text: str


@dataclass(frozen=True)
class Service:
    name: str
    kind: str  # "abuse", "crisis" or "emergency"
    phone: str
    phone_label: str
    text: str
    hours: str
    url: str
    source_url: str  # the page the number was read on
    checked: date  # the day it was read there
    source_note: str = ""  # how it was checked, and any second page


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str
    services: tuple[Service, ...]
    emergency_source: str = ""  # the page the emergency number was read on
    territories: tuple[str, ...] = ()  # locale territories that pick this region (en_AU -> AU)


@dataclass(frozen=True)
class Safety:
    intro: str
    emergency: str
    quick_exit_url: str
    regions: tuple[Region, ...]

    def region(self, code: str | None) -> Region:
        """The region with this code (case-insensitive); unknown codes get 'OTHER'.

        ``None`` means the person's own region, as :func:`default_region` decides.
        """
        wanted = (code or default_region()).upper()
        for region in self.regions:
            if region.code == wanted:
                return region
        return self.regions[-1]

    def for_territory(self, territory: str) -> Region:
        """The region whose territories include ``territory`` (``AU``, ``GB``), else 'OTHER'."""
        wanted = territory.upper()
        for region in self.regions:
            if wanted in region.territories:
                return region
        return self.regions[-1]


#: Locale variables in the order POSIX consults them for messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def locale_territory(value: str | None) -> str | None:
    """The territory of a locale name: ``en_AU.UTF-8`` -> ``AU``, ``fr-CA`` -> ``CA``.

    ``en_US_POSIX`` keeps ``US``. ``C``, ``POSIX``, ``C.UTF-8``, an empty value
    and a name with no territory (``en``) give ``None``; so do Windows names
    such as ``English_Australia``, which have no two-letter territory.
    """
    if not value:
        return None
    name = re.split(r"[.@]", value.strip(), maxsplit=1)[0]
    match = re.fullmatch(r"[A-Za-z]{2,3}[_-]([A-Za-z]{2})(?:[_-].*)?", name)
    return match.group(1).upper() if match else None


def region_setting(value: str | None) -> str | None:
    """``value`` as a region code if it names one (any case: ``uk``), else None: for ``$REKINDLE_REGION`` and
    the region a journal remembers, which may come from a file someone crafted."""
    wanted = str(value or "").strip().upper()
    return wanted if wanted in {r.code for r in guide().safety.regions} else None


def region_from_browser(time_zone: str, languages: Sequence[str] = ()) -> str | None:
    """The region a browser suggests: its time zone's country (CLDR's, through Babel), else the first of its
    languages that names a country (``en-GB``); None if neither says.

    The time zone comes first: ``en-US`` is many browsers' language wherever they are, while
    ``Europe/London`` is where the clock is set. A country with no region of its own gives "anywhere else".
    """
    from babel.core import get_global

    safety = guide().safety
    zone = str(time_zone or "").strip()
    zone = get_global("zone_aliases").get(zone, zone)
    territory = get_global("zone_territories").get(zone)
    if territory and territory not in ("001", "ZZ"):  # the world, or unknown (Etc/UTC): says nothing
        return safety.for_territory(territory).code
    for language in languages:
        territory = locale_territory(str(language))
        if territory:
            return safety.for_territory(territory).code
    return None


def default_region(environ: dict[str, str] | None = None, system_locale: str | None = None) -> str:
    """The one rule for whose services to show first: a region code.

    ``$REKINDLE_REGION`` wins when it names a region (case-insensitive); then
    the computer's locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first
    that is set, then Python's own locale): ``en_AU.UTF-8`` picks AU,
    ``en_GB`` picks UK; anything else, or no locale, is OTHER ("anywhere
    else"). An unknown ``$REKINDLE_REGION`` is passed over rather than
    refused, so a safety panel always shows: the person can change the region
    on it. ``environ`` and ``system_locale`` are for tests.
    """
    env = os.environ if environ is None else environ
    safety = guide().safety
    chosen = region_setting(env.get("REKINDLE_REGION"))
    if chosen:
        return chosen
    return locale_region(environ, system_locale) or safety.regions[-1].code


def locale_region(environ: dict[str, str] | None = None, system_locale: str | None = None) -> str | None:
    """The region the computer's locale names (``en_AU.UTF-8``: AU; a country with no region of its own:
    OTHER), or None when the locale names no country (``C.UTF-8``, ``en``)."""
    env = os.environ if environ is None else environ
    value = next((env[v] for v in LOCALE_VARIABLES if env.get(v, "").strip()), None)
    if value is None:
        if system_locale is None and environ is None:
            import locale

            try:
                system_locale = locale.getlocale()[0]
            except (ValueError, TypeError):  # an unparseable LC_CTYPE: no territory to read
                system_locale = None
        value = system_locale
    territory = locale_territory(value)
    return guide().safety.for_territory(territory).code if territory else None


@dataclass(frozen=True)
class Guide:
    title: str
    tagline: str
    disclaimer: str
    stages: tuple[Stage, ...]
    checkup_intro: str
    checkup_questions: tuple[str, ...]
    pause_signs: tuple[str, ...]
    red_flags: tuple[str, ...]
    tips: tuple[Tip, ...]
    safety: Safety

    def stage(self, number: int) -> Stage:
        if not (isinstance(number, int) and 1 <= number <= len(self.stages)):
            raise RekindleError(f"stage must be a whole number from 1 to {len(self.stages)}, not {number!r}")
        return self.stages[number - 1]


# --------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------


def _stage(r: Reader) -> Stage:
    return Stage(
        number=r.int("number"),
        key=r.str("key"),
        name=r.str("name"),
        summary=r.str("summary"),
        prompts=r.strings("prompts"),
        checklist=r.strings("checklist"),
    )


def _service(r: Reader) -> Service:
    service = Service(
        name=r.str("name"),
        kind=r.str("kind"),
        phone=r.str("phone", empty=True),
        phone_label=r.str("phone_label"),
        text=r.str("text", empty=True),
        hours=r.str("hours", empty=True),
        url=r.url("url", empty=True),
        source_url=r.url("source_url"),  # no number goes in without the page it came from
        checked=r.date("checked", what="the date the number was checked"),
        source_note=r.str("source_note", empty=True) if "source_note" in r.data else "",
    )
    if service.kind not in {"abuse", "crisis", "emergency"}:
        raise r.fail("kind", f"expected abuse, crisis or emergency, not {service.kind!r}")
    return service


def _region(r: Reader) -> Region:
    code = r.str("code").upper()
    territories = r.data.get("territories", [code])
    if not (isinstance(territories, list) and all(isinstance(t, str) and t.strip() for t in territories)):
        raise r.fail("territories", "expected a list of locale territory codes, e.g. [\"GB\", \"UK\"]")
    region = Region(
        code=code,
        name=r.str("name"),
        emergency=r.str("emergency"),
        services=tuple(_service(s) for s in r.tables("services")),
        emergency_source=r.url("emergency_source", empty=True),
        territories=tuple(t.strip().upper() for t in territories),
    )
    if any(c.isdigit() for c in region.emergency) and not region.emergency_source:
        raise r.fail("emergency_source", f"the emergency number {region.emergency!r} needs the page it was read on")
    return region


def _safety(r: Reader) -> Safety:
    regions = tuple(_region(rr) for rr in r.tables("regions"))
    safety = Safety(
        intro=r.str("intro"),
        emergency=r.str("emergency"),
        quick_exit_url=r.str("quick_exit_url"),
        regions=regions,
    )
    codes = [region.code for region in regions]
    if len(set(codes)) != len(codes):
        raise r.fail("regions", f"region codes repeat: {codes}")
    territories = [t for region in regions for t in region.territories]
    if len(set(territories)) != len(territories):
        raise r.fail("regions", f"a locale territory picks two regions: {sorted(territories)}")
    if codes[-1] != "OTHER":
        raise r.fail("regions", "the last region must be OTHER, the fallback for everywhere else")
    return safety


def load_guide(path: Path | None = None) -> Guide:
    """Read and validate a guide file (the packaged one by default)."""
    path = Path(path) if path is not None else content_path("guide.toml")
    top = Reader(path.name, load_toml(path))
    meta, checkup = top.table("meta"), top.table("checkup")
    stages = tuple(_stage(s) for s in top.tables("stages"))
    numbers = [s.number for s in stages]
    if numbers != list(range(1, STAGE_COUNT + 1)):
        raise top.fail("stages", f"expected stages numbered 1 to {STAGE_COUNT} in order, found {numbers}")
    return Guide(
        title=meta.str("title"),
        tagline=meta.str("tagline"),
        disclaimer=meta.str("disclaimer"),
        stages=stages,
        checkup_intro=checkup.str("intro"),
        checkup_questions=checkup.strings("questions"),
        pause_signs=checkup.strings("pause_signs"),
        red_flags=checkup.strings("red_flags"),
        tips=tuple(Tip(title=t.str("title"), text=t.str("text")) for t in top.tables("tips")),
        safety=_safety(top.table("safety")),
    )


@cache
def guide() -> Guide:
    """The packaged guide, loaded and validated once per process."""
    return load_guide()
